"""``tf.distribute.DistributedDataset`` and ``DistributedIterator``: a dataset as a strategy hands it out.

With one replica, each element of the global batch stream goes whole to that replica, so the distributed
dataset yields the dataset's own elements; the wrapper keeps TensorFlow's interface (``element_spec``,
``get_next``, ``reduce``).
"""

from __future__ import annotations

from typing import Any, Callable, Iterator


def check_dataset(dataset: Any, what: str) -> None:
    from ..data import Dataset

    if not isinstance(dataset, Dataset):
        raise TypeError(f"{what} must be a tf.data.Dataset, received {type(dataset).__name__}: {dataset!r}")


class DistributedIterator:
    """An iterator over a ``DistributedDataset``: one element per step, for every replica."""

    def __init__(self, iterator: Any) -> None:
        self._iterator = iterator

    def __iter__(self) -> DistributedIterator:
        return self

    def __next__(self) -> Any:
        return next(self._iterator)

    def get_next(self) -> Any:
        """The next element; ``tf.errors.OutOfRangeError`` at the end."""
        return self._iterator.get_next()

    @property
    def element_spec(self) -> Any:
        return self._iterator.element_spec


class DistributedDataset:
    """A dataset distributed over a strategy's replicas."""

    def __init__(self, dataset: Any) -> None:
        self._dataset = dataset

    def __iter__(self) -> Iterator[Any]:
        return DistributedIterator(iter(self._dataset))

    @property
    def element_spec(self) -> Any:
        return self._dataset.element_spec

    @property
    def cardinality(self) -> Any:
        return self._dataset.cardinality()

    def reduce(self, initial_state: Any, reduce_func: Callable) -> Any:
        """Folds ``reduce_func(state, element)`` over the elements, from ``initial_state``."""
        return self._dataset.reduce(initial_state, reduce_func)

    def __repr__(self) -> str:
        return f"<tf.distribute.DistributedDataset element_spec={self.element_spec}>"

"""``tf.distribute.DistributedDataset`` and ``DistributedIterator``: a dataset as a strategy hands it out.

With one replica each element goes whole to that replica. With several, ``experimental_distribute_dataset``
splits every global batch along its first axis as TensorFlow does: each replica takes ``ceil(batch / n)``
elements in turn, so a batch of 7 over 3 replicas is split 3, 3, 1 and a batch of 2 is split 1, 1, 0; a
dataset made by ``distribute_datasets_from_function`` is already batched per replica, and consecutive elements
go to the replicas in turn. Either way an element is a ``PerReplica`` value (of each component).
"""

from __future__ import annotations

from typing import Any, Callable, Iterator

from ..framework import nest
from .values import PerReplica


def check_dataset(dataset: Any, what: str) -> None:
    from ..data import Dataset

    if not isinstance(dataset, Dataset):
        raise TypeError(f"{what} must be a tf.data.Dataset, received {type(dataset).__name__}: {dataset!r}")


def split_batch(element: Any, n: int) -> Any:
    """One global batch (a nest of tensors) as ``PerReplica`` parts: ``ceil(batch / n)`` rows per replica in
    turn, the last ones possibly fewer or none.

    Raises:
        ValueError: a component is a scalar, which has no batch axis to split.
    """
    leaves = nest.flatten(element)
    for leaf in leaves:
        if len(leaf.shape) == 0:
            raise ValueError(
                f"experimental_distribute_dataset splits each element along its batch axis over {n} replicas, "
                f"but a component is a scalar: {leaf!r}; batch the dataset first"
            )
    batch = int(leaves[0].shape[0])
    per = -(-batch // n)
    bounds = [(min(k * per, batch), min((k + 1) * per, batch)) for k in range(n)]
    parts = [nest.map_structure(lambda t, a=a, b=b: t[a:b], element) for a, b in bounds]
    return nest.map_structure(lambda *vs: PerReplica(vs), *parts)


def per_replica_spec(spec: Any, n: int, split_batches: bool) -> Any:
    """A distributed dataset's element spec from its dataset's: with several replicas each component's spec per
    replica (``PerReplicaSpec``); a split batch dimension known and divisible by ``n`` becomes the replica's."""
    if n == 1:
        return spec
    from ..framework.tensor_spec import TensorSpec
    from .values import PerReplicaSpec

    def one(s: Any) -> Any:
        if split_batches and isinstance(s, TensorSpec) and s.shape.rank:
            dims = s.shape.as_list()
            dims[0] = dims[0] // n if dims[0] is not None and dims[0] % n == 0 else None
            s = TensorSpec(dims, s.dtype, s.name)
        return PerReplicaSpec([s] * n)

    return nest.map_structure(one, spec)


class DistributedIterator:
    """An iterator over a ``DistributedDataset``: one element per step, for every replica."""

    def __init__(self, iterator: Any, num_replicas: int = 1, split_batches: bool = True) -> None:
        self._iterator = iterator
        self._n = num_replicas
        self._split = split_batches

    def __iter__(self) -> DistributedIterator:
        return self

    def _take(self, get: Callable[[], Any]) -> Any:
        if self._n == 1:
            return get()
        if self._split:
            return split_batch(get(), self._n)
        parts = [get() for _ in range(self._n)]
        return nest.map_structure(lambda *vs: PerReplica(vs), *parts)

    def __next__(self) -> Any:
        return self._take(lambda: next(self._iterator))

    def get_next(self) -> Any:
        """The next element; ``tf.errors.OutOfRangeError`` at the end."""
        return self._take(self._iterator.get_next)

    @property
    def element_spec(self) -> Any:
        """The spec of the elements (with several replicas, ``PerReplicaSpec`` values)."""
        return per_replica_spec(self._iterator.element_spec, self._n, self._split)

    def get_next_as_optional(self) -> Any:
        """The next element as a ``tf.experimental.Optional``-like value: ``has_value()`` False at the end."""
        from .. import errors

        try:
            return _Optional(True, self.get_next())
        except errors.OutOfRangeError:
            return _Optional(False, None)


class _Optional:
    """What ``get_next_as_optional`` returns: an element that may be absent."""

    def __init__(self, present: bool, value: Any) -> None:
        self._present = present
        self._value = value

    def has_value(self, name: Any = None) -> Any:
        from ..framework.ops import convert_to_tensor

        return convert_to_tensor(self._present)

    def get_value(self, name: Any = None) -> Any:
        """The element.

        Raises:
            tf.errors.InvalidArgumentError: there is none.
        """
        if not self._present:
            from .. import errors

            raise errors.InvalidArgumentError(None, None, "The optional does not have a value")
        return self._value


class DistributedDataset:
    """A dataset distributed over a strategy's replicas."""

    def __init__(self, dataset: Any, num_replicas: int = 1, split_batches: bool = True) -> None:
        self._dataset = dataset
        self._n = num_replicas
        self._split = split_batches

    def __iter__(self) -> Iterator[Any]:
        return DistributedIterator(iter(self._dataset), self._n, self._split)

    @property
    def element_spec(self) -> Any:
        """The spec of the elements (with several replicas, ``PerReplicaSpec`` values)."""
        return per_replica_spec(self._dataset.element_spec, self._n, self._split)

    @property
    def cardinality(self) -> int:
        """The underlying dataset's cardinality as a Python int (-1 infinite, -2 unknown), as TensorFlow gives it
        (for a dataset function's dataset too, whose elements go to the replicas in turn)."""
        return int(self._dataset.cardinality())

    def reduce(self, initial_state: Any, reduce_func: Callable) -> Any:
        """Folds ``reduce_func(state, element)`` over the distributed elements, from ``initial_state``."""
        if self._n == 1:
            return self._dataset.reduce(initial_state, reduce_func)
        state = initial_state
        for element in self:
            state = reduce_func(state, element)
        return state

    def __repr__(self) -> str:
        return f"<tf.distribute.DistributedDataset element_spec={self.element_spec}>"

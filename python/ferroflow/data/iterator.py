"""``tf.data.Iterator``: what ``iter(dataset)`` returns in eager code."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import OutOfRangeError
from . import structure


class OwnedIterator:
    """An iterator over a dataset's elements as ferroflow tensors; ``next`` raises ``StopIteration`` at the
    end and ``get_next`` raises ``tf.errors.OutOfRangeError``, as in TensorFlow."""

    def __init__(self, dataset: Any) -> None:
        self._dataset = dataset
        self._spec = dataset.element_spec
        self._it = dataset._iterator()
        self._position = 0  # elements read so far: the state a checkpoint saves

    def _checkpoint_children(self) -> dict:
        """What ``tf.train.Checkpoint`` saves for an iterator: its position, as TensorFlow saves its state."""
        return {"ITERATOR_STATE": _IteratorPosition(self)}

    def _seek(self, position: int) -> None:
        # Datasets are deterministic pipelines (seeded shuffles included): a fresh pass that skips `position`
        # elements continues where the saved iterator was.
        self._it = self._dataset._iterator()
        self._position = 0
        for _ in range(position):
            next(self._it)
            self._position += 1

    @property
    def element_spec(self) -> Any:
        return self._spec

    def __iter__(self) -> OwnedIterator:
        return self

    def __next__(self) -> Any:
        element = next(self._it)
        self._position += 1
        return structure.to_user(self._spec, element)

    def get_next(self) -> Any:
        """The next element; ``tf.errors.OutOfRangeError`` at the end of the sequence."""
        try:
            return next(self)
        except StopIteration:
            raise OutOfRangeError("End of sequence") from None

    def __repr__(self) -> str:
        return f"<OwnedIterator element_spec={self._spec}>"


class _IteratorPosition:
    """An iterator's position as a checkpoint value (an int64 scalar): read when saving, and restoring it
    moves the iterator there."""

    _checkpoint_value = True
    name = "ITERATOR_STATE"
    shape = ()

    def __init__(self, iterator: OwnedIterator) -> None:
        self._iterator = iterator

    @property
    def dtype(self) -> Any:
        from ..dtypes import int64

        return int64

    def numpy(self) -> Any:
        return np.int64(self._iterator._position)

    def assign(self, value: Any) -> None:
        self._iterator._seek(int(value))


Iterator = OwnedIterator

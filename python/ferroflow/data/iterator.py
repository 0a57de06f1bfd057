"""``tf.data.Iterator``: what ``iter(dataset)`` returns in eager code."""

from __future__ import annotations

from typing import Any

from ..errors import OutOfRangeError
from . import structure


class OwnedIterator:
    """An iterator over a dataset's elements as ferroflow tensors; ``next`` raises ``StopIteration`` at the
    end and ``get_next`` raises ``tf.errors.OutOfRangeError``, as in TensorFlow."""

    def __init__(self, dataset: Any) -> None:
        self._dataset = dataset
        self._spec = dataset.element_spec
        self._it = dataset._iterator()

    @property
    def element_spec(self) -> Any:
        return self._spec

    def __iter__(self) -> OwnedIterator:
        return self

    def __next__(self) -> Any:
        return structure.to_user(self._spec, next(self._it))

    def get_next(self) -> Any:
        """The next element; ``tf.errors.OutOfRangeError`` at the end of the sequence."""
        try:
            return next(self)
        except StopIteration:
            raise OutOfRangeError("End of sequence") from None

    def __repr__(self) -> str:
        return f"<OwnedIterator element_spec={self._spec}>"


Iterator = OwnedIterator

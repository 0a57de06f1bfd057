"""``TensorShape``: a tuple of dimensions where ``None`` marks a dimension known only at run time."""

from __future__ import annotations

from typing import Any, Iterable, Optional


class TensorShape(tuple):
    """A shape, as TensorFlow prints and compares it: ``TensorShape([None, 10]) == [None, 10]``."""

    def __new__(cls, dims: Optional[Iterable[Optional[int]]]) -> TensorShape:
        if dims is None:
            obj = super().__new__(cls, ())
            obj._unknown_rank = True
            return obj
        obj = super().__new__(cls, tuple(None if d is None else int(d) for d in dims))
        obj._unknown_rank = False
        return obj

    @property
    def rank(self) -> Optional[int]:
        return None if self._unknown_rank else len(self)

    ndims = rank

    @property
    def dims(self) -> Optional[list]:
        return None if self._unknown_rank else list(self)

    def as_list(self) -> list:
        if self._unknown_rank:
            raise ValueError("as_list() is not defined on an unknown TensorShape")
        return list(self)

    def is_fully_defined(self) -> bool:
        return not self._unknown_rank and all(d is not None for d in self)

    def num_elements(self) -> Optional[int]:
        if not self.is_fully_defined():
            return None
        n = 1
        for d in self:
            n *= d
        return n

    def is_compatible_with(self, other: Any) -> bool:
        """Whether some fully known shape matches both: equal ranks, and dimensions equal where both known."""
        other = as_shape(other)
        if self._unknown_rank or other._unknown_rank:
            return True
        return len(self) == len(other) and all(a is None or b is None or a == b for a, b in zip(self, other))

    def assert_is_compatible_with(self, other: Any) -> None:
        if not self.is_compatible_with(other):
            raise ValueError(f"Shapes {self} and {as_shape(other)} are incompatible")

    def merge_with(self, other: Any) -> TensorShape:
        """The shape with every dimension known in either (they must be compatible)."""
        other = as_shape(other)
        self.assert_is_compatible_with(other)
        if self._unknown_rank:
            return other
        if other._unknown_rank:
            return self
        return TensorShape([a if a is not None else b for a, b in zip(self, other)])

    def most_specific_compatible_shape(self, other: Any) -> TensorShape:
        """The most specific shape both are compatible with: differing dimensions become None."""
        other = as_shape(other)
        if self._unknown_rank or other._unknown_rank or len(self) != len(other):
            return TensorShape(None)
        return TensorShape([a if a == b else None for a, b in zip(self, other)])

    def concatenate(self, other: Any) -> TensorShape:
        other = as_shape(other)
        if self._unknown_rank or other._unknown_rank:
            return TensorShape(None)
        return TensorShape(list(self) + list(other))

    def with_rank(self, rank: int) -> TensorShape:
        if self._unknown_rank:
            return TensorShape([None] * rank)
        if len(self) != rank:
            raise ValueError(f"Shape {self} must have rank {rank}")
        return self

    def assert_has_rank(self, rank: int) -> None:
        self.with_rank(rank)

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, slice):
            return TensorShape(None) if self._unknown_rank else TensorShape(tuple(self)[key])
        if self._unknown_rank:
            return None
        return tuple.__getitem__(self, key)

    def __add__(self, other: Any) -> TensorShape:
        return self.concatenate(other)

    def __eq__(self, other: Any) -> bool:
        if isinstance(other, (list, tuple)):
            return tuple(self) == tuple(other)
        return NotImplemented

    def __ne__(self, other: Any) -> bool:
        eq = self.__eq__(other)
        return eq if eq is NotImplemented else not eq

    __hash__ = tuple.__hash__

    def __repr__(self) -> str:
        if self._unknown_rank:
            return "TensorShape(None)"
        return f"TensorShape({list(self)})"

    def __str__(self) -> str:
        if self._unknown_rank:
            return "<unknown>"
        inner = ", ".join("None" if d is None else str(d) for d in self)
        return f"({inner},)" if len(self) == 1 else f"({inner})"


def as_shape(shape: Any) -> TensorShape:
    """``shape`` as a ``TensorShape`` (lists, tuples and None become one)."""
    return shape if isinstance(shape, TensorShape) else TensorShape(shape)

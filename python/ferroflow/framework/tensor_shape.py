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

"""``TensorShape``: the dimensions of a tensor, where ``None`` marks a dimension (or a rank) known only at run time.

Not a tuple, as in TensorFlow: ``"%s" % shape`` formats the shape itself (``(15,)``), an unknown rank has no length
and cannot be iterated, and the empty shape of a scalar is truthy. It is still a sequence of ints and None
(``len``, indexing, iteration), which is what NumPy needs to take it as a shape (``np.zeros(shape)``).
"""

from __future__ import annotations

import operator
from typing import Any, Iterable, Iterator, List, Optional, Tuple


def _dimension_value(d: Any) -> Optional[int]:
    """One dimension as an int or None, with TensorFlow's errors: TypeError unless an integer, ValueError if < 0."""
    if d is None:
        return None
    value = getattr(d, "value", d) if type(d).__name__ == "Dimension" else d
    if value is None:
        return None
    try:
        value = operator.index(value)
    except (TypeError, AttributeError):  # a float or bool tensor's NumPy value has no __index__
        raise TypeError(
            f"Dimension value must be integer or None or have an __index__ method, got value '{value!r}' "
            f"with type '{type(value)!r}'"
        ) from None
    if value < 0:
        raise ValueError(f"Dimension {value} must be >= 0")
    return int(value)


def _dims_of(dims: Any) -> Optional[Tuple[Optional[int], ...]]:
    if dims is None:
        return None
    if isinstance(dims, TensorShape):
        return dims._dims
    if isinstance(dims, (list, tuple)):
        return tuple(_dimension_value(d) for d in dims)
    try:
        items = iter(dims)
    except TypeError:
        return (_dimension_value(dims),)
    out = []
    for d in items:
        try:
            out.append(_dimension_value(d))
        except TypeError as e:
            raise TypeError(
                f"Failed to convert '{dims!r}' to a shape: '{d!r}'could not be converted to a dimension. A shape "
                "should either be single dimension (e.g. 10), or an iterable of dimensions (e.g. [1, 10, None])."
            ) from e
    return tuple(out)


class TensorShape:
    """A shape, as TensorFlow prints and compares it: ``TensorShape([None, 10]) == [None, 10]``."""

    __slots__ = ("_dims",)

    def __init__(self, dims: Optional[Iterable[Optional[int]]]) -> None:
        self._dims = _dims_of(dims)

    @property
    def rank(self) -> Optional[int]:
        return None if self._dims is None else len(self._dims)

    @property
    def ndims(self) -> Optional[int]:
        return self.rank

    @property
    def dims(self) -> Optional[list]:
        """The dimensions as ``tf.compat.v1.Dimension`` objects (None for an unknown rank), as TensorFlow gives them."""
        if self._dims is None:
            return None
        from ..compat.v1.dimension import Dimension

        return [Dimension(d) for d in self._dims]

    @property
    def _dim_list(self) -> Optional[List[Optional[int]]]:
        """The dimensions as ints and None (None for an unknown rank): what graph attributes take."""
        return None if self._dims is None else list(self._dims)

    def as_list(self) -> List[Optional[int]]:
        if self._dims is None:
            raise ValueError("as_list() is not defined on an unknown TensorShape.")
        return list(self._dims)

    def is_fully_defined(self) -> bool:
        return self._dims is not None and all(d is not None for d in self._dims)

    def assert_is_fully_defined(self) -> None:
        if not self.is_fully_defined():
            raise ValueError(f"Shape {self} is not fully defined")

    def num_elements(self) -> Optional[int]:
        if not self.is_fully_defined():
            return None
        n = 1
        for d in self._dims:
            n *= d
        return n

    def is_compatible_with(self, other: Any) -> bool:
        """Whether some fully known shape matches both: equal ranks, and dimensions equal where both known."""
        other = as_shape(other)
        if self._dims is None or other._dims is None:
            return True
        return len(self._dims) == len(other._dims) and all(
            a is None or b is None or a == b for a, b in zip(self._dims, other._dims)
        )

    def assert_is_compatible_with(self, other: Any) -> None:
        if not self.is_compatible_with(other):
            raise ValueError(f"Shapes {self} and {other} are incompatible")

    def merge_with(self, other: Any) -> TensorShape:
        """The shape with every dimension known in either (they must be compatible)."""
        other = as_shape(other)
        if self._dims is None:
            return other
        if other._dims is None:
            return self
        if not self.is_compatible_with(other):
            raise ValueError(f"Shapes {self} and {other} are not compatible")
        return TensorShape([a if a is not None else b for a, b in zip(self._dims, other._dims)])

    def most_specific_compatible_shape(self, other: Any) -> TensorShape:
        """The most specific shape both are compatible with: differing dimensions become None."""
        other = as_shape(other)
        if self._dims is None or other._dims is None or len(self._dims) != len(other._dims):
            return TensorShape(None)
        return TensorShape([a if a == b else None for a, b in zip(self._dims, other._dims)])

    def concatenate(self, other: Any) -> TensorShape:
        other = as_shape(other)
        if self._dims is None or other._dims is None:
            return TensorShape(None)
        return TensorShape(self._dims + other._dims)

    def assert_same_rank(self, other: Any) -> None:
        other = as_shape(other)
        if self.rank is not None and other.rank is not None and self.rank != other.rank:
            raise ValueError(f"Shapes {self} and {other} must have the same rank")

    def with_rank(self, rank: int) -> TensorShape:
        if self._dims is None:
            return TensorShape([None] * rank)
        if len(self._dims) != rank:
            raise ValueError(f"Shape {self} must have rank {rank}")
        return self

    def with_rank_at_least(self, rank: int) -> TensorShape:
        if self._dims is not None and len(self._dims) < rank:
            raise ValueError(f"Shape {self} must have rank at least {rank}")
        return self

    def with_rank_at_most(self, rank: int) -> TensorShape:
        if self._dims is not None and len(self._dims) > rank:
            raise ValueError(f"Shape {self} must have rank at most {rank}")
        return self

    def assert_has_rank(self, rank: int) -> None:
        self.with_rank(rank)

    def __len__(self) -> int:
        if self._dims is None:
            raise ValueError("Cannot take the length of shape with unknown rank.")
        return len(self._dims)

    def __bool__(self) -> bool:
        """True unless the rank is unknown: the shape ``()`` of a scalar is truthy."""
        return self._dims is not None

    def __iter__(self) -> Iterator[Optional[int]]:
        if self._dims is None:
            raise ValueError("Cannot iterate over a shape with unknown rank.")
        return iter(self._dims)

    def __getitem__(self, key: Any) -> Any:
        if self._dims is not None:
            if isinstance(key, slice):
                return TensorShape(self._dims[key])
            return self._dims[key]
        if not isinstance(key, slice):
            return None
        if key.step is not None:
            raise ValueError("Steps are not yet handled")
        start = 0 if key.start is None else key.start
        if key.stop is None or start < 0 or key.stop < 0:
            return TensorShape(None)
        return TensorShape([None] * (key.stop - start))

    def __add__(self, other: Any) -> TensorShape:
        return self.concatenate(other)

    def __radd__(self, other: Any) -> TensorShape:
        return as_shape(other).concatenate(self)

    def __eq__(self, other: Any) -> bool:
        try:
            other = as_shape(other)
        except TypeError:
            return NotImplemented
        return self._dims == other._dims

    def __hash__(self) -> int:
        """The hash of the dimensions' tuple, so a shape finds the entry of an equal tuple in a dict."""
        return hash(self._dims)

    def __reduce__(self) -> tuple:
        return TensorShape, (None if self._dims is None else list(self._dims),)

    def __repr__(self) -> str:
        if self._dims is None:
            return "TensorShape(None)"
        return f"TensorShape({list(self._dims)})"

    def __str__(self) -> str:
        if self._dims is None:
            return "<unknown>"
        if len(self._dims) == 1:
            return f"({self._dims[0]},)"
        return "(" + ", ".join(str(d) for d in self._dims) + ")"


def as_shape(shape: Any) -> TensorShape:
    """``shape`` as a ``TensorShape`` (lists, tuples and None become one)."""
    return shape if isinstance(shape, TensorShape) else TensorShape(shape)

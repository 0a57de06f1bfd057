"""``tf.compat.v1.Dimension``: one dimension of a shape, an int or unknown (None)."""

from __future__ import annotations

from typing import Any, Optional


class Dimension:
    """TensorFlow 1's dimension: arithmetic with an unknown dimension gives an unknown dimension, and
    comparisons with one give None."""

    def __init__(self, value: Any) -> None:
        if isinstance(value, Dimension):
            value = value.value
        if value is not None:
            if isinstance(value, bool) or int(value) != value or int(value) < 0:
                raise ValueError(f"Dimension value must be a non-negative integer or None, received {value!r}")
            value = int(value)
        self._value: Optional[int] = value

    @property
    def value(self) -> Optional[int]:
        return self._value

    def is_compatible_with(self, other: Any) -> bool:
        other = as_dimension(other)
        return self._value is None or other._value is None or self._value == other._value

    def assert_is_compatible_with(self, other: Any) -> None:
        if not self.is_compatible_with(other):
            raise ValueError(f"Dimensions {self} and {as_dimension(other)} are not compatible")

    def merge_with(self, other: Any) -> Dimension:
        other = as_dimension(other)
        self.assert_is_compatible_with(other)
        return Dimension(self._value if self._value is not None else other._value)

    def _combine(self, other: Any, fn: Any) -> Dimension:
        other = as_dimension(other)
        if self._value is None or other._value is None:
            return Dimension(None)
        return Dimension(fn(self._value, other._value))

    def __add__(self, other: Any) -> Dimension:
        return self._combine(other, lambda a, b: a + b)

    __radd__ = __add__

    def __sub__(self, other: Any) -> Dimension:
        return self._combine(other, lambda a, b: a - b)

    def __rsub__(self, other: Any) -> Dimension:
        return as_dimension(other) - self

    def __mul__(self, other: Any) -> Dimension:
        return self._combine(other, lambda a, b: a * b)

    __rmul__ = __mul__

    def __floordiv__(self, other: Any) -> Dimension:
        return self._combine(other, lambda a, b: a // b)

    def __mod__(self, other: Any) -> Dimension:
        return self._combine(other, lambda a, b: a % b)

    def _compare(self, other: Any, fn: Any) -> Optional[bool]:
        try:
            other = as_dimension(other)
        except (TypeError, ValueError):
            return None
        if self._value is None or other._value is None:
            return None
        return fn(self._value, other._value)

    def __eq__(self, other: Any) -> Optional[bool]:  # type: ignore[override]
        return self._compare(other, lambda a, b: a == b)

    def __ne__(self, other: Any) -> Optional[bool]:  # type: ignore[override]
        result = self._compare(other, lambda a, b: a == b)
        return None if result is None else not result

    def __lt__(self, other: Any) -> Optional[bool]:
        return self._compare(other, lambda a, b: a < b)

    def __le__(self, other: Any) -> Optional[bool]:
        return self._compare(other, lambda a, b: a <= b)

    def __gt__(self, other: Any) -> Optional[bool]:
        return self._compare(other, lambda a, b: a > b)

    def __ge__(self, other: Any) -> Optional[bool]:
        return self._compare(other, lambda a, b: a >= b)

    def __int__(self) -> int:
        if self._value is None:
            raise TypeError("cannot convert an unknown Dimension to an int")
        return self._value

    __index__ = __int__

    def __hash__(self) -> int:
        return hash(self._value)

    def __repr__(self) -> str:
        return f"Dimension({self._value!r})"

    def __str__(self) -> str:
        return "?" if self._value is None else str(self._value)


def as_dimension(value: Any) -> Dimension:
    return value if isinstance(value, Dimension) else Dimension(value)


def dimension_value(dimension: Any) -> Optional[int]:
    """The int (or None) of a dimension given as a ``Dimension``, an int or None."""
    return dimension.value if isinstance(dimension, Dimension) else dimension

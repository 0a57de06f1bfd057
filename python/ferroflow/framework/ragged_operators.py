"""The Python operators of ``RaggedTensor`` (``+``, ``*``, ``<``, ``-x`` ...), applied to its flat values."""

from __future__ import annotations

from typing import Any


class RaggedOperators:
    """Arithmetic, comparison and logical operators for ``RaggedTensor`` (see ``ragged_ops.elementwise_binary``
    for how a ragged operand combines with scalars, ragged and dense tensors)."""

    def _binary(self, other: Any, op: str, reverse: bool = False) -> Any:
        from ..ops.ragged_ops import elementwise_binary

        return elementwise_binary(op, other, self) if reverse else elementwise_binary(op, self, other)

    def __add__(self, o: Any) -> Any:
        return self._binary(o, "add")

    def __radd__(self, o: Any) -> Any:
        return self._binary(o, "add", True)

    def __sub__(self, o: Any) -> Any:
        return self._binary(o, "subtract")

    def __rsub__(self, o: Any) -> Any:
        return self._binary(o, "subtract", True)

    def __mul__(self, o: Any) -> Any:
        return self._binary(o, "multiply")

    def __rmul__(self, o: Any) -> Any:
        return self._binary(o, "multiply", True)

    def __truediv__(self, o: Any) -> Any:
        return self._binary(o, "truediv")

    def __rtruediv__(self, o: Any) -> Any:
        return self._binary(o, "truediv", True)

    def __floordiv__(self, o: Any) -> Any:
        return self._binary(o, "floordiv")

    def __mod__(self, o: Any) -> Any:
        return self._binary(o, "floormod")

    def __pow__(self, o: Any) -> Any:
        return self._binary(o, "pow")

    def __lt__(self, o: Any) -> Any:
        return self._binary(o, "less")

    def __le__(self, o: Any) -> Any:
        return self._binary(o, "less_equal")

    def __gt__(self, o: Any) -> Any:
        return self._binary(o, "greater")

    def __ge__(self, o: Any) -> Any:
        return self._binary(o, "greater_equal")

    def __and__(self, o: Any) -> Any:
        return self._binary(o, "logical_and")

    def __or__(self, o: Any) -> Any:
        return self._binary(o, "logical_or")

    def __neg__(self) -> Any:
        return self.with_flat_values(-self.flat_values)

    def __abs__(self) -> Any:
        from ..ops.math_ops import abs as tf_abs

        return self.with_flat_values(tf_abs(self.flat_values))

    def __invert__(self) -> Any:
        from ..ops.math_ops import logical_not

        return self.with_flat_values(logical_not(self.flat_values))

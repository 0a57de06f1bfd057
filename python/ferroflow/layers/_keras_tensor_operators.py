"""Python operators on ``KerasTensor``: each records the ``keras.ops`` operation Keras 3 records for it.

``x + y`` is ``keras.ops.add(x, y)`` (an ``Add`` node), ``x / y`` ``true_divide``, ``x[:, 0]`` ``get_item``,
``x != y`` ``not_equal``, ``x & y`` ``logical_and`` ... with Keras's dtype promotion (``int32 + 1.5`` is
float32). As in Keras 3 there is no ``==`` (KerasTensors compare and hash by identity), no unary ``+``, no
shifts and no ``.T``.
"""

from __future__ import annotations

from typing import Any

from ..framework.ops import convert_to_tensor


def get_item(x: Any, key: Any) -> Any:
    """``x[key]``; a key read back from a JSON config comes as a list and means the tuple it was."""
    if isinstance(key, list):
        key = tuple(key)
    return convert_to_tensor(x)[key]


def _op(name: str, *args: Any) -> Any:
    from ..keras import ops
    from ._keras_operation import symbolic_op

    fn = get_item if name == "get_item" else getattr(ops, name)
    return symbolic_op(name, fn, args, {})


def _binary(name: str) -> tuple:
    def forward(self: Any, other: Any) -> Any:
        return _op(name, self, other)

    def reflected(self: Any, other: Any) -> Any:
        return _op(name, other, self)

    forward.__name__ = reflected.__name__ = name
    return forward, reflected


class KerasTensorOperators:
    """The operator methods of ``KerasTensor``."""

    # NumPy arrays on the left defer to the reflected methods here (``W @ x``, ``np.ones(3) * x``).
    __array_ufunc__ = None

    __add__, __radd__ = _binary("add")
    __sub__, __rsub__ = _binary("subtract")
    __mul__, __rmul__ = _binary("multiply")
    __truediv__, __rtruediv__ = _binary("true_divide")
    __floordiv__, __rfloordiv__ = _binary("floor_divide")
    __mod__, __rmod__ = _binary("mod")
    __pow__, __rpow__ = _binary("power")
    __matmul__, __rmatmul__ = _binary("matmul")
    __and__, __rand__ = _binary("logical_and")
    __or__, __ror__ = _binary("logical_or")
    __xor__, __rxor__ = _binary("logical_xor")

    def __neg__(self) -> Any:
        return _op("negative", self)

    def __abs__(self) -> Any:
        return _op("absolute", self)

    def __invert__(self) -> Any:
        return _op("logical_not", self)

    def __lt__(self, other: Any) -> Any:
        return _op("less", self, other)

    def __le__(self, other: Any) -> Any:
        return _op("less_equal", self, other)

    def __gt__(self, other: Any) -> Any:
        return _op("greater", self, other)

    def __ge__(self, other: Any) -> Any:
        return _op("greater_equal", self, other)

    def __ne__(self, other: Any) -> Any:  # type: ignore[override]
        return _op("not_equal", self, other)

    def __getitem__(self, key: Any) -> Any:
        return _op("get_item", self, key)

    def reshape(self, newshape: Any) -> Any:
        """``keras.ops.reshape(self, newshape)``."""
        return _op("reshape", self, newshape)

    def squeeze(self, axis: Any = None) -> Any:
        """``keras.ops.squeeze(self, axis)``."""
        from ..keras import ops
        from ._keras_operation import symbolic_op

        return symbolic_op("squeeze", ops.squeeze, (self,), {"axis": axis})

"""``Tensor`` (the common base with Python operators) and ``EagerTensor`` (a tensor with a value)."""

from __future__ import annotations

from typing import Any

import numpy as np

from . import object_reference
from .dtypes import as_dtype
from .tensor_shape import TensorShape

# ``tf.compat.v1.disable_tensor_equality()`` clears it: ``==`` then compares identity, as in TensorFlow 1.
TENSOR_EQUALITY = [True]


def elementwise_equality() -> bool:
    """Whether ``==`` on tensors and variables compares elementwise: as TensorFlow 2 does when executing eagerly
    outside functions (eagerly, or tracing a ``tf.function``), not while building a TF1 graph, where it
    compares identity (so ``variable in list`` and tensors as dict keys work as in TF1)."""
    if not TENSOR_EQUALITY[0]:
        return False
    from . import context

    graph = context.current_graph()
    return graph is None or bool(getattr(graph, "is_function", False))


_OPS_MODULE: list = []  # framework.ops once imported (it imports this module, so not at import time)


def _ops():
    if _OPS_MODULE:
        return _OPS_MODULE[0]
    from . import ops

    _OPS_MODULE.append(ops)
    return ops


def _binary(name: str, reverse: bool = False, op_name: Any = None):
    """A binary operator; in a graph its node is named ``op_name`` when given (TensorFlow names ``x + y`` "add",
    ``x * y`` "mul", but ``x < y`` by its op type, "Less")."""

    def method(self: Tensor, other: Any) -> Tensor:
        ops = _OPS_MODULE[0] if _OPS_MODULE else _ops()
        try:
            a, b = ops.binary_operands(self, other)
        except TypeError:
            return NotImplemented
        if reverse:
            a, b = b, a
        return ops.apply(name, [a, b], op_name=op_name)

    method.__name__ = f"__{'r' if reverse else ''}{name}__"
    return method


def _logical(kind: str, reverse: bool = False):
    """``&``, ``|`` or ``^``: logical on bool tensors, bitwise on integer ones (ops/bitwise_operators.py)."""

    def method(self: Tensor, other: Any) -> Tensor:
        try:
            a, b = _ops().binary_operands(self, other)
        except TypeError:
            return NotImplemented
        from ..ops import bitwise_operators

        return bitwise_operators.binary(kind, *((b, a) if reverse else (a, b)))

    method.__name__ = f"__{'r' if reverse else ''}{kind}__"
    return method


class Tensor:
    """A multidimensional array in the dataflow: eager (with a value) or symbolic (a graph node)."""

    # ``_keras_mask``: the boolean mask a Keras layer attached (layers/masking_support.py); unset means none.
    __slots__ = ("_keras_mask",)
    __array_priority__ = 100  # so `ndarray + Tensor` defers to Tensor.__radd__

    ref = object_reference.ref  # a hashable identity reference (tensors compare elementwise)
    experimental_ref = object_reference.experimental_ref

    __add__ = _binary("add", op_name="add")
    __radd__ = _binary("add", True, "add")
    __sub__ = _binary("sub", op_name="sub")
    __rsub__ = _binary("sub", True, "sub")
    __mul__ = _binary("mul", op_name="mul")
    __rmul__ = _binary("mul", True, "mul")
    __floordiv__ = _binary("floordiv", op_name="floordiv")
    __rfloordiv__ = _binary("floordiv", True, "floordiv")
    __mod__ = _binary("mod", op_name="mod")
    __rmod__ = _binary("mod", True, "mod")
    __pow__ = _binary("pow", op_name="pow")
    __rpow__ = _binary("pow", True, "pow")
    __lt__ = _binary("less")
    __le__ = _binary("less_equal")
    __gt__ = _binary("greater")
    __ge__ = _binary("greater_equal")
    __and__ = _logical("and")
    __rand__ = _logical("and", True)
    __or__ = _logical("or")
    __ror__ = _logical("or", True)
    __xor__ = _logical("xor")
    __rxor__ = _logical("xor", True)

    def __truediv__(self, other: Any) -> Tensor:
        return _ops().truediv(self, other, "truediv")

    def __rtruediv__(self, other: Any) -> Tensor:
        return _ops().truediv(other, self, "truediv")

    def __matmul__(self, other: Any) -> Tensor:
        return _ops().apply("matmul", [self, other], op_name="matmul")

    def __rmatmul__(self, other: Any) -> Tensor:
        return _ops().apply("matmul", [other, self], op_name="matmul")

    def __neg__(self) -> Tensor:
        return _ops().apply("neg", [self])

    def __abs__(self) -> Tensor:
        return _ops().apply("abs", [self])

    def __invert__(self) -> Tensor:
        from ..ops import bitwise_operators

        return bitwise_operators.invert(self)

    def __pos__(self) -> Tensor:
        return self

    def __eq__(self, other: Any) -> Any:  # elementwise, as in TensorFlow 2
        if not elementwise_equality():
            return self is other
        ops = _ops()
        try:
            a, b = ops.binary_operands(self, other)
        except (TypeError, ValueError):
            return False
        return ops.apply("equal", [a, b])

    def __ne__(self, other: Any) -> Any:
        if not elementwise_equality():
            return self is not other
        ops = _ops()
        try:
            a, b = ops.binary_operands(self, other)
        except (TypeError, ValueError):
            return True
        return ops.apply("not_equal", [a, b])

    __hash__ = object.__hash__

    def __getitem__(self, key: Any) -> Tensor:
        return _ops().getitem(self, key)

    @property
    def ndim(self) -> int:
        return self.shape.rank  # type: ignore[attr-defined]

    def get_shape(self) -> TensorShape:
        return self.shape  # type: ignore[attr-defined]

    def __iter__(self):
        n = len(self)
        for i in range(n):
            yield self[i]


class EagerTensor(Tensor):
    """A tensor with a concrete value, computed as soon as the op that made it ran."""

    __slots__ = ("_t",)

    def __init__(self, core_tensor: Any) -> None:
        self._t = core_tensor

    @property
    def shape(self) -> TensorShape:
        return TensorShape(self._t.shape)

    @property
    def dtype(self):
        return as_dtype(self._t.dtype)

    @property
    def name(self) -> str:
        raise AttributeError("Tensor.name is meaningless when eager execution is enabled.")

    @property
    def device(self) -> str:
        return "/job:localhost/replica:0/task:0/device:CPU:0"

    @property
    def backing_device(self) -> str:
        return self.device

    def set_shape(self, shape: Any) -> None:
        """Checks that ``shape`` is compatible with this tensor's shape (eager shapes are always known)."""
        if not self.shape.is_compatible_with(shape):
            raise ValueError(f"Tensor's shape {self.shape} is not compatible with supplied shape {TensorShape(shape)}")

    def numpy(self) -> Any:
        a = self._t.numpy()
        return a[()] if a.ndim == 0 else a  # a NumPy scalar for a 0-d tensor, as in TensorFlow

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        a = self._t.numpy()
        return a if dtype is None else a.astype(dtype)

    def __len__(self) -> int:
        s = self._t.shape
        if not s:
            raise TypeError("len() of a 0-d tensor")
        return s[0]

    def __float__(self) -> float:
        return float(self._scalar())

    def __int__(self) -> int:
        return int(self._scalar())

    def __index__(self) -> int:
        # TensorFlow's EagerTensor.__index__ is its NumPy value's: a bool or float scalar has none
        # (AttributeError, which protobuf's Int64List reports), a non-scalar array a TypeError.
        a = self._t.numpy()
        return (a[()] if a.ndim == 0 else a).__index__()

    def __bool__(self) -> bool:
        return bool(self._scalar())

    def _scalar(self) -> Any:
        a = self._t.numpy()
        if a.size != 1:
            raise ValueError(
                f"only a tensor with one element can be converted to a Python scalar, received shape {tuple(a.shape)}"
            )
        return a.reshape(()).item()

    def __format__(self, spec: str) -> str:
        # As TensorFlow: the NumPy value's format, so f"{t}" shows the values and f"{t:.3f}" works on scalars.
        return format(self.numpy(), spec)

    def __repr__(self) -> str:
        return f"<tf.Tensor: shape={self.shape}, dtype={self.dtype.name}, numpy={numpy_text(self.numpy(), True)}>"

    def __str__(self) -> str:
        return f"tf.Tensor({numpy_text(self.numpy())}, shape={self.shape}, dtype={self.dtype.name})"


def numpy_text(value: np.ndarray, is_repr: bool = False) -> str:
    """A value as TensorFlow shows it inside a tensor's text: a scalar as ``5.0``, an array by NumPy's
    ``repr`` or ``str``, starting on a new line when it spans several."""
    if np.ndim(value) == 0:
        scalar = value[()] if isinstance(value, np.ndarray) else value
        # TensorFlow's repr shows a scalar as the Python number (27.299999237060547), its str as NumPy's (27.3).
        return repr(scalar.item()) if is_repr and isinstance(scalar, np.generic) else str(scalar)
    text = repr(value) if is_repr else str(value)
    return "\n" + text if "\n" in text else text

"""The two operands of a binary op as tensors, Python numbers taking the tensor operand's dtype.

``binary_operands`` runs for every Tensor operator, so two eager tensors and an eager tensor with a Python
float or int are answered first, without the general checks."""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from .. import _core
from .dtypes import DType
from .tensor import EagerTensor, Tensor
from .tensor_conversion import convert_to_tensor


def binary_operands(a: Any, b: Any) -> tuple:
    """Converts two operands of a binary op, giving Python numbers the dtype of the tensor operand."""
    if NUMPY_PROMOTION[0] is None:  # the common cases, answered before the general checks
        ta, tb = type(a), type(b)
        if ta is EagerTensor:
            if tb is EagerTensor:
                return a, b
            if tb is float or tb is int:
                scalar = _scalar_like(b, a._t.dtype)
                if scalar is not None:
                    return a, scalar
        elif tb is EagerTensor and (ta is float or ta is int):
            scalar = _scalar_like(a, b._t.dtype)
            if scalar is not None:
                return scalar, b
    from .variables import Variable

    def is_tensorish(x: Any) -> bool:
        return isinstance(x, (Tensor, Variable))

    if is_tensorish(a) and not is_tensorish(b):
        b = convert_to_tensor(b, dtype=_dtype_of(a)) if _is_python_number(b) else convert_to_tensor(b)
    elif is_tensorish(b) and not is_tensorish(a):
        a = convert_to_tensor(a, dtype=_dtype_of(b)) if _is_python_number(a) else convert_to_tensor(a)
    elif not is_tensorish(a) and not is_tensorish(b):
        # Neither is a tensor (tf.maximum(0., [1, -1])): the first sets the dtype, as TensorFlow's op
        # conversion does, and Python numbers in the second follow it.
        a = convert_to_tensor(a)
        b = convert_to_tensor(b, dtype=a.dtype) if _is_python_number(b) else convert_to_tensor(b)
    if NUMPY_PROMOTION[0] is not None:
        return NUMPY_PROMOTION[0](a, b)
    return a, b


_FLOAT_SCALAR_DTYPES = {"float32": np.float32, "float64": np.float64, "float16": np.float16}
_FLOAT_MAX = {name: float(np.finfo(t).max) for name, t in _FLOAT_SCALAR_DTYPES.items()}
_INT_SCALAR_DTYPES = {"int32": (np.int32, -(2**31), 2**31 - 1), "int64": (np.int64, -(2**63), 2**63 - 1)}


def _scalar_like(value: Any, core_dtype: str) -> Optional[Tensor]:
    """A Python float or int as a scalar tensor of a float or int32/int64 tensor's dtype, as
    ``convert_to_tensor(value, dtype=...)`` makes it; None for the cases that need its checks (a float for an
    integer dtype, an int out of range, other dtypes)."""
    np_dtype = _FLOAT_SCALAR_DTYPES.get(core_dtype)
    if np_dtype is None:
        spec = _INT_SCALAR_DTYPES.get(core_dtype)
        if spec is None or type(value) is not int or not spec[1] <= value <= spec[2]:
            return None
        np_dtype = spec[0]
    elif type(value) is float and abs(value) > _FLOAT_MAX[core_dtype]:
        with np.errstate(over="ignore"):  # inf, as in TensorFlow, without NumPy's overflow warning
            return EagerTensor(_core.Tensor.from_numpy(np.asarray(value, dtype=np_dtype)))
    return EagerTensor(_core.Tensor.from_numpy(np.asarray(np.asarray(value), dtype=np_dtype, order="C")))


# ``tf.experimental.numpy.experimental_enable_numpy_behavior()`` sets it: mixed dtypes in binary operators are
# then cast to NumPy's result type.
NUMPY_PROMOTION: list = [None]


def _dtype_of(x: Any) -> DType:
    return x.dtype


def _is_python_number(x: Any) -> bool:
    return isinstance(x, (int, float, complex, bool, np.number, np.bool_)) or (
        isinstance(x, (list, tuple)) and len(x) > 0 and all(_is_python_number(v) for v in x)
    )

"""The ``tf.experimental.numpy`` functions whose dtypes follow NumPy's defaults rather than TensorFlow's:
creation functions give float64 (``ones``, ``zeros``) or int64 (``arange`` over integers), and float
functions of integer input compute in float64 (``tnp.sqrt(32)`` is a float64 tensor, as ``np.sqrt(32)``)."""

from __future__ import annotations

from typing import Any

import numpy as _np

from ..framework.dtypes import as_dtype as _as_dtype
from ..framework.ops import convert_to_tensor as _convert
from ..keras import ops as _ops
from ..ops import array_ops as _array_ops


def _numpy_dtype(dtype: Any, default: str) -> Any:
    return _as_dtype(default if dtype is None else dtype)


def ones(shape: Any, dtype: Any = None) -> Any:
    """A tensor of ones, float64 unless ``dtype`` says otherwise (NumPy's default)."""
    return _array_ops.ones(shape, dtype=_numpy_dtype(dtype, "float64"))


def zeros(shape: Any, dtype: Any = None) -> Any:
    """A tensor of zeros, float64 unless ``dtype`` says otherwise (NumPy's default)."""
    return _array_ops.zeros(shape, dtype=_numpy_dtype(dtype, "float64"))


def full(shape: Any, fill_value: Any, dtype: Any = None) -> Any:
    """A tensor of ``fill_value``, of its NumPy dtype unless ``dtype`` says otherwise."""
    dtype = _as_dtype(_np.asarray(fill_value).dtype if dtype is None else dtype)
    return _array_ops.fill(list(shape) if not isinstance(shape, int) else [shape], _convert(fill_value, dtype=dtype))


def arange(start: Any, stop: Any = None, step: Any = 1, dtype: Any = None) -> Any:
    """``start, start + step, ...`` below ``stop``; its dtype is NumPy's for the bounds (int64 for integers)."""
    if stop is None:
        start, stop = 0, start
    if dtype is None:
        dtype = _np.result_type(*(_np.asarray(v).dtype for v in (start, stop, step)))
    return _array_ops.range(start, stop, step, dtype=_as_dtype(dtype))


def copy(a: Any) -> Any:
    """A copy of ``a`` as a tensor (on the current device)."""
    return _array_ops.identity(_convert(a))


def _float_function(name: str):
    op = getattr(_ops, name)

    def function(x: Any) -> Any:
        x = x if hasattr(x, "dtype") and not isinstance(x, _np.ndarray) else _convert(_np.asarray(x))
        if x.dtype.is_integer or x.dtype.is_bool:
            x = _array_ops.cast(x, "float64")
        return op(x)

    function.__name__ = name
    function.__doc__ = f"``{name}`` elementwise; integer input computes in float64, as NumPy does."
    return function


_FLOAT_FUNCTIONS = ("sqrt", "exp", "log", "log1p", "expm1", "sin", "cos", "tan", "tanh")
for _name in _FLOAT_FUNCTIONS:
    globals()[_name] = _float_function(_name)

__all__ = ["ones", "zeros", "full", "arange", "copy", *_FLOAT_FUNCTIONS]

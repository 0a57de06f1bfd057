"""``keras.ops``'s array-creation functions with NumPy's names and Keras 3's default dtypes (``arange``,
``linspace``, ``full``, ``full_like``, ``zeros``, ``ones``)."""

from __future__ import annotations

import builtins
from typing import Any

from ..framework.dtypes import as_dtype
from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor
from ..ops import array_ops as _array
from ..ops import construction_ops as _construct

__all__ = ["arange", "full", "full_like", "linspace", "ones", "zeros"]


def arange(start: Any, stop: Any = None, step: Any = 1, dtype: Any = None) -> Tensor:
    """``np.arange``: int32 for integer bounds, float32 otherwise, unless ``dtype`` says."""
    return _array.range(start, stop, step, dtype=dtype)


def linspace(start: Any, stop: Any, num: int = 50, endpoint: bool = True, dtype: Any = None, axis: int = 0) -> Tensor:
    """``np.linspace`` (``endpoint=False`` leaves ``stop`` out); float32 unless ``dtype`` says."""
    d = as_dtype(dtype or "float32")
    start_t = _array.cast(convert_to_tensor(start), d)
    stop_t = _array.cast(convert_to_tensor(stop), d)
    if endpoint:
        return _construct.linspace(start_t, stop_t, num, axis=axis)
    full = _construct.linspace(start_t, stop_t, int(num) + 1, axis=axis)
    rank = builtins.max(len(full.shape), 1)
    specs = [("range", None, None, 1)] * rank
    specs[axis % rank] = ("range", 0, int(num), 1)
    from ..framework.ops import apply

    return apply("strided_slice", [full], {"specs": specs})


def full(shape: Any, fill_value: Any, dtype: Any = None) -> Tensor:
    value = convert_to_tensor(fill_value, dtype=dtype) if dtype is not None else convert_to_tensor(fill_value)
    return _array.fill(shape, value)


def full_like(x: Any, fill_value: Any, dtype: Any = None) -> Tensor:
    t = convert_to_tensor(x)
    return _array.fill(list(t.shape), convert_to_tensor(fill_value, dtype=dtype or t.dtype))


def zeros(shape: Any, dtype: Any = "float32") -> Tensor:
    return _array.zeros(shape, dtype=dtype)


def ones(shape: Any, dtype: Any = "float32") -> Tensor:
    return _array.ones(shape, dtype=dtype)

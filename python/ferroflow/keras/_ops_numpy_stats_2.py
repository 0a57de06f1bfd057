"""``keras.ops``'s nan-ignoring reductions and scans (``nansum``, ``nanmean``, ``nanvar``, ``nanargmax`` ...), with
Keras 3's result dtypes (integer inputs reduce as Keras's TensorFlow backend does)."""

from __future__ import annotations

from typing import Any, Optional

from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor
from ..ops import array_ops as _array
from ..ops import math_ops as _math
from ._dtype_promotion import result_type as _result_type
from ._ops_numpy_arrays_common import tf_module as _tf


def _is_nan(t: Tensor) -> Tensor:
    return _tf().math.is_nan(t) if t.dtype.is_floating else _array.zeros_like(t, dtype="bool")


def _replace_nan(t: Tensor, value: float) -> Tensor:
    return _tf().where(_is_nan(t), convert_to_tensor(value, dtype=t.dtype), t)


def _sum_dtype(name: str) -> str:
    """The dtype Keras sums and multiplies small integers in (and bools)."""
    return {"bool": "int32", "int8": "int32", "int16": "int32", "uint8": "uint32", "uint16": "uint32"}.get(name, name)


def nansum(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
    """The sum over ``axis`` with NaNs counted as zero (bool and small integers sum as int32/uint32)."""
    t = convert_to_tensor(x)
    t = _array.cast(_replace_nan(t, 0.0) if t.dtype.is_floating else t, _sum_dtype(t.dtype.name))
    return _math.reduce_sum(t, axis=axis, keepdims=keepdims)


def nanprod(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
    """The product over ``axis`` with NaNs counted as one (bool and small integers multiply as int32/uint32)."""
    t = convert_to_tensor(x)
    t = _array.cast(_replace_nan(t, 1.0) if t.dtype.is_floating else t, _sum_dtype(t.dtype.name))
    return _math.reduce_prod(t, axis=axis, keepdims=keepdims)


def nanmean(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
    """The mean of the non-NaN values over ``axis`` (NaN where there are none); integers give float32."""
    t = convert_to_tensor(x)
    if isinstance(axis, (tuple, list)) and len(axis) == 0:
        return t
    if not t.dtype.is_floating:
        return _math.reduce_mean(_array.cast(t, "float32"), axis=axis, keepdims=keepdims)
    dtype = _result_type(t, float)
    t = _array.cast(t, dtype)
    valid = _array.cast(_math.logical_not(_is_nan(t)), dtype)
    total = _math.reduce_sum(_replace_nan(t, 0.0), axis=axis, keepdims=keepdims)
    return _math.divide(total, _math.reduce_sum(valid, axis=axis, keepdims=keepdims))


def nanvar(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
    """The (population) variance of the non-NaN values over ``axis``; integers give float32."""
    t = convert_to_tensor(x)
    t = _array.cast(t, _result_type(t, float))
    mean = nanmean(t, axis=axis, keepdims=True)
    valid = _math.logical_not(_is_nan(t))
    centered = _tf().where(valid, _math.subtract(t, mean), _array.zeros_like(t))
    count = _math.reduce_sum(_array.cast(valid, t.dtype), axis=axis, keepdims=keepdims)
    return _math.divide(_math.reduce_sum(_math.square(centered), axis=axis, keepdims=keepdims), count)


def nanstd(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
    """The (population) standard deviation of the non-NaN values over ``axis``."""
    return _math.sqrt(nanvar(x, axis=axis, keepdims=keepdims))


def _nan_extreme(x: Any, axis: Any, keepdims: bool, largest: bool) -> Tensor:
    tf = _tf()
    t = convert_to_tensor(x)
    if not t.dtype.is_floating:
        if t.dtype.name == "bool":
            return (tf.reduce_any if largest else tf.reduce_all)(t, axis=axis, keepdims=keepdims)
        return (_math.reduce_max if largest else _math.reduce_min)(t, axis=axis, keepdims=keepdims)
    nan = tf.math.is_nan(t)
    fill = float("-inf") if largest else float("inf")
    out = (_math.reduce_max if largest else _math.reduce_min)(_replace_nan(t, fill), axis=axis, keepdims=keepdims)
    all_nan = tf.reduce_all(nan, axis=axis, keepdims=keepdims)
    return tf.where(all_nan, convert_to_tensor(float("nan"), dtype=t.dtype), out)


def nanmax(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
    """The largest non-NaN value over ``axis`` (NaN where all are NaN)."""
    return _nan_extreme(x, axis, keepdims, largest=True)


def nanmin(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
    """The smallest non-NaN value over ``axis`` (NaN where all are NaN)."""
    return _nan_extreme(x, axis, keepdims, largest=False)


def _arg(t: Tensor, axis: Optional[int], keepdims: bool, largest: bool) -> Tensor:
    flat = _array.reshape(t, [-1]) if axis is None else t
    out = (_math.argmax if largest else _math.argmin)(flat, axis=0 if axis is None else axis, output_type="int32")
    if not keepdims:
        return out
    if axis is None:
        return _array.reshape(out, [1] * len(t.shape))
    return _array.expand_dims(out, axis)


def _nan_arg(x: Any, axis: Optional[int], keepdims: bool, largest: bool) -> Tensor:
    tf = _tf()
    t = convert_to_tensor(x)

    def pick(v: Tensor, axis: Optional[int], keepdims: bool) -> Tensor:
        return _arg(v, axis, keepdims, largest)

    if not t.dtype.is_floating:
        return pick(_array.cast(t, "int32") if t.dtype.name == "bool" else t, axis=axis, keepdims=keepdims)
    nan = tf.math.is_nan(t)
    out = pick(_replace_nan(t, float("-inf") if largest else float("inf")), axis=axis, keepdims=keepdims)
    if axis is None and keepdims:
        all_nan = _array.reshape(tf.reduce_all(nan), [1] * len(t.shape))
    else:
        all_nan = tf.reduce_all(nan, axis=axis, keepdims=keepdims)
    return tf.where(all_nan, convert_to_tensor(-1, dtype="int32"), out)


def nanargmax(x: Any, axis: Optional[int] = None, keepdims: bool = False) -> Tensor:
    """The index (int32) of the largest non-NaN value along ``axis`` (the flattened ``x`` when None); -1 where
    all are NaN."""
    return _nan_arg(x, axis, keepdims, largest=True)


def nanargmin(x: Any, axis: Optional[int] = None, keepdims: bool = False) -> Tensor:
    """The index (int32) of the smallest non-NaN value along ``axis``; -1 where all are NaN."""
    return _nan_arg(x, axis, keepdims, largest=False)


def _nan_scan(x: Any, axis: Optional[int], dtype: Any, nan: float, scan: Any) -> Tensor:
    t = convert_to_tensor(x)
    if t.dtype.is_floating:
        t = _replace_nan(t, nan)
    if dtype is not None:
        t = _array.cast(t, dtype)
    if t.dtype.name == "bool":
        t = _array.cast(t, "int32")
    if axis is None:
        t, axis = _array.reshape(t, [-1]), 0
    return scan(t, axis=axis)


def nancumsum(x: Any, axis: Optional[int] = None, dtype: Any = None) -> Tensor:
    """The cumulative sum along ``axis`` (of the flattened ``x`` when None) with NaNs counted as zero."""
    return _nan_scan(x, axis, dtype, 0.0, _tf().math.cumsum)


def nancumprod(x: Any, axis: Optional[int] = None, dtype: Any = None) -> Tensor:
    """The cumulative product along ``axis`` with NaNs counted as one."""
    return _nan_scan(x, axis, dtype, 1.0, _tf().math.cumprod)

"""``keras.ops``'s NumPy-named sequences and windows (``logspace``, ``geomspace``, ``hamming`` ...) and dtype
reinterpretation (``view``, ``saturate_cast``), with Keras 3's result dtypes."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..framework.dtypes import as_dtype
from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor
from ..ops import array_ops as _array
from ..ops import math_ops as _math
from ._ops_numpy_arrays_common import broadcast_all, floatx, result_dtype, tf_module

__all__: list = [
    "bartlett",
    "blackman",
    "geomspace",
    "hamming",
    "hanning",
    "kaiser",
    "logspace",
    "saturate_cast",
    "view",
]


def _dtype_operand(value: Any) -> Any:
    """A tensor's dtype name (strong), or a Python scalar's type (weak), as Keras resolves ``linspace``."""
    dtype = getattr(value, "dtype", None)
    return type(value) if dtype is None else as_dtype(dtype).name


def _as(value: Any, dtype: str) -> Tensor:
    t = convert_to_tensor(value) if hasattr(value, "dtype") else convert_to_tensor(value, dtype=dtype)
    return _array.cast(t, dtype)


def _linspace(start: Any, stop: Any, num: int, endpoint: bool, dtype: Any, axis: int) -> Tensor:
    """Keras's ``linspace`` (an int dtype floors the values), for scalar or array ``start``/``stop`` (the
    samples along the new axis ``axis``)."""
    if num < 0:
        raise ValueError(f"`num` must be a non-negative integer. Received: num={num}")
    if dtype is None:
        dtype = result_dtype(_dtype_operand(start), _dtype_operand(stop), float)
    else:
        dtype = as_dtype(dtype).name
    compute = dtype if as_dtype(dtype).is_floating else floatx()
    start, stop = broadcast_all(_as(_as(start, dtype), compute), _as(_as(stop, dtype), compute))
    rank = len(start.shape) + 1
    axis = axis % rank
    steps = [1] * rank
    steps[axis] = num
    index = _array.reshape(tf_module().range(num), steps)
    divisor = (num - 1 if endpoint else num) or 1
    fraction = _array.cast(index, compute) / convert_to_tensor(float(divisor), dtype=compute)
    start, stop = _array.expand_dims(start, axis), _array.expand_dims(stop, axis)
    result = start + (stop - start) * fraction
    if endpoint and num > 1:  # (the last sample is ``stop`` exactly, as NumPy's)
        result = _array.where(*broadcast_all(_math.equal(index, num - 1), stop, result))
    if "int" in dtype:
        result = _math.floor(result)
    return _array.cast(result, dtype)


def logspace(
    start: Any, stop: Any, num: int = 50, endpoint: bool = True, base: float = 10, dtype: Any = None, axis: int = 0
) -> Tensor:
    """``base ** linspace(start, stop, num)``."""
    result = _linspace(start, stop, num, endpoint, dtype, axis)
    return _math.pow(_array.cast(convert_to_tensor(base), result.dtype), result)


def geomspace(start: Any, stop: Any, num: int = 50, endpoint: bool = True, dtype: Any = None, axis: int = 0) -> Tensor:
    """``num`` numbers evenly spaced on a log scale from ``start`` to ``stop`` (both of the same sign)."""
    dtype = None if dtype is None else as_dtype(dtype).name
    start, stop = convert_to_tensor(start), convert_to_tensor(stop)
    log_dtype = dtype or floatx()
    log_start = _math.log(_array.cast(_math.abs(start), log_dtype))
    log_stop = _math.log(_array.cast(_math.abs(stop), log_dtype))
    ln10 = _math.log(convert_to_tensor(10.0, dtype=log_start.dtype))
    result = logspace(log_start / ln10, log_stop / ln10, num=num, endpoint=endpoint, base=10, dtype=dtype, axis=axis)
    sign = _array.cast(_math.sign(_array.cast(start, log_start.dtype)), result.dtype)
    return result * sign


def _window_length(x: Any) -> int:
    """The window's length, a static integer (a Python int, NumPy scalar or eager tensor)."""
    return int(np.asarray(x))


def _cosine_window(m: int, coefficients: tuple) -> Tensor:
    """``sum_i c_i cos(2 pi i n / (m - 1))`` for ``n < m`` (ones for ``m == 1``), in ``floatx``."""
    dtype = floatx()
    if m <= 0:
        return _array.zeros([0], dtype=dtype)
    if m == 1:
        return _array.ones([1], dtype=dtype)
    n = _array.cast(tf_module().range(m), dtype) * convert_to_tensor(2.0 * np.pi / (m - 1), dtype=dtype)
    out = _array.fill([m], coefficients[0], dtype)
    for i, c in enumerate(coefficients[1:], start=1):
        out = out + c * _math.cos(n * float(i))
    return out


def bartlett(x: int) -> Tensor:
    """The Bartlett (triangular) window of ``x`` points."""
    m = _window_length(x)
    if m <= 1:
        return _array.ones([max(m, 0)], dtype=floatx())
    n = _array.cast(tf_module().range(m), floatx())
    return 1.0 - _math.abs(2.0 * n / (m - 1) - 1.0)


def blackman(x: int) -> Tensor:
    """The Blackman window of ``x`` points."""
    return _cosine_window(_window_length(x), (0.42, -0.5, 0.08))


def hamming(x: int) -> Tensor:
    """The Hamming window of ``x`` points."""
    return _cosine_window(_window_length(x), (0.54, -0.46))


def hanning(x: int) -> Tensor:
    """The Hann window of ``x`` points."""
    return _cosine_window(_window_length(x), (0.5, -0.5))


def kaiser(x: int, beta: float) -> Tensor:
    """The Kaiser window of ``x`` points with shape parameter ``beta``."""
    m = _window_length(x)
    dtype = floatx()
    if m <= 0:
        return _array.zeros([0], dtype=dtype)
    if m == 1:
        return _array.ones([1], dtype=dtype)
    n = _array.cast(tf_module().range(m), dtype)
    ratio = 2.0 * n / (m - 1) - 1.0
    beta_t = convert_to_tensor(float(beta), dtype=dtype)
    bessel = tf_module().math.bessel_i0
    return bessel(beta_t * _math.sqrt(_math.maximum(1.0 - ratio * ratio, 0.0))) / bessel(beta_t)


def _view_host(new_dtype: Any) -> Any:
    def fn(arrays: list) -> list:
        return [np.ascontiguousarray(arrays[0]).view(new_dtype)]

    return fn


def view(x: Any, dtype: Any = None) -> Tensor:
    """``x``'s bytes reinterpreted as ``dtype``; a different item size rescales the last axis."""
    from ..ops.host_op import host_op

    t = convert_to_tensor(x)
    old, new = t.dtype, as_dtype(dtype) if dtype is not None else t.dtype
    old_size, new_size = np.dtype(old.as_numpy_dtype).itemsize, np.dtype(new.as_numpy_dtype).itemsize
    shape = list(t.shape)
    if old_size != new_size:
        if not shape:
            raise ValueError("Cannot view a scalar as a different dtype if item sizes are different.")
        if shape[-1] is not None:
            if shape[-1] * old_size % new_size != 0:
                raise ValueError(
                    f"Cannot view array of shape {tuple(shape)} and dtype {old.name} as dtype {new.name} because "
                    "the total number of bytes is not divisible by the new itemsize."
                )
            shape[-1] = shape[-1] * old_size // new_size
    if old == new:
        return _array.identity(t)
    return host_op("View", _view_host(new.as_numpy_dtype), [t], [(new, shape)])[0]


def _dtype_range(name: str) -> tuple:
    if name == "bool":
        return 0, 1
    if "int" in name:
        info = np.iinfo(name)
        return info.min, info.max
    if name == "bfloat16":
        import ml_dtypes

        info = ml_dtypes.finfo(ml_dtypes.bfloat16)
    else:
        info = np.finfo(name)
    return info.min, info.max


def saturate_cast(x: Any, dtype: Any) -> Tensor:
    """``x`` cast to ``dtype`` with values clipped to its range first (no wrap-around)."""
    t = convert_to_tensor(x)
    out = as_dtype(dtype)
    if t.dtype.name == "bool":  # (0 and 1 fit every dtype)
        return _array.cast(t, out)
    in_np = np.dtype(t.dtype.as_numpy_dtype)
    in_min, in_max = _dtype_range(t.dtype.name)
    out_min, out_max = _dtype_range(out.name)
    # The out dtype's limits may not be representable in the in dtype (float32 cannot hold int32's max):
    # they are moved toward zero to the nearest value that is, so the cast cannot overflow.
    lo = np.array(max(in_min, out_min)).astype(in_np)
    if float(lo) < out_min:  # (Python compares a float and an int exactly; NumPy would round the int)
        lo = np.nextafter(lo, np.zeros_like(lo))
    hi = np.array(min(in_max, out_max)).astype(in_np)
    if float(hi) > out_max:
        hi = np.nextafter(hi, np.zeros_like(hi))
    clipped = _math.minimum(
        _math.maximum(t, convert_to_tensor(lo, dtype=t.dtype)), convert_to_tensor(hi, dtype=t.dtype)
    )
    return _array.cast(clipped, out)

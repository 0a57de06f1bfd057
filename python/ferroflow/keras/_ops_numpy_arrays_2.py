"""``keras.ops``'s NumPy-named elementwise functions of two operands (bitwise ops, shifts, ``gcd``, ``hypot``,
``fmax``, ``logaddexp`` ...), with Keras 3's result dtypes (on its TensorFlow backend)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor
from ..ops import array_ops as _array
from ..ops import math_ops as _math
from ._ops_numpy_arrays_common import broadcast_all, cast_common, floatx, result_dtype, tf_module

__all__: list = [
    "bitwise_and",
    "bitwise_left_shift",
    "bitwise_or",
    "bitwise_right_shift",
    "bitwise_xor",
    "fmax",
    "fmin",
    "fmod",
    "gcd",
    "hypot",
    "lcm",
    "ldexp",
    "left_shift",
    "logaddexp",
    "logaddexp2",
    "nextafter",
    "right_shift",
    "heaviside",
]

_SMALL_INTS = ("int8", "int16", "int32", "uint8", "uint16", "uint32")
_UNSIGNED = ("uint8", "uint16", "uint32", "uint64")


def _bitwise(name: str) -> Any:
    def op(x: Any, y: Any) -> Tensor:
        a, b = cast_common(x, y)
        return getattr(tf_module().bitwise, name)(a, b)

    return op


bitwise_and, bitwise_or, bitwise_xor = _bitwise("bitwise_and"), _bitwise("bitwise_or"), _bitwise("bitwise_xor")
for _name in ("bitwise_and", "bitwise_or", "bitwise_xor"):
    globals()[_name].__name__ = _name
    globals()[_name].__doc__ = f"NumPy's ``{_name}`` of two integer tensors, in their common dtype."


def _shift(name: str, x: Any, y: Any) -> Tensor:
    if isinstance(y, int) and not isinstance(y, bool):
        # A Python int shift count takes x's dtype (Keras does not promote it).
        a = convert_to_tensor(x)
        return getattr(tf_module().bitwise, name)(a, convert_to_tensor(y, dtype=a.dtype))
    a, b = cast_common(x, y)
    return getattr(tf_module().bitwise, name)(a, b)


def bitwise_left_shift(x: Any, y: Any) -> Tensor:
    """``x`` shifted left by ``y`` bits."""
    return _shift("left_shift", x, y)


def bitwise_right_shift(x: Any, y: Any) -> Tensor:
    """``x`` shifted right by ``y`` bits (arithmetic shift for signed integers)."""
    return _shift("right_shift", x, y)


def left_shift(x: Any, y: Any) -> Tensor:
    """``x`` shifted left by ``y`` bits."""
    return _shift("left_shift", x, y)


def right_shift(x: Any, y: Any) -> Tensor:
    """``x`` shifted right by ``y`` bits."""
    return _shift("right_shift", x, y)


def _gcd_of(a: Tensor, b: Tensor) -> Tensor:
    if a.dtype.name not in _UNSIGNED:
        a, b = _math.abs(a), _math.abs(b)
    a, b = broadcast_all(a, b)
    zero, one = _array.zeros_like(b), _array.ones_like(b)

    def body(a: Tensor, b: Tensor) -> tuple:
        nonzero = _math.not_equal(b, zero)
        return _array.where(nonzero, b, a), _array.where(
            nonzero, _math.floormod(a, _array.where(nonzero, b, one)), zero
        )

    out, _ = tf_module().while_loop(lambda a, b: tf_module().reduce_any(_math.not_equal(b, zero)), body, [a, b])
    return out


def gcd(x1: Any, x2: Any) -> Tensor:
    """The greatest common divisor of ``|x1|`` and ``|x2|``, elementwise (integers only)."""
    a, b = cast_common(x1, x2)
    if not a.dtype.is_integer:
        raise TypeError("Arguments to gcd must be integers.")
    return _gcd_of(a, b)


def lcm(x1: Any, x2: Any) -> Tensor:
    """The least common multiple of ``|x1|`` and ``|x2|``, elementwise (integers only; 0 when either is 0)."""
    a, b = convert_to_tensor(x1), convert_to_tensor(x2)
    if not (a.dtype.is_integer and b.dtype.is_integer):
        raise TypeError(
            f"Arguments to lcm must be integers. Received: x1.dtype={a.dtype.name}, x2.dtype={b.dtype.name}"
        )
    a, b = cast_common(a, b)
    if a.dtype.name not in _UNSIGNED:
        a, b = _math.abs(a), _math.abs(b)
    divisor = _gcd_of(a, b)
    zero = _math.equal(divisor, _array.zeros_like(divisor))
    result = a * _math.floordiv(b, _array.where(zero, _array.ones_like(divisor), divisor))
    return _array.where(zero, _array.zeros_like(result), result)


def _float_pair(x1: Any, x2: Any) -> list:
    """Both operands in their common dtype, where small integers give ``floatx`` and int64 float64."""
    a, b = convert_to_tensor(x1), convert_to_tensor(x2)
    dtype = result_dtype(a.dtype.name, b.dtype.name)
    if dtype in _SMALL_INTS:
        dtype = floatx()
    elif dtype == "int64":
        dtype = "float64"
    return [_array.cast(a, dtype), _array.cast(b, dtype)]


def hypot(x1: Any, x2: Any) -> Tensor:
    """``sqrt(x1 ** 2 + x2 ** 2)``, elementwise, without overflow for large operands."""
    a, b = (_math.abs(t) for t in _float_pair(x1, x2))
    hi, lo = _math.maximum(a, b), _math.minimum(a, b)
    ratio = tf_module().math.divide_no_nan(lo, hi)
    return hi * _math.sqrt(1.0 + _math.square(ratio))


def heaviside(x1: Any, x2: Any) -> Tensor:
    """The step function: 0 where ``x1 < 0``, 1 where ``x1 > 0``, ``x2`` where ``x1 == 0``."""
    a, b = _float_pair(x1, x2)
    return _array.where(
        _math.less(a, 0), _array.zeros_like(a), _array.where(_math.greater(a, 0), _array.ones_like(a), b)
    )


def _weak_pair(x1: Any, x2: Any) -> tuple:
    """Both operands in Keras's result dtype, Python scalars taking the tensor's kind (weak)."""
    dtype = result_dtype(x1, x2)
    return tuple(
        convert_to_tensor(x, dtype=dtype) if isinstance(x, (int, float)) else _array.cast(convert_to_tensor(x), dtype)
        for x in (x1, x2)
    )


def _nan_aware(x1: Any, x2: Any, pick: Any) -> Tensor:
    a, b = _weak_pair(x1, x2)
    a, b = broadcast_all(a, b)
    out = pick(a, b)
    if not a.dtype.is_floating:
        return out
    nan_a, nan_b = _math.is_nan(a), _math.is_nan(b)
    out = _array.where(_math.logical_and(nan_a, _math.logical_not(nan_b)), b, out)
    return _array.where(_math.logical_and(nan_b, _math.logical_not(nan_a)), a, out)


def fmax(x1: Any, x2: Any) -> Tensor:
    """The elementwise maximum, ignoring NaNs (NaN only where both are NaN)."""
    return _nan_aware(x1, x2, _math.maximum)


def fmin(x1: Any, x2: Any) -> Tensor:
    """The elementwise minimum, ignoring NaNs (NaN only where both are NaN)."""
    return _nan_aware(x1, x2, _math.minimum)


def fmod(x1: Any, x2: Any) -> Tensor:
    """The remainder of ``x1 / x2`` truncated toward zero (the sign of ``x1``), elementwise."""
    a, b = convert_to_tensor(x1), convert_to_tensor(x2)
    dtype = result_dtype(a.dtype.name, b.dtype.name)
    dtype = "int32" if dtype == "bool" else dtype
    compute = "int32" if dtype in ("uint8", "uint16", "uint32") else dtype
    a, b = _array.cast(a, compute), _array.cast(b, compute)
    return _array.cast(_math.sign(a) * _math.floormod(_math.abs(a), _math.abs(b)), dtype)


def ldexp(x1: Any, x2: Any) -> Tensor:
    """``x1 * 2 ** x2``, elementwise (``x2`` an integer)."""
    a, b = convert_to_tensor(x1), convert_to_tensor(x2)
    dtype = result_dtype(a.dtype.name, b.dtype.name, float)
    if not b.dtype.is_integer:
        raise TypeError(f"ldexp exponent must be an integer type. Received: x2 dtype={b.dtype.name}")
    a = _array.cast(a, dtype)
    result = a * _math.pow(convert_to_tensor(2.0, dtype=dtype), _array.cast(b, dtype))
    keep = _math.logical_or(_math.is_inf(a), _math.equal(a, _array.zeros_like(a)))
    return _array.where(*broadcast_all(keep, a, result))


def _log_pair(x1: Any, x2: Any) -> tuple:
    a, b = convert_to_tensor(x1), convert_to_tensor(x2)
    dtype = result_dtype(a.dtype.name, b.dtype.name, float)
    return _array.cast(a, dtype), _array.cast(b, dtype)


def logaddexp(x1: Any, x2: Any) -> Tensor:
    """``log(exp(x1) + exp(x2))``, elementwise, without overflow."""
    a, b = _log_pair(x1, x2)
    delta = a - b
    return _array.where(_math.is_nan(delta), a + b, _math.maximum(a, b) + _math.log1p(_math.exp(-_math.abs(delta))))


def logaddexp2(x1: Any, x2: Any) -> Tensor:
    """``log2(2 ** x1 + 2 ** x2)``, elementwise, without overflow."""
    a, b = _log_pair(x1, x2)
    delta = a - b
    ln2 = convert_to_tensor(np.log(2.0), dtype=a.dtype)
    return _array.where(
        _math.is_nan(delta),
        a + b,
        _math.maximum(a, b) + _math.log1p(_math.exp(-_math.abs(delta) * ln2)) / ln2,
    )


def _nextafter_host(arrays: list) -> list:
    return [np.nextafter(arrays[0], arrays[1])]


def nextafter(x1: Any, x2: Any) -> Tensor:
    """The next representable value after ``x1`` toward ``x2`` (computed in float64, as Keras does)."""
    from ..ops.host_op import host_op

    a, b = convert_to_tensor(x1), convert_to_tensor(x2)
    dtype = result_dtype(a.dtype.name, b.dtype.name, float)
    a, b = broadcast_all(_array.cast(a, "float64"), _array.cast(b, "float64"))
    # NumPy computes it, so that it runs in graphs too.
    out = host_op("NextAfter", _nextafter_host, [a, b], [("float64", a.shape)])[0]
    return _array.cast(out, dtype)

"""``keras.ops``'s NumPy-named elementwise functions of one operand (``sinc``, ``i0``, ``cbrt``, ``signbit``,
complex parts, infinity tests, ``bitwise_invert``), with Keras 3's result dtypes (on its TensorFlow backend)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor
from ..ops import array_ops as _array
from ..ops import math_ops as _math
from ._ops_numpy_arrays_common import floatx, result_dtype, tf_module

__all__: list = [
    "angle",
    "bitwise_invert",
    "bitwise_not",
    "cbrt",
    "conj",
    "conjugate",
    "erfc",
    "fabs",
    "i0",
    "imag",
    "isneginf",
    "isposinf",
    "isreal",
    "real",
    "signbit",
    "sinc",
]


def _float_like_keras(t: Tensor) -> Tensor:
    """``t`` cast as Keras's float unary ops cast: int64 to ``floatx``, others to their dtype with a float."""
    dtype = floatx() if t.dtype.name == "int64" else result_dtype(t.dtype.name, float)
    return _array.cast(t, dtype)


def bitwise_invert(x: Any) -> Tensor:
    """The bitwise NOT of an integer tensor."""
    return tf_module().bitwise.invert(convert_to_tensor(x))


def bitwise_not(x: Any) -> Tensor:
    """The bitwise NOT of an integer tensor."""
    return bitwise_invert(x)


def fabs(x: Any) -> Tensor:
    """The absolute value, as a float (integers and bools give ``floatx``)."""
    t = convert_to_tensor(x)
    if not (t.dtype.is_floating or t.dtype.is_complex):
        t = _array.cast(t, floatx())
    return _math.abs(t)


def _where(condition: Tensor, x: Tensor, y: Tensor) -> Tensor:
    if not x.dtype.is_complex:
        return _array.where(condition, x, y)
    # (select takes real tensors: the real and imaginary parts are chosen apart)
    math = tf_module().math
    return tf_module().complex(
        _where(condition, math.real(x), math.real(y)), _where(condition, math.imag(x), math.imag(y))
    )


def sinc(x: Any) -> Tensor:
    """``sin(pi x) / (pi x)``, 1 at 0, elementwise."""
    t = _float_like_keras(convert_to_tensor(x))
    pi_x = t * convert_to_tensor(np.pi, dtype=t.dtype)
    zero = _math.equal(t, _array.zeros_like(t))
    # The division sees a safe denominator at 0 so the unused branch carries no NaN into the gradient.
    safe = _where(zero, _array.ones_like(pi_x), pi_x)
    return _where(zero, _array.ones_like(t), _math.sin(safe) / safe)


def i0(x: Any) -> Tensor:
    """The modified Bessel function of the first kind, order 0 (int64 and float64 give float64)."""
    t = convert_to_tensor(x)
    name = t.dtype.name
    dtype = "float64" if name in ("int64", "float64") else name if name in ("bfloat16", "float16") else floatx()
    return tf_module().math.bessel_i0(_array.cast(t, dtype))


def cbrt(x: Any) -> Tensor:
    """The real cube root, elementwise (int64 gives float64)."""
    t = convert_to_tensor(x)
    name = t.dtype.name
    if name == "int64":
        t = _array.cast(t, "float64")
    elif name not in ("bfloat16", "float16", "float64"):
        t = _array.cast(t, floatx())
    return _math.sign(t) * _math.pow(_math.abs(t), convert_to_tensor(1.0 / 3.0, dtype=t.dtype))


def erfc(x: Any) -> Tensor:
    """The complementary error function ``1 - erf(x)``, elementwise (integers promote to float)."""
    t = convert_to_tensor(x)
    if not t.dtype.is_floating:
        t = _array.cast(t, result_dtype(t.dtype.name, float))
    return tf_module().math.erfc(t)


def _not_bool(t: Tensor, what: str) -> None:
    if t.dtype.name == "bool":
        raise TypeError(f"{what} does not support bool tensors. Received: x.dtype=bool")


def real(x: Any) -> Tensor:
    """The real part (``x`` itself for a real tensor)."""
    t = convert_to_tensor(x)
    _not_bool(t, "real")
    return tf_module().math.real(t)


def imag(x: Any) -> Tensor:
    """The imaginary part (zeros of ``x``'s dtype for a real tensor)."""
    t = convert_to_tensor(x)
    if t.dtype.is_complex:
        return tf_module().math.imag(t)
    return _array.zeros_like(t)


def conj(x: Any) -> Tensor:
    """The complex conjugate (``x`` itself for a real tensor)."""
    t = convert_to_tensor(x)
    _not_bool(t, "conj")
    return tf_module().math.conj(t)


def conjugate(x: Any) -> Tensor:
    """The complex conjugate (``x`` itself for a real tensor)."""
    return conj(x)


def angle(x: Any) -> Tensor:
    """The argument of each (complex) element: 0 or pi for a real tensor."""
    t = convert_to_tensor(x)
    if not t.dtype.is_complex:
        t = _float_like_keras(t)
        # (NumPy's value: pi for negative numbers and -0.0, NaN for NaN)
        return tf_module().math.atan2(_array.zeros_like(t), t)
    return tf_module().math.angle(t)


def _is_inf(x: Any, sign: float) -> Tensor:
    t = convert_to_tensor(x)
    if not t.dtype.is_floating:
        return _array.zeros_like(t, dtype="bool")
    return _math.equal(t, convert_to_tensor(sign * np.inf, dtype=t.dtype))


def isneginf(x: Any) -> Tensor:
    """Whether each element is negative infinity."""
    return _is_inf(x, -1.0)


def isposinf(x: Any) -> Tensor:
    """Whether each element is positive infinity."""
    return _is_inf(x, 1.0)


def isreal(x: Any) -> Tensor:
    """Whether each element has a zero imaginary part (all True for a real tensor)."""
    t = convert_to_tensor(x)
    if t.dtype.is_complex:
        im = tf_module().math.imag(t)
        return _math.equal(im, _array.zeros_like(im))
    return _array.ones_like(t, dtype="bool")


def _signbit_host(arrays: list) -> list:
    return [np.signbit(arrays[0])]


def signbit(x: Any) -> Tensor:
    """Whether each element's sign bit is set (True for -0.0 and negative NaNs too)."""
    t = convert_to_tensor(x)
    if t.dtype.name == "bool":
        return _array.zeros_like(t, dtype="bool")
    if t.dtype.is_integer:
        return _math.less(t, _array.zeros_like(t))
    from ..ops.host_op import host_op

    # The sign bit of -0.0 and of NaNs is not visible to comparisons: NumPy reads it.
    return host_op("Signbit", _signbit_host, [t], [("bool", t.shape)])[0]

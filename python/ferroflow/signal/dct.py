"""Discrete cosine transforms of types I-IV over the innermost axis (``tf.signal.dct`` and ``idct``), as
scipy.fftpack defines them, computed as TensorFlow does through real FFTs of length ``2N``.

TensorFlow multiplies the FFT by complex phase factors; here the product's real part is written with real
operations (``Re(X e^{-i t}) = Re X cos t + Im X sin t``), which is the same arithmetic and keeps the
transforms' gradients real.
"""

from __future__ import annotations

import math
from typing import Any, Optional

from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor
from ..ops import array_ops, complex_ops, math_ops, tiling_ops
from .fft_ops import irfft, rfft


def _validate(t: Tensor, dct_type: Any, n: Any, axis: Any, norm: Any) -> None:
    if axis != -1:
        raise NotImplementedError(f"axis must be -1. Got: {axis}")
    if n is not None and n < 1:
        raise ValueError("n should be a positive integer or None")
    if dct_type not in (1, 2, 3, 4):
        raise ValueError("Types I, II, III and IV (I)DCT are supported.")
    if dct_type == 1:
        if norm == "ortho":
            raise ValueError("Normalization is not supported for the Type-I DCT.")
        if t.shape.rank and t.shape[-1] is not None and t.shape[-1] < 2:
            raise ValueError("Type-I DCT requires the dimension to be greater than one.")
    if norm not in (None, "ortho"):
        raise ValueError(f"Unknown normalization. Expected None or 'ortho', got: {norm}")


def _input(x: Any) -> Tensor:
    t = convert_to_tensor(x)
    if t.dtype.name not in ("float32", "float64"):
        raise TypeError(f"dct expects a float32 or float64 tensor, received {t.dtype.name}")
    if t.shape.rank is None or t.shape.rank == 0:
        raise IndexError(f"dct expects a tensor of rank >= 1, received shape {t.shape}")
    if t.shape[-1] is None:
        raise ValueError(f"dct needs the size of the last axis to be known, received shape {t.shape}")
    return t


def dct(
    input: Any,  # noqa: A002
    type: int = 2,  # noqa: A002
    n: Optional[int] = None,
    axis: int = -1,
    norm: Optional[str] = None,
    name: Optional[str] = None,
) -> Tensor:
    """The type I, II, III or IV DCT of the innermost axis (cropped or zero-padded to ``n``); ``norm='ortho'``
    makes types II-IV orthonormal."""
    t = _input(input)
    _validate(t, type, n, axis, norm)
    return _dct(t, type, n, norm)


def idct(
    input: Any,  # noqa: A002
    type: int = 2,  # noqa: A002
    n: Optional[int] = None,
    axis: int = -1,
    norm: Optional[str] = None,
    name: Optional[str] = None,
) -> Tensor:
    """The inverse of ``dct`` of the same type: a DCT of type I, III, II or IV. Without ``norm`` the result is
    ``2N`` times the input (``2(N-1)`` for type I), as in scipy.fftpack."""
    t = _input(input)
    _validate(t, type, n, axis, norm)
    return _dct(t, {1: 1, 2: 3, 3: 2, 4: 4}[type], n, norm)


def _phase(size: int, dtype: Any, sign: float) -> tuple:
    """``cos`` and ``sin`` of ``sign * k pi / (2 size)``, k < size, computed in ``dtype`` as TensorFlow does."""
    size_f = array_ops.cast(size, dtype)
    angle = sign * array_ops.cast(array_ops.range(size), dtype) * math.pi * 0.5 / size_f
    return math_ops.cos(angle), math_ops.sin(angle)


def _resize(t: Tensor, n: int) -> Tensor:
    size = int(t.shape[-1])
    if n <= size:
        return t[..., :n]
    return tiling_ops.pad(t, [[0, 0]] * (t.shape.rank - 1) + [[0, n - size]])


def _dct(t: Tensor, dct_type: int, n: Optional[int], norm: Optional[str]) -> Tensor:
    if n is not None:
        t = _resize(t, int(n))
    size = int(t.shape[-1])
    dtype = t.dtype
    if size == 0:
        return t
    if dct_type == 1:
        # The even extension [x0 .. x(N-1), x(N-2) .. x1]; its real FFT is the type I DCT.
        mirrored = array_ops.concat([t, t[..., -2:0:-1]], -1)
        return complex_ops.real(rfft(mirrored))
    if dct_type == 2:
        spectrum = rfft(t, fft_length=[2 * size])[..., :size]
        cos, sin = _phase(size, dtype, -1.0)
        # Re(2 X e^{i a}) = 2 (Re X cos a - Im X sin a), with a = -k pi / 2N.
        out = 2.0 * (complex_ops.real(spectrum) * cos - complex_ops.imag(spectrum) * sin)
        if norm == "ortho":
            first = 0.5 * math_ops.rsqrt(array_ops.cast(size, dtype))
            out = out * _weights(first, first * math.sqrt(2.0), size)
        return out
    if dct_type == 3:
        size_f = array_ops.cast(size, dtype)
        if norm == "ortho":
            first = math_ops.sqrt(size_f)
            t = t * _weights(first, first * math.sqrt(0.5), size)
        else:
            t = t * size_f
        cos, sin = _phase(size, dtype, 1.0)
        spectrum = complex_ops.complex(2.0 * t * cos, 2.0 * t * sin)
        return irfft(spectrum, fft_length=[2 * size])[..., :size]
    # Type IV: the odd-indexed bins of the type II DCT of the signal zero-padded to 2N.
    dct2 = _dct(t, 2, 2 * size, None)
    dct4 = dct2[..., 1::2]
    if norm == "ortho":
        dct4 = dct4 * (math.sqrt(0.5) * math_ops.rsqrt(array_ops.cast(size, dtype)))
    return dct4


def _weights(first: Tensor, rest: Tensor, size: int) -> Tensor:
    """``[first, rest, rest, ...]`` of length ``size``."""
    return tiling_ops.pad(array_ops.expand_dims(first, 0), [[0, size - 1]], constant_values=rest)

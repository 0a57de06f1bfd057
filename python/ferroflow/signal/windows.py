"""``tf.signal``'s window functions: Hann, Hamming, Kaiser, Kaiser-Bessel-derived and Vorbis windows.

Each is computed with the same operations, in the same order and dtype, as TensorFlow 2.21's
``window_ops.py``, so float32 windows agree with TensorFlow's to rounding. They are built from ops (not
NumPy constants) so a tensor ``beta`` of a Kaiser window is differentiable.
"""

from __future__ import annotations

import math
from typing import Any, Optional

import numpy as np

from ..framework.dtypes import float32
from ..framework.tensor import Tensor
from ..ops import array_ops, math_more_ops, math_ops, nn_ops, scan_ops
from ._args import floating_dtype, scalar_bool, scalar_int


def _length(window_length: Any) -> int:
    n = scalar_int(window_length, "window_length")
    if n < 0:
        from .._core import InvalidArgumentError

        raise InvalidArgumentError(f"window_length must be non-negative, received {n}")
    return n


def hann_window(window_length: Any, periodic: Any = True, dtype: Any = float32, name: Optional[str] = None) -> Tensor:
    """A Hann window, ``0.5 - 0.5 cos(2 pi n / N)``; periodic windows (the default, for spectral analysis)
    use ``N = window_length``, symmetric ones ``N = window_length - 1``."""
    return _raised_cosine_window(window_length, periodic, dtype, 0.5, 0.5)


def hamming_window(
    window_length: Any, periodic: Any = True, dtype: Any = float32, name: Optional[str] = None
) -> Tensor:
    """A Hamming window, ``0.54 - 0.46 cos(2 pi n / N)``, periodic or symmetric as ``hann_window``."""
    return _raised_cosine_window(window_length, periodic, dtype, 0.54, 0.46)


def _raised_cosine_window(window_length: Any, periodic: Any, dtype: Any, a: float, b: float) -> Tensor:
    d = floating_dtype(dtype)
    length = _length(window_length)
    if length == 1:
        return array_ops.ones([1], dtype=d)
    even = 1 - length % 2
    n = array_ops.cast(length + int(scalar_bool(periodic, "periodic")) * even - 1, d)
    count = array_ops.cast(array_ops.range(length), d)
    cos_arg = array_ops.constant(2 * math.pi, dtype=d) * count / n
    return a - b * math_ops.cos(cos_arg)


def kaiser_window(window_length: Any, beta: Any = 12.0, dtype: Any = float32, name: Optional[str] = None) -> Tensor:
    """A Kaiser window, ``I0(beta sqrt(1 - (2n/(N-1) - 1)^2)) / I0(beta)``, computed with exponentially scaled
    Bessel functions so a large ``beta`` does not overflow."""
    d = floating_dtype(dtype)
    length = scalar_int(window_length, "window_length")
    if length == 1:
        return array_ops.ones([1], dtype=d)
    if length < 1:
        from .._core import InvalidArgumentError

        # TensorFlow's range(-(n-1)/2, (n-1)/2 + 0.1) is empty and refused for these lengths.
        raise InvalidArgumentError(f"kaiser_window needs window_length >= 1, received {length}")
    # TensorFlow builds the positions -h .. h in float32 whatever the dtype (float16 has no range).
    halflen = (np.float32(length) - np.float32(1.0)) / np.float32(2.0)
    arg = array_ops.cast(np.arange(-halflen, halflen + np.float32(0.1), dtype=np.float32), d)
    beta = array_ops.cast(beta, d)
    halflen = array_ops.cast(halflen, d)
    num = beta * math_ops.sqrt(nn_ops.relu(1.0 - math_ops.square(arg / halflen)))
    return math_ops.exp(num - beta) * (math_more_ops.bessel_i0e(num) / math_more_ops.bessel_i0e(beta))


def kaiser_bessel_derived_window(
    window_length: Any, beta: Any = 12.0, dtype: Any = float32, name: Optional[str] = None
) -> Tensor:
    """The Kaiser-Bessel-derived window (square roots of a Kaiser window's normalized running sum, mirrored):
    power complementary, so ``mdct``/``inverse_mdct`` with it reconstruct the signal."""
    d = floating_dtype(dtype)
    length = _length(window_length)
    kaiser = kaiser_window(length // 2 + 1, beta, dtype=d)
    csum = scan_ops.cumsum(kaiser)
    half = math_ops.sqrt(csum[:-1] / csum[-1])
    return array_ops.concat([half, half[::-1]], 0)


def vorbis_window(window_length: Any, dtype: Any = float32, name: Optional[str] = None) -> Tensor:
    """The Vorbis window, ``sin(pi/2 sin^2(pi (n + 1/2) / N))``: power complementary, for the MDCT."""
    d = floating_dtype(dtype)
    length = _length(window_length)
    arg = array_ops.cast(array_ops.range(length), d)
    inner = math_ops.sin(math.pi / array_ops.cast(length, d) * (arg + 0.5))
    return math_ops.sin(math.pi / 2.0 * math_ops.pow(inner, 2.0))

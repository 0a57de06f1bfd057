"""``keras.ops``'s signal functions (FFTs on ``(real, imag)`` pairs, ``stft``/``istft``, ``extract_sequences``),
the complex views and the segment minimum and product, with Keras 3's TensorFlow-backend semantics."""

from __future__ import annotations

from typing import Any, Optional

from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor
from ..ops import array_ops as _array
from ..ops import math_ops as _math
from ..ops import tiling_ops as _tiling
from ._ops_numpy_arrays_common import tf_module as _tf


def _complex(x: Any) -> Tensor:
    """Keras passes complex values as a ``(real, imag)`` pair of float tensors of one shape."""
    if not isinstance(x, (tuple, list)) or len(x) != 2:
        raise ValueError(f"Input `x` should be a tuple of two tensors - real and imaginary.Received: x={x}")
    real, imag = convert_to_tensor(x[0]), convert_to_tensor(x[1])
    if real.shape != imag.shape:
        raise ValueError(
            "Input `x` should be a tuple of two tensors - real and imaginary.Both the real and imaginary parts "
            f"should have the same shape. Received: x[0].shape = {real.shape}, x[1].shape = {imag.shape}"
        )
    if not real.dtype.is_floating or not imag.dtype.is_floating:
        raise ValueError(f"At least one tensor in input `x` is not of type float.Received: x={x}.")
    return _tf().dtypes.complex(real, imag)


def _parts(z: Tensor) -> tuple:
    return _tf().math.real(z), _tf().math.imag(z)


def _rank_at_least(z: Tensor, n: int) -> None:
    if len(z.shape) < n:
        raise ValueError(f"Input should have rank >= {n}. Received: input.shape = {z.shape}")


def fft(x: Any) -> tuple:
    """The FFT over the last axis of ``x = (real, imag)``, as a ``(real, imag)`` pair."""
    z = _complex(x)
    _rank_at_least(z, 1)
    return _parts(_tf().signal.fft(z))


def fft2(x: Any) -> tuple:
    """The 2-D FFT over the last two axes of ``x = (real, imag)``, as a ``(real, imag)`` pair."""
    z = _complex(x)
    _rank_at_least(z, 2)
    return _parts(_tf().signal.fft2d(z))


def ifft2(x: Any) -> tuple:
    """The inverse 2-D FFT over the last two axes of ``x = (real, imag)``, as a ``(real, imag)`` pair."""
    z = _complex(x)
    _rank_at_least(z, 2)
    return _parts(_tf().signal.ifft2d(z))


def rfft(x: Any, fft_length: Optional[int] = None) -> tuple:
    """The FFT of the real ``x`` over its last axis (``fft_length // 2 + 1`` bins), as a ``(real, imag)``
    pair."""
    t = convert_to_tensor(x)
    _rank_at_least(t, 1)
    return _parts(_tf().signal.rfft(t, fft_length=None if fft_length is None else [fft_length]))


def irfft(x: Any, fft_length: Optional[int] = None) -> Tensor:
    """The real inverse of ``rfft`` for ``x = (real, imag)`` (``2 * (bins - 1)`` samples by default)."""
    z = _complex(x)
    _rank_at_least(z, 1)
    return _tf().signal.irfft(z, fft_length=None if fft_length is None else [fft_length])


def extract_sequences(x: Any, sequence_length: int, sequence_stride: int) -> Tensor:
    """The windows of ``sequence_length`` samples every ``sequence_stride`` along the last axis (no padding):
    shape ``x.shape[:-1] + (num_sequences, sequence_length)``."""
    t = convert_to_tensor(x)
    _rank_at_least(t, 1)
    return _tf().signal.frame(t, sequence_length, sequence_stride, pad_end=False, axis=-1)


def _window(window: Any, sequence_length: int, fft_length: int, dtype: Any) -> Any:
    """The window, centered (zero padded) in ``fft_length`` samples, or None."""
    if window is None:
        return None
    if isinstance(window, str):
        make = {"hann": _tf().signal.hann_window, "hamming": _tf().signal.hamming_window}[window]
        win = make(sequence_length, periodic=True, dtype=dtype)
    else:
        win = _array.cast(convert_to_tensor(window), dtype)
    if len(win.shape) != 1 or win.shape[-1] != sequence_length:
        raise ValueError(f"The shape of `window` must be equal to [sequence_length].Received: window shape={win.shape}")
    left = (fft_length - sequence_length) // 2
    return _tiling.pad(win, [[left, fft_length - sequence_length - left]])


def _check_stft_args(sequence_stride: Any, window: Any) -> None:
    if not isinstance(sequence_stride, int) or isinstance(sequence_stride, bool) or sequence_stride <= 0:
        raise ValueError(f"`sequence_stride` must be a positive integer. Received: sequence_stride={sequence_stride}")
    if isinstance(window, str) and window not in {"hann", "hamming"}:
        raise ValueError(
            f'If a string is passed to `window`, it must be one of `"hann"`, `"hamming"`. Received: window={window}'
        )


def stft(
    x: Any, sequence_length: int, sequence_stride: int, fft_length: int, window: Any = "hann", center: bool = True
) -> tuple:
    """The short-time Fourier transform along the last axis, as a ``(real, imag)`` pair of shape
    ``x.shape[:-1] + (frames, fft_length // 2 + 1)``; ``center`` reflect-pads ``fft_length // 2`` samples on
    each side first."""
    _check_stft_args(sequence_stride, window)
    t = convert_to_tensor(x)
    if t.dtype.name not in {"float32", "float64"}:
        raise TypeError(f"Invalid input type. Expected `float32` or `float64`. Received: input type={t.dtype.name}")
    if fft_length < sequence_length:
        raise ValueError(
            "`fft_length` must equal or larger than `sequence_length`. "
            f"Received: sequence_length={sequence_length}, fft_length={fft_length}"
        )
    if center:
        pads = [[0, 0]] * (len(t.shape) - 1) + [[fft_length // 2, fft_length // 2]]
        t = _tiling.pad(t, pads, mode="REFLECT")
    win = _window(window, sequence_length, fft_length, t.dtype)
    z = _tf().signal.stft(
        t, fft_length, sequence_stride, fft_length=fft_length, window_fn=None if win is None else (lambda n, dtype: win)
    )
    return _parts(z)


def istft(
    x: Any,
    sequence_length: int,
    sequence_stride: int,
    fft_length: int,
    length: Optional[int] = None,
    window: Any = "hann",
    center: bool = True,
) -> Tensor:
    """The inverse of ``stft`` for ``x = (real, imag)``: overlap-added frames, the ``center`` padding cut off,
    ``length`` samples when given."""
    _check_stft_args(sequence_stride, window)
    z = _complex(x)
    _rank_at_least(z, 2)
    dtype = _tf().math.real(z).dtype
    win = _window(window, sequence_length, fft_length, dtype)
    window_fn = None
    if win is not None:
        window_fn = _tf().signal.inverse_stft_window_fn(sequence_stride, lambda n, dtype: win)
    out = _tf().signal.inverse_stft(z, fft_length, sequence_stride, fft_length=fft_length, window_fn=window_fn)
    start = fft_length // 2 if center else 0
    if length is not None:
        return out[..., start : start + length]
    if center:
        return out[..., start : -(fft_length // 2)] if fft_length // 2 else out[..., start:]
    return out


def view_as_complex(x: Any) -> Tensor:
    """The complex64 tensor whose real and imaginary parts are ``x[..., 0]`` and ``x[..., 1]``."""
    t = convert_to_tensor(x)
    if len(t.shape) < 1 or t.shape[-1] != 2:
        raise ValueError(f"Last dimension of input must be size 2 (real and imaginary). Received shape: {t.shape}")
    return _tf().dtypes.complex(_array.cast(t[..., 0], "float32"), _array.cast(t[..., 1], "float32"))


def view_as_real(x: Any) -> Tensor:
    """The real and imaginary parts of ``x`` stacked along a new last axis of size 2."""
    t = convert_to_tensor(x)
    return _array.stack([_tf().math.real(t), _tf().math.imag(t)], axis=-1)


def _segments(kind: str, data: Any, segment_ids: Any, num_segments: Optional[int], sorted: bool) -> Tensor:
    d, ids = convert_to_tensor(data), convert_to_tensor(segment_ids)
    if len(ids.shape) > 1:
        raise ValueError(
            f"Argument `segment_ids` should be an 1-D vector, got shape: {len(ids.shape)}. Consider either flatten "
            "input with segment_ids.reshape((-1)) and data.reshape((-1, ) + data.shape[len(segment_ids.shape):]) "
            "or vectorize with vmap."
        )
    if ids.shape[0] is not None and d.shape[0] is not None and ids.shape[0] != d.shape[0]:
        raise ValueError(
            f"Argument `segment_ids` and `data` should have same leading dimension. Got {ids.shape} v.s. {d.shape}."
        )
    if sorted:
        if num_segments is not None:
            raise ValueError(
                "Argument `num_segments` cannot be set when sorted is True when using the tensorflow backend."
                f"Received: num_segments={num_segments}, sorted={sorted}."
            )
        return getattr(_tf().math, f"segment_{kind}")(d, ids)
    if num_segments is None:
        num_segments = _array.cast(_math.add(_math.reduce_max(ids), 1), "int32")
    return getattr(_tf().math, f"unsorted_segment_{kind}")(d, ids, num_segments)


def segment_min(data: Any, segment_ids: Any, num_segments: Optional[int] = None, sorted: bool = False) -> Tensor:
    """The minima of ``data``'s rows by segment id (``num_segments`` rows, max id + 1 when None); an empty
    segment holds the dtype's largest value."""
    return _segments("min", data, segment_ids, num_segments, sorted)


def segment_prod(data: Any, segment_ids: Any, num_segments: Optional[int] = None, sorted: bool = False) -> Tensor:
    """The products of ``data``'s rows by segment id (``num_segments`` rows, max id + 1 when None); an empty
    segment holds 1."""
    return _segments("prod", data, segment_ids, num_segments, sorted)

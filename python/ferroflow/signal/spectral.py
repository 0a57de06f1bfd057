"""Short-time Fourier transforms (``stft``, ``inverse_stft``, ``inverse_stft_window_fn``) and the modified DCT
(``mdct``, ``inverse_mdct``), composed of ``frame``, windows, real FFTs / DCTs and ``overlap_and_add`` as
TensorFlow 2.21's ``spectral_ops.py``: the same defaults, shapes and numbers, with gradients."""

from __future__ import annotations

import math
from typing import Any, Callable, Optional

from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor
from ..ops import array_ops, math_ops, tiling_ops
from ._args import rank_at_least, real_signal, scalar_int
from .dct import dct
from .fft_ops import irfft, rfft
from .framing import frame, overlap_and_add
from .windows import hann_window, vorbis_window


def _enclosing_power_of_two(value: int) -> int:
    """``2**ceil(log2(value))``: the default FFT length of a ``value``-sample frame."""
    return int(2 ** math.ceil(math.log(value) / math.log(2.0))) if value > 0 else 1


def _fft_length(fft_length: Any, frame_length: int) -> int:
    if fft_length is None:
        return _enclosing_power_of_two(frame_length)
    return scalar_int(fft_length, "fft_length")


def stft(
    signals: Any,
    frame_length: Any,
    frame_step: Any,
    fft_length: Any = None,
    window_fn: Optional[Callable[..., Any]] = hann_window,
    pad_end: bool = False,
    name: Optional[str] = None,
) -> Tensor:
    """The ``[..., frames, fft_length // 2 + 1]`` complex STFT of real ``[..., samples]`` signals: frames of
    ``frame_length`` samples ``frame_step`` apart, multiplied by ``window_fn(frame_length)`` and transformed
    by an ``fft_length``-point real FFT (by default the smallest power of 2 >= ``frame_length``)."""
    t = convert_to_tensor(signals)
    rank_at_least(t, 1)
    length = scalar_int(frame_length, "frame_length")
    scalar_int(frame_step, "frame_step")
    n_fft = _fft_length(fft_length, length)
    framed = frame(t, length, frame_step, pad_end=pad_end)
    if window_fn is not None:
        framed = framed * window_fn(length, dtype=framed.dtype)
    real_signal(framed, "RFFT")
    return rfft(framed, [n_fft])


def inverse_stft_window_fn(
    frame_step: Any, forward_window_fn: Callable[..., Any] = hann_window, name: Optional[str] = None
) -> Callable[..., Tensor]:
    """A window function for ``inverse_stft`` that undoes ``stft`` with ``forward_window_fn``: the forward
    window divided by the overlap-added squares of the windows (Griffin and Lim's equation 7)."""

    def inverse_stft_window_fn_inner(frame_length: Any, dtype: Any) -> Tensor:
        step = scalar_int(frame_step, "frame_step")
        length = scalar_int(frame_length, "frame_length")
        forward = convert_to_tensor(forward_window_fn(length, dtype=dtype))
        overlaps = -(-length // step)
        denom = tiling_ops.pad(math_ops.square(forward), [[0, overlaps * step - length]])
        denom = math_ops.reduce_sum(array_ops.reshape(denom, [overlaps, step]), 0, keepdims=True)
        denom = array_ops.reshape(tiling_ops.tile(denom, [overlaps, 1]), [overlaps * step])[:length]
        safe = array_ops.where(math_ops.equal(denom, 0.0), array_ops.ones_like(denom), denom)
        return array_ops.where(math_ops.equal(denom, 0.0), array_ops.zeros_like(forward), forward / safe)

    return inverse_stft_window_fn_inner


def inverse_stft(
    stfts: Any,
    frame_length: Any,
    frame_step: Any,
    fft_length: Any = None,
    window_fn: Optional[Callable[..., Any]] = hann_window,
    name: Optional[str] = None,
) -> Tensor:
    """Real ``[..., samples]`` signals from ``[..., frames, fft_length // 2 + 1]`` STFTs: inverse real FFTs
    cut or zero-padded to ``frame_length``, multiplied by ``window_fn(frame_length)`` and overlap-added
    ``frame_step`` apart. Pass ``inverse_stft_window_fn(frame_step)`` to reconstruct ``stft``'s input."""
    t = convert_to_tensor(stfts)
    rank = rank_at_least(t, 2)
    length = scalar_int(frame_length, "frame_length")
    step = scalar_int(frame_step, "frame_step")
    n_fft = _fft_length(fft_length, length)
    if not t.dtype.is_complex:
        raise ValueError(f"IRFFT requires tf.complex64 or tf.complex128 inputs, received {t.dtype.name}")
    frames = irfft(t, [n_fft])
    if n_fft > length:
        frames = frames[..., :length]
    elif n_fft < length:
        frames = tiling_ops.pad(frames, [[0, 0]] * (rank - 1) + [[0, length - n_fft]])
    if window_fn is not None:
        frames = frames * window_fn(length, dtype=frames.dtype)
    return overlap_and_add(frames, step)


def _check_norm(norm: Any) -> None:
    if norm not in (None, "ortho"):
        raise ValueError(f"Unknown normalization. Expected None or 'ortho', got: {norm}")


def mdct(
    signals: Any,
    frame_length: Any,
    window_fn: Optional[Callable[..., Any]] = vorbis_window,
    pad_end: bool = False,
    norm: Optional[str] = None,
    name: Optional[str] = None,
) -> Tensor:
    """The ``[..., frames, frame_length // 2]`` modified DCT of real signals: half-overlapping frames
    (``frame_length`` a multiple of 4), windowed (by ``1/sqrt(2)`` when ``window_fn`` is None), folded and
    transformed by a type IV DCT."""
    t = convert_to_tensor(signals)
    rank_at_least(t, 1)
    length = scalar_int(frame_length, "frame_length")
    if length % 4 != 0:
        raise ValueError("The frame length must be a multiple of 4.")
    if length == 0:
        from .._core import InvalidArgumentError

        raise InvalidArgumentError("frame_length must be positive (Integer division by zero)")
    _check_norm(norm)
    framed = frame(t, length, length // 2, pad_end=pad_end)
    if window_fn is not None:
        framed = framed * window_fn(length, dtype=framed.dtype)
    else:
        framed = framed * (1.0 / math.sqrt(2))
    q = length // 4
    a, b, c, d = (framed[..., i * q : (i + 1) * q] for i in range(4))
    first = -c[..., ::-1] - d
    second = a - b[..., ::-1]
    return dct(array_ops.concat([first, second], -1), type=4, norm=norm)


def inverse_mdct(
    mdcts: Any,
    window_fn: Optional[Callable[..., Any]] = vorbis_window,
    norm: Optional[str] = None,
    name: Optional[str] = None,
) -> Tensor:
    """Real ``[..., (frames - 1) * N + 2N]`` signals from ``[..., frames, N]`` MDCTs: type IV DCTs (scaled by
    ``1/(2N)``, or orthonormal), unfolded to ``2N`` samples, windowed and overlap-added ``N`` apart."""
    t = convert_to_tensor(mdcts)
    rank_at_least(t, 2)
    _check_norm(norm)
    half_len = t.shape[-1]
    if half_len is None:
        raise ValueError(f"inverse_mdct needs the size of the last axis to be known, received shape {t.shape}")
    if half_len % 2:
        from .._core import InvalidArgumentError

        raise InvalidArgumentError(
            f"inverse_mdct needs an even number of MDCT bins (frame_length // 2), received {half_len}"
        )
    if norm is None:
        result = (0.5 / array_ops.cast(half_len, t.dtype)) * dct(t, type=4)
    else:
        result = dct(t, type=4, norm="ortho")
    h = half_len // 2
    first, second = result[..., :h], result[..., h:]
    frames = array_ops.concat([second, -second[..., ::-1], -first[..., ::-1], -first], -1)
    if window_fn is not None:
        frames = frames * window_fn(2 * half_len, dtype=t.dtype)
    else:
        frames = frames * (1.0 / math.sqrt(2))
    return overlap_and_add(frames, half_len)

"""``tf.signal.fftnd``, ``ifftnd``, ``rfftnd`` and ``irfftnd``: transforms over any list of axes, each axis
fitted (cropped or zero-padded) to its ``fft_length``, with NumPy's ``norm`` modes ("backward": inverse
scaled by 1/n; "ortho": both by 1/sqrt(n); "forward": forward by 1/n). An N-D transform is separable, so
each axis is moved innermost and transformed alone."""

from __future__ import annotations

from typing import Any, List, Optional, Sequence

import numpy as np

from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor
from . import fft_ops

_NORMS = ("backward", "ortho", "forward")


def _plan(t: Tensor, fft_length: Any, axes: Any, what: str) -> tuple:
    rank = t.shape.rank
    if rank is None:
        raise ValueError(f"{what} needs a tensor of known rank")
    if axes is None:
        count = rank if fft_length is None else len(np.asarray(fft_length).reshape(-1))
        axes_list = list(range(rank - count, rank))
    else:
        axes_list = [int(a) for a in np.asarray(axes).reshape(-1)]
    axes_list = [a + rank if a < 0 else a for a in axes_list]
    if any(not 0 <= a < rank for a in axes_list) or len(set(axes_list)) != len(axes_list):
        raise ValueError(f"{what}: axes must be distinct axes of a rank-{rank} tensor, received {axes}")
    dims = t.shape.as_list()
    if fft_length is None:
        lengths = [dims[a] for a in axes_list]
        if any(d is None for d in lengths):
            raise ValueError(f"{what} needs fft_length when the transformed axes' sizes are unknown ({t.shape})")
    else:
        lengths = [int(v) for v in np.asarray(fft_length).reshape(-1)]
        if len(lengths) != len(axes_list):
            raise ValueError(f"{what}: fft_length {lengths} and axes {axes_list} must have the same length")
    return axes_list, lengths


def _check_norm(norm: Optional[str], what: str) -> str:
    norm = "backward" if norm is None else norm
    if norm not in _NORMS:
        raise ValueError(f"{what}: norm must be one of {_NORMS}, received {norm!r}")
    return norm


def _moved_last(t: Tensor, axis: int) -> List[int]:
    perm = [i for i in range(t.shape.rank) if i != axis] + [axis]
    return perm


def _along(t: Tensor, axis: int, fn: Any) -> Tensor:
    from ..ops import array_ops

    perm = _moved_last(t, axis)
    inverse = list(np.argsort(perm))
    return array_ops.transpose(fn(array_ops.transpose(t, perm)), inverse)


def _fit(t: Tensor, axis: int, n: int) -> Tensor:
    """``t`` cropped or zero-padded along ``axis`` to ``n``."""
    from ..ops.slicing_ops import slice as slice_
    from ..ops.tiling_ops import pad

    size = t.shape.as_list()[axis]
    if size is None or size == n:
        return t
    if size > n:
        begin = [0] * t.shape.rank
        shape = [-1] * t.shape.rank
        shape[axis] = n
        return slice_(t, begin, shape)
    pads = [[0, 0]] * t.shape.rank
    pads[axis] = [0, n - size]
    return pad(t, pads)


def _scale(t: Tensor, lengths: Sequence[int], norm: str, inverse: bool) -> Tensor:
    n = float(np.prod(lengths))
    # The transforms below scale inverses by 1/n ("backward"); the other modes move that factor.
    if norm == "ortho":
        factor = np.sqrt(n) if inverse else 1.0 / np.sqrt(n)
    elif norm == "forward":
        factor = n if inverse else 1.0 / n
    else:
        return t
    return t * factor


def _complex_nd(x: Any, fft_length: Any, axes: Any, norm: Optional[str], inverse: bool, what: str) -> Tensor:
    t = fft_ops._complex_input(x, what, ValueError)
    norm = _check_norm(norm, what)
    axes_list, lengths = _plan(t, fft_length, axes, what)
    one = fft_ops.ifft if inverse else fft_ops.fft
    for axis, n in zip(axes_list, lengths):
        t = _along(_fit(t, axis, n), axis, one)
    return _scale(t, lengths, norm, inverse)


def fftnd(
    input_tensor: Any, fft_length: Any = None, axes: Any = None, norm: Optional[str] = None, name: Optional[str] = None
) -> Tensor:
    """The N-D discrete Fourier transform over ``axes`` (the last ``len(fft_length)`` by default)."""
    return _complex_nd(input_tensor, fft_length, axes, norm, False, "fftnd")


def ifftnd(
    input_tensor: Any, fft_length: Any = None, axes: Any = None, norm: Optional[str] = None, name: Optional[str] = None
) -> Tensor:
    """The inverse N-D transform over ``axes``."""
    return _complex_nd(input_tensor, fft_length, axes, norm, True, "ifftnd")


def rfftnd(
    input_tensor: Any, fft_length: Any = None, axes: Any = None, norm: Optional[str] = None, name: Optional[str] = None
) -> Tensor:
    """The N-D transform of a real signal, keeping the non-negative frequencies of the last axis."""
    t = convert_to_tensor(input_tensor)
    if t.dtype.name not in ("float32", "float64"):
        raise ValueError(f"RFFTND requires tf.float32 or tf.float64 inputs, received {t.dtype.name}")
    norm = _check_norm(norm, "rfftnd")
    axes_list, lengths = _plan(t, fft_length, axes, "rfftnd")
    last, n = axes_list[-1], lengths[-1]
    t = _along(t, last, lambda v: fft_ops.rfft(v, [n]))
    for axis, m in zip(axes_list[:-1], lengths[:-1]):
        t = _along(_fit(t, axis, m), axis, fft_ops.fft)
    return _scale(t, lengths, norm, False)


def irfftnd(
    input_tensor: Any, fft_length: Any = None, axes: Any = None, norm: Optional[str] = None, name: Optional[str] = None
) -> Tensor:
    """The real N-D signal whose transform over ``axes`` has ``input_tensor`` as its half spectrum."""
    t = fft_ops._complex_input(input_tensor, "IRFFTND", ValueError)
    norm = _check_norm(norm, "irfftnd")
    axes_list, lengths = _plan(t, fft_length, axes, "irfftnd")
    if fft_length is None:
        lengths[-1] = 2 * (lengths[-1] - 1)
    for axis, m in zip(axes_list[:-1], lengths[:-1]):
        t = _along(_fit(t, axis, m), axis, fft_ops.ifft)
    last, n = axes_list[-1], lengths[-1]
    t = _along(t, last, lambda v: fft_ops.irfft(v, [n]))
    return _scale(t, lengths, norm, True)

"""``tf.signal.frame`` and its adjoint ``tf.signal.overlap_and_add``.

``frame`` is one ``gather`` of a ``[num_frames, frame_length]`` index grid along the framed axis, so its
gradient is the gather's (a scatter-add) and the framed axis may be of unknown length in a graph (the grid
is then built by ``range`` when the graph runs, and ``pad_end`` padding becomes a mask). ``overlap_and_add``
adds ``ceil(frame_length / frame_step)`` shifted slices of the frames, as TensorFlow's reshape-and-sum does.
"""

from __future__ import annotations

from typing import Any, List, Optional

import numpy as np

from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor
from ..ops import array_ops, math_ops, tiling_ops
from ._args import rank_at_least, scalar_int, static_value


def _invalid(message: str) -> Exception:
    from .._core import InvalidArgumentError

    return InvalidArgumentError(message)


def frame(
    signal: Any,
    frame_length: Any,
    frame_step: Any,
    pad_end: bool = False,
    pad_value: Any = 0,
    axis: Any = -1,
    name: Optional[str] = None,
) -> Tensor:
    """Replaces ``signal``'s ``axis`` of length N by ``[num_frames, frame_length]`` windows ``frame_step``
    apart: ``1 + (N - frame_length) // frame_step`` frames, or ``ceil(N / frame_step)`` with ``pad_end``
    (windows past the end filled with ``pad_value``)."""
    t = convert_to_tensor(signal)
    rank = rank_at_least(t, 1)
    length = scalar_int(frame_length, "frame_length")
    step = scalar_int(frame_step, "frame_step")
    ax = scalar_int(axis, "axis")
    if not -rank <= ax < rank:
        raise IndexError(f"frame axis {ax} is out of range for a signal of rank {rank}")
    ax %= rank
    if length < 0:
        raise _invalid(f"frame_length must be non-negative, received {length}")
    if step == 0:
        raise _invalid("frame_step must not be zero (Integer division by zero)")
    value = None
    if pad_end:
        if step < 0:
            raise _invalid(f"frame_step must be positive when pad_end is True, received {step}")
        value = convert_to_tensor(pad_value, dtype=t.dtype)
        if value.shape.rank != 0:
            raise ValueError(f"Shape {tuple(value.shape.as_list())} must have rank 0 (pad_value)")
    n = t.shape[ax]
    if n is None:
        return _frame_dynamic(t, length, step, value, ax, rank)
    if pad_end:
        num_frames = -(-n // step)
        extra = max(0, length + step * (num_frames - 1) - n)
        if extra:
            paddings = [[0, 0]] * rank
            paddings[ax] = [0, extra]
            t = tiling_ops.pad(t, paddings, constant_values=value)
    else:
        num_frames = max(0, 1 + (n - length) // step)
    index = np.arange(num_frames, dtype=np.int64)[:, None] * step + np.arange(length, dtype=np.int64)[None, :]
    dtype = np.int32 if index.size == 0 or index.max() < 2**31 else np.int64
    return array_ops.gather(t, index.astype(dtype), axis=ax)


def _frame_dynamic(t: Tensor, length: int, step: int, value: Optional[Tensor], ax: int, rank: int) -> Tensor:
    """``frame`` of an axis whose length is known only when the graph runs."""
    n = array_ops.shape(t)[ax]
    if value is not None:
        num_frames = -((-n) // step)
    else:
        num_frames = math_ops.maximum(0, 1 + (n - length) // step)
    index = array_ops.range(num_frames)[:, None] * step + array_ops.range(length)[None, :]
    if value is None:
        return array_ops.gather(t, index, axis=ax)
    inside = index < n
    frames = array_ops.gather(t, math_ops.maximum(0, math_ops.minimum(index, n - 1)), axis=ax)
    mask = array_ops.reshape(inside, [-1, length] + [1] * (rank - 1 - ax))
    return array_ops.where(mask, frames, value)


def _frame_step(frame_step: Any) -> int:
    arr = static_value(frame_step, "frame_step")
    if arr.ndim != 0:
        raise ValueError(f"Shape {arr.shape} must have rank 0 (frame_step)")
    if arr.dtype.kind not in "iu":
        raise ValueError(f"frame_step must be an integer. Got {arr.dtype.name}")
    step = int(arr)
    if step <= 0:
        raise _invalid(f"frame_step must be positive, received {step}")
    return step


def overlap_and_add(signal: Any, frame_step: Any, name: Optional[str] = None) -> Tensor:
    """Adds the frames of a ``[..., frames, frame_length]`` tensor, each ``frame_step`` samples after the
    previous one, into a ``[..., (frames - 1) * frame_step + frame_length]`` signal (the inverse of ``frame``
    for windows that sum to one)."""
    t = convert_to_tensor(signal)
    rank = rank_at_least(t, 2)
    step = _frame_step(frame_step)
    dims = t.shape.as_list()
    length = dims[-1]
    if length is None:
        raise ValueError(f"overlap_and_add needs the frame length (last axis) to be known, received shape {t.shape}")
    if step == length:
        return _merge_last_two(t)
    segments = -(-length // step)
    total = None
    for s in range(segments):
        piece = t[..., s * step : (s + 1) * step]
        width = min(length, (s + 1) * step) - s * step
        if width < step:
            piece = tiling_ops.pad(piece, [[0, 0]] * (rank - 1) + [[0, step - width]])
        # Frame f's piece s lands at row f + s of a [frames + segments - 1, frame_step] grid of outputs.
        piece = _pad_frames(piece, s, segments - 1 - s)
        total = piece if total is None else total + piece
    out = _merge_last_two(total)
    surplus = segments * step - length
    return out[..., :-surplus] if surplus else out


def _pad_frames(t: Tensor, before: int, after: int) -> Tensor:
    """Zero rows before and after the frames axis (-2), whose length may be unknown when the outer ones are
    known."""
    dims = t.shape.as_list()
    if dims[-2] is not None:
        return tiling_ops.pad(t, [[0, 0]] * (len(dims) - 2) + [[before, after], [0, 0]])
    if any(d is None for d in dims[:-2]):
        raise ValueError(
            f"overlap_and_add supports one unknown size among the outer and frame axes, received shape {t.shape}"
        )
    parts = [array_ops.zeros(dims[:-2] + [n, dims[-1]], dtype=t.dtype) for n in (before, after)]
    return array_ops.concat([p for p in (parts[0], t, parts[1]) if p is t or p.shape[-2]], -2)


def _merge_last_two(t: Tensor) -> Tensor:
    """``[..., a, b]`` to ``[..., a * b]``: a reshape whose target may hold one unknown size."""
    dims: List[Optional[int]] = t.shape.as_list()
    outer, a, b = dims[:-2], dims[-2], dims[-1]
    merged = None if a is None else a * b
    target = outer + [merged]
    if sum(d is None for d in target) > 1:
        raise ValueError(
            f"overlap_and_add supports one unknown size among the outer and frame axes, received shape {t.shape}"
        )
    return array_ops.reshape(t, [-1 if d is None else d for d in target])

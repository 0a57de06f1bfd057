"""Slices whose bounds are known only when a graph runs: ``tf.slice`` with tensor ``begin``/``size``,
``x[i:i + n]`` with tensor bounds, and ``tf.split`` of an axis of unknown length.

Each axis is a gather of a ``tf.range`` of positions, so gradients come from gather's. Bounds are checked
(``InvalidArgumentError``) eagerly at once and after each run of a ``tf.function``; the positions gathered are
clamped into the axis so that the gather itself never fails on values the check rejects.
"""

from __future__ import annotations

from typing import Any, List, Optional, Sequence

import numpy as np

from ..framework.ops import convert_to_tensor
from ..framework.tensor import EagerTensor, Tensor
from . import math_ops
from ._graph_checks import require
from .array_ops import cast, gather, shape
from .fill_range_ops import range as _range


def is_dynamic(value: Any) -> bool:
    """Whether ``value`` is (or holds) a tensor whose value is known only when the graph runs."""
    if isinstance(value, Tensor):
        return not isinstance(value, EagerTensor)
    if isinstance(value, (list, tuple)):
        return any(is_dynamic(v) for v in value)
    return False


def _int64(value: Any) -> Tensor:
    if isinstance(value, (list, tuple)):
        from .array_ops import stack

        return stack([_int64(v) for v in value])
    t = convert_to_tensor(value)
    if not t.dtype.is_integer:
        raise TypeError(f"slice bounds must be integers, received {t.dtype.name}")
    return cast(t, "int64")


def _static_entries(value: Any, rank: int) -> List[Optional[int]]:
    """The entries of ``value`` known while the graph is built (None where a tensor decides)."""
    if isinstance(value, (list, tuple)):
        return [None if is_dynamic(v) else int(np.asarray(convert_to_tensor(v).numpy())) for v in value]
    return [None] * rank


def _gather_positions(x: Tensor, positions: Tensor, length: Tensor, axis: int) -> Tensor:
    """``x`` gathered at ``positions`` along ``axis``, positions clamped into ``[0, length)`` (the checks
    report bad ones; an empty axis gathers nothing, so 0 is then never used)."""
    safe = math_ops.minimum(math_ops.maximum(positions, 0), math_ops.maximum(length - 1, 0))
    return gather(x, safe, axis=axis)


def slice_dynamic(x: Tensor, begin: Any, size: Any, name: Optional[str] = None) -> Tensor:
    """``tf.slice(x, begin, size)`` with ``begin``/``size`` tensors (or lists holding tensors)."""
    rank = x.shape.rank
    b, raw = _int64(begin), _int64(size)
    if b.shape.rank != 1 or raw.shape.rank != 1:
        raise ValueError(f"slice begin and size must be vectors, received shapes {b.shape} and {raw.shape}")
    for what, t in (("begin", b), ("size", raw)):
        if t.shape[0] is not None and t.shape[0] != rank:
            raise ValueError(f"slice {what} needs one entry per axis of the input (rank {rank}), received {t.shape}")
    dims = cast(shape(x), "int64")
    minus_one = cast(math_ops.equal(raw, -1), "int64")
    s = math_ops.maximum(raw, 0) * (1 - minus_one) + minus_one * (dims - b)
    valid = math_ops.logical_and(math_ops.logical_and(b >= 0, s >= 0), b + s <= dims)
    valid = math_ops.logical_and(valid, raw >= -1)
    require(
        valid,
        [b, raw, dims],
        lambda ok, bb, ss, dd: (
            f"Expected begin[{_first_bad(ok)}] in [0, {dd[_first_bad(ok)]}] and size[{_first_bad(ok)}] in "
            f"[0, {dd[_first_bad(ok)] - bb[_first_bad(ok)]}], but got {bb[_first_bad(ok)]} and {ss[_first_bad(ok)]}"
        ),
    )
    out = x
    for axis in range(rank):
        # A rejected size gathers nothing rather than a negative count.
        count = math_ops.maximum(s[axis], 0)
        positions = _range(b[axis], b[axis] + count, dtype="int64")
        out = _gather_positions(out, positions, dims[axis], axis)
    if not isinstance(out, EagerTensor):
        # Sizes given as Python ints fix those axes' lengths, as in TensorFlow's shape inference.
        out.set_shape([None if v is None or v < 0 else v for v in _static_entries(size, rank)])
    return out


def _first_bad(ok: np.ndarray) -> int:
    return int(np.flatnonzero(~np.asarray(ok, bool).reshape(-1))[0])


def _bound(v: Any, d: Tensor, default: Any, low: Any, high: Any) -> Tensor:
    """A slice bound on an axis of length ``d``: ``default`` when None, negative ones counted from the end,
    then clamped into ``[low, high]``."""
    if v is None:
        return default
    v = _int64(v)
    v = v + cast(v < 0, "int64") * d
    return math_ops.minimum(math_ops.maximum(v, low), high)


def axis_slice(x: Tensor, axis: int, start: Any, stop: Any, step: Any) -> Tensor:
    """``x[..., start:stop:step, ...]`` on ``axis`` with Python's rules (negative bounds count from the end,
    bounds past the ends are clamped); ``start``/``stop`` may be graph tensors or None, ``step`` an int or a
    graph tensor (``x[::k]``)."""
    if is_dynamic(step):
        return _axis_slice_dynamic_step(x, axis, start, stop, _int64(step))
    if step == 0:
        raise ValueError("slice step cannot be zero")
    d = cast(shape(x)[axis], "int64")

    if step > 0:
        lo = _bound(start, d, d * 0, 0, d)
        hi = _bound(stop, d, d, 0, d)
        positions = _range(lo, math_ops.maximum(lo, hi), step, dtype="int64")
    else:
        lo = _bound(start, d, d - 1, -1, d - 1)
        hi = _bound(stop, d, d * 0 - 1, -1, d - 1)
        positions = _range(lo, math_ops.minimum(lo, hi), step, dtype="int64")
    return gather(x, positions, axis=axis)


def _axis_slice_dynamic_step(x: Tensor, axis: int, start: Any, stop: Any, step: Tensor) -> Tensor:
    """``axis_slice`` with a step known only when the graph runs: both directions' bounds, the step's sign
    choosing (a zero step fails the run with ``InvalidArgumentError``, as TensorFlow's strided slice does)."""
    from .array_ops import where

    message = f"strides must be non-zero: the step slicing axis {axis} is 0"
    require(math_ops.not_equal(step, 0), [step], lambda ok, s: message)
    d = cast(shape(x)[axis], "int64")
    step = where(math_ops.equal(step, 0), step * 0 + 1, step)  # the range below must not stall on 0
    forward = step > 0

    lo = where(forward, _bound(start, d, d * 0, 0, d), _bound(start, d, d - 1, -1, d - 1))
    hi = where(forward, _bound(stop, d, d, 0, d), _bound(stop, d, d * 0 - 1, -1, d - 1))
    limit = where(forward, math_ops.maximum(lo, hi), math_ops.minimum(lo, hi))
    return gather(x, _range(lo, limit, step, dtype="int64"), axis=axis)


def split_unknown(x: Tensor, sizes: Optional[Sequence[int]], parts: int, axis: int) -> list:
    """``tf.split`` along an axis whose length is known only when the graph runs: ``parts`` equal parts
    (``sizes`` None) or parts of ``sizes`` (one may be -1: the rest of the axis)."""
    d = cast(shape(x)[axis], "int64")
    if sizes is None:
        k = d // parts
        require(
            math_ops.equal(d - k * parts, 0),
            [d],
            lambda ok, dd: (
                f"Number of ways to split should evenly divide the split dimension, but got split_dim "
                f"{axis} (size = {int(dd)}) and num_split {parts}"
            ),
        )
        starts = [k * i for i in range(parts)]
        counts = [k] * parts
    else:
        fixed = sum(v for v in sizes if v != -1)
        rest = d - fixed
        ok = rest >= 0 if -1 in sizes else math_ops.equal(rest, 0)
        require(
            ok,
            [d],
            lambda good, dd: (
                "Determined shape must either match input shape along split_dim exactly if fully "
                f"specified, or be less than the size of the input along split_dim if not fully specified.  Got: "
                f"{int(dd)} along axis {axis} for sizes {list(sizes)}"
            ),
        )
        counts = [math_ops.maximum(rest, 0) if v == -1 else v for v in sizes]
        starts, at = [], d * 0
        for c in counts:
            starts.append(at)
            at = at + c
    out = []
    for start, count, size in zip(starts, counts, sizes or [None] * parts):
        positions = _range(start, start + count, dtype="int64")
        part = _gather_positions(x, positions, d, axis)
        if size is not None and size != -1 and not isinstance(part, EagerTensor):
            dims = part.shape.as_list()
            dims[axis] = size
            part.set_shape(dims)
        out.append(part)
    return out

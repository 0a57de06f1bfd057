"""Segment reductions: ``tf.math.segment_*`` (sorted ids) and ``tf.math.unsorted_segment_*``.

Sums are a scatter-add into zeros (the core's ``unsorted_segment_sum``, whose gradient is a gather);
means and square-root-n divide by the segment sizes; maxima, minima and products compare each element
with its segment through a ``[num_segments, n]`` mask, so they cost ``num_segments * n`` (refused beyond
``MASK_LIMIT`` elements with a message saying so).
"""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from .._core import InvalidArgumentError
from ..framework.ops import apply, convert_to_tensor
from ..framework.tensor import EagerTensor, Tensor
from .array_ops import cast, expand_dims, gather, reshape, where, zeros
from .math_ops import equal, maximum, reduce_max, reduce_min, reduce_prod, sqrt
from .slicing_ops import _static_shape

MASK_LIMIT = 1 << 27


def _prepare(data: Any, segment_ids: Any, op: str) -> tuple:
    """(data flattened to [n, *inner], ids flattened to [n], inner dims), after checking the shapes."""
    data = convert_to_tensor(data)
    ids = convert_to_tensor(segment_ids)
    if not ids.dtype.is_integer:
        raise TypeError(f"{op} expects int32 or int64 segment_ids, received {ids.dtype.name}")
    ddims, idims = _static_shape(data, op), _static_shape(ids, op)
    if ddims[: len(idims)] != idims:
        raise ValueError(f"{op} needs segment_ids shaped like a prefix of data's shape {ddims}, received shape {idims}")
    n = int(np.prod(idims)) if idims else 1
    inner = ddims[len(idims) :]
    return reshape(data, [n] + inner), reshape(ids, [n]), inner


def _drop_negative(data: Tensor, ids: Tensor) -> tuple:
    """TensorFlow drops the rows whose segment id is negative (known eagerly)."""
    if isinstance(ids, EagerTensor):
        keep = np.flatnonzero(ids.numpy() >= 0)
        if keep.size != ids.shape[0]:
            return gather(data, keep), gather(ids, keep)
    return data, ids


def _num_segments(num_segments: Any, op: str) -> int:
    if isinstance(num_segments, Tensor):
        if not isinstance(num_segments, EagerTensor):
            raise ValueError(f"{op} needs num_segments known when the graph is built")
        num_segments = num_segments.numpy()
    k = int(np.asarray(num_segments).item())
    if k < 0:
        raise ValueError(f"{op} num_segments must be non-negative, received {k}")
    return k


def unsorted_segment_sum(data: Any, segment_ids: Any, num_segments: Any, name: Optional[str] = None) -> Tensor:
    """Sums of the rows of ``data`` sharing a segment id; empty segments are 0."""
    flat, ids, inner = _prepare(data, segment_ids, "unsorted_segment_sum")
    flat, ids = _drop_negative(flat, ids)
    k = _num_segments(num_segments, "unsorted_segment_sum")
    return apply("unsorted_segment_sum", [flat, ids, zeros([k] + inner, dtype=flat.dtype)], {"axis": 0})


def _counts(ids: Tensor, k: int, dtype: Any) -> Tensor:
    from .array_ops import ones

    return apply("unsorted_segment_sum", [ones([ids.shape[0]], dtype=dtype), ids, zeros([k], dtype=dtype)], {"axis": 0})


def _per_segment(counts: Tensor, inner: list) -> Tensor:
    return reshape(counts, [-1] + [1] * len(inner))


def unsorted_segment_mean(data: Any, segment_ids: Any, num_segments: Any, name: Optional[str] = None) -> Tensor:
    """Means of the rows sharing a segment id; empty segments are 0."""
    flat, ids, inner = _prepare(data, segment_ids, "unsorted_segment_mean")
    flat, ids = _drop_negative(flat, ids)
    k = _num_segments(num_segments, "unsorted_segment_mean")
    total = apply("unsorted_segment_sum", [flat, ids, zeros([k] + inner, dtype=flat.dtype)], {"axis": 0})
    return total / _per_segment(maximum(_counts(ids, k, flat.dtype), 1), inner)


def unsorted_segment_sqrt_n(data: Any, segment_ids: Any, num_segments: Any, name: Optional[str] = None) -> Tensor:
    """Sums divided by the square root of the segment sizes; empty segments are 0."""
    flat, ids, inner = _prepare(data, segment_ids, "unsorted_segment_sqrt_n")
    flat, ids = _drop_negative(flat, ids)
    k = _num_segments(num_segments, "unsorted_segment_sqrt_n")
    total = apply("unsorted_segment_sum", [flat, ids, zeros([k] + inner, dtype=flat.dtype)], {"axis": 0})
    return total / _per_segment(sqrt(maximum(_counts(ids, k, flat.dtype), 1)), inner)


def _masked(data: Any, segment_ids: Any, num_segments: Any, op: str, fill: Any, reduce: Any) -> Tensor:
    flat, ids, inner = _prepare(data, segment_ids, op)
    flat, ids = _drop_negative(flat, ids)
    k = _num_segments(num_segments, op)
    n = flat.shape[0]
    size = k * n * int(np.prod(inner)) if inner else k * n
    if size > MASK_LIMIT:
        raise ValueError(
            f"{op} compares every element with every segment: {k} segments x {n} rows of {inner} is "
            f"{size} elements, above the limit of {MASK_LIMIT}; use fewer segments or reduce in parts"
        )
    member = equal(expand_dims(cast(ids, "int64"), 0), np.arange(k, dtype=np.int64)[:, None])  # [k, n]
    member = reshape(member, [k, n] + [1] * len(inner))
    spread = where(member, expand_dims(flat, 0) + zeros([k, n] + inner, dtype=flat.dtype), fill(flat))
    return reduce(spread, axis=1)


def _lowest(x: Tensor) -> Any:
    dt = x.dtype.as_numpy_dtype
    return np.asarray(np.finfo(dt).min if np.issubdtype(dt, np.floating) else np.iinfo(dt).min, dtype=dt)


def _highest(x: Tensor) -> Any:
    dt = x.dtype.as_numpy_dtype
    return np.asarray(np.finfo(dt).max if np.issubdtype(dt, np.floating) else np.iinfo(dt).max, dtype=dt)


def unsorted_segment_max(data: Any, segment_ids: Any, num_segments: Any, name: Optional[str] = None) -> Tensor:
    """Maxima of the rows sharing a segment id; empty segments hold the dtype's lowest value."""
    return _masked(data, segment_ids, num_segments, "unsorted_segment_max", _lowest, reduce_max)


def unsorted_segment_min(data: Any, segment_ids: Any, num_segments: Any, name: Optional[str] = None) -> Tensor:
    """Minima of the rows sharing a segment id; empty segments hold the dtype's highest value."""
    return _masked(data, segment_ids, num_segments, "unsorted_segment_min", _highest, reduce_min)


def unsorted_segment_prod(data: Any, segment_ids: Any, num_segments: Any, name: Optional[str] = None) -> Tensor:
    """Products of the rows sharing a segment id; empty segments are 1."""
    return _masked(
        data,
        segment_ids,
        num_segments,
        "unsorted_segment_prod",
        lambda x: np.ones((), x.dtype.as_numpy_dtype),
        reduce_prod,
    )


def _sorted(segment_ids: Any, op: str) -> int:
    """The number of segments of sorted ids (the last id + 1), after checking they are sorted."""
    ids = convert_to_tensor(segment_ids)
    if not isinstance(ids, EagerTensor):
        raise ValueError(f"{op} needs segment_ids known when the graph is built; use unsorted_{op} with num_segments")
    values = ids.numpy().reshape(-1)
    if values.size and (np.any(np.diff(values) < 0) or values[0] < 0):
        raise InvalidArgumentError(
            f"{op} expects non-negative segment_ids sorted in increasing order, received {values.tolist()}"
        )
    return int(values[-1]) + 1 if values.size else 0


def segment_sum(data: Any, segment_ids: Any, name: Optional[str] = None) -> Tensor:
    """``unsorted_segment_sum`` for sorted ids, with one segment per id up to the largest."""
    return unsorted_segment_sum(data, segment_ids, _sorted(segment_ids, "segment_sum"))


def segment_mean(data: Any, segment_ids: Any, name: Optional[str] = None) -> Tensor:
    return unsorted_segment_mean(data, segment_ids, _sorted(segment_ids, "segment_mean"))


def _empty_as_zero(result: Tensor, segment_ids: Any, k: int) -> Tensor:
    """Sorted segment maxima and minima are 0 for ids that no row has (TensorFlow's rule)."""
    present = np.bincount(convert_to_tensor(segment_ids).numpy().reshape(-1), minlength=k) > 0
    mask = present.reshape([k] + [1] * (len(result.shape) - 1))
    return where(mask, result, zeros(result.shape, dtype=result.dtype))


def segment_max(data: Any, segment_ids: Any, name: Optional[str] = None) -> Tensor:
    """Maxima of the rows of each sorted segment id; ids no row has give 0."""
    k = _sorted(segment_ids, "segment_max")
    return _empty_as_zero(unsorted_segment_max(data, segment_ids, k), segment_ids, k)


def segment_min(data: Any, segment_ids: Any, name: Optional[str] = None) -> Tensor:
    """Minima of the rows of each sorted segment id; ids no row has give 0."""
    k = _sorted(segment_ids, "segment_min")
    return _empty_as_zero(unsorted_segment_min(data, segment_ids, k), segment_ids, k)


def segment_prod(data: Any, segment_ids: Any, name: Optional[str] = None) -> Tensor:
    return unsorted_segment_prod(data, segment_ids, _sorted(segment_ids, "segment_prod"))

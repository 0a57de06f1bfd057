"""Segment reductions: ``tf.math.segment_*`` (sorted ids) and ``tf.math.unsorted_segment_*``.

Sums are a scatter-add into zeros (the core's ``unsorted_segment_sum``, whose gradient is a gather);
means and square-root-n divide by the segment sizes; maxima, minima and products compare each element
with its segment through a ``[num_segments, n]`` mask, so they cost ``num_segments * n`` (refused beyond
``MASK_LIMIT`` elements, where the sizes are known, with a message saying so). Shapes, ids and
``num_segments`` may be known only when a graph runs; bad ids raise TensorFlow's ``InvalidArgumentError``
(in a graph after the run: the ops leave such rows out so that the run itself does not fail first).
"""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from .._core import InvalidArgumentError
from ..framework.ops import apply, convert_to_tensor
from ..framework.tensor import Tensor
from ._graph_checks import first_false, require
from ._sparse_compose import shifted, symbolic
from .array_ops import cast, concat, expand_dims, gather, reshape, shape, size, where, zeros
from .math_ops import equal, logical_and, maximum, reduce_max, reduce_min, reduce_prod, sqrt

MASK_LIMIT = 1 << 27


def _prepare(data: Any, segment_ids: Any, op: str) -> tuple:
    """(data flattened to [n, *inner], ids flattened to [n], inner dims: a list where known, else a tensor)."""
    data = convert_to_tensor(data)
    ids = convert_to_tensor(segment_ids)
    if not ids.dtype.is_integer:
        raise TypeError(f"{op} expects int32 or int64 segment_ids, received {ids.dtype.name}")
    if data.shape.rank is None or ids.shape.rank is None:
        raise ValueError(f"{op} needs data and segment_ids of known ranks, received {data.shape} and {ids.shape}")
    r = ids.shape.rank
    ddims, idims = data.shape.as_list(), ids.shape.as_list()
    if len(ddims) < r or any(d is not None and i is not None and d != i for d, i in zip(ddims, idims)):
        raise ValueError(f"{op} needs segment_ids shaped like a prefix of data's shape {ddims}, received shape {idims}")
    if all(d is not None for d in ddims):
        n = int(np.prod(idims)) if idims else 1
        inner: Any = ddims[r:]
        return reshape(data, [n] + inner), reshape(ids, [n]), inner
    data_shape = shape(data, out_type="int64")
    same = equal(data_shape[:r], shape(ids, out_type="int64"))
    require(same, [data_shape, shape(ids, out_type="int64")], lambda _, d, i: _prefix_message(op, d, i))
    inner = data_shape[r:]
    return reshape(data, concat([convert_to_tensor([-1], dtype="int64"), inner], 0)), reshape(ids, [-1]), inner


def _prefix_message(op: str, d: np.ndarray, i: np.ndarray) -> str:
    return f"data.shape = [{','.join(map(str, d))}] does not start with segment_ids.shape = [{','.join(map(str, i))}]"


def _in_range(data: Tensor, ids: Tensor, k: Any) -> tuple:
    """The rows whose id is in ``[0, k)``: negative ids are dropped (as TensorFlow does); ids at or past
    ``k`` raise ``InvalidArgumentError``."""
    limit = cast(convert_to_tensor(k), ids.dtype)
    require(
        ids < limit,
        [ids, limit],
        lambda ok, v, n: f"segment_ids[{first_false(ok)}] = {v[first_false(ok)]} is out of range [0, {n})",
    )
    keep = logical_and(ids >= 0, ids < limit)
    if not symbolic(keep) and bool(np.all(keep.numpy())):
        return data, ids
    rows = where(keep)[:, 0]  # a gather, where boolean_mask would need the inner sizes known
    return gather(data, rows), gather(ids, rows)


def _num_segments(num_segments: Any, op: str) -> Any:
    """``num_segments`` as a Python int, or an int64 scalar when only known when the graph runs."""
    if isinstance(num_segments, Tensor):
        if symbolic(num_segments):
            return cast(num_segments, "int64")
        num_segments = num_segments.numpy()
    k = int(np.asarray(num_segments).item())
    if k < 0:
        raise ValueError(f"{op} num_segments must be non-negative, received {k}")
    return k


def _zeros(k: Any, inner: Any, dtype: Any) -> Tensor:
    """Zeros of shape ``[k, *inner]`` (a static shape where both are known)."""
    if isinstance(k, int) and isinstance(inner, list):
        return zeros([k] + inner, dtype=dtype)
    inner_t = convert_to_tensor(np.asarray(inner, np.int64)) if isinstance(inner, list) else inner
    return zeros(concat([reshape(cast(convert_to_tensor(k), "int64"), [1]), inner_t], 0), dtype=dtype)


def _sum(flat: Tensor, ids: Tensor, k: Any, inner: Any) -> Tensor:
    return apply("unsorted_segment_sum", [flat, ids, _zeros(k, inner, flat.dtype)], {"axis": 0})


def unsorted_segment_sum(data: Any, segment_ids: Any, num_segments: Any, name: Optional[str] = None) -> Tensor:
    """Sums of the rows of ``data`` sharing a segment id; empty segments are 0."""
    flat, ids, inner = _prepare(data, segment_ids, "unsorted_segment_sum")
    k = _num_segments(num_segments, "unsorted_segment_sum")
    flat, ids = _in_range(flat, ids, k)
    return _sum(flat, ids, k, inner)


def _counts(ids: Tensor, k: Any, dtype: Any) -> Tensor:
    ones = apply("fill_like", [cast(ids, dtype)], {"value": 1.0})
    return apply("unsorted_segment_sum", [ones, ids, _zeros(k, [], dtype)], {"axis": 0})


def _per_segment(counts: Tensor, inner: Any) -> Tensor:
    rank = len(inner) if isinstance(inner, list) else int(inner.shape[0])
    return reshape(counts, [-1] + [1] * rank)


def unsorted_segment_mean(data: Any, segment_ids: Any, num_segments: Any, name: Optional[str] = None) -> Tensor:
    """Means of the rows sharing a segment id; empty segments are 0."""
    flat, ids, inner = _prepare(data, segment_ids, "unsorted_segment_mean")
    k = _num_segments(num_segments, "unsorted_segment_mean")
    flat, ids = _in_range(flat, ids, k)
    return _sum(flat, ids, k, inner) / _per_segment(maximum(_counts(ids, k, flat.dtype), 1), inner)


def unsorted_segment_sqrt_n(data: Any, segment_ids: Any, num_segments: Any, name: Optional[str] = None) -> Tensor:
    """Sums divided by the square root of the segment sizes; empty segments are 0."""
    flat, ids, inner = _prepare(data, segment_ids, "unsorted_segment_sqrt_n")
    k = _num_segments(num_segments, "unsorted_segment_sqrt_n")
    flat, ids = _in_range(flat, ids, k)
    return _sum(flat, ids, k, inner) / _per_segment(sqrt(maximum(_counts(ids, k, flat.dtype), 1)), inner)


def _masked(data: Any, segment_ids: Any, num_segments: Any, op: str, fill: Any, reduce: Any) -> Tensor:
    from .fill_range_ops import range as range_

    flat, ids, inner = _prepare(data, segment_ids, op)
    k = _num_segments(num_segments, op)
    flat, ids = _in_range(flat, ids, k)
    n = flat.shape[0]
    if isinstance(k, int) and n is not None and isinstance(inner, list):
        total = k * n * int(np.prod(inner)) if inner else k * n
        if total > MASK_LIMIT:
            raise ValueError(
                f"{op} compares every element with every segment: {k} segments x {n} rows of {inner} is "
                f"{total} elements, above the limit of {MASK_LIMIT}; use fewer segments or reduce in parts"
            )
    groups = np.arange(k, dtype=np.int64) if isinstance(k, int) else range_(k, dtype="int64")
    member = equal(expand_dims(cast(ids, "int64"), 0), expand_dims(groups, 1))  # [k, n]
    rank = len(inner) if isinstance(inner, list) else int(inner.shape[0])
    member = reshape(member, concat([shape(member, out_type="int64"), np.ones(rank, np.int64)], 0))
    spread = expand_dims(flat, 0) + expand_dims(_zeros(k, inner, flat.dtype), 1)  # [k, n, *inner]
    return reduce(where(member, spread, fill(flat)), axis=1)


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


def _sorted(data: Any, segment_ids: Any, op: str) -> Any:
    """The number of segments of sorted ids (the last id + 1), after checking the ids as TensorFlow does."""
    data, ids = convert_to_tensor(data), convert_to_tensor(segment_ids)
    if ids.shape.rank is not None and ids.shape.rank != 1:
        raise InvalidArgumentError(f"segment_ids should be a vector, received shape {ids.shape}")
    rows, n = data.shape[0] if data.shape.rank else None, ids.shape[0]
    message = "segment_ids should be the same size as dimension 0 of input."
    if rows is not None and n is not None and rows != n:
        raise InvalidArgumentError(message)
    require(equal(size(ids, out_type="int64"), shape(data, out_type="int64")[0]), [], lambda _: message)
    ids = cast(ids, "int64")
    require(ids >= shifted(ids, -(2**62), False), [], lambda _: "segment ids are not increasing")
    k = reduce_max(concat([ids, convert_to_tensor([-1], dtype="int64")], 0)) + 1
    require(
        ids >= 0,
        [ids, k],
        lambda ok, v, m: (
            f"Segment id {v[first_false(ok)]} out of range [0, {m}), possibly because "
            "'segment_ids' input is not sorted."
        ),
    )
    return k if symbolic(k) else int(k.numpy())


def segment_sum(data: Any, segment_ids: Any, name: Optional[str] = None) -> Tensor:
    """``unsorted_segment_sum`` for sorted ids, with one segment per id up to the largest."""
    return unsorted_segment_sum(data, segment_ids, _sorted(data, segment_ids, "segment_sum"))


def segment_mean(data: Any, segment_ids: Any, name: Optional[str] = None) -> Tensor:
    return unsorted_segment_mean(data, segment_ids, _sorted(data, segment_ids, "segment_mean"))


def _empty_as_zero(result: Tensor, segment_ids: Any, k: Any) -> Tensor:
    """Sorted segment maxima and minima are 0 for ids that no row has (TensorFlow's rule)."""
    from .scatter_ops import boolean_mask

    ids = cast(reshape(convert_to_tensor(segment_ids), [-1]), "int64")
    ids = boolean_mask(ids, ids >= 0)
    present = _counts(ids, k, "int32") > 0
    mask = reshape(present, [-1] + [1] * (result.shape.rank - 1))
    return where(mask, result, apply("fill_like", [result], {"value": 0.0}))


def segment_max(data: Any, segment_ids: Any, name: Optional[str] = None) -> Tensor:
    """Maxima of the rows of each sorted segment id; ids no row has give 0."""
    k = _sorted(data, segment_ids, "segment_max")
    return _empty_as_zero(unsorted_segment_max(data, segment_ids, k), segment_ids, k)


def segment_min(data: Any, segment_ids: Any, name: Optional[str] = None) -> Tensor:
    """Minima of the rows of each sorted segment id; ids no row has give 0."""
    k = _sorted(data, segment_ids, "segment_min")
    return _empty_as_zero(unsorted_segment_min(data, segment_ids, k), segment_ids, k)


def segment_prod(data: Any, segment_ids: Any, name: Optional[str] = None) -> Tensor:
    return unsorted_segment_prod(data, segment_ids, _sorted(data, segment_ids, "segment_prod"))

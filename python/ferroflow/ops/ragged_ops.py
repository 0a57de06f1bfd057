"""Ops on ``RaggedTensor``s: construction (``tf.ragged.constant``, ``range``), indexing, elementwise math on
the flat values, reductions along any axis, ``concat``/``stack``/``tile``, ``boolean_mask`` and
``map_flat_values``. Values move through gathers and scatter-adds, so gradients reach them."""

from __future__ import annotations

import builtins
from typing import Any, Callable, Optional

import numpy as np

from ..framework.dtypes import as_dtype
from ..framework.ops import convert_to_tensor
from ..framework.ragged_tensor import RaggedTensor, _invalid
from ..framework.tensor import Tensor

# -- construction


def _depth(x: Any) -> int:
    """How many list levels a nested Python list has along its first elements (ignoring empty lists)."""
    if isinstance(x, (list, tuple)):
        depths = [_depth(v) for v in x]
        return 1 + (builtins.max(depths) if depths else 0)
    return 0


def constant(
    pylist: Any,
    dtype: Any = None,
    ragged_rank: Optional[int] = None,
    inner_shape: Any = None,
    name: Any = None,
    row_splits_dtype: Any = "int64",
) -> RaggedTensor:
    """``tf.ragged.constant``: a ragged tensor from nested Python lists of uneven lengths.

    By default every list level but the values is ragged (``[[1, 2], [3]]`` has ragged_rank 1);
    ``ragged_rank`` or ``inner_shape`` make the innermost levels uniform (their lists must then be of equal
    length). Python floats become float32 and ints int32, as in ``tf.constant``.
    """
    depth = _depth(pylist)
    if depth < 2:
        raise ValueError(f"tf.ragged.constant needs a nested list of rank at least 2, received {pylist!r}")
    rr = depth - 1 if ragged_rank is None else int(ragged_rank)
    if inner_shape is not None and ragged_rank is None:
        rr = depth - 1 - len(inner_shape)
    if not 1 <= rr < depth:
        raise ValueError(f"ragged_rank must be in [1, {depth - 1}] for a list of depth {depth}, received {rr}")
    partitions = []
    level = list(pylist)
    for _ in builtins.range(rr):
        partitions.append([len(r) if isinstance(r, (list, tuple)) else _not_list(r) for r in level])
        level = [v for r in level for v in r]
    try:
        arr = np.asarray(level)
    except ValueError:
        arr = np.asarray(level, dtype=object)
    if arr.dtype == object:
        raise ValueError(
            f"the innermost {depth - rr} list levels must be uniform for ragged_rank={rr}: found rows of "
            "different lengths there"
        )
    if not level:
        arr = np.zeros((0,) + tuple(inner_shape or ()), dtype=np.float32)
    from ..framework.ops import _python_default_dtype

    want = as_dtype(dtype) if dtype is not None else (_python_default_dtype(level) if level else None)
    values = convert_to_tensor(arr, dtype=want) if want is not None else convert_to_tensor(arr)
    if inner_shape is not None and level:
        from .array_ops import reshape

        values = reshape(values, [-1] + list(inner_shape))
    result: Any = values
    for lengths in reversed(partitions):
        result = RaggedTensor.from_row_lengths(result, lengths, validate=False)
    return result


def _not_list(r: Any) -> int:
    raise ValueError(f"tf.ragged.constant needs lists at every ragged level, found {r!r}")


def range(starts: Any, limits: Any = None, deltas: Any = 1, dtype: Any = None, name: Any = None) -> RaggedTensor:  # noqa: A001
    """``tf.ragged.range``: row ``i`` is ``range(starts[i], limits[i], deltas[i])``."""
    if limits is None:
        starts, limits = 0, starts
    s, lim, d = (np.asarray(v.numpy() if isinstance(v, Tensor) else v) for v in (starts, limits, deltas))
    s, lim, d = np.broadcast_arrays(s, lim, d)
    if s.ndim != 1:
        s, lim, d = s.reshape(-1), lim.reshape(-1), d.reshape(-1)
    if np.any(d == 0):
        raise _invalid("tf.ragged.range deltas must not be zero")
    rows = [np.arange(a, b, c) for a, b, c in zip(s, lim, d)]
    kind = np.result_type(s, lim, d)
    values = np.concatenate(rows).astype(kind) if rows else np.zeros(0, kind)
    if dtype is None:
        dtype = "int32" if kind.kind in "iu" else "float32"
    return RaggedTensor.from_row_lengths(convert_to_tensor(values, dtype=dtype), [len(r) for r in rows])


def row_splits_to_segment_ids(splits: Any, name: Any = None, out_type: Any = None) -> Tensor:
    s = np.asarray(splits.numpy() if isinstance(splits, Tensor) else splits, dtype=np.int64)
    return convert_to_tensor(np.repeat(np.arange(len(s) - 1, dtype=np.int64), np.diff(s)))


def segment_ids_to_row_splits(
    segment_ids: Any, num_segments: Any = None, out_type: Any = None, name: Any = None
) -> Tensor:
    ids = np.asarray(segment_ids.numpy() if isinstance(segment_ids, Tensor) else segment_ids, dtype=np.int64)
    n = int(num_segments) if num_segments is not None else (int(ids.max()) + 1 if ids.size else 0)
    return convert_to_tensor(np.concatenate([[0], np.cumsum(np.bincount(ids, minlength=n))]).astype(np.int64))


# -- elementwise


def map_flat_values(op: Callable, *args: Any, **kwargs: Any) -> Any:
    """Applies ``op`` to the flat values of the ragged arguments (which must share their row partitions)."""
    ragged = [a for a in list(args) + list(kwargs.values()) if isinstance(a, RaggedTensor)]
    if not ragged:
        return op(*args, **kwargs)
    first = ragged[0]
    for r in ragged[1:]:
        if not _same_partition(first, r):
            raise ValueError("map_flat_values needs ragged arguments with the same row partitions")
    unwrap = lambda a: a.flat_values if isinstance(a, RaggedTensor) else a  # noqa: E731
    out = op(*[unwrap(a) for a in args], **{k: unwrap(v) for k, v in kwargs.items()})
    return first.with_flat_values(out)


def _same_partition(a: RaggedTensor, b: RaggedTensor) -> bool:
    sa, sb = a.nested_row_splits, b.nested_row_splits
    return len(sa) == len(sb) and all(np.array_equal(x.numpy(), y.numpy()) for x, y in zip(sa, sb))


def elementwise_unary(fn: Callable, x: RaggedTensor) -> RaggedTensor:
    return x.with_flat_values(fn(x.flat_values))


def elementwise_binary(op: Any, a: Any, b: Any) -> RaggedTensor:
    """``op`` (a ``tf.math`` name) of two operands at least one of which is ragged.

    A ragged operand combines with a scalar, a ragged tensor of the same row partitions, or a dense
    tensor whose first dimension has one entry per row (``[nrows, 1]`` broadcasts along each row).
    """
    from .. import math as tf_math
    from ..framework.ops import truediv as tf_truediv

    fn = op if callable(op) else tf_truediv if op == "truediv" else getattr(tf_math, op)
    op = getattr(op, "__name__", op)
    if isinstance(a, RaggedTensor) and isinstance(b, RaggedTensor):
        if not _same_partition(a, b):
            lengths = (a.row_lengths_np().tolist(), b.row_lengths_np().tolist())
            raise _invalid(f"{op} of ragged tensors with different row lengths: {lengths[0]} and {lengths[1]}")
        return a.with_flat_values(fn(a.flat_values, b.flat_values))
    rt, other, ragged_first = (a, b, True) if isinstance(a, RaggedTensor) else (b, a, False)
    other_t = other
    if not isinstance(other, Tensor):
        arr = np.asarray(other)
        if arr.dtype == object:
            other = constant(other, dtype=rt.dtype)
            return elementwise_binary(op, rt, other) if ragged_first else elementwise_binary(op, other, rt)
        other_t = other
    rank = np.ndim(other_t) if not isinstance(other_t, Tensor) else other_t.shape.rank
    if rank == 0 or rank is None or rank < 1:
        result = fn(rt.flat_values, other) if ragged_first else fn(other, rt.flat_values)
        return rt.with_flat_values(result)
    dense = convert_to_tensor(other_t) if not isinstance(other_t, Tensor) else other_t
    if rt.ragged_rank == 1 and dense.shape.rank >= 2 and dense.shape[0] == rt.nrows_int() and dense.shape[1] == 1:
        from .array_ops import gather, squeeze

        per_value = gather(squeeze(dense, axis=1), rt.value_rowids_np())
        result = fn(rt.flat_values, per_value) if ragged_first else fn(per_value, rt.flat_values)
        return rt.with_flat_values(result)
    if rank < 2 or rank <= rt.ragged_rank:
        # Broadcasting over the innermost uniform dimensions of the flat values.
        result = fn(rt.flat_values, dense) if ragged_first else fn(dense, rt.flat_values)
        return rt.with_flat_values(result)
    raise ValueError(
        f"{op} of a ragged tensor of shape {rt.shape} and a dense tensor of shape {dense.shape}: expected a "
        "scalar, a ragged tensor with the same rows, or a dense tensor of shape [nrows, 1]"
    )


# -- indexing


def ragged_getitem(rt: RaggedTensor, key: Any) -> Any:
    """``rt[i]``, ``rt[a:b]``, ``rt[:, a:b]`` and deeper slices, ``rt[..., k]`` on uniform dimensions."""

    if not isinstance(key, tuple):
        key = (key,)
    if not key:
        return rt
    if key[0] is Ellipsis:
        if len(key) == 1:
            return rt
        uniform = rt.flat_values.shape.rank - 1
        rest = key[1:]
        if len(rest) > uniform:
            raise ValueError("cannot index into a ragged dimension with `...` first")
        full = (slice(None),) * (rt.ragged_rank + 1 + uniform - len(rest)) + rest
        return ragged_getitem(rt, full)
    head, rest = key[0], key[1:]
    n = rt.nrows_int()
    splits = rt._row_splits
    if isinstance(head, (int, np.integer)) or (isinstance(head, Tensor) and head.shape.rank == 0):
        i = int(head)
        if not -n <= i < n:
            raise _invalid(f"row index {i} is out of range for a ragged tensor of {n} rows")
        i %= n
        row = _take_values(rt._values, np.arange(splits[i], splits[i + 1], dtype=np.int64))
        return _index_row(row, rest)
    if isinstance(head, slice):
        rows = np.arange(n)[head]
        selected = _select_rows(rt, rows)
        if not rest:
            return selected
        return _index_inner(selected, rest)
    raise TypeError(f"ragged tensors are indexed by ints, slices and `...`, received {type(head).__name__}")


def _take_values(values: Any, index: np.ndarray) -> Any:
    from .array_ops import gather

    if isinstance(values, RaggedTensor):
        return _select_rows(values, index)
    return gather(values, index)


def _select_rows(rt: RaggedTensor, rows: np.ndarray) -> RaggedTensor:
    """The ragged tensor of the rows ``rows`` (in that order)."""
    splits = rt._row_splits
    lengths = np.diff(splits)[rows] if rows.size else np.zeros(0, np.int64)
    index = np.concatenate([np.arange(splits[r], splits[r + 1]) for r in rows] or [np.zeros(0)]).astype(np.int64)
    return RaggedTensor.from_row_lengths(_take_values(rt._values, index), lengths, validate=False)


def _index_row(row: Any, rest: tuple) -> Any:
    if not rest:
        return row
    if isinstance(row, RaggedTensor):
        return ragged_getitem(row, rest)
    return row[rest]


def _index_inner(rt: RaggedTensor, rest: tuple) -> Any:
    """Applies ``rest`` to every row of ``rt``: slices on the ragged dimension, anything on uniform ones."""
    head, tail = rest[0], rest[1:]
    if isinstance(head, slice):
        starts, lengths = rt._row_splits[:-1], rt.row_lengths_np()
        picks, new_lengths = [], []
        for s, n in zip(starts, lengths):
            idx = np.arange(n)[head]
            picks.append(idx + s)
            new_lengths.append(len(idx))
        index = np.concatenate(picks or [np.zeros(0)]).astype(np.int64)
        values = _take_values(rt._values, index)
        if tail:
            values = (
                _index_row(values, (slice(None),) + tail)
                if isinstance(values, RaggedTensor)
                else values[(slice(None),) + tail]
            )
        return RaggedTensor.from_row_lengths(values, new_lengths, validate=False)
    if isinstance(head, (int, np.integer)):
        raise ValueError("Cannot index into an inner ragged dimension: slice it (rt[:, a:b]) or use to_tensor()")
    raise TypeError(f"ragged tensors are indexed by ints, slices and `...`, received {type(head).__name__}")


# -- reductions


def reduce(kind: str, rt: RaggedTensor, axis: Any, keepdims: bool) -> Any:
    """``tf.reduce_<kind>`` of a ragged tensor over ``axis`` (None: every value)."""
    from . import math_ops
    from .array_ops import cast, expand_dims

    fn = {
        "sum": math_ops.reduce_sum,
        "mean": math_ops.reduce_mean,
        "max": math_ops.reduce_max,
        "min": math_ops.reduce_min,
        "prod": math_ops.reduce_prod,
    }[kind]
    values = rt.flat_values
    if kind == "mean" and values.dtype.is_integer:
        values = cast(values, "float64")
        rt = rt.with_flat_values(values)
    if axis is None:
        return fn(values)
    axes = [axis] if isinstance(axis, (int, np.integer)) else list(axis)
    rank = rt.rank
    axes = sorted({int(a) % rank for a in axes}, reverse=True)
    out: Any = rt
    for a in axes:
        out = _reduce_axis(kind, out, a) if isinstance(out, RaggedTensor) else fn(out, axis=a)
    if keepdims:
        for a in sorted(axes):
            out = expand_dims(out, a) if not isinstance(out, RaggedTensor) else out
    return out


def _fill_value(kind: str, dtype: Any) -> Any:
    dt = dtype.as_numpy_dtype
    if kind == "max":
        return np.finfo(dt).min if np.issubdtype(dt, np.floating) else np.iinfo(dt).min
    if kind == "min":
        return np.finfo(dt).max if np.issubdtype(dt, np.floating) else np.iinfo(dt).max
    return 1 if kind == "prod" else 0


def _reduce_axis(kind: str, rt: RaggedTensor, axis: int) -> Any:
    from . import math_ops
    from .segment_ops import unsorted_segment_sum

    fn = {
        "sum": math_ops.reduce_sum,
        "mean": math_ops.reduce_mean,
        "max": math_ops.reduce_max,
        "min": math_ops.reduce_min,
        "prod": math_ops.reduce_prod,
    }[kind]
    if axis >= rt.ragged_rank + 1:
        # A uniform inner dimension: reduce the flat values there.
        return rt.with_flat_values(fn(rt.flat_values, axis=axis - rt.ragged_rank))
    if axis >= 2:
        return rt.with_values(_reduce_axis(kind, rt.values, axis - 1))
    if axis == 1:
        values = rt.values
        if isinstance(values, RaggedTensor):
            # Rows of rows: combine the inner rows of each row element by element (pad, then reduce).
            dense = values.to_tensor(_fill_value(kind, values.dtype))
            padded = RaggedTensor.from_row_splits(dense, rt._row_splits, validate=False).to_tensor(
                _fill_value(kind, values.dtype)
            )
            return _from_padded(kind, padded, 1, rt)
        if kind in ("sum", "mean"):
            total = unsorted_segment_sum(values, rt.value_rowids_np(), rt.nrows_int())
            if kind == "sum":
                return total
            counts = rt.row_lengths_np().astype(values.dtype.as_numpy_dtype)
            return total / counts.reshape([-1] + [1] * (values.shape.rank - 1))
        padded = rt.to_tensor(_fill_value(kind, values.dtype))
        return fn(padded, axis=1)
    # axis 0: combine the rows position by position; positions past a row's end do not count.
    padded = rt.to_tensor(_fill_value(kind, rt.dtype)) if rt.ragged_rank == 1 else None
    if padded is None:
        raise NotImplementedError("reducing axis 0 of a tensor with more than one ragged dimension")
    if kind == "mean":
        lengths = rt.row_lengths_np()
        width = padded.shape[1]
        counts = np.array([(lengths > j).sum() for j in builtins.range(width)], dtype=padded.dtype.as_numpy_dtype)
        return math_ops.reduce_sum(padded, axis=0) / counts.reshape([-1] + [1] * (padded.shape.rank - 2))
    return fn(padded, axis=0)


def _from_padded(kind: str, padded: Tensor, axis: int, rt: RaggedTensor) -> Any:
    from . import math_ops

    fn = {
        "sum": math_ops.reduce_sum,
        "max": math_ops.reduce_max,
        "min": math_ops.reduce_min,
        "prod": math_ops.reduce_prod,
    }.get(kind)
    if fn is None:
        raise NotImplementedError(f"reduce_{kind} over axis 1 of a tensor with two ragged dimensions")
    return fn(padded, axis=axis)


# -- combining


def concat(values: list, axis: int = 0) -> RaggedTensor:
    """``tf.concat`` of ragged (and dense) tensors along the rows (``axis=0``) or within rows (``axis=1``)."""
    rts = [v if isinstance(v, RaggedTensor) else _to_ragged(v) for v in values]
    if axis == 0:
        flat = [r.values for r in rts]
        from .array_ops import concat as dense_concat

        joined = _concat_values(flat, dense_concat)
        lengths = np.concatenate([r.row_lengths_np() for r in rts])
        return RaggedTensor.from_row_lengths(joined, lengths, validate=False)
    if axis == 1:
        n = rts[0].nrows_int()
        if any(r.nrows_int() != n for r in rts):
            raise _invalid(
                f"concat along axis 1 needs the same number of rows, received {[r.nrows_int() for r in rts]}"
            )
        from .array_ops import concat as dense_concat

        joined = _concat_values([r.values for r in rts], dense_concat)
        offsets = np.cumsum([0] + [_nvals(r) for r in rts])
        index = []
        for i in builtins.range(n):
            for r, off in zip(rts, offsets):
                index.append(np.arange(r._row_splits[i], r._row_splits[i + 1]) + off)
        lengths = sum(r.row_lengths_np() for r in rts)
        idx = np.concatenate(index or [np.zeros(0)]).astype(np.int64)
        return RaggedTensor.from_row_lengths(_take_values(joined, idx), lengths, validate=False)
    raise NotImplementedError(f"concat of ragged tensors along axis {axis}; axes 0 and 1 are supported")


def _nvals(r: RaggedTensor) -> int:
    return int(r._row_splits[-1])


def _concat_values(values: list, dense_concat: Callable) -> Any:
    if all(isinstance(v, RaggedTensor) for v in values):
        return concat(values, axis=0)
    return dense_concat([convert_to_tensor(v) for v in values], 0)


def _to_ragged(value: Any) -> RaggedTensor:
    if isinstance(value, Tensor):
        return RaggedTensor.from_tensor(value)
    arr = np.asarray(value, dtype=object) if not isinstance(value, np.ndarray) else value
    if arr.dtype == object:
        return constant(value)
    return RaggedTensor.from_tensor(convert_to_tensor(value))


def stack(values: list, axis: int = 0, name: Any = None) -> RaggedTensor:
    """``tf.ragged.stack``: the tensors as rows of a new outer dimension (``axis=0``)."""
    if axis != 0:
        raise NotImplementedError("tf.ragged.stack along axis 0 is supported")
    rts = [v if isinstance(v, RaggedTensor) else _to_ragged(v) for v in values]
    inner = concat(rts, axis=0)
    return RaggedTensor.from_row_lengths(inner, [r.nrows_int() for r in rts], validate=False)


def tile(rt: RaggedTensor, multiples: Any) -> RaggedTensor:
    """``tf.tile`` of a ragged tensor of ragged_rank 1: rows repeated ``multiples[0]`` times, each row's
    values ``multiples[1]`` times."""
    reps = [int(m) for m in np.asarray(multiples.numpy() if isinstance(multiples, Tensor) else multiples).reshape(-1)]
    if rt.ragged_rank != 1 or len(reps) != rt.rank:
        raise NotImplementedError("tile of a ragged tensor of ragged_rank 1 with one multiple per dimension")
    if any(m != 1 for m in reps[2:]):
        from .tiling_ops import tile as dense_tile

        rt = rt.with_values(dense_tile(rt.values, [1] + reps[2:]))
    rows, within = reps[0], reps[1]
    index, lengths = [], []
    for _ in builtins.range(rows):
        for s, e in zip(rt._row_splits[:-1], rt._row_splits[1:]):
            index.append(np.tile(np.arange(s, e), within))
            lengths.append((e - s) * within)
    idx = np.concatenate(index or [np.zeros(0)]).astype(np.int64)
    return RaggedTensor.from_row_lengths(_take_values(rt.values, idx), lengths, validate=False)


def boolean_mask(data: Any, mask: Any, name: Any = None) -> Any:
    """``tf.ragged.boolean_mask``: the elements of ``data`` where ``mask`` is True, as a ragged tensor whose
    rows keep what each row of ``data`` kept. ``mask`` (dense or ragged) covers ``data``'s first dimensions."""
    from .array_ops import gather

    if isinstance(mask, RaggedTensor):
        if not isinstance(data, RaggedTensor) or mask.ragged_rank != 1:
            raise NotImplementedError("a ragged mask must match a ragged tensor of ragged_rank 1")
        keep = mask.flat_values.numpy().astype(bool)
        idx = np.flatnonzero(keep)
        lengths = [int(keep[s:e].sum()) for s, e in zip(mask._row_splits[:-1], mask._row_splits[1:])]
        return RaggedTensor.from_row_lengths(_take_values(data.values, idx), lengths, validate=False)
    m = np.asarray(mask.numpy() if isinstance(mask, Tensor) else mask, dtype=bool)
    if m.ndim == 1:
        rows = np.flatnonzero(m)
        if isinstance(data, RaggedTensor):
            return _select_rows(data, rows)
        return gather(convert_to_tensor(data), rows)
    if m.ndim == 2:
        if isinstance(data, RaggedTensor):
            raise NotImplementedError("a 2-D dense mask over a ragged tensor: pass the mask as a ragged tensor")
        x = convert_to_tensor(data)
        dims = x.shape.as_list()
        from .array_ops import reshape

        flat = reshape(x, [dims[0] * dims[1]] + dims[2:])
        idx = np.flatnonzero(m.reshape(-1))
        return RaggedTensor.from_row_lengths(gather(flat, idx), m.sum(axis=1), validate=False)
    raise NotImplementedError("boolean_mask with a mask of rank 1 or 2")

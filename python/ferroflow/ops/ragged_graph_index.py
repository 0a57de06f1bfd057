"""Selecting rows and indexing a ragged tensor whose row splits are graph tensors: ``rt[i]``, ``rt[a:b]``,
``rt[:, a:b]``, ``rt[..., k]`` and the row selection behind ``tf.gather``.

Rows are selected by gathering their value ranges (``ragged_partition_ops.ranges``), so gradients reach the
values. Slice bounds are Python ints (or None), as in most indexing; a row index may also be a scalar tensor.
"""

from __future__ import annotations

from typing import Any

from ..framework.ops import apply, convert_to_tensor
from ..framework.ragged_tensor import RaggedTensor
from ..framework.tensor import Tensor
from .array_ops import cast, gather, range, where, zeros_like
from .ragged_partition_ops import ranges, row_lengths


def _i64(x: Any) -> Tensor:
    t = convert_to_tensor(x)
    return t if t.dtype.name == "int64" else cast(t, "int64")


def take_values(values: Any, index: Tensor) -> Any:
    """The rows ``index`` of ``values`` (a tensor, or a ragged tensor)."""
    if isinstance(values, RaggedTensor):
        return select_rows(values, index)
    return gather(values, index)


def select_rows(rt: RaggedTensor, rows: Any) -> RaggedTensor:
    """The ragged tensor of ``rt``'s rows ``rows`` (a 1-D integer tensor), in that order."""
    rows = _i64(rows)
    splits = _i64(rt.row_splits)
    starts, lengths = gather(splits[:-1], rows), gather(row_lengths(splits), rows)
    new_splits, index = ranges(starts, lengths)
    return RaggedTensor.from_row_splits(take_values(rt.values, index), new_splits, validate=False)


def _clamp(x: Tensor, low: Any, high: Any) -> Tensor:
    return apply("minimum", [apply("maximum", [x, zeros_like(x) + low]), zeros_like(x) + high])


def _bound(value: Any, length: Tensor, default: Tensor) -> Tensor:
    """A Python slice bound as an index into sequences of ``length`` (elementwise), clamped as Python does."""
    if value is None:
        return default
    value = int(value)
    return _clamp(length + value if value < 0 else zeros_like(length) + value, 0, length)


def _check_slice(key: slice, what: str) -> None:
    for part in (key.start, key.stop, key.step):
        if part is not None and not isinstance(part, int):
            raise TypeError(f"{what} inside a graph is sliced by Python ints, received {key}")
    if key.step is not None and key.step < 1:
        raise NotImplementedError(f"{what} inside a graph supports positive slice steps, received {key.step}")


def _expand_ellipsis(rt: RaggedTensor, key: tuple) -> tuple:
    if Ellipsis not in key:
        return key
    at = key.index(Ellipsis)
    fill = rt.rank - (len(key) - 1)
    if fill < 0:
        raise ValueError(f"too many indices for a ragged tensor of rank {rt.rank}: {key}")
    return key[:at] + (slice(None),) * fill + key[at + 1 :]


def getitem(rt: RaggedTensor, key: Any) -> Any:
    """``rt[key]`` for a ragged tensor with graph row splits."""
    key = _expand_ellipsis(rt, key if isinstance(key, tuple) else (key,))
    if not key:
        return rt
    head, rest = key[0], key[1:]
    splits = _i64(rt.row_splits)
    n = rt.nrows()
    if isinstance(head, int) or (isinstance(head, Tensor) and head.shape.rank == 0 and head.dtype.is_integer):
        i = _i64(head)
        i = where(i < 0, i + n, i)
        row = take_values(rt.values, range(gather(splits, i), gather(splits, i + 1), dtype="int64"))
        if not rest:
            return row
        return getitem(row, rest) if isinstance(row, RaggedTensor) else row[rest]
    if isinstance(head, slice):
        _check_slice(head, "A RaggedTensor's rows")
        start = _bound(head.start, n, zeros_like(n))
        stop = _bound(head.stop, n, n)
        rows = range(start, apply("maximum", [stop, start]), head.step or 1, dtype="int64")
        selected = select_rows(rt, rows)
        return _index_inner(selected, rest) if rest else selected
    raise TypeError(f"ragged tensors are indexed by ints, slices and `...`, received {type(head).__name__}")


def _index_inner(rt: RaggedTensor, rest: tuple) -> Any:
    """``rest`` applied to every row: a slice of the ragged dimension, then the rest to each element."""
    head, tail = rest[0], rest[1:]
    if not isinstance(head, slice):
        if isinstance(head, int) or isinstance(head, Tensor):
            raise ValueError("Cannot index into an inner ragged dimension.")
        raise TypeError(f"ragged tensors are indexed by ints, slices and `...`, received {type(head).__name__}")
    _check_slice(head, "A ragged dimension")
    if head.step not in (None, 1):
        raise NotImplementedError("slicing a ragged dimension with a step inside a graph")
    splits = _i64(rt.row_splits)
    lengths = row_lengths(splits)
    start = _bound(head.start, lengths, zeros_like(lengths))
    stop = _bound(head.stop, lengths, lengths)
    new_splits, index = ranges(splits[:-1] + start, apply("maximum", [stop - start, zeros_like(start)]))
    values = take_values(rt.values, index)
    if tail:
        whole = (slice(None),) + tail
        values = getitem(values, whole) if isinstance(values, RaggedTensor) else values[whole]
    return RaggedTensor.from_row_splits(values, new_splits, validate=False)

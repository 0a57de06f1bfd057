"""Ops on ``RaggedTensor``s' values: elementwise math on the flat values (``map_flat_values``, operators,
``tf.math`` functions) and indexing. Values move through gathers, so gradients reach them."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from .._core import InvalidArgumentError
from ..framework.ops import convert_to_tensor
from ..framework.ragged_tensor import RaggedTensor
from ..framework.tensor import Tensor
from .ragged_factory_ops import constant

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
    from ..framework.graph_composites import GraphRaggedTensor

    if isinstance(a, GraphRaggedTensor) or isinstance(b, GraphRaggedTensor):
        # In a graph the splits are known only when it runs: the same split tensors, or splits that TensorFlow's
        # way checks to be equal after each run.
        if isinstance(a, GraphRaggedTensor) and a.same_partition(b):
            return True
        if a.ragged_rank != b.ragged_rank or a.flat_values.shape.rank != b.flat_values.shape.rank:
            return False
        _check_equal_splits(a.nested_row_splits, b.nested_row_splits)
        return True
    sa, sb = a.nested_row_splits, b.nested_row_splits
    return len(sa) == len(sb) and all(np.array_equal(x.numpy(), y.numpy()) for x, y in zip(sa, sb))


def _check_equal_splits(first: tuple, second: tuple) -> None:
    from ..framework.ragged_graph_factories import _check
    from .array_ops import cast, gather, range, shape
    from .math_derived_ops import reduce_all
    from .math_ops import equal, minimum

    for x, y in zip(first, second):
        x, y = cast(x, "int64"), cast(y, "int64")
        n, m = shape(x, out_type="int64")[0], shape(y, out_type="int64")[0]
        common = range(minimum(n, m), dtype="int64")
        same = reduce_all(equal(gather(x, common), gather(y, common)))
        _check(equal(n, m), "Inputs must have identical ragged splits")
        _check(same, "Inputs must have identical ragged splits")


def _partition_difference(a: RaggedTensor, b: RaggedTensor) -> str:
    """Where two ragged tensors' row partitions first differ, for an error message."""
    from ..framework.graph_composites import GraphRaggedTensor

    if isinstance(a, GraphRaggedTensor) or isinstance(b, GraphRaggedTensor):
        return "row partitions that are not the same tensors (in a graph, ragged operands must share them)"
    sa, sb = a.nested_row_splits, b.nested_row_splits
    if len(sa) != len(sb):
        return f"different ragged ranks: {len(sa)} and {len(sb)}"
    for level, (x, y) in enumerate(zip(sa, sb)):
        la, lb = np.diff(x.numpy()).tolist(), np.diff(y.numpy()).tolist()
        if la != lb:
            where = "" if level == 0 else f" in ragged dimension {level + 1}"
            return f"different row lengths{where}: {la[:20]} and {lb[:20]}"
    return "different row partitions"


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
            raise InvalidArgumentError(f"{op} of ragged tensors with {_partition_difference(a, b)}")
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
    from ..framework.graph_composites import GraphRaggedTensor

    if isinstance(rt, GraphRaggedTensor) and rt.ragged_rank == 1 and dense.shape.rank >= 2 and dense.shape[1] == 1:
        from .array_ops import gather, squeeze

        per_value = gather(squeeze(dense, axis=1), rt.value_rowids())
        return rt.with_flat_values(fn(rt.flat_values, per_value) if ragged_first else fn(per_value, rt.flat_values))
    if rt.ragged_rank == 1 and dense.shape.rank >= 2 and dense.shape[0] == rt.nrows_int() and dense.shape[1] == 1:
        from .array_ops import gather, squeeze

        per_value = gather(squeeze(dense, axis=1), rt.value_rowids_np())
        result = fn(rt.flat_values, per_value) if ragged_first else fn(per_value, rt.flat_values)
        return rt.with_flat_values(result)
    if rank < 2 or rank <= rt.ragged_rank:
        # Broadcasting over the innermost uniform dimensions of the flat values.
        result = fn(rt.flat_values, dense) if ragged_first else fn(dense, rt.flat_values)
        return rt.with_flat_values(result)
    uniform = rt.flat_values.shape.rank - 1
    outer = rank - min(rank, uniform)  # dense dimensions aligned with the rows and the ragged dimensions
    if rank <= rt.ragged_rank + 1 + uniform and all(d == 1 for d in dense.shape.as_list()[:outer]):
        # Size-1 dimensions against the ragged ones broadcast: the rest broadcasts over each value.
        from .array_ops import reshape

        inner = reshape(dense, dense.shape.as_list()[outer:])
        result = fn(rt.flat_values, inner) if ragged_first else fn(inner, rt.flat_values)
        return rt.with_flat_values(result)
    raise InvalidArgumentError(
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
            raise InvalidArgumentError(f"row index {i} is out of range for a ragged tensor of {n} rows")
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

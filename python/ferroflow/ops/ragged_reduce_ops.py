"""Reductions of ``RaggedTensor``s over any axis (``tf.reduce_sum(rt, axis=1)`` ...): per-row sums by
scatter-add, extremes over the rows padded with the reduction's identity."""

from __future__ import annotations

import builtins
from typing import Any

import numpy as np

from ..framework.ragged_tensor import RaggedTensor
from ..framework.tensor import Tensor


def _reducer(kind: str) -> Any:
    """The dense ``reduce_<kind>`` op."""
    from . import math_ops

    return getattr(math_ops, f"reduce_{kind}")


def reduce(kind: str, rt: RaggedTensor, axis: Any, keepdims: bool) -> Any:
    """``tf.reduce_<kind>`` of a ragged tensor over ``axis`` (None: every value)."""
    from .array_ops import cast, expand_dims

    fn = _reducer(kind)
    values = rt.flat_values
    if kind == "mean" and values.dtype.is_integer:
        values = cast(values, "float64")
        rt = rt.with_flat_values(values)
    if axis is None:
        return fn(values)
    axes = [axis] if isinstance(axis, (int, np.integer)) else list(axis)
    rank = rt.rank
    axes = sorted({int(a) % rank for a in axes}, reverse=True)
    if kind == "mean" and len(axes) > 1:
        # The mean over several axes is the sum over them divided by how many values they hold.
        from .array_ops import zeros_like

        ones = rt.with_flat_values(zeros_like(values) + 1)
        return reduce("sum", rt, axes, keepdims) / reduce("sum", ones, axes, keepdims)
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

    fn = _reducer(kind)
    from ..framework.graph_composites import GraphRaggedTensor

    if axis <= 1 and rt.ragged_rank == 2 and not isinstance(rt.values.values, RaggedTensor):
        return _two_ragged(kind, rt, axis)
    if isinstance(rt, GraphRaggedTensor) and axis <= 1:
        from .ragged_graph_ops import reduce_rows

        return reduce_rows(kind, rt, axis)
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


def _two_ragged(kind: str, rt: RaggedTensor, axis: int) -> RaggedTensor:
    """Axis 0 or 1 of a ``[N, None, None, ...]`` tensor: the inner rows combined position by position, as a
    ragged tensor whose rows are as long as the longest inner row combined (positions past a row's end do not
    count). Eager and graph ragged tensors alike."""
    from . import math_ops
    from .array_ops import cast, zeros_like

    inner_lengths = rt.with_values(rt.values.row_lengths()).to_tensor(0)  # [N, W1]
    widths = math_ops.maximum(math_ops.reduce_max(inner_lengths, axis=axis), 0)
    if kind == "mean":
        ones = rt.with_flat_values(cast(zeros_like(rt.flat_values), rt.dtype) + 1)
        counts = math_ops.reduce_sum(ones.to_tensor(0), axis=axis)
        combined = math_ops.reduce_sum(rt.to_tensor(0), axis=axis) / counts
    else:
        combined = _reducer(kind)(rt.to_tensor(_fill_value(kind, rt.dtype)), axis=axis)
    return RaggedTensor.from_tensor(combined, lengths=widths)


def _from_padded(kind: str, padded: Tensor, axis: int, rt: RaggedTensor) -> Any:

    if kind == "mean":
        raise NotImplementedError(f"reduce_{kind} over axis 1 of a tensor with two ragged dimensions")
    return _reducer(kind)(padded, axis=axis)

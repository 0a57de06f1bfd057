"""Ragged ops inside a graph: padding into a dense tensor and reducing over the rows, computed from the
graph tensors a ``GraphRaggedTensor`` carries (row ids, padded positions, the witness of the padded shape)."""

from __future__ import annotations

from typing import Any

from ..framework.graph_composites import GraphRaggedTensor, _graph_only
from ..framework.ops import apply, convert_to_tensor
from ..framework.ragged_tensor import RaggedTensor
from ..framework.tensor import Tensor
from .array_ops import cast, expand_dims, reshape, where, zeros


def _check_one_level(rt: GraphRaggedTensor, what: str) -> None:
    if isinstance(rt._values, RaggedTensor) or rt._witness is None:
        raise _graph_only("RaggedTensor", f"{what} with more than one ragged dimension")


def _inner_dims(values: Tensor, what: str) -> list:
    dims = list(values.shape)[1:]
    if any(d is None for d in dims):
        raise ValueError(f"{what} inside a graph needs the ragged tensor's inner dimensions known, received {dims}")
    return dims


def _scatter(values: Tensor, ids: Tensor, target: Tensor) -> Tensor:
    """``target`` (zeros) plus ``values`` scatter-added at rows ``ids`` (gradient: a gather)."""
    return apply("unsorted_segment_sum", [values, ids, target], {"axis": 0})


def to_tensor(rt: GraphRaggedTensor, default_value: Any, shape: Any) -> Tensor:
    """The rows padded (with ``default_value``, zero by default) into a ``[nrows, width, ...]`` tensor."""
    _check_one_level(rt, "to_tensor")
    if shape is not None:
        raise _graph_only("RaggedTensor", "to_tensor with a shape")
    values = rt._values
    inner = _inner_dims(values, "to_tensor")
    grid = cast(apply("reduce_sum", [rt._witness], {"axis": [-1], "keepdims": False}), values.dtype)
    # [nrows * width, *inner] zeros to scatter into, and [nrows, width, *inner] zeros to reshape like.
    flat_target = reshape(grid, [-1] + [1] * len(inner)) + zeros([1] + inner, dtype=values.dtype)
    full = grid
    for _ in inner:
        full = expand_dims(full, -1)
    if inner:
        full = full + zeros(inner, dtype=values.dtype)
    dense = apply("reshape_like", [_scatter(values, rt._positions, flat_target), full])
    if default_value is None:
        return dense
    ones = apply("fill_like", [values], {"value": 1.0})
    mask = apply("reshape_like", [_scatter(ones, rt._positions, flat_target), full])
    default = convert_to_tensor(default_value, dtype=values.dtype)
    return where(mask > 0, dense, full + default)


def reduce_rows(kind: str, rt: GraphRaggedTensor, axis: int) -> Any:
    """``reduce_<kind>`` over axis 0 or 1 of a graph ragged tensor with one ragged dimension."""
    from . import math_ops
    from .ragged_reduce_ops import _fill_value, _reducer

    _check_one_level(rt, f"reduce_{kind}")
    values = rt._values
    inner = _inner_dims(values, f"reduce_{kind}")
    if axis == 1 and kind in ("sum", "mean"):
        per_row = cast(apply("fill_like", [rt._graph_splits[1:]], {"value": 0.0}), values.dtype)
        target = reshape(per_row, [-1] + [1] * len(inner)) + zeros([1] + inner, dtype=values.dtype)
        total = _scatter(values, rt._graph_rowids, target)
        if kind == "sum":
            return total
        counts = cast(rt.row_lengths(), values.dtype)
        return total / reshape(counts, [-1] + [1] * len(inner))
    padded = to_tensor(rt, _fill_value(kind, values.dtype), None)
    if axis == 1:
        return _reducer(kind)(padded, axis=1)
    if kind == "mean":
        ones = rt.with_values(apply("fill_like", [values], {"value": 1.0}))
        counts = math_ops.reduce_sum(to_tensor(ones, None, None), axis=0)
        return math_ops.reduce_sum(to_tensor(rt, None, None), axis=0) / counts
    return _reducer(kind)(padded, axis=0)

"""Ragged ops computed from the row splits as tensors, so they run inside graphs (``GraphRaggedTensor``) as well
as eagerly: padding into a dense tensor, reducing over the rows, merging dimensions.

``to_tensor`` builds, level by level, the index of each dense position in the flat values (one past the last
value where it is padding) and gathers the flat values with a default row appended: any dtype (strings too),
any number of ragged dimensions, a target ``shape`` that pads or truncates, and a gather's gradient.
"""

from __future__ import annotations

from typing import Any, List, Optional

from ..framework.graph_composites import GraphRaggedTensor, _graph_only
from ..framework.ops import apply, convert_to_tensor
from ..framework.ragged_tensor import RaggedTensor
from ..framework.tensor import EagerTensor, Tensor
from .array_ops import cast, concat, gather, reshape, shape, where, zeros_like
from .ragged_partition_ops import grid, row_lengths, width


def _target_dims(rt: RaggedTensor, shape_arg: Any) -> List[Optional[int]]:
    """The wanted size of each of ``rt``'s dimensions (None: as large as the values need)."""
    rank = rt.rank
    if shape_arg is None:
        return [None] * rank
    if isinstance(shape_arg, EagerTensor):
        shape_arg = shape_arg.numpy().tolist()
    elif isinstance(shape_arg, Tensor):
        raise _graph_only("to_tensor with a shape given as a graph tensor")
    dims = list(shape_arg) if not hasattr(shape_arg, "as_list") else shape_arg.as_list()
    if len(dims) != rank:
        raise ValueError(f"to_tensor shape {dims} has rank {len(dims)}, the ragged tensor has rank {rank}")
    return [None if d is None or int(d) == -1 else int(d) for d in dims]


def _positions(rt: RaggedTensor, dims: List[Optional[int]], pad: Tensor) -> Tensor:
    """For each position of the dense tensor over ``rt``'s ragged dimensions, the index of its row in the flat
    values, or ``pad`` (the flat row count) where it is padding."""
    splits = cast(rt.row_splits, "int64")
    lengths, starts = row_lengths(splits), splits[:-1]
    nrows = shape(splits, out_type="int64")[0] - 1
    rows = nrows if dims[0] is None else convert_to_tensor(dims[0], dtype="int64")
    cols = width(splits) if dims[1] is None else convert_to_tensor(dims[1], dtype="int64")
    r, c = grid(rows, cols)
    # Rows past the last one are empty: index nrows of the lengths extended by one zero.
    row = apply("minimum", [r, zeros_like(r) + nrows])
    zero = convert_to_tensor([0], dtype="int64")
    length = gather(concat([lengths, zero], 0), row)
    start = gather(concat([starts, zero], 0), row)
    inside = c < length
    if isinstance(rt.values, RaggedTensor):
        inner = _positions(rt.values, [None] + dims[2:], pad)  # [nvalues, W2, ...]: every row of the values
        filler = apply("reduce_sum", [inner * 0], {"axis": [0], "keepdims": True}) + pad
        index = where(inside, start + c, zeros_like(c) + shape(inner, out_type="int64")[0])
        return gather(concat([inner, filler], 0), index)
    return where(inside, start + c, zeros_like(c) + pad)


def _default_row(values: Tensor, default_value: Any, inner: List[Optional[int]]) -> Tensor:
    """``[1, *inner]`` filled with ``default_value`` (zeros, or empty strings, when None)."""
    from .array_ops import broadcast_to

    if default_value is None:
        default_value = b"" if values.dtype.name == "string" else 0
    default = convert_to_tensor(default_value, dtype=values.dtype)
    if all(d is not None for d in inner):
        return broadcast_to(reshape(default, [1] + list(default.shape)), [1] + list(inner))
    if values.dtype.name == "string":
        raise _graph_only("to_tensor of strings with inner dimensions of unknown size")
    return apply("reduce_sum", [zeros_like(values)], {"axis": [0], "keepdims": True}) + default


def to_tensor(rt: RaggedTensor, default_value: Any, shape_arg: Any) -> Tensor:
    """The rows padded with ``default_value`` (zero by default) into a dense tensor, truncated or padded to
    ``shape_arg`` where it gives a size."""
    dims = _target_dims(rt, shape_arg)
    flat = rt.flat_values
    inner = list(flat.shape)[1:]
    for want, have in zip(dims[rt.ragged_rank + 1 :], inner):
        if want is not None and have is not None and want != have:
            raise ValueError(f"to_tensor shape {dims} does not match the values' inner dimensions {inner}")
    pad = shape(flat, out_type="int64")[0]
    index = _positions(rt, dims, pad)
    return gather(concat([flat, _default_row(flat, default_value, inner)], 0), index)


def reduce_rows(kind: str, rt: GraphRaggedTensor, axis: int) -> Any:
    """``reduce_<kind>`` over axis 0 or 1 of a graph ragged tensor."""
    from . import math_ops
    from .ragged_reduce_ops import _fill_value, _reducer

    values = rt._values
    if axis == 1 and kind in ("sum", "mean") and not isinstance(values, RaggedTensor):
        # Per-row sums by a scatter-add into zeros of shape [nrows, *inner].
        per_row = reshape(cast(zeros_like(rt.row_lengths()), values.dtype), [-1] + [1] * (values.shape.rank - 1))
        target = per_row + apply("reduce_sum", [zeros_like(values)], {"axis": [0], "keepdims": True})
        total = apply("unsorted_segment_sum", [values, rt.value_rowids(), target], {"axis": 0})
        if kind == "sum":
            return total
        counts = cast(rt.row_lengths(), values.dtype)
        return total / reshape(counts, [-1] + [1] * (values.shape.rank - 1))
    if kind == "mean" and isinstance(values, RaggedTensor):
        raise NotImplementedError(f"reduce_mean over axis {axis} of a tensor with more than one ragged dimension")
    if axis == 0 and isinstance(values, RaggedTensor):
        raise NotImplementedError("reducing axis 0 of a tensor with more than one ragged dimension")
    padded = to_tensor(rt, _fill_value(kind, rt.dtype), None)
    if axis == 1 or kind != "mean":
        return _reducer(kind)(padded, axis=axis)
    ones = rt.with_values(cast(zeros_like(values), values.dtype) + 1)
    counts = math_ops.reduce_sum(to_tensor(ones, None, None), axis=0)
    return math_ops.reduce_sum(to_tensor(rt, None, None), axis=0) / counts


def merge_dims(rt: RaggedTensor, outer_axis: int, inner_axis: int) -> Any:
    """``rt.merge_dims(outer_axis, inner_axis)``: the dimensions from ``outer_axis`` to ``inner_axis`` as one;
    merging into the first ragged dimension re-splits the rows (eager and graph ragged tensors alike)."""
    rank = rt.rank
    if rank is None:
        raise ValueError("merge_dims needs a ragged tensor of known rank")
    if not (-rank <= outer_axis < rank and -rank <= inner_axis < rank):
        raise ValueError(f"merge_dims axes ({outer_axis}, {inner_axis}) are out of range for rank {rank}")
    outer, inner = outer_axis % rank, inner_axis % rank
    if outer > inner:
        raise ValueError(f"merge_dims needs outer_axis <= inner_axis, received {outer_axis} and {inner_axis}")
    if outer == inner:
        return rt
    values = rt.values
    if outer == 0:
        return _merge_leading(values, inner - 1)
    if outer >= 2:
        return rt.with_values(merge_dims(values, outer - 1, inner - 1))
    merged = _merge_leading(values, inner - 1)
    splits = gather(_merged_offsets(values, inner - 1), cast(rt.row_splits, "int64"))
    return RaggedTensor.from_row_splits(merged, splits, validate=False)


def _merge_leading(values: Any, depth: int) -> Any:
    """``values`` with its axes ``0..depth`` merged into one."""
    if depth == 0:
        return values
    if isinstance(values, RaggedTensor):
        return merge_dims(values, 0, depth)
    dims = list(values.shape)
    return reshape(values, [-1] + dims[depth + 1 :])


def _merged_offsets(values: Any, depth: int) -> Tensor:
    """Where each row of ``values`` starts once its axes ``0..depth`` are merged (one entry past the end)."""
    from .array_ops import range as tf_range

    if isinstance(values, RaggedTensor):
        if depth == 0:
            return tf_range(values.nrows() + 1, dtype="int64")
        return gather(_merged_offsets(values.values, depth - 1), cast(values.row_splits, "int64"))
    dims = shape(values, out_type="int64")
    per_row = apply("reduce_prod", [dims[1 : depth + 1]], {"axis": None, "keepdims": False})
    return tf_range(dims[0] + 1, dtype="int64") * per_row

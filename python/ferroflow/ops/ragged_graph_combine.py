"""Combining ragged tensors whose row partitions are graph tensors: ``tf.concat`` along the rows (``axis=0``)
or within them (``axis=1``), ``tf.ragged.stack``, ``tf.ragged.boolean_mask`` and ``RaggedTensor.from_tensor``
of a graph tensor.

Row splits are shifted and concatenated; joining within rows gathers each output value from the input whose
part of the row it falls in. Values move through concats and gathers, so gradients reach them.
"""

from __future__ import annotations

import builtins
from typing import Any, List

from ..framework.graph_ragged_tensor import GraphRaggedTensor
from ..framework.ops import convert_to_tensor
from ..framework.ragged_tensor import RaggedTensor
from ..framework.tensor import EagerTensor, Tensor
from .array_ops import cast, gather, reshape, shape, where, zeros_like
from .array_ops import concat as dense_concat
from .array_ops import stack as dense_stack
from .ragged_graph_index import take_values
from .ragged_partition_ops import ranges, row_lengths, rowids_from_splits, splits_from_lengths


def is_graph(value: Any) -> bool:
    """Whether ``value`` is a graph tensor or a ragged tensor with graph partitions or values."""
    if isinstance(value, GraphRaggedTensor):
        return True
    if isinstance(value, RaggedTensor):
        return is_graph(value.values)
    return isinstance(value, Tensor) and not isinstance(value, EagerTensor)


def _nvals(values: Any) -> Tensor:
    if isinstance(values, RaggedTensor):
        return values.nrows()
    return shape(values, out_type="int64")[0]


def _splits(rt: RaggedTensor) -> Tensor:
    splits = convert_to_tensor(rt.row_splits)
    return splits if splits.dtype.name == "int64" else cast(splits, "int64")


def _as_ragged(value: Any, ragged_rank: int) -> RaggedTensor:
    if isinstance(value, RaggedTensor):
        return value
    return from_tensor(convert_to_tensor(value), None, None, ragged_rank)


def concat(values: List[Any], axis: int) -> RaggedTensor:
    """``tf.concat`` of ragged (and dense) tensors, along the rows (``axis=0``) or within them (``axis=1``)."""
    rank = builtins.max(v.rank if isinstance(v, RaggedTensor) else convert_to_tensor(v).shape.rank for v in values)
    axis = axis % rank if rank else axis
    rts = [_as_ragged(v, 1) for v in values]
    if axis == 0:
        return _rows(rts)
    if axis == 1:
        return _within(rts)
    raise NotImplementedError(f"concat of ragged tensors inside a graph along axis {axis}; axes 0 and 1 are supported")


def _joined_values(rts: List[RaggedTensor]) -> Any:
    values = [r.values for r in rts]
    if any(isinstance(v, RaggedTensor) for v in values):
        return _rows([_as_ragged(v, 1) for v in values])
    return dense_concat(values, 0)


def _rows(rts: List[RaggedTensor]) -> RaggedTensor:
    parts, offset = [_splits(rts[0])], _nvals(rts[0].values)
    for r in rts[1:]:
        parts.append(_splits(r)[1:] + offset)
        offset = offset + _nvals(r.values)
    return RaggedTensor.from_row_splits(_joined_values(rts), dense_concat(parts, 0), validate=False)


def _within(rts: List[RaggedTensor]) -> RaggedTensor:
    """Row ``i`` of the result is row ``i`` of each input, one after another."""
    from ..framework.ragged_graph_factories import _check
    from .array_ops import range as tf_range

    known = [r.shape[0] for r in rts if r.shape.rank is not None and r.shape[0] is not None]
    if len(set(known)) > 1:
        from .._core import InvalidArgumentError

        raise InvalidArgumentError(f"concat along axis 1 needs the same number of rows, received {known}")
    splits = [_splits(r) for r in rts]
    lengths = [row_lengths(s) for s in splits]
    for k, s in enumerate(splits[1:], 1):
        _check(
            shape(s)[0] == shape(splits[0])[0],
            f"Input tensors at index 0 and {k} have incompatible shapes: concat along axis 1 needs the same number "
            "of rows",
        )
    total = lengths[0]
    for n in lengths[1:]:
        total = total + n
    out_splits = splits_from_lengths(total)
    row = rowids_from_splits(out_splits)
    within = tf_range(out_splits[-1], dtype="int64") - gather(out_splits[:-1], row)
    # Each value comes from the last input whose part of its row starts at or before it.
    index = before = offset = zeros_like(within)
    for r, s, n in zip(rts, splits, lengths):
        index = where(within >= before, gather(s[:-1], row) + offset + within - before, index)
        before = before + gather(n, row)
        offset = offset + _nvals(r.values)
    return RaggedTensor.from_row_splits(take_values(_joined_values(rts), index), out_splits, validate=False)


def stack(values: List[Any]) -> RaggedTensor:
    """``tf.ragged.stack(values, axis=0)``: each input becomes one row of a new outer dimension."""
    rts = [_as_ragged(v, 1) for v in values]
    counts = dense_stack([r.nrows() for r in rts])
    return RaggedTensor.from_row_splits(_rows(rts), splits_from_lengths(counts), validate=False)


def from_tensor(tensor: Tensor, lengths: Any, padding: Any, ragged_rank: int) -> RaggedTensor:
    """The rows of a dense graph tensor (``[nrows, ncols, ...]``), cut to ``lengths`` or before the trailing
    ``padding``; ``ragged_rank`` > 1 makes the next dimensions ragged (uniform rows) too."""
    from .array_ops import range as tf_range

    dims = tensor.shape.as_list()
    if len(dims) < ragged_rank + 1:
        raise ValueError(f"from_tensor needs a tensor of rank at least {ragged_rank + 1}, received shape {dims}")
    if ragged_rank > 1:
        inner = from_tensor(reshape(tensor, [-1] + dims[2:]), None, None, ragged_rank - 1)
        sizes = shape(tensor, out_type="int64")
        splits = tf_range(0, sizes[0] * sizes[1] + 1, sizes[1], dtype="int64")
        outer = RaggedTensor.from_row_splits(inner, splits, validate=False)
        return outer if lengths is None and padding is None else _cut(outer, tensor, lengths, padding)
    sizes = shape(tensor, out_type="int64")
    flat = reshape(tensor, [-1] + dims[2:])
    uniform = RaggedTensor.from_row_splits(
        flat, tf_range(0, sizes[0] * sizes[1] + 1, sizes[1], dtype="int64"), validate=False
    )
    return uniform if lengths is None and padding is None else _cut(uniform, tensor, lengths, padding)


def _cut(uniform: RaggedTensor, tensor: Tensor, lengths: Any, padding: Any) -> RaggedTensor:
    """The rows of ``uniform`` (every row full) cut to ``lengths``, or to their last element that is not
    ``padding``."""
    from .array_ops import range as tf_range
    from .math_derived_ops import reduce_any
    from .math_ops import not_equal, reduce_max

    ncols = shape(tensor, out_type="int64")[1]
    if lengths is None:
        differs = not_equal(tensor, convert_to_tensor(padding, dtype=tensor.dtype))
        for _ in builtins.range(tensor.shape.rank - 2):
            differs = reduce_any(differs, axis=-1)
        column = tf_range(ncols, dtype="int64") + 1
        lengths = reduce_max(where(differs, zeros_like(cast(differs, "int64")) + column, zeros_like(column)), axis=1)
    lengths = convert_to_tensor(lengths)
    lengths = lengths if lengths.dtype.name == "int64" else cast(lengths, "int64")
    starts = _splits(uniform)[:-1]
    splits, index = ranges(starts, apply_minimum(lengths, ncols))
    return RaggedTensor.from_row_splits(take_values(uniform.values, index), splits, validate=False)


def apply_minimum(x: Tensor, bound: Tensor) -> Tensor:
    from ..framework.ops import apply

    return apply("minimum", [x, zeros_like(x) + bound])


def _true_positions(mask: Tensor) -> Tensor:
    """The positions where the 1-D bool ``mask`` holds, in order (a stable sort puts them first)."""
    from ..framework.ops import apply
    from .array_ops import range as tf_range
    from .math_ops import logical_not, reduce_sum

    count = reduce_sum(cast(mask, "int64"))
    order = apply("argsort", [cast(logical_not(mask), "int32")], {"descending": False})
    return gather(cast(order, "int64"), tf_range(count, dtype="int64"))


def boolean_mask(data: Any, mask: Any) -> Any:
    """``tf.ragged.boolean_mask`` with graph tensors: a ragged ``mask`` over a ragged ``data`` of the same rows,
    a 1-D mask selecting rows, or a 2-D mask over a dense ``data`` (rows keep what they kept)."""
    from ..framework.ops import apply

    if isinstance(mask, RaggedTensor):
        if not isinstance(data, RaggedTensor) or mask.ragged_rank != 1:
            raise NotImplementedError("a ragged mask must match a ragged tensor of ragged_rank 1")
        keep = convert_to_tensor(mask.flat_values)
        target = zeros_like(_splits(mask)[:-1])
        lengths = apply("unsorted_segment_sum", [cast(keep, "int64"), mask.value_rowids(), target], {"axis": 0})
        values = take_values(data.values, _true_positions(keep))
        return RaggedTensor.from_row_splits(values, splits_from_lengths(lengths), validate=False)
    mask = convert_to_tensor(mask)
    if mask.shape.rank == 1:
        return take_values(data, _true_positions(mask))
    if mask.shape.rank == 2 and not isinstance(data, RaggedTensor):
        from .math_ops import reduce_sum

        x = convert_to_tensor(data)
        flat = reshape(x, [-1] + x.shape.as_list()[2:])
        values = gather(flat, _true_positions(reshape(mask, [-1])))
        return RaggedTensor.from_row_splits(values, splits_from_lengths(reduce_sum(cast(mask, "int64"), axis=1)))
    raise NotImplementedError(
        "tf.ragged.boolean_mask inside a graph takes a ragged mask, or a dense one of rank 1 or 2"
    )

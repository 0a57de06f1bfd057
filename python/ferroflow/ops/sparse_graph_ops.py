"""Sparse ops inside a graph, on a ``GraphSparseTensor``'s graph tensors: densifying, sparse-dense products,
sums and embedding lookups. Sizes come from the static dense shape or from the shape of its witness."""

from __future__ import annotations

from typing import Any

from .._core import InvalidArgumentError
from ..framework.graph_composites import GraphSparseTensor
from ..framework.ops import apply, convert_to_tensor
from ..framework.tensor import Tensor
from .array_ops import cast, concat, expand_dims, gather, reshape, where, zeros


def _scatter(values: Tensor, ids: Tensor, target: Tensor) -> Tensor:
    """``target`` (zeros) plus ``values`` scatter-added at rows ``ids`` (gradient: a gather)."""
    return apply("unsorted_segment_sum", [values, ids, target], {"axis": 0})


def _rows_by(sp: GraphSparseTensor, axis: int) -> Tensor:
    return sp.indices[:, axis]


def to_dense(sp: GraphSparseTensor, default_value: Any) -> Tensor:
    """The dense tensor; ``default_value`` (zero) where no element is given."""
    if not (sp.dtype.is_floating or sp.dtype.is_integer or sp.dtype.is_complex):
        return _placed(sp, default_value)
    zeros_dense = sp.dense_zeros(sp.dtype)
    flat = sp.flat_index()
    flat_zeros = reshape(zeros_dense, [-1])
    dense = apply("reshape_like", [_scatter(sp.values, flat, flat_zeros), zeros_dense])
    if default_value is None or (not isinstance(default_value, Tensor) and default_value == 0):
        return dense
    ones = apply("fill_like", [sp.values], {"value": 1.0})
    mask = apply("reshape_like", [_scatter(ones, flat, flat_zeros), zeros_dense])
    default = convert_to_tensor(default_value, dtype=sp.dtype)
    return where(mask > 0, dense, zeros_dense + default)


def _placed(sp: GraphSparseTensor, default_value: Any) -> Tensor:
    """The dense tensor of values that have no sum (strings, bools): each position takes the element placed
    there (found by scattering element numbers 1..N) or the default, which is then element 0."""
    from .fill_range_ops import range as range_

    zero = b"" if sp.dtype.name == "string" else False
    default = convert_to_tensor(zero if default_value is None else default_value, dtype=sp.dtype)
    numbers = range_(1, apply("shape", [sp.values], {"out_type": "int64"})[0] + 1, dtype="int64")
    counts_zeros = cast(sp.dense_zeros("int32"), "int64")
    slot = _scatter(numbers, sp.flat_index(), reshape(counts_zeros, [-1]))
    dense = gather(concat([reshape(default, [1]), sp.values], 0), slot)
    return apply("reshape_like", [dense, counts_zeros])


def sparse_dense_matmul(sp: GraphSparseTensor, b: Tensor, adjoint_a: bool) -> Tensor:
    """A rank-2 sparse matrix (in a graph) times the dense ``b`` (already transposed for ``adjoint_b``)."""
    if len(sp.shape) != 2:
        raise ValueError(f"sparse_dense_matmul needs a rank-2 SparseTensor, received dense shape {sp.shape}")
    out_axis, inner_axis = (1, 0) if adjoint_a else (0, 1)
    inner = sp.shape[inner_axis]
    if inner is not None and b.shape[0] is not None and b.shape[0] != inner:
        raise InvalidArgumentError(
            f"sparse_dense_matmul: the sparse matrix has {inner} columns but the dense one {b.shape[0]} rows"
        )
    if sp.dtype != b.dtype:
        raise TypeError(f"sparse_dense_matmul of {sp.dtype.name} and {b.dtype.name}: cast one of them")
    contributions = gather(b, _rows_by(sp, inner_axis)) * expand_dims(sp.values, 1)
    cols = list(b.shape)[1:]
    if any(c is None for c in cols):  # the columns only known when the graph runs
        col_zeros = zeros(reshape(apply("shape", [b], {"out_type": "int64"})[1], [1]), dtype=b.dtype)
        target = expand_dims(sp.dim_zeros(out_axis, b.dtype), 1) + expand_dims(col_zeros, 0)
    else:
        target = expand_dims(sp.dim_zeros(out_axis, b.dtype), 1) + zeros([1] + cols, dtype=b.dtype)
    return _scatter(contributions, _rows_by(sp, out_axis), target)


def reduce_sum(sp: GraphSparseTensor, axis: Any, keepdims: bool) -> Tensor:
    """Sum over ``axis`` (every axis when None) of a graph sparse tensor's elements."""
    from .math_ops import reduce_sum as dense_reduce_sum

    rank = len(sp.shape)
    if axis is None:
        total = dense_reduce_sum(sp.values)
        return reshape(total, [1] * rank) if keepdims else total
    axes = sorted({int(a) % rank for a in (axis if isinstance(axis, (list, tuple)) else [axis])})
    kept = [i for i in range(rank) if i not in axes]
    if len(kept) == 1:
        # One dimension left (rows or columns of a matrix): scatter-add by that coordinate alone.
        out = _scatter(sp.values, _rows_by(sp, kept[0]), sp.dim_zeros(kept[0], sp.dtype))
    else:
        out = dense_reduce_sum(to_dense(sp, None), axis=axes)
    if keepdims:
        for a in axes:
            out = expand_dims(out, a)
    return out


def embedding_lookup_sparse(params: Tensor, ids: GraphSparseTensor, weights: Any, combiner: str) -> Tensor:
    """Per row of ``ids``, the ``combiner`` of the embeddings ``params[id]`` weighted by ``weights``."""
    from .array_ops import cast
    from .math_ops import sqrt

    rows = _rows_by(ids, 0)
    row_zeros = ids.dim_zeros(0, params.dtype)
    w = apply("fill_like", [cast(ids.values, params.dtype)], {"value": 1.0}) if weights is None else weights.values
    embedded = gather(params, ids.values) * reshape(w, [-1, 1])
    cols = list(params.shape)[1:]
    total = _scatter(embedded, rows, expand_dims(row_zeros, 1) + zeros([1] + cols, dtype=params.dtype))
    if combiner == "sum":
        return total
    weight = _scatter(w if combiner == "mean" else w * w, rows, row_zeros)
    if combiner == "sqrtn":
        weight = sqrt(weight)
    safe = where(weight > 0, weight, weight + 1)
    return total / reshape(safe, [-1, 1])

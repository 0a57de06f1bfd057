"""``tf.sparse`` ops that compute new indices, for ``GraphSparseTensor``s inside a graph.

Eagerly, NumPy works out a result's coordinates. In a graph the coordinates are tensors too, so these ops
compose graph ops: an element's row-major position (``flat_index``) orders (``argsort``) and merges
(``unique``) elements, and is turned back into coordinates by division; ``boolean_mask`` keeps the elements
a slice or ``retain`` selects. Values move through gathers and scatter-adds, so gradients reach them.
Positions assume indices inside ``dense_shape``, as TensorFlow's kernels do.
"""

from __future__ import annotations

from typing import Any, List, Optional

import numpy as np

from ..framework.graph_composites import GraphSparseTensor
from ..framework.ops import apply, convert_to_tensor
from ..framework.sparse_tensor import SparseTensor
from ..framework.tensor import EagerTensor, Tensor
from ..framework.tensor_shape import TensorShape
from .array_ops import cast, gather, reshape, stack, where, zeros
from .array_ops import concat as dense_concat


def as_graph(sp: SparseTensor) -> GraphSparseTensor:
    """``sp`` with graph components (an eager one's indices and shape become constants of the graph)."""
    if isinstance(sp, GraphSparseTensor):
        return sp
    return GraphSparseTensor(
        convert_to_tensor(sp._indices), sp.values, convert_to_tensor(sp._shape), TensorShape(sp._shape.tolist())
    )


def _dims(sp: GraphSparseTensor) -> List[Any]:
    """Each dimension: a Python int where the static shape knows it, else an int64 scalar of the graph."""
    return [d if d is not None else sp.dense_shape[i] for i, d in enumerate(sp.shape)]


def unravel(flat: Tensor, dims: List[Any]) -> Tensor:
    """Row-major positions back to ``[N, len(dims)]`` int64 coordinates."""
    cols = []
    rest = cast(flat, "int64")
    for d in reversed(dims[1:]):
        cols.append(rest % d)
        rest = rest // d
    cols.append(rest)
    return stack(cols[::-1], axis=1)


def _like(sp: GraphSparseTensor, indices: Tensor, values: Tensor) -> GraphSparseTensor:
    return GraphSparseTensor(indices, values, sp.dense_shape, sp.shape, sp._witness)


def _count_zeros(like: Tensor, dtype: Any) -> Tensor:
    """Zeros with ``like``'s (dynamic) length, of ``dtype``."""
    return cast(apply("fill_like", [like], {"value": 0.0}), dtype)


def from_dense(t: Tensor) -> GraphSparseTensor:
    """``tf.sparse.from_dense`` of a graph tensor: its non-zero elements in row-major order."""
    from .math_ops import not_equal

    flat_t = reshape(t, [-1])
    zero = "" if t.dtype.name == "string" else False if t.dtype.name == "bool" else 0
    flat = where(not_equal(flat_t, convert_to_tensor(zero, dtype=t.dtype)))[:, 0]
    shape_t = apply("shape", [t], {"out_type": "int64"}) if t.shape.rank else convert_to_tensor(np.zeros(0, np.int64))
    if not t.shape.is_fully_defined():
        shape_t = cast(_dynamic_shape(t), "int64")
    dims = [d if d is not None else shape_t[i] for i, d in enumerate(t.shape)]
    return GraphSparseTensor(unravel(flat, dims), gather(flat_t, flat), shape_t, TensorShape(t.shape._dim_list))


def _dynamic_shape(t: Tensor) -> Tensor:
    from .array_ops import shape

    return shape(t, out_type="int64")


def reorder(sp: GraphSparseTensor) -> GraphSparseTensor:
    """The elements in row-major order of their indices (a stable sort of their positions)."""
    from .sorting_ops import argsort

    order = argsort(sp.flat_index(), stable=True)
    return _like(sp, gather(sp.indices, order), gather(sp.values, order))


def add(a: SparseTensor, b: SparseTensor, threshold: Any) -> GraphSparseTensor:
    """Sparse + sparse: elements at the same index are summed (and dropped when the sum's magnitude is below
    ``threshold``); the result is in row-major order."""
    from .math_ops import abs as dense_abs
    from .math_ops import greater_equal, less, logical_or
    from .scatter_ops import boolean_mask
    from .sorting_ops import argsort, unique

    ga, gb = as_graph(a), as_graph(b)
    if ga.dtype != gb.dtype:
        raise TypeError(f"tf.sparse.add of {ga.dtype.name} and {gb.dtype.name} values: cast one of them")
    shape = ga.shape.merge_with(gb.shape)
    both = GraphSparseTensor(
        dense_concat([ga.indices, gb.indices], 0),
        dense_concat([ga.values, gb.values], 0),
        ga.dense_shape,
        shape,
        ga._witness,
    )
    positions, slot = unique(both.flat_index(), out_idx="int64")
    zeros_u = _count_zeros(positions, both.dtype)
    summed = apply("unsorted_segment_sum", [both.values, slot, zeros_u], {"axis": 0})
    order = argsort(positions, stable=True)
    indices = unravel(gather(positions, order), _dims(both))
    values = gather(summed, order)
    out = _like(both, indices, values)
    if threshold is None or (not isinstance(threshold, Tensor) and threshold == 0):
        return out
    ones = apply("fill_like", [both.values], {"value": 1.0})
    counts = gather(apply("unsorted_segment_sum", [cast(ones, "int64"), slot, _count_zeros(positions, "int64")]), order)
    limit = convert_to_tensor(threshold, dtype=values.dtype)
    keep = logical_or(less(counts, 2), greater_equal(dense_abs(values), limit))
    return _like(out, boolean_mask(indices, keep), boolean_mask(values, keep))


def retain(sp: GraphSparseTensor, to_retain: Any) -> GraphSparseTensor:
    """The elements whose flag in the bool vector ``to_retain`` is True."""
    from .scatter_ops import boolean_mask

    keep = convert_to_tensor(to_retain)
    if keep.dtype.name != "bool":
        raise TypeError(f"tf.sparse.retain needs a bool vector, received {keep.dtype.name}")
    return _like(sp, boolean_mask(sp.indices, keep), boolean_mask(sp.values, keep))


def slice(sp: GraphSparseTensor, start: Any, size: Any) -> GraphSparseTensor:  # noqa: A001
    """The elements inside the box ``start``..``start + size`` (clipped to the dense shape), with indices
    relative to ``start``."""
    from .math_derived_ops import reduce_all
    from .math_ops import greater_equal, less, logical_and, maximum, minimum
    from .scatter_ops import boolean_mask

    lo = cast(convert_to_tensor(start), "int64")
    hi = minimum(lo + cast(convert_to_tensor(size), "int64"), sp.dense_shape)
    inside = reduce_all(logical_and(greater_equal(sp.indices, lo), less(sp.indices, hi)), axis=1)
    new_shape = maximum(hi - lo, 0)
    static = TensorShape([None] * len(sp.shape))
    known = [_static_ints(x) for x in (start, size)]
    if all(k is not None for k in known) and sp.shape.is_fully_defined():
        lo_n, size_n = known
        static = TensorShape(np.maximum(np.minimum(lo_n + size_n, sp.shape.as_list()) - lo_n, 0).tolist())
    return GraphSparseTensor(boolean_mask(sp.indices, inside) - lo, boolean_mask(sp.values, inside), new_shape, static)


def _static_ints(x: Any) -> Optional[np.ndarray]:
    if isinstance(x, Tensor) and not isinstance(x, EagerTensor):
        return None
    return np.asarray(x.numpy() if isinstance(x, EagerTensor) else x, dtype=np.int64).reshape(-1)


def concat(axis: int, sps: List[SparseTensor], expand_nonconcat_dims: bool) -> GraphSparseTensor:
    """The tensors side by side along ``axis``: each one's indices shifted by the sizes before it."""
    from .math_ops import reduce_max, reduce_sum

    gs = [as_graph(s) for s in sps]
    rank = len(gs[0].shape)
    axis = int(axis) % rank
    onehot = np.zeros(rank, np.int64)
    onehot[axis] = 1
    offset: Any = convert_to_tensor(np.int64(0))
    indices = []
    for g in gs:
        indices.append(g.indices + offset * onehot)
        offset = offset + g.dense_shape[axis]
    shapes = stack([g.dense_shape for g in gs], axis=0)
    dense_shape = where(onehot.astype(bool), reduce_sum(shapes, axis=0), reduce_max(shapes, axis=0))
    static_dims = []
    for d in range(rank):
        dims = [g.shape[d] for g in gs]
        if any(x is None for x in dims):
            static_dims.append(None)
        elif d == axis:
            static_dims.append(sum(dims))
        else:
            if not expand_nonconcat_dims and len(set(dims)) > 1:
                raise ValueError(f"tf.sparse.concat needs equal dimensions off axis {axis}, received {dims}")
            static_dims.append(max(dims))
    values = dense_concat([g.values for g in gs], 0)
    out = GraphSparseTensor(dense_concat(indices, 0), values, dense_shape, TensorShape(static_dims))
    return reorder(out)


def transpose(sp: GraphSparseTensor, perm: Any) -> GraphSparseTensor:
    rank = len(sp.shape)
    order = list(range(rank))[::-1] if perm is None else [int(p) for p in perm]
    indices = gather(sp.indices, order, axis=1)
    shape = TensorShape([sp.shape[p] for p in order])
    return reorder(GraphSparseTensor(indices, sp.values, gather(sp.dense_shape, order), shape))


def expand_dims(sp: GraphSparseTensor, axis: int) -> GraphSparseTensor:
    rank = len(sp.shape)
    axis = int(axis) % (rank + 1)
    zero_col = reshape(cast(apply("fill_like", [sp.values], {"value": 0.0}), "int64"), [-1, 1])
    indices = dense_concat([sp.indices[:, :axis], zero_col, sp.indices[:, axis:]], 1)
    one = convert_to_tensor(np.ones(1, np.int64))
    dense_shape = dense_concat([sp.dense_shape[:axis], one, sp.dense_shape[axis:]], 0)
    dims = list(sp.shape._dim_list)
    return GraphSparseTensor(indices, sp.values, dense_shape, TensorShape(dims[:axis] + [1] + dims[axis:]))


def reshape_sparse(sp: GraphSparseTensor, shape: Any) -> GraphSparseTensor:
    """The same elements in a tensor of ``shape`` (one dimension may be -1): positions are kept."""
    from .math_ops import reduce_prod

    known = _static_ints(shape)
    total = reduce_prod(sp.dense_shape)
    dims: List[Any] = [int(d) for d in known]
    static: List[Any] = list(dims)
    if dims.count(-1) > 1:
        raise ValueError(f"tf.sparse.reshape: at most one dimension may be -1, received {dims}")
    if -1 in dims:
        at = dims.index(-1)
        rest = int(np.prod([d for d in dims if d != -1]))
        dims[at] = total // rest
        n = sp.shape.num_elements() if sp.shape.is_fully_defined() else None
        static[at] = None if n is None or rest == 0 else n // rest
    elif sp.shape.is_fully_defined() and int(np.prod(dims)) != sp.shape.num_elements():
        raise ValueError(f"tf.sparse.reshape cannot reshape a dense shape {sp.shape} into {known.tolist()}")
    dense_shape = cast(stack([convert_to_tensor(np.int64(d)) if isinstance(d, int) else d for d in dims]), "int64")
    return GraphSparseTensor(unravel(sp.flat_index(), dims), sp.values, dense_shape, TensorShape(static))


def reduce_max(sp: GraphSparseTensor, axis: Any, keepdims: bool) -> Tensor:
    """Maximum of the given elements over ``axis`` (missing ones left out); a group with none gives 0."""
    from .array_ops import expand_dims
    from .array_ops import range as range_
    from .math_derived_ops import reduce_any
    from .math_ops import equal, greater, reduce_sum
    from .math_ops import reduce_max as dense_reduce_max
    from .segment_ops import _lowest

    rank = len(sp.shape)
    if axis is None:
        # the lowest value joins the maximum, so that no element gives it (then 0), not an empty reduction
        count = reduce_sum(cast(apply("fill_like", [sp.values], {"value": 1.0}), "int64"))
        padded = dense_concat([sp.values, convert_to_tensor(_lowest(sp.values).reshape(1))], 0)
        total = where(greater(count, 0), dense_reduce_max(padded), zeros([], sp.dtype))
        return reshape(total, [1] * rank) if keepdims else total
    axes = sorted({int(a) % rank for a in (axis if isinstance(axis, (list, tuple)) else [axis])})
    kept = [i for i in range(rank) if i not in axes]
    out_dims = [sp.shape[i] for i in kept]
    dims = _dims(sp)
    if len(kept) > 1 and any(d is None for d in out_dims):
        # several kept dimensions of unknown size: the groups' maxima as a sparse tensor, densified
        from .sparse_graph_ops import to_dense
        from .sparse_reduce_ops import reduce_to_sparse

        return to_dense(reduce_to_sparse(sp, axis, keepdims, "max"), None)
    flat = cast(apply("fill_like", [sp.values], {"value": 0.0}), "int64")
    for i in kept:
        flat = flat * dims[i] + sp.indices[:, i]
    if all(d is not None for d in out_dims):
        k: Any = int(np.prod(out_dims)) if out_dims else 1
        groups: Any = np.arange(k, dtype=np.int64)
    else:  # one kept dimension, its size known when the graph runs
        k = cast(dims[kept[0]], "int64")
        groups = range_(k, dtype="int64")
    # each group's maximum over a [k, n] mask (n, the element count, is only known when the graph runs)
    member = equal(expand_dims(flat, 0), expand_dims(groups, 1))
    group_zeros = expand_dims(zeros(reshape(k, [1]) if isinstance(k, Tensor) else [k], sp.dtype), 1)
    spread = expand_dims(sp.values, 0) + group_zeros
    lowest = convert_to_tensor(_lowest(sp.values))
    best = dense_reduce_max(where(member, spread, group_zeros + lowest), axis=1)
    dense = where(reduce_any(member, axis=1), best, apply("fill_like", [best], {"value": 0.0}))
    if len(kept) > 1:
        dense = reshape(dense, out_dims)
    if keepdims:
        for a in axes:
            dense = expand_dims(dense, a)
    return dense

"""``tf.sparse``: converting, combining and multiplying ``SparseTensor``s.

Coordinates are worked out with NumPy (they are known eagerly); values move through gathers and
scatter-adds (``unsorted_segment_sum``), so gradients reach a sparse tensor's values and the dense
operands of ``sparse_dense_matmul``.
"""

from __future__ import annotations

from typing import Any, List, Optional

import numpy as np

from .._core import InvalidArgumentError
from ..framework.graph_composites import GraphSparseTensor
from ..framework.ops import convert_to_tensor
from ..framework.sparse_tensor import SparseTensor, _known, from_dense  # noqa: F401
from ..framework.tensor import Tensor
from ._sparse_args import _combine, _graph, _sparse
from .array_ops import gather, reshape, where, zeros
from .segment_ops import unsorted_segment_sum
from .sparse_shape_ops import expand_dims, reorder, reset_shape, reshape_sparse, transpose  # noqa: F401


def to_dense(sp_input: Any, default_value: Any = None, validate_indices: bool = True, name: Any = None) -> Tensor:
    """``tf.sparse.to_dense``: the dense tensor, ``default_value`` (zero) where no element is given."""
    sp = _sparse(sp_input, "tf.sparse.to_dense")
    if isinstance(sp, GraphSparseTensor):
        from . import sparse_graph_ops

        return sparse_graph_ops.to_dense(sp, default_value)
    outside = np.any((sp._indices < 0) | (sp._indices >= sp._shape), axis=1) if sp._indices.size else []
    if np.any(outside):
        k = int(np.flatnonzero(outside)[0])
        raise InvalidArgumentError(
            f"indices[{k}] = [{','.join(map(str, sp._indices[k]))}] is out of bounds: need 0 <= index < "
            f"[{','.join(map(str, sp._shape))}]"
        )
    flat = sp.flat_index()
    if validate_indices and len(flat) > 1:
        # As TensorFlow's SparseToDense: each index must come after the one before it in row-major order.
        step = np.diff(flat)
        bad = np.flatnonzero(step <= 0)
        if len(bad):
            k = int(bad[0]) + 1
            where_k = f"indices[{k}] = [{','.join(map(str, sp._indices[k]))}]"
            if step[k - 1] == 0:
                raise InvalidArgumentError(f"{where_k} is repeated")
            raise InvalidArgumentError(
                f"{where_k} is out of order. Many sparse ops require sorted indices.\n"
                "    Use `tf.sparse.reorder` to create a correctly ordered copy.\n\n"
            )
    size = int(np.prod(sp._shape)) if len(sp._shape) else 1
    if sp.dtype.name in ("string", "bool"):
        # Strings and bools have no sum: place the values in an array of the default (b"" or False).
        if sp.dtype.name == "string":
            out = np.full(size, b"" if default_value is None else _as_bytes(default_value), dtype=object)
        else:
            out = np.full(size, False if default_value is None else bool(np.asarray(default_value)), dtype=bool)
        out[flat] = sp.values.numpy().reshape(-1)
        return convert_to_tensor(out.reshape(sp._shape.tolist()), dtype=sp.dtype)
    dense = reshape(unsorted_segment_sum(sp.values, flat, size), sp._shape.tolist())
    if default_value is None or default_value == 0:
        return dense
    mask = np.zeros(size, bool)
    mask[flat] = True
    default = convert_to_tensor(default_value, dtype=sp.dtype)
    return where(mask.reshape(sp._shape), dense, zeros(sp._shape.tolist(), dtype=sp.dtype) + default)


def _as_bytes(v: Any) -> bytes:
    if isinstance(v, Tensor):
        v = v.numpy()
    return v.encode() if isinstance(v, str) else bytes(v)


def retain(sp_input: Any, to_retain: Any) -> SparseTensor:
    """The elements where the bool vector ``to_retain`` is True."""
    sp = _sparse(sp_input, "tf.sparse.retain")
    if _graph(sp):
        return _combine().retain(sp, to_retain)
    keep = np.asarray(to_retain.numpy() if isinstance(to_retain, Tensor) else to_retain, dtype=bool)
    if keep.shape != (len(sp._indices),):
        raise ValueError(f"retain needs one flag per element ({len(sp._indices)}), received shape {keep.shape}")
    rows = np.flatnonzero(keep)
    return SparseTensor(sp._indices[rows], gather(sp.values, rows), sp._shape)


def slice(sp_input: Any, start: Any, size: Any, name: Any = None) -> SparseTensor:  # noqa: A001
    """The elements inside the box ``start``..``start + size``, with indices relative to ``start``."""
    sp = _sparse(sp_input, "tf.sparse.slice")
    if _graph(sp):
        return _combine().slice(sp, start, size)
    lo, extent = _known(start, "start").reshape(-1), _known(size, "size").reshape(-1)
    hi = np.minimum(lo + extent, sp._shape)
    inside = np.all((sp._indices >= lo) & (sp._indices < hi), axis=1) if len(sp._indices) else np.zeros(0, bool)
    rows = np.flatnonzero(inside)
    return SparseTensor(sp._indices[rows] - lo, gather(sp.values, rows), np.maximum(hi - lo, 0))


def concat(axis: int, sp_inputs: List[Any], name: Any = None, expand_nonconcat_dims: bool = False) -> SparseTensor:
    """``tf.sparse.concat(axis, sp_inputs)``: the tensors side by side along ``axis``."""
    from .array_ops import concat as dense_concat

    sps = [_sparse(s, "tf.sparse.concat") for s in sp_inputs]
    if _graph(*sps):
        return _combine().concat(axis, sps, expand_nonconcat_dims)
    rank = len(sps[0]._shape)
    axis = int(axis) % rank
    others = [np.delete(s._shape, axis) for s in sps]
    if not expand_nonconcat_dims and any(not np.array_equal(o, others[0]) for o in others):
        raise ValueError(
            f"tf.sparse.concat needs equal dimensions off axis {axis}, received {[s._shape.tolist() for s in sps]}"
        )
    offset, indices = 0, []
    for s in sps:
        shifted = s._indices.copy()
        shifted[:, axis] += offset
        indices.append(shifted)
        offset += int(s._shape[axis])
    shape = np.max([s._shape for s in sps], axis=0)
    shape[axis] = offset
    values = dense_concat([s.values for s in sps], 0)
    return reorder(SparseTensor(np.concatenate(indices), values, shape))


def add(a: Any, b: Any, threshold: Any = 0, name: Any = None) -> Any:
    """``tf.sparse.add``: sparse + sparse (a sparse sum, duplicates combined) or sparse + dense (dense)."""
    if isinstance(a, SparseTensor) and isinstance(b, SparseTensor):
        if _graph(a, b):
            return _combine().add(a, b, threshold)
        if not np.array_equal(a._shape, b._shape):
            raise InvalidArgumentError(f"tf.sparse.add of dense shapes {a._shape.tolist()} and {b._shape.tolist()}")
        from .array_ops import concat as dense_concat

        # Indices merged as rows (not row-major positions), so indices outside dense_shape pass, as in TF.
        both = np.concatenate([a._indices, b._indices]).reshape(-1, len(a._shape))
        indices, position, counts = np.unique(both, axis=0, return_inverse=True, return_counts=True)
        position = position.reshape(-1)
        values = unsorted_segment_sum(dense_concat([a.values, b.values], 0), position, len(indices))
        out = SparseTensor(indices.astype(np.int64), values, a._shape)
        if threshold:  # only sums of two elements are dropped when small, as TensorFlow's kernel does
            keep = (counts < 2) | (np.abs(values.numpy()) >= float(threshold))
            out = retain(out, keep)
        return out
    sp, dense = (a, b) if isinstance(a, SparseTensor) else (b, a)
    return to_dense(_sparse(sp, "tf.sparse.add")) + convert_to_tensor(dense)


def reduce_sum(
    sp_input: Any, axis: Any = None, keepdims: bool = False, output_is_sparse: bool = False, name: Any = None
) -> Any:
    """Sum over ``axis`` (all axes when None) of a sparse tensor's elements (missing ones count as 0)."""
    from .math_ops import reduce_sum as dense_reduce_sum

    sp = _sparse(sp_input, "tf.sparse.reduce_sum")
    if output_is_sparse:
        from .sparse_reduce_ops import reduce_to_sparse

        return reduce_to_sparse(sp, axis, keepdims, "sum")
    if isinstance(sp, GraphSparseTensor):
        from . import sparse_graph_ops

        return sparse_graph_ops.reduce_sum(sp, axis, keepdims)
    if axis is None:
        total = dense_reduce_sum(sp.values)
        return reshape(total, [1] * len(sp._shape)) if keepdims else total
    return _reduce_groups(sp, axis, keepdims, output_is_sparse, lambda v, ids, n: unsorted_segment_sum(v, ids, n))


def reduce_max(
    sp_input: Any, axis: Any = None, keepdims: bool = False, output_is_sparse: bool = False, name: Any = None
) -> Any:
    """Maximum over ``axis`` (all axes when None) of a sparse tensor's given elements: missing ones are
    left out, not taken as 0 (``[-5, (0), -3]`` gives -3); a group with no elements gives 0."""
    from .math_ops import reduce_max as dense_reduce_max
    from .segment_ops import unsorted_segment_max

    sp = _sparse(sp_input, "tf.sparse.reduce_max")
    if output_is_sparse:
        from .sparse_reduce_ops import reduce_to_sparse

        return reduce_to_sparse(sp, axis, keepdims, "max")
    if _graph(sp):
        return _combine().reduce_max(sp, axis, keepdims)
    if axis is None:
        total = dense_reduce_max(sp.values) if sp._indices.shape[0] else zeros([], sp.dtype)
        return reshape(total, [1] * len(sp._shape)) if keepdims else total

    def group_max(values: Tensor, ids: np.ndarray, n: int) -> Tensor:
        present = np.zeros(n, bool)
        present[ids] = True
        return where(present, unsorted_segment_max(values, ids, n), zeros([n], values.dtype))

    return _reduce_groups(sp, axis, keepdims, output_is_sparse, group_max)


def _reduce_groups(sp: SparseTensor, axis: Any, keepdims: bool, output_is_sparse: bool, reduce: Any) -> Any:
    """``reduce(values, group ids, number of groups)`` over the elements sharing their coordinates off ``axis``."""
    rank = len(sp._shape)
    axes = sorted({int(a) % rank for a in (axis if isinstance(axis, (list, tuple)) else [axis])})
    keep_axes = [i for i in range(rank) if i not in axes]
    out_shape = sp._shape[keep_axes]
    coords = sp._indices[:, keep_axes]
    strides = np.cumprod(np.concatenate([[1], out_shape[::-1][:-1]]))[::-1] if len(out_shape) else np.zeros(0, np.int64)
    flat = (coords * strides).sum(axis=1).astype(np.int64)
    size = int(np.prod(out_shape)) if len(out_shape) else 1
    dense = reshape(reduce(sp.values, flat, size), out_shape.tolist())
    if keepdims:
        dense = reshape(dense, [1 if i in axes else int(d) for i, d in enumerate(sp._shape)])
    return from_dense(dense) if output_is_sparse else dense


def sparse_dense_matmul(
    sp_a: Any, b: Any, adjoint_a: bool = False, adjoint_b: bool = False, name: Optional[str] = None
) -> Tensor:
    """``tf.sparse.sparse_dense_matmul``: a rank-2 sparse matrix times a dense matrix, without densifying.

    Each stored element ``a[i, k]`` contributes ``a[i, k] * b[k, :]`` to row ``i`` of the product: a gather
    of b's rows and a scatter-add into the output rows, so the cost follows the number of stored elements.
    """
    from .array_ops import expand_dims as expand_dense
    from .array_ops import transpose as transpose_dense

    if isinstance(b, SparseTensor) and not isinstance(sp_a, SparseTensor):
        # dense @ sparse as (op(b)^T @ op(a)^T)^T, as TensorFlow does.
        product = sparse_dense_matmul(b, sp_a, adjoint_a=not adjoint_b, adjoint_b=not adjoint_a)
        return transpose_dense(product)
    sp = _sparse(sp_a, "sparse_dense_matmul")
    if isinstance(sp, GraphSparseTensor):
        from . import sparse_graph_ops

        b = convert_to_tensor(b)
        return sparse_graph_ops.sparse_dense_matmul(sp, transpose_dense(b) if adjoint_b else b, adjoint_a)
    if len(sp._shape) != 2:
        raise ValueError(f"sparse_dense_matmul needs a rank-2 SparseTensor, received dense_shape {sp._shape.tolist()}")
    b = convert_to_tensor(b)
    if b.shape.rank != 2:
        raise ValueError(f"sparse_dense_matmul needs a rank-2 dense operand, received shape {b.shape}")
    if adjoint_b:
        b = transpose_dense(b)
    rows, cols = (sp._indices[:, 1], sp._indices[:, 0]) if adjoint_a else (sp._indices[:, 0], sp._indices[:, 1])
    n_out = int(sp._shape[1] if adjoint_a else sp._shape[0])
    inner = int(sp._shape[0] if adjoint_a else sp._shape[1])
    if b.shape[0] != inner:
        raise InvalidArgumentError(
            f"sparse_dense_matmul: the sparse matrix has {inner} columns but the dense one {b.shape[0]} rows"
        )
    if sp.dtype != b.dtype:
        raise TypeError(f"sparse_dense_matmul of {sp.dtype.name} and {b.dtype.name}: cast one of them")
    contributions = gather(b, cols) * expand_dense(sp.values, 1)
    return unsorted_segment_sum(contributions, rows, n_out)


def map_values(op: Any, *args: Any, **kwargs: Any) -> SparseTensor:
    """Applies ``op`` to the values of the sparse arguments (which must share their indices)."""
    sparse = [a for a in list(args) + list(kwargs.values()) if isinstance(a, SparseTensor)]
    if not sparse:
        raise ValueError("tf.sparse.map_values needs at least one SparseTensor argument")
    first = sparse[0]
    for s in sparse[1:]:
        if isinstance(s, GraphSparseTensor) or isinstance(first, GraphSparseTensor):
            if s.indices is not first.indices:
                raise ValueError("tf.sparse.map_values inside a graph needs sparse arguments with the same indices")
        elif not np.array_equal(s._indices, first._indices):
            raise InvalidArgumentError("tf.sparse.map_values needs sparse arguments with the same indices")
    unwrap = lambda a: a.values if isinstance(a, SparseTensor) else a  # noqa: E731
    return first.with_values(op(*[unwrap(a) for a in args], **{k: unwrap(v) for k, v in kwargs.items()}))


def __getattr__(name: str) -> Any:
    if name == "embedding_lookup_sparse":  # in its own module, which imports this one
        from .sparse_embedding_ops import embedding_lookup_sparse

        return embedding_lookup_sparse
    raise AttributeError(name)

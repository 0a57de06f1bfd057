"""``tf.sparse`` ops on the index order and shape of a sparse tensor (reorder, transpose, reshape ...)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._core import InvalidArgumentError
from ..framework.sparse_tensor import SparseTensor, _known
from ..framework.tensor import EagerTensor, Tensor
from ._sparse_args import _combine, _graph, _sparse
from .array_ops import gather


def reorder(sp_input: Any, name: Any = None) -> SparseTensor:
    """The same tensor with its elements in row-major order of their indices."""
    sp = _sparse(sp_input, "tf.sparse.reorder")
    if _graph(sp):
        return _combine().reorder(sp)
    order = np.argsort(sp.flat_index(), kind="stable")
    return SparseTensor(sp._indices[order], gather(sp.values, order), sp._shape)


def reset_shape(sp_input: Any, new_shape: Any = None) -> SparseTensor:
    """A new dense shape (by default the tightest one that holds every index)."""
    from ..framework.tensor_shape import TensorShape
    from ._graph_checks import require
    from ._sparse_compose import make_sparse, symbolic
    from .array_ops import cast, concat, zeros
    from .math_derived_ops import reduce_all
    from .math_ops import greater_equal, reduce_max

    sp = _sparse(sp_input, "tf.sparse.reset_shape")
    rank = len(sp.shape)
    if new_shape is None:
        # the largest index + 1 in each dimension (0 without elements)
        shape = reduce_max(concat([sp.indices, zeros([1, rank], "int64") - 1], 0), axis=0) + 1
        return make_sparse(sp.indices, sp.values, shape, TensorShape([None] * rank))
    from ..framework.ops import convert_to_tensor

    shape = cast(convert_to_tensor(new_shape), "int64")
    if shape.shape.rank != 1 or shape.shape[0] not in (None, rank):
        raise ValueError(f"Dimensions {shape.shape[0] if shape.shape.rank else 0} and {rank} are not compatible")

    def describe(_: Any, new: np.ndarray, old: np.ndarray) -> str:
        # the two shapes named as TensorFlow's message names them
        return (
            "Requested new_shape should have dimension sizes >= sp_input.shape.  Found new_shape "
            f"({np.array2string(old)}), sp_input.shape ({np.array2string(new)})."
        )

    grows = reduce_all(greater_equal(shape, sp.dense_shape))
    if not symbolic(shape, sp.dense_shape) and not bool(grows.numpy()):
        raise ValueError(describe(None, shape.numpy(), sp.dense_shape.numpy()))
    require(grows, [shape, sp.dense_shape], describe)
    static = TensorShape([None] * rank) if symbolic(shape) else TensorShape(shape.numpy().tolist())
    return make_sparse(sp.indices, sp.values, shape, static)


def transpose(sp_input: Any, perm: Any = None, name: Any = None) -> SparseTensor:
    sp = _sparse(sp_input, "tf.sparse.transpose")
    if _graph(sp):
        return _combine().transpose(sp, perm)
    rank = len(sp._shape)
    order = list(range(rank))[::-1] if perm is None else [int(p) for p in perm]
    return reorder(SparseTensor(sp._indices[:, order], sp.values, sp._shape[order]))


def expand_dims(sp_input: Any, axis: int = -1, name: Any = None) -> SparseTensor:
    sp = _sparse(sp_input, "tf.sparse.expand_dims")
    if _graph(sp):
        return _combine().expand_dims(sp, axis)
    rank = len(sp._shape)
    axis = int(axis) % (rank + 1)
    indices = np.insert(sp._indices, axis, 0, axis=1)
    return SparseTensor(indices, sp.values, np.insert(sp._shape, axis, 1))


def reshape_sparse(sp_input: Any, shape: Any, name: Any = None) -> SparseTensor:
    """``tf.sparse.reshape``: the same elements (in the same row-major positions) in a tensor of ``shape``,
    one of whose dimensions may be -1."""
    sp = _sparse(sp_input, "tf.sparse.reshape")
    if isinstance(shape, Tensor) and not isinstance(shape, EagerTensor):
        return _reshape_dynamic(_combine().as_graph(sp), shape)
    if _graph(sp):
        return _combine().reshape_sparse(sp, shape)
    dims = _known(shape, "shape").reshape(-1)
    total = int(np.prod(sp._shape))
    if np.sum(dims == -1) > 1:
        raise InvalidArgumentError(f"only one output dimension may be -1, not both in {dims.tolist()}")
    rest = int(np.prod(dims[dims != -1]))
    out = np.where(dims == -1, total // rest if rest else 0, dims)
    # TensorFlow's messages name both shapes, the -1 filled in
    shapes = f". input_shape=[{','.join(map(str, sp._shape))}] output_shape=[{','.join(map(str, out))}]"
    if -1 in dims and (rest == 0 or total % rest):
        raise InvalidArgumentError(
            f"Input to reshape is a SparseTensor with {total} dense values, but the "
            f"requested shape requires a multiple of {rest}{shapes}"
        )
    dims = out
    if int(np.prod(dims)) != total:
        raise InvalidArgumentError(
            f"Input to reshape is a tensor with {total} dense values, but the requested shape has "
            f"{int(np.prod(dims))}{shapes}"
        )
    indices = (
        np.stack(np.unravel_index(sp.flat_index(), dims), axis=1) if len(dims) else np.zeros((len(sp._indices), 0))
    )
    return SparseTensor(indices.astype(np.int64).reshape(-1, len(dims)), sp.values, dims)


def _reshape_dynamic(sp: Any, shape: Tensor) -> SparseTensor:
    """``tf.sparse.reshape`` to a shape only known when the graph runs (its length known): a -1 takes what
    the other dimensions leave; the sizes must agree (``InvalidArgumentError`` after the run)."""
    from ..framework.graph_composites import GraphSparseTensor
    from ..framework.tensor_shape import TensorShape
    from ._graph_checks import require
    from .array_ops import cast, where
    from .math_ops import equal, reduce_prod

    dims = cast(shape, "int64")
    rank = dims.shape[0] if dims.shape.rank == 1 else None
    if rank is None:
        raise ValueError(f"tf.sparse.reshape inside a graph needs a new shape of known length, received {dims.shape}")
    total = reduce_prod(sp.dense_shape)
    given = dims
    free = equal(dims, -1)
    rest = reduce_prod(where(free, dims * 0 + 1, dims))
    dims = where(free, dims * 0 + total // where(equal(rest, 0), rest + 1, rest), dims)

    def describe(_: Any, n: np.ndarray, asked: np.ndarray, before: np.ndarray, after: np.ndarray) -> str:
        # TensorFlow's messages, for a shape with a -1 and for one without
        known = int(np.prod(asked[asked != -1]))
        shapes = f". input_shape=[{','.join(map(str, before))}] output_shape=[{','.join(map(str, after))}]"
        if -1 in asked:
            return (
                f"Input to reshape is a SparseTensor with {n} dense values, but the requested shape requires a "
                f"multiple of {known}{shapes}"
            )
        return f"Input to reshape is a tensor with {n} dense values, but the requested shape has {known}{shapes}"

    require(equal(reduce_prod(dims), total), [total, given, sp.dense_shape, dims], describe)
    indices = _combine().unravel(sp.flat_index(), [dims[i] for i in range(rank)])
    return GraphSparseTensor(indices, sp.values, dims, TensorShape([None] * rank))

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
    sp = _sparse(sp_input, "tf.sparse.reset_shape")
    if new_shape is None:
        shape = sp._indices.max(axis=0) + 1 if len(sp._indices) else np.zeros_like(sp._shape)
    else:
        shape = _known(new_shape, "new_shape").reshape(-1)
        if len(shape) != len(sp._shape) or np.any(shape < sp._shape):
            raise ValueError(f"reset_shape cannot shrink dense_shape {sp._shape.tolist()} to {shape.tolist()}")
    return SparseTensor(sp._indices, sp.values, shape)


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
    if _graph(sp) or (isinstance(shape, Tensor) and not isinstance(shape, EagerTensor)):
        return _combine().reshape_sparse(_combine().as_graph(sp), shape)
    dims = _known(shape, "shape").reshape(-1)
    total = int(np.prod(sp._shape))
    if np.sum(dims == -1) > 1:
        raise InvalidArgumentError(f"only one output dimension may be -1, not both in {dims.tolist()}")
    if -1 in dims:
        rest = int(np.prod(dims[dims != -1]))
        if rest == 0 or total % rest:
            raise InvalidArgumentError(
                f"Input to reshape is a SparseTensor with {total} dense values, but the "
                f"requested shape requires a multiple of {rest}"
            )
        dims = np.where(dims == -1, total // rest, dims)
    if int(np.prod(dims)) != total:
        raise InvalidArgumentError(
            f"Input to reshape is a tensor with {total} dense values, but the requested shape has {int(np.prod(dims))}"
        )
    indices = (
        np.stack(np.unravel_index(sp.flat_index(), dims), axis=1) if len(dims) else np.zeros((len(sp._indices), 0))
    )
    return SparseTensor(indices.astype(np.int64).reshape(-1, len(dims)), sp.values, dims)

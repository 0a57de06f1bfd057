"""Between ragged and sparse: ``RaggedTensor.to_sparse`` and ``RaggedTensor.from_sparse``.

Both are written with tensor ops (``where``, ``gather``, ``concat``) so they work the same on eager ragged
tensors and on the graph ragged tensors of a traced function, and the values keep their gradient path.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._core import InvalidArgumentError
from .sparse_tensor import SparseTensor
from .tensor import EagerTensor


def _row_indices(rt: Any) -> Any:
    """An int64 ``[n_values, ragged_rank + 1]`` matrix: the ragged coordinates of each item of ``rt.values``
    at the innermost ragged level (row ids at every level, then the position within the row)."""
    from ..ops.array_ops import concat, gather, stack
    from ..ops.array_ops import range as range_
    from .ragged_tensor import RaggedTensor

    rowids = rt.value_rowids()
    # Position within the row: the item's index in ``values`` less its row's start.
    cols = range_(0, rt.row_splits[-1], dtype="int64") - gather(rt.row_splits, rowids)
    outer = stack([rowids, cols], axis=1)
    if not isinstance(rt.values, RaggedTensor):
        return outer
    inner = _row_indices(rt.values)
    return concat([gather(outer, inner[:, 0]), inner[:, 1:]], axis=1)


def to_sparse(rt: Any) -> SparseTensor:
    """The same items as a ``SparseTensor`` of the ragged tensor's bounding shape, in row-major order."""
    from ..ops.array_ops import cast, concat, gather, ones_like, reshape, where

    ragged = _row_indices(rt)
    flat = rt.flat_values
    if flat.shape.rank == 1:
        indices = ragged
    else:
        # Every position of the uniform inner dimensions, in row-major order, below its ragged coordinates.
        dense = where(cast(ones_like(flat), "bool"))
        indices = concat([gather(ragged, dense[:, 0]), dense[:, 1:]], axis=1)
    return SparseTensor(indices, reshape(flat, [-1]), rt.bounding_shape(out_type="int64"))


def from_sparse(st_input: Any) -> Any:
    """Row ``i`` holds, in order, the values of ``st_input`` whose first index is ``i`` (a rank-2 sparse
    tensor whose indices are in row-major order, as TensorFlow requires)."""
    from .ragged_tensor import RaggedTensor

    if not isinstance(st_input, SparseTensor):
        raise TypeError(f"from_sparse expects a SparseTensor, received {type(st_input).__name__}")
    rank = st_input.indices.shape[1] if st_input.indices.shape.rank == 2 else None
    if rank is not None and rank != 2:
        raise ValueError(f"rank(st_input) must be 2, received a sparse tensor of rank {rank}")
    if isinstance(st_input.indices, EagerTensor):
        _check_right_ragged(st_input.indices.numpy())
    return RaggedTensor.from_value_rowids(
        st_input.values, st_input.indices[:, 0], nrows=st_input.dense_shape[0], validate=False
    )


def _check_right_ragged(indices: np.ndarray) -> None:
    """TensorFlow's check: rows in order, and each row's columns exactly ``0, 1, ...`` (no gaps)."""
    rows, cols = indices[:, 0], indices[:, 1]
    starts = np.searchsorted(rows, rows, side="left") if rows.size else rows
    if np.any(np.diff(rows) < 0) or np.any(cols != np.arange(rows.size) - starts):
        raise InvalidArgumentError(f"SparseTensor is not right-ragged: indices = {indices.tolist()}")

"""``tf.sparse.bincount``: how often each value occurs in a dense, ragged or sparse tensor, as a
``SparseTensor`` holding the bins that occur (TensorFlow's ``*CountSparseOutput`` ops)."""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from .._core import InvalidArgumentError
from ..framework.dtypes import as_dtype
from ..framework.sparse_tensor import SparseTensor


def _rows_and_values(x: Any, axis: int) -> tuple:
    """The row of each value (all 0 for ``axis=0``), the values, the number of rows and the values' dtype."""
    from ..framework.ops import convert_to_tensor
    from ..framework.ragged_tensor import RaggedTensor

    if isinstance(x, SparseTensor):
        shape = x.dense_shape.numpy()
        values, rows = x.values.numpy(), x.indices.numpy()[:, 0] if len(shape) else np.zeros(0, np.int64)
        nrows, dtype = (int(shape[0]) if len(shape) else 1), x.dtype
        rank = len(shape)
    elif isinstance(x, RaggedTensor):
        values = x.flat_values.numpy()
        rows, nrows, dtype, rank = x.value_rowids().numpy(), int(x.nrows()), x.dtype, 2
    else:
        t = convert_to_tensor(x)
        arr, dtype, rank = t.numpy(), t.dtype, t.shape.rank
        if rank not in (1, 2):
            raise InvalidArgumentError(f"Input must be a 1 or 2-dimensional tensor. Got: {list(arr.shape)}")
        nrows = arr.shape[0] if rank == 2 else 1
        rows = np.repeat(np.arange(nrows), arr.shape[1]) if rank == 2 else np.zeros(arr.size, np.int64)
        values = arr.reshape(-1)
    if axis == 0 or rank == 1:
        rows, nrows = np.zeros(len(values), np.int64), 1
    return np.asarray(rows, np.int64), np.asarray(values), nrows, dtype


def bincount(
    values: Any,
    weights: Any = None,
    axis: Optional[int] = 0,
    minlength: Optional[int] = None,
    maxlength: Optional[int] = None,
    binary_output: bool = False,
    name: Optional[str] = None,
) -> SparseTensor:
    """``tf.sparse.bincount``: the count (or summed weight, or 1 with ``binary_output``) of each value, over
    the whole input with ``axis=0`` or per row of a 2-D input with ``axis=-1``; the output's last dimension
    is the largest value plus one, at most ``maxlength`` (larger values are left out), at least
    ``minlength``."""
    _eager_only(values, weights)
    if axis is None:
        axis = 0
    if axis not in (0, -1):
        raise ValueError(f"Unsupported value for argument axis={axis}. Only 0 and -1 are currently supported.")
    rows, vals, nrows, dtype = _rows_and_values(values, axis)
    vals = vals.astype(np.int64)
    if len(vals) and vals.min() < 0:
        raise InvalidArgumentError("Input values must all be non-negative")
    if weights is not None:
        _, w, _, out_dtype = _rows_and_values(weights, axis)
        if len(w) != len(vals):
            raise InvalidArgumentError("Weights and values must have the same shape.")
    else:
        w, out_dtype = np.ones(len(vals)), dtype
    size = int(vals.max()) + 1 if len(vals) else 1
    if maxlength is not None and maxlength > 0:
        keep = vals < maxlength
        rows, vals, w = rows[keep], vals[keep], w[keep]
        size = min(size, int(maxlength))
    if minlength is not None and minlength > 0:
        size = max(size, int(minlength))
    keys, where = np.unique(rows * size + vals, return_inverse=True)
    totals = np.ones(len(keys)) if binary_output else np.bincount(where.reshape(-1), w, len(keys))
    np_dtype = as_dtype(out_dtype).as_numpy_dtype
    if len(keys) == 0:
        keys = np.zeros(0, np.int64)
    pos = np.stack([keys // size, keys % size], axis=1) if axis == -1 and _per_row(values) else None
    if pos is None:
        indices, shape = (keys % size).reshape(-1, 1), [size]
    else:
        indices, shape = pos, [nrows, size]
    return SparseTensor(indices.astype(np.int64), totals.astype(np_dtype), shape)


def _eager_only(*args: Any) -> None:
    """tf.sparse.bincount works out its output's coordinates eagerly: graph tensors are refused clearly."""
    from ..framework.graph_composites import GraphSparseTensor
    from ..framework.ragged_tensor import RaggedTensor
    from ..framework.tensor import EagerTensor, Tensor

    for a in args:
        parts = [a.flat_values] if isinstance(a, RaggedTensor) else [a.values] if isinstance(a, SparseTensor) else [a]
        if isinstance(a, GraphSparseTensor) or any(
            isinstance(p, Tensor) and not isinstance(p, EagerTensor) for p in parts
        ):
            raise NotImplementedError(
                "tf.sparse.bincount is not supported inside tf.function (or a Keras model's graph) yet: its "
                "output's indices are worked out eagerly"
            )


def _per_row(values: Any) -> bool:
    """Whether ``axis=-1`` counts per row: the input is 2-D (ragged, sparse or dense)."""
    from ..framework.ops import convert_to_tensor
    from ..framework.ragged_tensor import RaggedTensor

    if isinstance(values, RaggedTensor):
        return True
    if isinstance(values, SparseTensor):
        return len(values.dense_shape.numpy()) == 2
    return convert_to_tensor(values).shape.rank == 2

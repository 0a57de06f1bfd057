"""``tf.io.serialize_sparse``, ``serialize_many_sparse`` and ``deserialize_many_sparse``: a ``SparseTensor`` as
serialized ``TensorProto`` strings (indices, values, dense shape), as TensorFlow writes them."""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from .._core import InvalidArgumentError
from ..framework.dtypes import as_dtype, int64, string
from ..framework.sparse_tensor import SparseTensor
from .parsing_ops import parse_tensor, serialize_tensor


def _check_out_type(out_type: Any) -> None:
    if as_dtype(out_type) != string:
        raise NotImplementedError(f"out_type {as_dtype(out_type).name}: only tf.string is supported")


def _triple(indices: Any, values: Any, shape: Any) -> list:
    from .array_ops import stack

    return stack([serialize_tensor(indices), serialize_tensor(values), serialize_tensor(shape)])


def serialize_sparse(sp_input: SparseTensor, out_type: Any = string, name: Optional[str] = None) -> Any:
    """``tf.io.serialize_sparse``: a string vector of 3, the serialized indices, values and dense shape."""
    _check_out_type(out_type)
    sp = SparseTensor.from_value(sp_input)
    return _triple(sp.indices, sp.values, sp.dense_shape)


def serialize_many_sparse(sp_input: SparseTensor, out_type: Any = string, name: Optional[str] = None) -> Any:
    """``tf.io.serialize_many_sparse``: an ``[N, 3]`` string matrix, row ``i`` the serialized minibatch entry
    ``i`` (its indices without the first column, its dense shape without the first dimension)."""
    from .array_ops import gather, stack

    _check_out_type(out_type)
    sp = SparseTensor.from_value(sp_input)
    shape = sp.dense_shape.numpy()
    if len(shape) < 2:
        raise InvalidArgumentError(f"Rank of input SparseTensor should be > 1, but saw rank: {len(shape)}")
    indices = sp.indices.numpy()
    rows = []
    for b in range(int(shape[0])):
        where = np.flatnonzero(indices[:, 0] == b).astype(np.int64)
        rows.append(_triple(indices[where, 1:].reshape(-1, len(shape) - 1), gather(sp.values, where), shape[1:]))
    if not rows:
        from .array_ops import reshape

        return reshape(stack([""] * 3), [1, 3])[:0]
    return stack(rows)


def deserialize_many_sparse(
    serialized_sparse: Any, dtype: Any, rank: Optional[int] = None, name: Optional[str] = None
) -> SparseTensor:
    """``tf.io.deserialize_many_sparse``: the ``SparseTensor`` whose minibatch entries the ``[N, 3]`` rows
    hold; its dense shape is ``N`` then each dimension's largest size among the entries."""
    from ..framework.ops import convert_to_tensor
    from .array_ops import concat

    rows = convert_to_tensor(serialized_sparse, dtype=string)
    if rows.shape.rank != 2 or rows.shape[1] != 3:
        raise InvalidArgumentError(f"Serialized sparse should be a matrix with 3 columns, got shape {rows.shape}")
    dtype = as_dtype(dtype)
    indices, values, shapes = [], [], []
    for b in range(int(rows.shape[0])):
        ind = parse_tensor(rows[b, 0], int64).numpy()
        values.append(parse_tensor(rows[b, 1], dtype))
        shapes.append(parse_tensor(rows[b, 2], int64).numpy())
        if shapes[0].shape != shapes[-1].shape:
            raise InvalidArgumentError(
                f"Inconsistent shape across SparseTensors: rank prior to SparseTensor[{b}] was: "
                f"{len(shapes[0])} but rank of SparseTensor[{b}] is: {len(shapes[-1])}"
            )
        indices.append(
            np.concatenate([np.full((len(ind), 1), b, np.int64), ind.reshape(len(ind), len(shapes[-1]))], axis=1)
        )
    if not shapes:
        width = 1 if rank is None else rank
        return SparseTensor(np.zeros((0, width), np.int64), np.zeros(0, dtype.as_numpy_dtype), [0] * width)
    shape = np.concatenate([[len(shapes)], np.max(np.stack(shapes), axis=0)]).astype(np.int64)
    return SparseTensor(np.concatenate(indices), concat(values, 0), shape)

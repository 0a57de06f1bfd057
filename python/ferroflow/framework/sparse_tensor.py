"""``tf.sparse.SparseTensor``: a tensor given by the coordinates and values of its non-default elements.

``indices`` (int64 ``[N, rank]``) and ``dense_shape`` (int64 ``[rank]``) are known eagerly (NumPy);
``values`` (``[N]``) is an ordinary tensor, so ops that compute with it are differentiated by the tape.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._core import InvalidArgumentError
from .dtypes import DType
from .tensor import EagerTensor, Tensor
from .tensor_shape import TensorShape


def _known(x: Any, what: str, dtype: Any = np.int64) -> np.ndarray:
    if isinstance(x, Tensor):
        if not isinstance(x, EagerTensor):
            raise ValueError(
                f"{what} must be known eagerly: building a SparseTensor from graph tensors is not supported yet "
                "(pass the SparseTensor to the tf.function as an argument instead)"
            )
        x = x.numpy()
    arr = np.asarray(x)
    if arr.size and arr.dtype.kind not in "iu":
        raise TypeError(f"{what} must be integers, received dtype {arr.dtype}")
    return arr.astype(dtype)


class SparseTensor:
    """``tf.sparse.SparseTensor(indices, values, dense_shape)``."""

    def __init__(self, indices: Any, values: Any, dense_shape: Any) -> None:
        from .ops import convert_to_tensor

        idx = _known(indices, "SparseTensor indices")
        shape = _known(dense_shape, "SparseTensor dense_shape").reshape(-1)
        if idx.size == 0:
            idx = idx.reshape(0, len(shape))
        if idx.ndim != 2 or idx.shape[1] != len(shape):
            raise ValueError(
                f"SparseTensor indices must have shape [N, {len(shape)}] for a dense_shape of rank {len(shape)}, "
                f"received shape {list(idx.shape)}"
            )
        vals = convert_to_tensor(values)
        if vals.shape.rank != 1 or vals.shape[0] != idx.shape[0]:
            raise ValueError(
                f"SparseTensor values must have shape [{idx.shape[0]}] (one per index), received {vals.shape}"
            )
        if idx.size and (np.any(idx < 0) or np.any(idx >= shape)):
            bad = idx[np.any((idx < 0) | (idx >= shape), axis=1)][0].tolist()
            raise InvalidArgumentError(f"SparseTensor index {bad} is out of bounds for dense_shape {shape.tolist()}")
        self._indices = idx
        self._values = vals
        self._shape = shape

    @classmethod
    def from_value(cls, value: Any) -> SparseTensor:
        return value if isinstance(value, SparseTensor) else from_dense(value)

    @property
    def indices(self) -> Tensor:
        from .ops import convert_to_tensor

        return convert_to_tensor(self._indices)

    @property
    def values(self) -> Tensor:
        return self._values

    @property
    def dense_shape(self) -> Tensor:
        from .ops import convert_to_tensor

        return convert_to_tensor(self._shape)

    @property
    def shape(self) -> TensorShape:
        return TensorShape(self._shape.tolist())

    def get_shape(self) -> TensorShape:
        return self.shape

    @property
    def dtype(self) -> DType:
        return self._values.dtype

    def with_values(self, new_values: Any) -> SparseTensor:
        return SparseTensor(self._indices, new_values, self._shape)

    def flat_index(self) -> np.ndarray:
        """Each element's position in the row-major dense tensor."""
        if not len(self._shape):
            return np.zeros(len(self._indices), np.int64)
        # Row-major strides: stride[i] is the product of the dimensions after i.
        strides = np.cumprod(np.concatenate([[1], self._shape[::-1][:-1]]))[::-1]
        return (self._indices * strides).sum(axis=1).astype(np.int64)

    def __repr__(self) -> str:
        return f"SparseTensor(indices={self.indices!s}, values={self._values!s}, dense_shape={self.dense_shape!s})"

    def __mul__(self, other: Any) -> SparseTensor:
        """Elementwise product with a scalar or a dense tensor broadcast to the dense shape (sparse result)."""
        from .ops import convert_to_tensor

        other = convert_to_tensor(other, dtype=self.dtype) if not isinstance(other, Tensor) else other
        if other.shape.rank == 0:
            return self.with_values(self._values * other)
        from ..ops.array_ops import broadcast_to, gather, reshape

        dense = reshape(broadcast_to(other, self._shape.tolist()), [-1])
        return self.with_values(self._values * gather(dense, self.flat_index()))

    __rmul__ = __mul__

    def __neg__(self) -> SparseTensor:
        return self.with_values(-self._values)

    __hash__ = object.__hash__


def from_dense(tensor: Any, name: Any = None) -> SparseTensor:
    """``tf.sparse.from_dense``: the non-zero elements of a dense tensor."""
    from ..ops.array_ops import gather, reshape
    from .ops import convert_to_tensor

    t = convert_to_tensor(tensor)
    if not isinstance(t, EagerTensor):
        raise ValueError(
            "tf.sparse.from_dense needs an eager tensor: its non-zero positions decide the SparseTensor's "
            "indices, which a graph cannot compute yet (pass a SparseTensor to the tf.function instead)"
        )
    arr = t.numpy()
    indices = np.argwhere(arr != 0).astype(np.int64)
    flat = np.flatnonzero(arr.reshape(-1) != 0).astype(np.int64)
    return SparseTensor(indices, gather(reshape(t, [-1]), flat), arr.shape)

"""``tf.sparse.SparseTensor``: a tensor given by the coordinates and values of its non-default elements.

``indices`` (int64 ``[N, rank]``) and ``dense_shape`` (int64 ``[rank]``) are known eagerly (NumPy);
``values`` (``[N]``) is an ordinary tensor, so ops that compute with it are differentiated by the tape.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .dtypes import DType
from .tensor import EagerTensor, Tensor
from .tensor_shape import TensorShape


def _symbolic(x: Any) -> bool:
    """Whether ``x`` is a graph tensor, or a list holding one (``SparseTensor([[0]], [t], [3])`` in a graph)."""
    if isinstance(x, (list, tuple)):
        return any(_symbolic(e) for e in x)
    return isinstance(x, Tensor) and not isinstance(x, EagerTensor)


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
    """``tf.sparse.SparseTensor(indices, values, dense_shape)``.

    As in TensorFlow, indices are not checked against ``dense_shape`` here: ops that need them in bounds
    (``to_dense``) check. Built from graph tensors (inside ``tf.function`` or a ``tf.data`` function) it is a
    ``GraphSparseTensor``, whose components are only known when the graph runs.
    """

    def __new__(cls, *args: Any, **kwargs: Any) -> SparseTensor:
        if cls is SparseTensor and any(_symbolic(a) for a in list(args) + list(kwargs.values())):
            from .graph_composites import GraphSparseTensor

            return object.__new__(GraphSparseTensor)
        return object.__new__(cls)

    def __init__(self, indices: Any, values: Any, dense_shape: Any) -> None:
        from .ops import convert_to_tensor

        idx = _known(indices, "SparseTensor indices")
        shape = _known(dense_shape, "SparseTensor dense_shape").reshape(-1)
        if idx.size == 0 and idx.shape != (len(idx), len(shape)):
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

    def _cwise_operand(self, other: Any) -> Tensor:
        """``other`` as a tensor of the sparse's dtype (TensorFlow's ValueError for a tensor of another one)."""
        from .ops import convert_to_tensor

        other = convert_to_tensor(other, dtype=self.dtype) if not isinstance(other, Tensor) else other
        if other.dtype != self.dtype:
            raise ValueError(
                f"y: Tensor conversion requested dtype {self.dtype.name} for Tensor with dtype "
                f"{other.dtype.name}: {other!r}"
            )
        return other

    def _dense_at_indices(self, other: Any) -> Tensor:
        """``other`` (a scalar, or a dense tensor broadcast to the dense shape) as the sparse's dtype, taken at
        each element's position: the right operand of TensorFlow's ``SparseDenseCwise*`` ops."""
        other = self._cwise_operand(other)
        if other.shape.rank == 0:
            return other
        from ..ops.array_ops import broadcast_to, gather, reshape

        dense = reshape(broadcast_to(other, self._shape.tolist()), [-1])
        return gather(dense, self.flat_index())

    def __mul__(self, other: Any) -> SparseTensor:
        """Elementwise product with a scalar or a dense tensor broadcast to the dense shape (sparse result)."""
        return self.with_values(self._values * self._dense_at_indices(other))

    def __truediv__(self, other: Any) -> SparseTensor:
        """Elementwise true division by a scalar or a dense tensor broadcast to the dense shape (sparse
        result; integer values give floats, as ``tf.math.truediv``)."""
        from ..ops.math_ops import truediv

        return self.with_values(truediv(self._values, self._dense_at_indices(other)))

    __rmul__ = __mul__

    def __neg__(self) -> SparseTensor:
        return self.with_values(-self._values)

    __hash__ = object.__hash__


def on_values(fn: Any) -> Any:
    """``fn`` (a zero-preserving elementwise op) also taking a ``SparseTensor``: the result has the same
    indices and ``fn`` of its values, as TensorFlow dispatches ``tf.math.abs``, ``sqrt``, ``tanh`` ..."""
    import functools

    @functools.wraps(fn)
    def wrapper(x: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(x, SparseTensor):
            return x.with_values(fn(x.values, *args, **kwargs))
        return fn(x, *args, **kwargs)

    return wrapper


def from_dense(tensor: Any, name: Any = None) -> SparseTensor:
    """``tf.sparse.from_dense``: the non-zero elements of a dense tensor."""
    from ..ops.array_ops import gather, reshape
    from .ops import convert_to_tensor

    t = convert_to_tensor(tensor)
    if not isinstance(t, EagerTensor):
        from ..ops.sparse_graph_combine import from_dense as graph_from_dense

        return graph_from_dense(t)
    arr = t.numpy()
    indices = np.argwhere(arr != 0).astype(np.int64)
    flat = np.flatnonzero(arr.reshape(-1) != 0).astype(np.int64)
    return SparseTensor(indices, gather(reshape(t, [-1]), flat), arr.shape)

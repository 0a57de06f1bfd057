"""``SparseTensor`` and ``RaggedTensor`` inside a graph: the same types, with graph tensors as components.

Eagerly, indices and row splits are NumPy arrays that ops read directly. In a trace they are only known
when the function runs, so these subclasses hold graph tensors instead; the ops that support graphs
(``tf.sparse.to_dense``, ``sparse_dense_matmul``, ragged reductions, ``to_tensor``, elementwise math ...)
branch on them, and the eager-only ones fail with a message that says so.
"""

from __future__ import annotations

from typing import Any, Optional

from .ragged_tensor import RaggedTensor
from .sparse_tensor import SparseTensor
from .tensor import Tensor
from .tensor_shape import TensorShape


def _graph_only(kind: str, what: str) -> NotImplementedError:
    return NotImplementedError(
        f"{what} of a {kind} is not supported inside tf.function (or a Keras model's graph) yet: there the "
        f"{kind}'s {'indices' if kind == 'SparseTensor' else 'row partition'} are only known when the graph runs"
    )


class GraphSparseTensor(SparseTensor):
    """A ``SparseTensor`` whose indices, values and dense_shape are graph tensors."""

    def __init__(
        self,
        indices: Tensor,
        values: Tensor,
        dense_shape: Tensor,
        static_shape: TensorShape,
        witness: Optional[Tensor] = None,
    ) -> None:
        self._graph_indices = indices
        self._values = values
        self._graph_dense_shape = dense_shape
        self._static_shape = TensorShape(static_shape.dims)
        self._witness = witness  # zero elements, shaped [*dense_shape, 0]; None when the shape is static

    @property
    def _indices(self) -> Any:
        raise _graph_only("SparseTensor", "This op")

    @property
    def _shape(self) -> Any:
        raise _graph_only("SparseTensor", "This op")

    @property
    def indices(self) -> Tensor:
        return self._graph_indices

    @property
    def dense_shape(self) -> Tensor:
        return self._graph_dense_shape

    @property
    def shape(self) -> TensorShape:
        return self._static_shape

    def with_values(self, new_values: Any) -> GraphSparseTensor:
        from .ops import convert_to_tensor

        return GraphSparseTensor(
            self._graph_indices, convert_to_tensor(new_values), self._graph_dense_shape, self._static_shape,
            self._witness,
        )

    def dense_zeros(self, dtype: Any) -> Tensor:
        """Zeros of the dense shape (what ``to_dense`` scatters into)."""
        from ..ops.array_ops import cast, zeros
        from ..ops.math_ops import reduce_sum

        if self._witness is None:
            return zeros(self._static_shape.as_list(), dtype=dtype)
        return cast(reduce_sum(self._witness, axis=-1), dtype)

    def dim_zeros(self, axis: int, dtype: Any) -> Tensor:
        """Zeros of shape ``[dense_shape[axis]]``, without materializing the dense tensor."""
        from ..ops.array_ops import cast, zeros
        from ..ops.math_ops import reduce_sum

        n = self._static_shape[axis]
        if n is not None or self._witness is None:
            return zeros([n], dtype=dtype)
        rank = len(self._static_shape)
        others = [a for a in range(rank + 1) if a != axis % rank]
        return cast(reduce_sum(self._witness, axis=others), dtype)

    def flat_index(self) -> Tensor:
        """Each element's row-major position in the dense tensor (a graph tensor)."""
        from ..ops.array_ops import cast

        rank = len(self._static_shape)
        dims = [
            d if d is not None else cast(self._graph_dense_shape[i], "int64")
            for i, d in enumerate(self._static_shape)
        ]
        flat = self._graph_indices[:, 0]
        for k in range(1, rank):
            flat = flat * dims[k] + self._graph_indices[:, k]
        return flat

    def __mul__(self, other: Any) -> SparseTensor:
        from .ops import convert_to_tensor

        other = convert_to_tensor(other, dtype=self.dtype) if not isinstance(other, Tensor) else other
        if other.shape.rank != 0:
            raise _graph_only("SparseTensor", "Multiplying by a dense tensor")
        return self.with_values(self._values * other)

    __rmul__ = __mul__

    def __repr__(self) -> str:
        return (
            f"SparseTensor(indices={self._graph_indices}, values={self._values}, "
            f"dense_shape={self._graph_dense_shape})"
        )


class GraphRaggedTensor(RaggedTensor):
    """A ``RaggedTensor`` whose values and row splits are graph tensors.

    ``rowids`` (each value's row) and, for one ragged dimension, ``positions`` (each value's place in the
    padded dense tensor) and ``witness`` (zero elements, shaped ``[nrows, width, 0]``) come in with it.
    """

    def __init__(
        self,
        values: Any,
        row_splits: Tensor,
        rowids: Tensor,
        nrows: Optional[int],
        positions: Optional[Tensor] = None,
        witness: Optional[Tensor] = None,
    ) -> None:
        self._values = values
        self._graph_splits = row_splits
        self._graph_rowids = rowids
        self._static_nrows = nrows
        self._positions = positions
        self._witness = witness

    @property
    def _row_splits(self) -> Any:
        raise _graph_only("RaggedTensor", "This op")

    @property
    def row_splits(self) -> Tensor:
        return self._graph_splits

    def nrows_int(self) -> int:
        if self._static_nrows is None:
            raise _graph_only("RaggedTensor", "A Python row count")
        return self._static_nrows

    def nrows(self, out_type: Any = "int64", name: Any = None) -> Tensor:
        from ..ops.array_ops import cast, shape

        return cast(shape(self._graph_splits)[0] - 1, out_type)

    def row_lengths(self, axis: int = 1, name: Any = None) -> Any:
        if axis != 1:
            return super().row_lengths(axis, name)
        return self._graph_splits[1:] - self._graph_splits[:-1]

    def nested_row_lengths(self, name: Any = None) -> tuple:
        out, rt = [], self
        while isinstance(rt, RaggedTensor):
            out.append(rt.row_lengths())
            rt = rt._values
        return tuple(out)

    def value_rowids(self, name: Any = None) -> Tensor:
        return self._graph_rowids

    def row_starts(self, name: Any = None) -> Tensor:
        return self._graph_splits[:-1]

    def row_limits(self, name: Any = None) -> Tensor:
        return self._graph_splits[1:]

    @property
    def shape(self) -> TensorShape:
        inner = self.flat_values.shape
        inner_dims = None if inner.rank is None else list(inner)[1:]
        if inner_dims is None:
            return TensorShape(None)
        return TensorShape([self._static_nrows] + [None] * self.ragged_rank + inner_dims)

    def with_values(self, new_values: Any) -> GraphRaggedTensor:
        from .ragged_tensor import _as_values

        return GraphRaggedTensor(
            _as_values(new_values), self._graph_splits, self._graph_rowids, self._static_nrows, self._positions,
            self._witness,
        )

    def same_partition(self, other: Any) -> bool:
        """Whether ``other`` has this tensor's row partition (the same graph tensors, level by level)."""
        a, b = self, other
        while isinstance(a, GraphRaggedTensor) and isinstance(b, GraphRaggedTensor):
            if a._graph_splits is not b._graph_splits:
                return False
            a, b = a._values, b._values
        return not isinstance(a, RaggedTensor) and not isinstance(b, RaggedTensor)

    def to_tensor(self, default_value: Any = None, name: Any = None, shape: Any = None) -> Tensor:
        from ..ops.ragged_graph_ops import to_tensor

        return to_tensor(self, default_value, shape)

    def to_list(self) -> list:
        raise TypeError("A RaggedTensor inside a graph has no value yet: to_list() needs an eager RaggedTensor")

    def numpy(self) -> Any:
        raise TypeError("A RaggedTensor inside a graph has no value yet: numpy() needs an eager RaggedTensor")

    def __iter__(self):
        raise TypeError("A RaggedTensor inside a graph cannot be iterated: its row count is known when it runs")

    def __repr__(self) -> str:
        return f"tf.RaggedTensor(values={self._values}, row_splits={self._graph_splits})"

    __str__ = __repr__

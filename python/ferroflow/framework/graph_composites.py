"""``SparseTensor`` and ``RaggedTensor`` inside a graph: the same types, with graph tensors as components.

Eagerly, indices and row splits are NumPy arrays that ops read directly. In a trace they are only known
when the function runs, so these subclasses hold graph tensors instead; the ops that support graphs
(``tf.sparse.to_dense``, ``sparse_dense_matmul``, ragged reductions, ``to_tensor``, elementwise math ...)
branch on them, and the eager-only ones fail with a message that says so. ``GraphRaggedTensor`` lives in
``graph_ragged_tensor.py``.
"""

from __future__ import annotations

from typing import Any, Optional

from .graph_ragged_tensor import GraphRaggedTensor  # noqa: F401  (its ops import it from here)
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
            self._graph_indices,
            convert_to_tensor(new_values),
            self._graph_dense_shape,
            self._static_shape,
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
            d if d is not None else cast(self._graph_dense_shape[i], "int64") for i, d in enumerate(self._static_shape)
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
            f"SparseTensor(indices={self._graph_indices}, values={self._values}, dense_shape={self._graph_dense_shape})"
        )

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


def _pack(x: Any) -> Tensor:
    """``x`` as one tensor; lists holding graph tensors are stacked (``convert_to_tensor`` takes values)."""
    from ..ops.array_ops import stack
    from .ops import convert_to_tensor
    from .sparse_tensor import _symbolic

    if isinstance(x, (list, tuple)) and _symbolic(x):
        return stack([_pack(e) for e in x])
    return convert_to_tensor(x)


def _components(indices: Any, values: Any, dense_shape: Any) -> tuple:
    """Graph tensors (int64 indices and dense shape) and the static dense shape, as far as it is known."""
    import numpy as np

    from ..ops.array_ops import cast
    from .tensor import EagerTensor

    static = None
    if not isinstance(dense_shape, Tensor) or isinstance(dense_shape, EagerTensor):
        known = np.asarray(dense_shape.numpy() if isinstance(dense_shape, EagerTensor) else dense_shape)
        static = TensorShape([int(d) for d in known.reshape(-1)])
    shape_t = cast(_pack(dense_shape), "int64")
    idx = cast(_pack(indices), "int64")
    vals = _pack(values)
    if static is None:
        from ..ops.reshape_dynamic import partial_value

        # The sizes the shape's graph gives away (``tf.shape(x)`` of a tensor with some known sizes), as TF.
        known = partial_value(shape_t)
        rank = shape_t.shape[0] if shape_t.shape.rank == 1 else idx.shape[1] if idx.shape.rank == 2 else None
        if known is not None and (rank is None or len(known) == rank):
            static = TensorShape(known)
        else:
            static = TensorShape(None if rank is None else [None] * rank)
    if vals.shape.rank not in (None, 1):
        raise ValueError(f"SparseTensor values must be a vector (one per index), received shape {vals.shape}")
    if idx.shape.rank not in (None, 2) or (
        static.rank is not None and idx.shape.rank == 2 and idx.shape[1] not in (None, static.rank)
    ):
        raise ValueError(
            f"SparseTensor indices must have shape [N, {static.rank}] for a dense_shape of rank {static.rank}, "
            f"received shape {idx.shape}"
        )
    return idx, vals, shape_t, static


class GraphSparseTensor(SparseTensor):
    """A ``SparseTensor`` whose indices, values and dense_shape are graph tensors."""

    def __init__(
        self,
        indices: Any,
        values: Any,
        dense_shape: Any,
        static_shape: Optional[TensorShape] = None,
        witness: Optional[Tensor] = None,
    ) -> None:
        if static_shape is None:  # built by ``tf.sparse.SparseTensor(...)`` from graph tensors
            indices, values, dense_shape, static_shape = _components(indices, values, dense_shape)
        self._graph_indices = indices
        self._values = values
        self._graph_dense_shape = dense_shape
        self._static_shape = TensorShape(static_shape._dim_list)
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

        if self._witness is not None:
            return cast(reduce_sum(self._witness, axis=-1), dtype)
        if self._static_shape.is_fully_defined():
            return zeros(self._static_shape.as_list(), dtype=dtype)
        return zeros(self._graph_dense_shape, dtype=dtype)

    def dim_zeros(self, axis: int, dtype: Any) -> Tensor:
        """Zeros of shape ``[dense_shape[axis]]``, without materializing the dense tensor."""
        from ..ops.array_ops import cast, zeros
        from ..ops.math_ops import reduce_sum

        n = self._static_shape[axis]
        if n is not None:
            return zeros([n], dtype=dtype)
        if self._witness is None:
            return zeros(self._graph_dense_shape[axis : axis + 1], dtype=dtype)
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

    def _dense_at_indices(self, other: Any) -> Tensor:
        """``other`` broadcast to the dense shape, taken at each element's position (in the graph)."""
        from ..ops.array_ops import gather, reshape

        other = self._cwise_operand(other)
        if other.shape.rank == 0:
            return other
        # broadcast by adding zeros of the dense shape (only known when the graph runs)
        return gather(reshape(other + self.dense_zeros(self.dtype), [-1]), self.flat_index())

    def __repr__(self) -> str:
        return (
            f"SparseTensor(indices={self._graph_indices}, values={self._values}, dense_shape={self._graph_dense_shape})"
        )

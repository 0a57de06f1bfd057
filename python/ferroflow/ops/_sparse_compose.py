"""Pieces shared by the ``tf.sparse`` ops that are composed from graph ops (one code path eagerly and inside
``tf.function``): row-major positions and back, shifted copies, and building the result."""

from __future__ import annotations

from typing import Any, List, Optional

from ..framework.ops import convert_to_tensor
from ..framework.sparse_tensor import SparseTensor
from ..framework.tensor import EagerTensor, Tensor
from ..framework.tensor_shape import TensorShape
from .array_ops import cast, concat, gather


def symbolic(*xs: Any) -> bool:
    """Whether any of ``xs`` is a graph tensor."""
    return any(isinstance(x, Tensor) and not isinstance(x, EagerTensor) for x in xs)


def flat_positions(indices: Tensor, dense_shape: Tensor, rank: int) -> Tensor:
    """Each element's row-major position in a tensor of ``dense_shape`` (int64; ``rank`` at least 1)."""
    flat = cast(indices[:, 0], "int64")
    for k in range(1, rank):
        flat = flat * dense_shape[k] + indices[:, k]
    return flat


def dims_of(dense_shape: Tensor, rank: int) -> List[Tensor]:
    return [dense_shape[i] for i in range(rank)]


def shifted(x: Tensor, fill: Any, forward: bool) -> Tensor:
    """``x`` moved one place (each element's previous one, or its next with ``forward``), ``fill`` at the end
    left open; as long as ``x`` even when it is empty."""
    pad = convert_to_tensor([fill], dtype=x.dtype)
    return concat([x, pad], 0)[1:] if forward else concat([pad, x], 0)[:-1]


def make_sparse(indices: Tensor, values: Tensor, dense_shape: Tensor, static: Optional[TensorShape]) -> SparseTensor:
    """A ``SparseTensor`` of these components: with graph components, a ``GraphSparseTensor`` whose static
    dense shape is ``static``."""
    if symbolic(indices, values, dense_shape):
        from ..framework.graph_composites import GraphSparseTensor

        rank = dense_shape.shape[0]
        static = static if static is not None else TensorShape([None] * rank)
        return GraphSparseTensor(cast(indices, "int64"), values, cast(dense_shape, "int64"), static)
    return SparseTensor(indices, values, dense_shape)


def segment_max(values: Tensor, seg: Tensor) -> Tensor:
    """The maximum of each segment of ``values``, for ids ``seg`` numbering segments 0..k-1 that all hold
    a value (as ``unique`` numbers them): the last value of each segment once sorted by (segment, value)."""
    from .math_ops import not_equal
    from .scatter_ops import boolean_mask
    from .sorting_ops import argsort

    by_value = argsort(values, stable=True)
    by_segment = gather(by_value, argsort(gather(seg, by_value), stable=True))
    seg_sorted = gather(seg, by_segment)
    return boolean_mask(gather(values, by_segment), not_equal(seg_sorted, shifted(seg_sorted, -1, True)))

"""Sparse and ragged tensors of a traced function as the source of a dataset (``from_tensor_slices(rt)``).

A ``GraphSourceDataset`` over a function's ragged or sparse argument captures the argument's component
tensors (flat values and row splits; indices, values and dense_shape); the iterator node binds their values
at each call, and they become the pipeline's ``RaggedComponent`` / ``SparseComponent`` again.
"""

from __future__ import annotations

from typing import Any, Iterator

import numpy as np


def is_graph_composite(value: Any) -> bool:
    from ..framework.graph_composites import GraphRaggedTensor, GraphSparseTensor

    return isinstance(value, (GraphRaggedTensor, GraphSparseTensor))


def composite_spec(value: Any) -> Any:
    from ..framework.composite_specs import RaggedTensorSpec, SparseTensorSpec
    from ..framework.graph_composites import GraphSparseTensor

    if isinstance(value, GraphSparseTensor):
        return SparseTensorSpec(value.shape, value.dtype)
    return RaggedTensorSpec(value.shape, value.dtype, value.ragged_rank)


def components(value: Any) -> list:
    """The graph tensors a deferred leaf is made of (the leaf itself for a dense tensor)."""
    from ..framework.graph_composites import GraphSparseTensor

    if not is_graph_composite(value):
        return [value]
    if isinstance(value, GraphSparseTensor):
        return [value.indices, value.values, value.dense_shape]
    return [value.flat_values, *value.nested_row_splits]


def bound_value(leaf: Any, given: Iterator) -> Any:
    """The pipeline component of ``leaf`` from the next values of ``given`` (its components' values)."""
    from ..framework.graph_composites import GraphSparseTensor
    from .ragged_elements import RaggedComponent
    from .sparse_elements import SparseComponent

    if not is_graph_composite(leaf):
        return np.asarray(next(given))
    parts = [np.asarray(next(given)) for _ in components(leaf)]
    if isinstance(leaf, GraphSparseTensor):
        return SparseComponent(parts[0], parts[1], parts[2])
    return RaggedComponent(parts[0], parts[1:])

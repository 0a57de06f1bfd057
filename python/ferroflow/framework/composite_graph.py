"""Sparse and ragged tensors as graph inputs and outputs: placeholders for their components, the arrays
that feed them, and the eager value rebuilt from fetched components.

A sparse argument becomes placeholders for indices, values and dense_shape; a ragged one for its flat
values and the row splits of each ragged dimension, as in TensorFlow. A few hidden inputs carry what the
graph would otherwise compute from the components: each ragged level's value row ids (cheap in NumPy, a running
sum in the graph), and a zero-element "witness" tensor whose shape is the dense shape of a sparse value fed.
"""

from __future__ import annotations

from typing import Any, List, Tuple

import numpy as np

from .composite_specs import COMPOSITE_SPECS, RaggedTensorSpec, SparseTensorSpec
from .graph_composites import GraphRaggedTensor, GraphSparseTensor
from .indexed_slices import IndexedSlices, IndexedSlicesSpec
from .ragged_tensor import RaggedTensor
from .sparse_tensor import SparseTensor
from .tensor import EagerTensor, Tensor


def is_composite(value: Any) -> bool:
    """Whether ``value`` is a sparse or ragged tensor or IndexedSlices, or the spec of one."""
    return isinstance(value, (SparseTensor, RaggedTensor, IndexedSlices, IndexedSlicesSpec) + COMPOSITE_SPECS)


def spec_of(value: Any) -> Any:
    if isinstance(value, COMPOSITE_SPECS + (IndexedSlicesSpec,)):
        return value
    if isinstance(value, IndexedSlices):
        return value._type_spec
    if isinstance(value, SparseTensor):
        return SparseTensorSpec.from_value(value)
    return RaggedTensorSpec.from_value(value)


def _placeholder(spec: Any, name: str) -> Tensor:
    from .ops import apply

    return apply("placeholder", [], {"dtype": spec.dtype.name, "shape": spec.shape._dim_list}, op_name=name)


def _needs_witness(spec: SparseTensorSpec) -> bool:
    # A fully known dense shape is a constant of the trace; otherwise the graph learns it from a witness.
    return not spec.shape.is_fully_defined()


def placeholders(spec: Any, name: str) -> Tuple[Any, List[Tensor], List[Tensor]]:
    """(the symbolic value, its public component placeholders, every placeholder in feed order)."""
    from .dtypes import float32
    from .tensor_spec import TensorSpec

    comps = spec._component_specs
    public = [_placeholder(s, name) for s in comps]
    if isinstance(spec, IndexedSlicesSpec):
        return IndexedSlices(*public), public, public
    if isinstance(spec, SparseTensorSpec):
        witness = None
        if _needs_witness(spec):
            dims = None if spec.shape.rank is None else list(spec.shape) + [0]
            witness = _placeholder(TensorSpec(dims, float32), name)
        value = GraphSparseTensor(public[0], public[1], public[2], spec.shape, witness)
        return value, public, public + ([] if witness is None else [witness])
    k = spec.ragged_rank
    if k == 0:  # ragged_rank 0: the value is a dense tensor
        return public[0], public, public
    rowids = [_placeholder(TensorSpec([None], "int64"), name) for _ in range(k)]
    nrows_levels = [None if spec.shape.rank is None else spec.shape[0]] + [None] * (k - 1)
    value: Any = public[0]
    for level in reversed(range(k)):
        splits = public[1 + level]
        if splits.dtype.name != "int64":
            from .ops import apply

            splits = apply("cast", [splits], {"dtype": "int64"})
        value = GraphRaggedTensor(value, splits, rowids[level], nrows_levels[level])
    return value, public, public + rowids


def feeds(spec: Any, value: Any) -> list:
    """The arrays (or eager tensors) that feed ``placeholders(spec)`` for the eager ``value``."""
    if isinstance(spec, IndexedSlicesSpec):
        return list(spec._to_components(value))
    if isinstance(spec, SparseTensorSpec):
        return sparse_feeds(spec, value._indices, value.values, value._shape)
    if spec.ragged_rank == 0:
        return [value]
    splits = []
    rt = value
    while isinstance(rt, RaggedTensor):
        splits.append(rt._row_splits)
        rt = rt._values
    return ragged_feeds(spec, rt, splits)


def sparse_feeds(spec: SparseTensorSpec, indices: np.ndarray, values: Any, dense_shape: np.ndarray) -> list:
    out = [np.ascontiguousarray(indices, dtype=np.int64), values, np.asarray(dense_shape, dtype=np.int64)]
    if _needs_witness(spec):
        out.append(np.zeros([int(d) for d in dense_shape] + [0], np.float32))
    return out


def ragged_feeds(spec: RaggedTensorSpec, flat_values: Any, nested_splits: List[np.ndarray]) -> list:
    """Feeds from the flat values and each level's row splits (outermost first), as NumPy int arrays."""
    splits_dtype = spec.row_splits_dtype.as_numpy_dtype
    out = [flat_values] + [np.asarray(s, dtype=splits_dtype) for s in nested_splits]
    rowids = [np.repeat(np.arange(len(s) - 1, dtype=np.int64), np.diff(s)) for s in nested_splits]
    return out + rowids


def as_feed(x: Any) -> Any:
    """A feed as the native plan takes it: the core tensor of an eager tensor, or a contiguous array."""
    if isinstance(x, EagerTensor):
        return x._t
    return np.ascontiguousarray(x)


# -- outputs


def output_components(value: Any) -> List[Tensor]:
    """The graph tensors a traced function fetches for a sparse or ragged output or IndexedSlices."""
    if isinstance(value, IndexedSlices):
        return list(value._type_spec._to_components(value))
    if isinstance(value, SparseTensor):
        return [value.indices, value.values, value.dense_shape]
    return [value.flat_values] + list(value.nested_row_splits)


def rebuild(template: Any, arrays: list) -> Any:
    """The eager sparse or ragged tensor from the fetched components of the output ``template``."""
    if isinstance(template, IndexedSlices):
        return IndexedSlices(*arrays)
    if isinstance(template, SparseTensor):
        indices, values, shape = arrays
        return SparseTensor(indices.numpy(), values, shape.numpy())
    splits = [a.numpy() for a in arrays[1:]]
    return RaggedTensor.from_nested_row_splits(arrays[0], splits, validate=False)

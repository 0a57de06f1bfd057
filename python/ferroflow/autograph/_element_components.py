"""The dense components of a dataset element pulled inside a traced function.

The iterator nodes of AutoGraph's dataset loops (``_dataset_loops``) return dense arrays, so an element's
sparse and ragged leaves travel as their components, as TensorFlow's iterators hand them out: a
``SparseTensor`` as indices, values and dense_shape, a ``RaggedTensor`` as flat values and each ragged
dimension's row splits (int64), a dataset (``window``'s) as an int64 handle (``data/graph_elements``). The
graph rebuilds them (``_composite_loop_vars.rebuild``) from the tensors.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..framework import nest
from ..framework.composite_specs import RaggedTensorSpec, SparseTensorSpec
from ..framework.tensor_spec import TensorSpec


def _is_dataset(spec: Any) -> bool:
    from ..data.structure import DatasetSpec

    return isinstance(spec, DatasetSpec)


def supported(spec: Any) -> bool:
    """Whether every leaf of the element spec is a dense, ragged or sparse tensor spec, or a dataset spec
    (``window``) of such elements."""
    return all(
        type(s) in (TensorSpec, RaggedTensorSpec, SparseTensorSpec) or (_is_dataset(s) and supported(s.element_spec))
        for s in nest.flatten(spec)
    )


def _ragged(spec: Any) -> bool:
    return isinstance(spec, RaggedTensorSpec) and spec.ragged_rank > 0


def component_specs(spec: Any) -> list:
    """The dense specs of one leaf's components (row splits as int64; a dataset's int64 handle)."""
    if _is_dataset(spec):
        return [TensorSpec([], "int64")]
    if isinstance(spec, SparseTensorSpec) or _ragged(spec):
        comps = spec._component_specs
        if _ragged(spec):
            comps = comps[:1] + [TensorSpec(s.shape, "int64") for s in comps[1:]]
        return comps
    if isinstance(spec, RaggedTensorSpec):  # ragged_rank 0: a dense tensor
        return spec._component_specs
    return [spec]


def outputs(flat_specs: list) -> list:
    """``(dtype, dims)`` of every component, for the host call that returns them."""
    return [
        (s.dtype.name, None if s.shape._dim_list is None else list(s.shape._dim_list))
        for leaf in flat_specs
        for s in component_specs(leaf)
    ]


def arrays(flat_specs: list, element: tuple) -> list:
    """The component arrays of one element, given as the pipeline's flat components."""
    out: list = []
    for spec, value in zip(flat_specs, element):
        if _is_dataset(spec):
            from ..data.graph_elements import register

            out.append(register(value))
        elif isinstance(spec, SparseTensorSpec):
            out += [np.asarray(value.indices, np.int64), np.asarray(value.values), np.asarray(value.dense_shape)]
        elif _ragged(spec):
            out += [np.asarray(value.flat_values)] + [np.asarray(s, np.int64) for s in value.nested_splits]
        else:
            out.append(np.asarray(value))
    return out


def _zeros(spec: Any) -> np.ndarray:
    dims = spec.shape._dim_list
    shape = [] if dims is None else [0 if d is None else d for d in dims]
    if spec.dtype.name == "string":
        return np.full(shape, b"", dtype=object)
    return np.zeros(shape, spec.dtype.as_numpy_dtype)


def zeros(flat_specs: list) -> list:
    """Components of an empty stand-in element (what the loop carries once the dataset is exhausted): zeros,
    with row splits that describe empty rows and an all-zero dense shape."""
    out: list = []
    for leaf in flat_specs:
        comps = component_specs(leaf)
        parts = [_zeros(s) for s in comps]
        if _ragged(leaf):
            parts[1:] = [p if p.size else np.zeros([1], np.int64) for p in parts[1:]]
        out += parts
    return out


def pack(spec: Any, flat_specs: list, tensors: list) -> Any:
    """The element (structure of ``spec``) rebuilt from its component tensors."""
    from ..ops._composite_loop_vars import rebuild

    leaves, at = [], 0
    for leaf in flat_specs:
        n = len(component_specs(leaf))
        parts = list(tensors[at : at + n])
        at += n
        if _is_dataset(leaf):
            from ..data.graph_elements import ElementDataset

            leaves.append(ElementDataset(parts[0], leaf.element_spec))
        else:
            leaves.append(rebuild(leaf, parts) if isinstance(leaf, SparseTensorSpec) or _ragged(leaf) else parts[0])
    return nest.pack_sequence_as(spec, leaves)

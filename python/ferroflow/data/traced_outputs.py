"""Outputs of a traced dataset function: where its results lie among the plan's, and their specs."""

from __future__ import annotations

from typing import Any

from ..framework.composite_specs import RaggedTensorSpec, SparseTensorSpec
from ..framework.dtypes import as_dtype
from ..framework.graph import SymbolicTensor
from ..framework.ragged_tensor import RaggedTensor
from ..framework.sparse_tensor import SparseTensor
from ..framework.tensor import EagerTensor
from . import structure
from .ragged_elements import RaggedComponent
from .sparse_elements import SparseComponent


class _RaggedOutput:
    """Where a ragged result's components are among a plan's results: ``n`` of them from ``at``."""

    __slots__ = ("at", "n")

    def __init__(self, at: int, n: int) -> None:
        self.at, self.n = at, n


class _SparseOutput:
    """Where a sparse result's indices, values and dense shape are among a plan's results (from ``at``)."""

    __slots__ = ("at",)

    def __init__(self, at: int) -> None:
        self.at = at


def _output(results: list, v: Any) -> Any:
    """One output component: a plan result (by index), a ragged component made of results, or a constant."""
    if isinstance(v, int):
        return results[v].numpy()
    if isinstance(v, _RaggedOutput):
        parts = [results[k].numpy() for k in range(v.at, v.at + v.n)]
        return RaggedComponent(parts[0], parts[1:])
    if isinstance(v, _SparseOutput):
        return SparseComponent(*[results[k].numpy() for k in range(v.at, v.at + 3)])
    return v


def _own(graph: Any, value: Any) -> Any:
    """An output of the function: a tensor of another graph it returns as is becomes its captured placeholder."""
    if isinstance(value, SymbolicTensor) and value.graph is not graph:
        return graph.capture_outer(value)
    return value


def _stand_in(tout: Any, calls: list) -> Any:
    """What ``tf.py_function`` returns while a ``tf.data`` function is traced: tensors of dtype ``Tout`` and
    unknown shape."""
    from ..framework.ops import apply

    calls.append(tout)
    if tout is None:
        return None

    def one(dtype: Any) -> Any:
        return apply("placeholder", [], {"dtype": as_dtype(dtype).name, "shape": None}, op_name="py_function")

    return [one(t) for t in tout] if isinstance(tout, (list, tuple)) else one(tout)


def _spec_of_output(value: Any) -> Any:
    if isinstance(value, SymbolicTensor):
        return structure.TensorSpec(value.shape, value.dtype)
    if isinstance(value, RaggedTensor) and not isinstance(value.flat_values, EagerTensor):
        return RaggedTensorSpec.from_value(value)
    if isinstance(value, SparseTensor) and not isinstance(value.values, EagerTensor):
        return SparseTensorSpec.from_value(value)
    return structure.spec_of_component(structure.to_component(value))

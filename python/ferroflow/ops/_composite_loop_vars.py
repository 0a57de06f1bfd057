"""Sparse and ragged loop variables of a graph ``tf.while_loop``, carried as their component tensors.

The native while node carries dense tensors only, so, as TensorFlow's ``nest.flatten(..., expand_composites=
True)`` does, a ``SparseTensor`` travels as its indices, values and dense_shape, and a ``RaggedTensor`` as its
flat values and the row splits of each ragged dimension. ``cond`` and ``body`` see the composite rebuilt from
the loop's placeholders, and what ``body`` returns is taken apart again, after checking that it is the same
kind of composite with the same dtype and ragged rank (TensorFlow's ValueError for other structures). The
components' shapes follow the composite's spec, or its shape invariant (a ``tf.RaggedTensorSpec``,
``tf.SparseTensorSpec`` or ``TensorShape``): a ragged tensor whose row count changes needs an invariant with
an unknown first dimension, as in TensorFlow.
"""

from __future__ import annotations

from typing import Any, Callable

from ..framework import nest
from ..framework.composite_specs import COMPOSITE_SPECS, RaggedTensorSpec, SparseTensorSpec
from ..framework.ragged_tensor import RaggedTensor
from ..framework.sparse_tensor import SparseTensor
from ..framework.tensor import EagerTensor
from ..framework.tensor_shape import TensorShape


def is_composite(value: Any) -> bool:
    return isinstance(value, (SparseTensor, RaggedTensor))


def is_composite_spec(value: Any) -> bool:
    return isinstance(value, COMPOSITE_SPECS)


def _structure_error(expected: Any, received: Any) -> ValueError:
    return ValueError(
        "The two structures don't have the same nested structure.\n\n"
        f"First structure: {expected}\n\nSecond structure: {received!r}"
    )


class _Leaf:
    """How one composite loop variable is carried: its spec (from the initial value, or its invariant)."""

    def __init__(self, value: Any, invariant: Any) -> None:
        if isinstance(value, SparseTensor):
            shape = value.shape
            if invariant is not None:
                wanted = invariant.shape if isinstance(invariant, SparseTensorSpec) else TensorShape(invariant)
                if isinstance(invariant, RaggedTensorSpec) or not wanted.is_compatible_with(shape):
                    raise ValueError(
                        f"The shape invariant specified for a SparseTensor loop variable ({invariant}) is not "
                        f"compatible with its initial shape {shape}."
                    )
                shape = wanted
            self.spec: Any = SparseTensorSpec(shape, value.dtype)
        else:
            shape = value.shape
            if isinstance(invariant, SparseTensorSpec):
                raise ValueError(f"A RaggedTensor loop variable cannot have the shape invariant {invariant}")
            if invariant is not None:
                wanted = invariant.shape if isinstance(invariant, RaggedTensorSpec) else TensorShape(invariant)
                if not wanted.is_compatible_with(shape) or (
                    isinstance(invariant, RaggedTensorSpec) and invariant.ragged_rank != value.ragged_rank
                ):
                    raise ValueError(
                        f"The shape invariant specified for a RaggedTensor loop variable ({invariant}) is not "
                        f"compatible with its initial value (shape {shape}, ragged_rank {value.ragged_rank})."
                    )
                shape = wanted
            self.spec = RaggedTensorSpec(shape, value.dtype, value.ragged_rank)

    def shapes(self) -> list:
        return [s.shape for s in self.spec._component_specs]

    def components(self, value: Any) -> list:
        """``value``'s component tensors, after checking it is a composite of this leaf's kind."""
        from .array_ops import cast

        if isinstance(self.spec, SparseTensorSpec):
            if not isinstance(value, SparseTensor) or value.dtype != self.spec.dtype:
                raise _structure_error(self.spec, value)
            if not self.spec.shape.is_compatible_with(value.shape):
                raise ValueError(f"Shapes {value.shape} and {self.spec.shape} are not compatible")
            return [cast(value.indices, "int64"), value.values, cast(value.dense_shape, "int64")]
        if (
            not isinstance(value, RaggedTensor)
            or value.dtype != self.spec.dtype
            or value.ragged_rank != self.spec.ragged_rank
        ):
            raise _structure_error(self.spec, value)
        return [value.flat_values] + [cast(s, "int64") for s in value.nested_row_splits]

    def rebuild(self, parts: list) -> Any:
        return rebuild(self.spec, parts)


def rebuild(spec: Any, parts: list) -> Any:
    """The composite of ``spec`` made of its component tensors ``parts`` (graph tensors inside a loop and after
    it, eager ones eagerly)."""
    from ..framework.graph_composites import GraphRaggedTensor, GraphSparseTensor

    eager = all(isinstance(p, EagerTensor) for p in parts)
    if isinstance(spec, SparseTensorSpec):
        if eager:
            return SparseTensor(parts[0], parts[1], parts[2])
        static = spec.shape
        if static.rank is None and parts[2].shape.rank == 1 and parts[2].shape[0] is not None:
            static = TensorShape([None] * parts[2].shape[0])
        return GraphSparseTensor(parts[0], parts[1], parts[2], static, None)
    if eager:
        return RaggedTensor.from_nested_row_splits(parts[0], parts[1:], validate=False)
    value = parts[0]
    for splits in reversed(parts[1:]):
        value = GraphRaggedTensor(value, splits)
    return value


def _flat_invariants(loop_vars: Any, invariants: Any) -> list:
    """One invariant (None, a TensorShape, or a composite spec) per leaf of ``loop_vars``."""
    from .control_flow_ops import _invariants

    return _invariants(loop_vars, invariants)


def expand(cond: Callable, body: Callable, loop_vars: Any, invariants: Any, next_loop_vars: Callable) -> tuple:
    """``(cond, body, loop_vars, flat invariants, rebuild)`` for a loop over component tensors: each composite
    leaf of ``loop_vars`` becomes a list of its components; ``rebuild`` turns the loop's results back into
    the structure of ``loop_vars``."""
    leaves = nest.flatten(loop_vars)
    flat_inv = _flat_invariants(loop_vars, invariants)
    kinds = [_Leaf(v, inv) if is_composite(v) else None for v, inv in zip(leaves, flat_inv)]
    for v, inv in zip(leaves, flat_inv):
        if not is_composite(v) and is_composite_spec(inv):
            raise ValueError(f"The shape invariant {inv} is for a composite tensor, but the loop variable is {v!r}")
    new_vars = [v if k is None else k.components(v) for v, k in zip(leaves, kinds)]
    new_inv: list = []
    for inv, k in zip(flat_inv, kinds):
        new_inv.extend([inv] if k is None else k.shapes())

    def rebuild(items: Any) -> Any:
        flat = [v if k is None else k.rebuild(list(v)) for v, k in zip(items, kinds)]
        return nest.pack_sequence_as(loop_vars, flat)

    def inner_cond(*items: Any) -> Any:
        return cond(*rebuild(items))

    def inner_body(*items: Any) -> list:
        flat = next_loop_vars(body(*rebuild(items)), loop_vars)
        return [v if k is None else k.components(v) for v, k in zip(flat, kinds)]

    return inner_cond, inner_body, new_vars, new_inv, rebuild


def has_composites(loop_vars: Any) -> bool:
    return any(is_composite(v) for v in nest.flatten(loop_vars))

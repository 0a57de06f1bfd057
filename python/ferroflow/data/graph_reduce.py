"""``Dataset.reduce`` inside ``tf.function``: a loop of the graph, run each time the function runs.

As in TensorFlow, the reduction is part of the function's graph rather than a value computed while tracing:
the dataset is iterated at every call (so a dataset over the function's arguments, or one whose ``map``
reads a variable, gives each call's result), through the iterator nodes of AutoGraph's dataset loops
(``autograph/_dataset_loops.GraphIterator``). The state is carried by a ``tf.while_loop`` beside the
element pulled at each iteration, and ``reduce_func`` is traced into the loop's body, so it may use the
function's tensors and variables. The state's shapes are those the eager ``reduce`` settles to (dimensions
that change between iterations are left open). ``get_single_element`` is likewise one node pulling the element
at each run.
"""

from __future__ import annotations

from typing import Any, Callable

from ..framework import nest
from ..framework.composite_specs import COMPOSITE_SPECS, RaggedTensorSpec, SparseTensorSpec
from ..framework.graph import SymbolicTensor
from ..framework.ops import convert_to_tensor
from ..framework.ragged_tensor import RaggedTensor
from ..framework.sparse_tensor import SparseTensor
from ..framework.tensor import Tensor
from ..framework.tensor_shape import TensorShape
from ..framework.variables import Variable
from . import structure, traced


def _state_leaf(value: Any) -> Any:
    """One leaf of the initial state as a tensor of the dtype the eager ``reduce`` gives it (Python ints are
    int32, floats float32); ragged and sparse tensors as they are; None for leaves the graph loop does not
    carry (datasets, ragged or sparse values given as NumPy components)."""
    if isinstance(value, SymbolicTensor) or _composite(value):  # ragged and sparse states are carried as they are
        return value
    if isinstance(value, Variable):  # read when the function runs
        return convert_to_tensor(value)
    component = structure.to_component(value)
    if isinstance(structure.spec_of_component(component), COMPOSITE_SPECS + (structure.DatasetSpec,)):
        return None
    return convert_to_tensor(component)


def _composite(value: Any) -> bool:
    return isinstance(value, (RaggedTensor, SparseTensor))


def _spec_of(t: Any) -> Any:
    """The spec of one state leaf: a ``TensorSpec``, or the ragged or sparse tensor's own spec."""
    if isinstance(t, RaggedTensor):
        return RaggedTensorSpec.from_value(t)
    if isinstance(t, SparseTensor):
        return SparseTensorSpec.from_value(t)
    return structure.TensorSpec(t.shape, t.dtype)


def _tensors(t: Any) -> list:
    """The dense tensors of one state leaf (a ragged tensor's flat values and row splits, a sparse one's
    indices, values and dense shape)."""
    if isinstance(t, RaggedTensor):
        return [t.flat_values, *t.nested_row_splits]
    if isinstance(t, SparseTensor):
        return [t.indices, t.values, t.dense_shape]
    return [t]


def _invariant(spec: Any) -> Any:
    """The loop's shape invariant for a leaf of the relaxed state spec (composites keep their whole spec)."""
    return TensorShape(spec.shape) if isinstance(spec, structure.TensorSpec) else spec


def initial_state(value: Any) -> Any:
    """``(structure, flat tensors)`` of an initial state the graph loop can carry; None when it cannot."""
    value = traced._normalize_output(value)
    flat = [_state_leaf(leaf) for leaf in structure.flatten_value(value)]
    if any(t is None for t in flat):
        return None
    return nest.pack_sequence_as(value, flat), flat


def _relaxed_shapes(reduce_func: Callable, state: Any, flat: list, element_spec: Any) -> list:
    """The state's shapes, with the dimensions that the eager ``reduce`` finds changing left open. A function
    that uses tensors of the ``tf.function`` cannot be traced on its own: its state keeps its initial shapes
    (the loop then reports a shape that changes)."""
    specs = [_spec_of(t) for t in flat]
    spec = nest.pack_sequence_as(state, specs)
    try:
        _, relaxed = traced.relaxed_state(reduce_func, spec, element_spec, "reduce")
    except ValueError as e:
        if "belongs to another graph" not in str(e):
            raise
        return [_invariant(s) for s in specs]
    return [_invariant(s) for s in nest.flatten(relaxed)]


def _next_state(value: Any, flat: list) -> list:
    """``reduce_func``'s result as flat tensors, checked against the state's structure and dtypes."""
    value = traced._normalize_output(value)
    leaves = structure.flatten_value(value)
    if len(leaves) != len(flat):
        raise TypeError(
            f"The structure of the new state returned by `reduce_func` ({value!r}) does not match the initial "
            f"state's ({len(flat)} components)."
        )
    out = []
    for leaf, old in zip(leaves, flat):
        if _composite(old) or _composite(leaf):
            if isinstance(leaf, RaggedTensor) != isinstance(old, RaggedTensor) or leaf.dtype != old.dtype:
                raise TypeError(
                    f"The element types for the new state must match the initial state. Expected {_spec_of(old)}; "
                    f"got {leaf!r}."
                )
            out.append(leaf)
            continue
        t = leaf if isinstance(leaf, Tensor) else convert_to_tensor(leaf, dtype=old.dtype)
        if t.dtype != old.dtype:
            raise TypeError(
                f"The element types for the new state must match the initial state. Expected {old.dtype.name}; "
                f"got {t.dtype.name}."
            )
        out.append(t)
    return out


def graph_reduce(dataset: Any, state_value: tuple, reduce_func: Callable) -> Any:
    """``dataset.reduce(initial_state, reduce_func)`` as nodes of the graph being traced; ``state_value`` is
    what ``initial_state`` returned."""
    from ..autograph._conversion import maybe_convert
    from ..autograph._dataset_loops import GraphIterator, _tracing_function
    from ..ops.control_flow_ops import while_loop
    from .graph_reduce_host import host_reduce

    if not _tracing_function():  # in a tf.data function: one node folding the dataset
        out = host_reduce(dataset, state_value, reduce_func)
        if out is not None:
            return out
    state, flat = state_value
    spec = dataset.element_spec
    shapes = _relaxed_shapes(reduce_func, state, flat, spec)
    fn = maybe_convert(reduce_func)
    it = GraphIterator(dataset)
    n = it.n_components
    go_on = convert_to_tensor(True)
    first = it.next_or_end(go_on)

    def cond(has_value: Any, element: list, current: list) -> Any:
        return has_value

    def body(has_value: Any, element: list, current: list) -> tuple:
        new = fn(nest.pack_sequence_as(state, current), it.pack(element))
        new_flat = _next_state(new, flat)
        pulled = it.next_or_end(go_on)
        return pulled[0], list(pulled[1:]), new_flat

    element_shapes = [None] * n
    invariants = (TensorShape([]), element_shapes, shapes)
    loop_vars = (first[0], list(first[1:]), list(flat))
    _, _, out = while_loop(cond, body, loop_vars, shape_invariants=invariants)
    it.release([t for leaf in out for t in _tensors(leaf)])
    return nest.pack_sequence_as(state, out)


def graph_single_element(dataset: Any) -> Any:
    """``dataset.get_single_element()`` as a node of the graph being traced: the dataset is iterated at each run,
    with TensorFlow's errors for an empty dataset or one of more than one element."""
    from .. import _core
    from ..autograph import _element_components as components
    from ..autograph._dataset_loops import _LIVE, GraphIterator, _add
    from ..errors import InvalidArgumentError

    it = GraphIterator(dataset)
    specs = nest.flatten(dataset.element_spec)

    def get(arrays: list) -> list:
        source = _LIVE.pop(int(arrays[0]), None)
        first = None if source is None else next(source, None)
        if first is None:
            raise InvalidArgumentError("Dataset was empty.")
        if next(source, None) is not None:
            raise InvalidArgumentError("Dataset had more than one element.")
        return components.arrays(specs, first)

    op = _core.Op.host_call(get, components.outputs(specs), None, True, False)
    return it.pack(_add(op, [it._handle], "DatasetToSingleElement"))

"""The graph form of ``tf.while_loop``: ``cond`` and ``body`` traced into one sub-graph, run by a native node.

The sub-graph's placeholders are, in order: one per loop variable (a ``TensorArray`` contributes its buffer),
an iteration counter when ``maximum_iterations`` is only known at run time, a token when the body assigns
variables (its next value depends on the assignments, so every iteration runs them, and the node is kept
in traced functions), then the captured values. The native node's inputs follow the same order in the
enclosing graph, and it has one output per loop variable, counter and token.
"""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from .. import _core
from ..framework import context, graph_record, nest
from ..framework.ops import apply, convert_to_tensor, graph_input, make_op
from ..framework.tensor import Tensor
from ..framework.tensor_shape import TensorShape
from . import _subgraph
from .control_flow_ops import _scalar_bool, next_loop_vars
from .tensor_array_ops import TensorArray


class _Slot:
    """One flat loop variable: its initial tensor, its placeholder's dtype and shape, and for a TensorArray
    the array it is the buffer of."""

    def __init__(self, value: Any, invariant: Optional[TensorShape]) -> None:
        self.array: Optional[TensorArray] = None
        if isinstance(value, TensorArray):
            self.set_array(_graph_array(value))
            return
        self.initial = value
        self.dtype = value.dtype
        self.shape = value.shape._dim_list
        if invariant is not None:
            if not invariant.is_compatible_with(value.shape):
                raise ValueError(
                    "The shape invariant specified for a loop variable is not compatible with its initial shape: "
                    f"it enters the loop with shape {value.shape}, but the specified shape invariant is {invariant}."
                )
            self.shape = invariant._dim_list

    def set_array(self, array: TensorArray) -> None:
        self.array, self.dtype = array, array.dtype
        buffer = array._buffer
        if buffer is None:  # element rank unknown until a write inside the loop
            self.initial = convert_to_tensor(np.zeros([0], array.dtype.as_numpy_dtype))
            self.shape: Any = None
            return
        self.initial = buffer
        elem = [None] * (buffer.shape.rank - 1) if array.element_shape.rank is None else array.element_shape.as_list()
        self.shape = [buffer.shape[0] if array._preallocated else None] + elem

    def preallocate(self, written: Optional[TensorArray]) -> bool:
        """For an array whose element shape the body's writes made fully known: preallocate its buffer (so
        its shape stays the same from iteration to iteration); True when the loop must be traced again."""
        array = self.array
        if array is None or written is None or array._preallocated or array.dynamic_size:
            return False
        shape = written.element_shape
        if not shape.is_fully_defined() or array._size is None:
            return False
        from . import _tensor_array_graph as graph_buffer

        buffer, done = graph_buffer.initial_buffer(array.dtype, shape, array._size)
        self.set_array(array._copy(_buffer=buffer, _preallocated=done, _element_shape=shape))
        return done

    def inside(self, placeholder: Tensor) -> Any:
        return placeholder if self.array is None else self.array._copy(_buffer=placeholder)

    def next_value(self, value: Any) -> Tensor:
        """The body's next value for this variable, checked against the placeholder."""
        if self.array is not None:
            if value.dtype != self.dtype:
                raise TypeError(
                    f"TensorArray loop variable of dtype {self.dtype.name} has dtype {value.dtype.name} after 1 "
                    "iteration."
                )
            return value._buffer if value._buffer is not None else self.initial
        t = convert_to_tensor(value)
        if t.dtype != self.dtype:
            raise TypeError(
                f"Loop var {_describe(self.initial)} enters the loop with type {self.dtype} but has type "
                f"{t.dtype} after 1 iteration."
            )
        if not TensorShape(self.shape).is_compatible_with(t.shape):
            raise ValueError(
                f"Input tensor {_describe(self.initial)} enters the loop with shape {TensorShape(self.shape)}, but has "
                f"shape {t.shape} after one iteration. To allow the shape to vary across iterations, use the "
                "`shape_invariants` argument of tf.while_loop to specify a less-specific shape."
            )
        return t


def _describe(t: Tensor) -> str:
    try:
        return f"'{t.name}'"
    except AttributeError:
        return f"(a constant of shape {t.shape})"


def _graph_array(ta: TensorArray) -> TensorArray:
    """``ta`` in its graph form (an array filled eagerly becomes a buffer of its stacked elements)."""
    if ta._items is None:
        return ta
    from . import _tensor_array_graph as graph_buffer

    n = len(ta._items)
    if any(t is not None for t in ta._items):
        return ta._copy(_items=None, _size=n, _buffer=ta.stack(), _preallocated=not ta.dynamic_size)
    buffer, done = graph_buffer.initial_buffer(ta.dtype, ta.element_shape, None if ta.dynamic_size else n)
    return ta._copy(_items=None, _size=n, _buffer=buffer, _preallocated=done)


def graph_while(cond: Any, body: Any, loop_vars: Any, invariants: list, limit: Any, name: str) -> Any:
    outer = context.current_graph()
    slots = [_Slot(v, inv) for v, inv in zip(nest.flatten(loop_vars), invariants)]
    native_limit = counter_limit = None
    if limit is not None:
        from .structure_ops import get_static_value

        static = get_static_value(limit)
        if static is not None:
            native_limit = max(int(static), 0)
        else:
            counter_limit = limit

    def build(sub: _subgraph.SubGraph) -> tuple:
        phs = [sub.placeholder(s.dtype.name, s.shape, "loop_var") for s in slots]
        counter = None
        if counter_limit is not None:
            counter = sub.placeholder(counter_limit.dtype.name, [], "iteration")
        packed = nest.pack_sequence_as(loop_vars, [s.inside(p) for s, p in zip(slots, phs)])
        c = _scalar_bool(cond(*packed), "while_loop's cond")
        if counter is not None:
            c = apply("logical_and", [apply("less", [counter, counter_limit]), c])
        flat = next_loop_vars(body(*packed), loop_vars)
        outs = [graph_input(sub, s.next_value(v)) for s, v in zip(slots, flat)]
        if counter is not None:
            outs.append(graph_input(sub, apply("add", [counter, convert_to_tensor(1, dtype=counter.dtype)])))
        ins = [p.node for p in phs] + ([] if counter is None else [counter.node])
        results = [v if isinstance(v, TensorArray) else None for v in flat]
        return graph_input(sub, c), ins, outs, results

    for _ in range(3):
        sub, (cond_node, ins, outs, results) = _subgraph.trace(outer, build, "a tf.while_loop body")
        if not any([s.preallocate(r) for s, r in zip(slots, results)]):
            break
    outer_ins = [graph_input(outer, s.initial) for s in slots]
    if counter_limit is not None:
        outer_ins.append(graph_input(outer, convert_to_tensor(0, dtype=counter_limit.dtype)))
    token_ph = None
    if sub.stateful_nodes:
        token_ph = sub.placeholder("int32", [], "token")
        outs.append(_subgraph.keep_stateful(sub, token_ph.node))
        ins.append(token_ph.node)
        token = make_op("const", {"value": _subgraph.zero_token()})
        outer_ins.append(graph_record.add_recorded(outer, token, [], outer.scoped("token")))
    op = _core.Op.while_loop(sub._g, ins + sub.capture_nodes, cond_node, outs, native_limit)
    graph_record.note_control_flow(
        op, "while", sub, inputs=ins + list(sub.capture_nodes), cond=cond_node, outputs=list(outs), limit=native_limit
    )
    nodes = _subgraph.add_multi(outer, op, outer_ins + [t.node for t in sub.captured], name, token_ph is not None)
    flat_out = []
    for node, array in zip(nodes, results):
        flat_out.append(node if array is None else array._copy(_buffer=node))
    return nest.pack_sequence_as(loop_vars, flat_out)

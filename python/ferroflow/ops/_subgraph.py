"""Tracing Python functions into the sub-graphs of graph control flow (``while_loop`` bodies, ``cond`` branches).

A ``SubGraph`` is a graph of its own whose outside values arrive as placeholders: symbolic tensors of the
enclosing graphs and eager tensors a tape watches are *captured* (one placeholder each, fed by the node that
holds the value in the enclosing graph), and variables are read in the enclosing graph and captured too, so
gradients with respect to them reach the enclosing graph's variable reads. A variable that the sub-graph
assigns is read inside it instead (each iteration must see the new value); the control-flow op that finds
such a variable traces its function again (``SubGraph.needs_retrace``). Nested control flow captures
through every level.
"""

from __future__ import annotations

from typing import Any, Optional

from .. import _core
from ..framework import context, graph_record
from ..framework.graph import Graph, SymbolicTensor, as_symbolic
from ..framework.ops import make_op
from ..framework.tensor import EagerTensor


def native_control_flow() -> bool:
    """Whether the native module has the control-flow ops (``Op.while_loop``, ``Op.cond``, ``Graph.add_multi``)."""
    return hasattr(_core.Op, "while_loop") and hasattr(_core.Op, "cond") and hasattr(_core.Graph, "add_multi")


def require_native(what: str) -> None:
    if not native_control_flow():
        raise NotImplementedError(
            f"{what} inside a graph (tf.function, a Keras model's graph or a TF1 graph) needs the native "
            "control-flow ops, which this build of ferroflow's core does not have; call it eagerly instead"
        )


class SubGraph(Graph):
    """The graph of a loop body or of the branches of a conditional, inside ``outer``."""

    def __init__(self, outer: Graph, local_variables: Optional[set] = None) -> None:
        super().__init__()
        self.outer = outer
        self.is_function = getattr(outer, "is_function", False)
        self.run_callbacks: list = []  # tf.print / assertions traced here: not supported, reported after tracing
        self.captured: list = []  # the enclosing graph's tensors, in the order of their placeholders
        self.capture_nodes: list = []  # the placeholders here that receive them
        self._capture_index: dict = {}  # (id(graph), node) of a captured tensor -> its placeholder here
        self._var_captures: dict = {}  # variable id -> placeholder of its read in the enclosing graph
        self._eager_captures: dict = {}  # key of a watched eager tensor -> (the tensor, its placeholder)
        self.local_variables = set(local_variables or ())  # ids of variables read here instead
        self.assigned: set = set()  # ids of variables assigned here (or in control flow nested here)

    # -- building
    def placeholder(self, dtype: str, shape: Any, name: str = "Placeholder") -> SymbolicTensor:
        op = make_op("placeholder", {"dtype": dtype, "shape": shape})
        node = graph_record.add_recorded(self, op, [], self.scoped(name))
        return self.tensor(node)

    def _new_capture(self, outer_t: SymbolicTensor) -> int:
        info = outer_t._info()
        op = make_op("placeholder", {"dtype": info[3], "shape": info[2]})
        node = graph_record.add_recorded(self, op, [], self.scoped("capture"))
        self.captured.append(outer_t)
        self.capture_nodes.append(node)
        self._capture_index[(id(outer_t.graph), outer_t.node)] = node
        return node

    def capture(self, value: EagerTensor) -> SymbolicTensor:
        """An eager tensor used here: a constant of this graph, unless a recording tape watches it (then it is
        captured from the enclosing graph, so the tape's gradient for it flows through the control flow).
        Once captured, every later use finds the same placeholder, tape or not: ``tape.gradient`` is usually
        called after the ``with`` block, when the tape is no longer active, and must reach the node the
        recorded ops read (a per-example gradient in a ``map_fn`` body of a ``tf.function``)."""
        key = value._t.key
        hit = self._eager_captures.get(key)
        if hit is not None:
            return self.tensor(hit[1])
        watched = any(key in getattr(t, "_watched_keys", ()) for t in context.active_tapes())
        if watched:
            t = self.capture_outer(as_symbolic(self.outer, value))
            self._eager_captures[key] = (value, t.node)  # the tensor is kept so that its key is not reused
            return t
        node = graph_record.add_recorded(self, make_op("const", {"value": value._t}), [], self.scoped("Const"))
        return self.tensor(node)

    def capture_outer(self, t: SymbolicTensor) -> SymbolicTensor:
        """The placeholder here for ``t``, a tensor of this graph or of an enclosing one."""
        if t.graph is self:
            return t
        hit = self._capture_index.get((id(t.graph), t.node))
        if hit is not None:
            return self.tensor(hit)
        if t.graph is self.outer:
            return self.tensor(self._new_capture(t))
        if not hasattr(self.outer, "capture_outer"):  # a tf.data function's graph captures too (data/traced_captures)
            raise ValueError(
                f"tensor '{t.name}' belongs to another graph: it is not in this control-flow body nor in any "
                "graph around it"
            )
        outer_t = self.outer.capture_outer(t)
        hit = self._capture_index.get((id(outer_t.graph), outer_t.node))
        if hit is None:
            hit = self._new_capture(outer_t)
        self._capture_index[(id(t.graph), t.node)] = hit
        return self.tensor(hit)

    # -- variables (hooks called by Variable)
    def read_variable(self, var: Any) -> Optional[int]:
        """The node of a read of ``var`` here: a capture of a read in the enclosing graph; None means read it
        here (the variable is assigned in this graph)."""
        vid = var._v.id
        if vid in self.local_variables:
            return None
        hit = self._var_captures.get(vid)
        if hit is None:
            outer_node = var._graph_read(self.outer)
            hit = self._var_captures[vid] = self._new_capture(self.outer.tensor(outer_node))
            # A tape inside the body differentiates with respect to the variable through this placeholder.
            self._var_reads.setdefault(vid, []).append(hit)
        return hit

    def note_assign(self, var: Any) -> None:
        self.assigned.add(var._v.id)
        if isinstance(self.outer, SubGraph):
            self.outer.note_assign(var)

    def needs_retrace(self) -> bool:
        """True (and the variables to read here updated) when a variable read from outside is assigned here."""
        stale = self.assigned & set(self._var_captures)
        if not stale:
            return False
        self.local_variables |= stale
        return True

    def check_traced(self, what: str) -> None:
        if self.run_callbacks:
            raise NotImplementedError(
                f"tf.print and tf.debugging assertions inside {what} in a graph are not supported: print or "
                "check the values the control flow returns instead"
            )


def trace(outer: Graph, build: Any, what: str, attempts: int = 4) -> tuple:
    """Calls ``build(sub)`` with a fresh ``SubGraph`` of ``outer`` as the default graph until no variable read
    from outside turns out to be assigned inside; returns ``(sub, build's result)``."""
    local: set = set()
    for _ in range(attempts):
        sub = SubGraph(outer, local)
        with sub.as_default():
            result = build(sub)
        if sub.needs_retrace():
            local = sub.local_variables
            continue
        sub.check_traced(what)
        return sub, result
    raise RuntimeError(f"{what}: tracing did not settle after {attempts} attempts")


def keep_stateful(sub: SubGraph, base: Optional[int], start: int = 0) -> Optional[int]:
    """A node of ``sub`` with the value of ``base`` (a new int32 zero when None) that depends on the stateful
    nodes ``sub.stateful_nodes[start:]`` (assignments made while tracing), so that computing it runs them;
    None when there are none."""
    nodes = sub.stateful_nodes[start:]
    if not nodes:
        return None
    if base is None:
        base = graph_record.add_recorded(sub, make_op("const", {"value": zero_token()}), [], sub.scoped("token"))
    name = sub.scoped("token/control_dependency")
    return graph_record.add_recorded(sub, make_op("after_controls"), [base, *nodes], name)


def zero_token() -> Any:
    """An int32 scalar zero (native tensor): the value of the tokens that carry stateful effects."""
    import numpy as np

    return _core.Tensor.from_numpy(np.zeros((), np.int32))


def add_multi(graph: Graph, op: Any, inputs: list, name: str, stateful: bool) -> list:
    """Adds a control-flow node to ``graph`` and returns its output tensors. Inside ``control_dependencies``
    the outputs wait for the control inputs; a node with stateful bodies is always run by traced functions."""
    nodes = graph_record.add_multi_recorded(graph, op, inputs, graph.scoped(name))
    if graph._controls:
        after = make_op("after_controls")
        nodes = [
            graph_record.add_recorded(graph, after, [n, *graph._controls], graph.scoped(name + "/control_dependency"))
            for n in nodes
        ]
    if stateful and nodes:
        graph.stateful_nodes.append(nodes[-1])
    return [graph.tensor(n) for n in nodes]

"""``tf.control_dependencies``: ops created in the block run only after the control inputs have run.

In a graph every node created inside the block is wrapped in an ``AfterControls`` node (its value, with the
control inputs as extra inputs), so whatever consumes it pulls the control inputs into the plan, even when
only the consumer is fetched (``Session.run``). Plans run nodes in creation order, so the control inputs,
created earlier, also run first. Eagerly, ops already run in program order: the block does nothing but
call the control inputs that are callables, as TensorFlow does.
"""

from __future__ import annotations

import contextlib
from typing import Any, Iterator, Optional

from . import context


def control_dependencies(control_inputs: Optional[list]) -> contextlib.AbstractContextManager:
    """``tf.control_dependencies(control_inputs)``: a context in which new ops depend on ``control_inputs``
    (tensors or operations); ``None`` clears the dependencies of enclosing blocks."""
    graph = context.current_graph()
    if graph is None:
        for c in control_inputs or []:
            if callable(c):
                c()
        return contextlib.nullcontext()
    return graph.control_dependencies(control_inputs)


@contextlib.contextmanager
def graph_control_dependencies(graph: Any, control_inputs: Optional[list]) -> Iterator[None]:
    """The body of ``Graph.control_dependencies``."""
    saved = graph._controls
    if control_inputs is None:
        graph._controls = []
    else:
        nodes = list(saved)
        for c in control_inputs:
            node = _control_node(graph, c)
            if node not in nodes:
                nodes.append(node)
        graph._controls = nodes
    try:
        yield
    finally:
        graph._controls = saved


def _control_node(graph: Any, c: Any) -> int:
    from .graph import Operation, SymbolicTensor
    from .ops import graph_input
    from .tensor import Tensor

    if isinstance(c, Operation):
        c = c._tensor
    if isinstance(c, SymbolicTensor):
        if c.graph is not graph:
            raise ValueError(f"control input {c.name} must be from the same graph as the ops that depend on it")
        return c.node
    if isinstance(c, Tensor):
        return graph_input(graph, c)  # a constant: nothing to wait for, but a valid control input
    raise TypeError(f"Can not convert a {type(c).__name__} into a Tensor or Operation.")

"""``Operation``: a node of a graph as TF1 code sees it (name, type, inputs, ``run()``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .graph import Graph, SymbolicTensor


class Operation:
    """A node of a graph (``tensor.op``, ``Graph.get_operations()``): its name, type (``"MatMul"``), input and
    output tensors, graph and device, and ``run()``. Each node has one output."""

    def __init__(self, tensor: SymbolicTensor) -> None:
        self._tensor = tensor

    @property
    def name(self) -> str:
        return self._tensor._info()[0]

    @property
    def type(self) -> str:
        return self._tensor.op_type

    @property
    def graph(self) -> Graph:
        return self._tensor.graph

    @property
    def device(self) -> str:
        return ""

    def _input_nodes(self) -> tuple:
        """(data inputs, control inputs): a ``control_dependencies`` block makes an ``Identity`` of the node
        whose extra inputs are the control inputs (TensorFlow keeps those off ``inputs``)."""
        info = self._tensor._info()
        nodes = list(info[4])
        if info[1] == "Identity" and len(nodes) > 1:
            return nodes[:1], nodes[1:]
        return nodes, []

    @property
    def inputs(self) -> tuple:
        """The tensors this op reads, in order."""
        graph = self._tensor.graph
        return tuple(graph.tensor(n) for n in self._input_nodes()[0])

    @property
    def control_inputs(self) -> list:
        """The ops that must run before this one."""
        graph = self._tensor.graph
        return [Operation(graph.tensor(n)) for n in self._input_nodes()[1]]

    @property
    def outputs(self) -> list:
        return [self._tensor]

    def values(self) -> tuple:
        """The op's outputs, as a tuple."""
        return (self._tensor,)

    def run(self, feed_dict: Any = None, session: Any = None) -> None:
        """Runs the op in ``session`` or the default session."""
        _session_for(session, "run").run(self._tensor, feed_dict=feed_dict)

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Operation)
            and other._tensor.graph is self._tensor.graph
            and other._tensor.node == self._tensor.node
        )

    def __hash__(self) -> int:
        return hash((id(self._tensor.graph), self._tensor.node))

    def __repr__(self) -> str:
        return f"<tf.Operation '{self.name}' type={self.type}>"


def _session_for(session: Any, what: str) -> Any:
    if session is not None:
        return session
    from ..compat.v1.session import get_default_session

    found = get_default_session()
    if found is None:
        raise ValueError(
            f"Cannot {what} a tensor: no default session is registered. Use `with sess.as_default():` or pass "
            f"session=sess"
        )
    return found

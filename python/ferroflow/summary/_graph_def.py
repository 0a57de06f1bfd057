"""Converting a ferroflow ``Graph`` into a serialized ``GraphDef`` for TensorBoard's Graphs tab.

Node names keep their name scopes (``sequential/dense/MatMul``): TensorBoard folds nodes into one box per
scope, so a model's graph shows one box per layer. Each node carries its dtype and ``_output_shapes``.
"""

from __future__ import annotations

from typing import Any

from . import _proto

# Ops whose dtype attribute TensorFlow calls "dtype" rather than "T".
_DTYPE_ATTR_OPS = {"Placeholder", "Const", "ReadVariableOp", "VarHandleOp", "Cast"}


def _named_nodes(graph: Any) -> list:
    """``(unique name, op, shape, dtype, input names)`` of every node of ``graph``, in order."""
    g = graph._g
    names: list = []
    used: set = set()
    out = []
    for i in range(len(g)):
        name, op, shape, dtype, inputs = g.node(i)
        unique, n = name, 1
        while unique in used:  # GraphDef node names must be unique
            unique, n = f"{name}_{n}", n + 1
        used.add(unique)
        names.append(unique)
        out.append((unique, op, shape, dtype, [names[j] for j in inputs]))
    return out


class NodeDef:
    """One node of ``Graph.as_graph_def()``: ``name``, ``op`` and ``input`` (the names of its inputs)."""

    def __init__(self, name: str, op: str, inputs: list) -> None:
        self.name, self.op, self.input = name, op, inputs

    def __repr__(self) -> str:
        return f"NodeDef(name={self.name!r}, op={self.op!r}, input={self.input!r})"


class GraphDef:
    """``Graph.as_graph_def()``: the graph's ``node`` list; ``SerializeToString()`` gives the protobuf bytes."""

    def __init__(self, graph: Any) -> None:
        self._graph = graph
        self.node = [NodeDef(name, op, inputs) for name, op, _, _, inputs in _named_nodes(graph)]

    def SerializeToString(self) -> bytes:  # noqa: N802 (the protobuf name)
        return graph_to_graph_def(self._graph)


def graph_to_graph_def(graph: Any) -> bytes:
    """The serialized ``GraphDef`` of every node of ``graph`` (a ``Graph`` or ``FuncGraph``)."""
    nodes = []
    for unique, op, shape, dtype, input_names in _named_nodes(graph):
        attrs = {"_output_shapes": _proto.attr_value(shapes=[_proto.tensor_shape(shape)])}
        enum = _proto.dtype_enum(dtype)
        if enum:
            attrs["dtype" if op in _DTYPE_ATTR_OPS else "T"] = _proto.attr_value(dtype=enum)
        if op == "Placeholder":
            attrs["shape"] = _proto.attr_value(shape=_proto.tensor_shape(shape))
        nodes.append(_proto.node_def(unique, op, input_names, attrs))
    return _proto.graph_def(nodes)

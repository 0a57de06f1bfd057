"""Converting a ferroflow ``Graph`` into a serialized ``GraphDef`` for TensorBoard's Graphs tab.

Node names keep their name scopes (``sequential/dense/MatMul``): TensorBoard folds nodes into one box per
scope, so a model's graph shows one box per layer. Each node carries its dtype and ``_output_shapes``.
"""

from __future__ import annotations

from typing import Any

from . import _proto

# Ops whose dtype attribute TensorFlow calls "dtype" rather than "T".
_DTYPE_ATTR_OPS = {"Placeholder", "Const", "ReadVariableOp", "VarHandleOp", "Cast"}


def graph_to_graph_def(graph: Any) -> bytes:
    """The serialized ``GraphDef`` of every node of ``graph`` (a ``Graph`` or ``FuncGraph``)."""
    g = graph._g
    names: list = []
    used: set = set()
    nodes = []
    for i in range(len(g)):
        name, op, shape, dtype, inputs = g.node(i)
        unique, n = name, 1
        while unique in used:  # GraphDef node names must be unique
            unique, n = f"{name}_{n}", n + 1
        used.add(unique)
        names.append(unique)
        attrs = {"_output_shapes": _proto.attr_value(shapes=[_proto.tensor_shape(shape)])}
        enum = _proto.dtype_enum(dtype)
        if enum:
            attrs["dtype" if op in _DTYPE_ATTR_OPS else "T"] = _proto.attr_value(dtype=enum)
        if op == "Placeholder":
            attrs["shape"] = _proto.attr_value(shape=_proto.tensor_shape(shape))
        nodes.append(_proto.node_def(unique, op, [names[j] for j in inputs], attrs))
    return _proto.graph_def(nodes)

"""The order of a functional model's ``layers`` (and so of its weights and summary rows), as Keras 3 gives it.

Keras walks the graph back from the outputs, numbering each layer when it first reaches it, gives every call
a depth (outputs 0, a parent one more than its deepest child), and lists layers from the deepest depth down,
breaking ties by that number. Any topological order runs the model the same; this one makes ``model.layers``,
``get_weights()`` and ``summary()`` list layers as Keras does (two branches appear interleaved by depth).
"""

from __future__ import annotations

from typing import Any

from ..framework import nest


def keras_layer_order(inputs: Any, outputs: Any) -> list:
    """The layers between ``inputs`` and ``outputs`` (KerasTensors) in Keras's ``Functional.layers`` order."""
    input_ids = {id(t) for t in nest.flatten(inputs)}
    indices: dict = {}  # id(layer) -> order first reached from the outputs
    layers: dict = {}
    finished: set = set()
    decreasing_depth: list = []  # nodes, each after all of its parents

    def visit(tensor: Any) -> None:
        layer, node_index, _ = tensor._keras_history
        node = layer._inbound_nodes[node_index]
        if id(node) in finished:
            return
        if id(layer) not in indices:
            indices[id(layer)] = len(indices)
            layers[id(layer)] = layer
        if id(tensor) not in input_ids:
            for parent in node.input_tensors:
                visit(parent)
        finished.add(id(node))
        decreasing_depth.append(node)

    for t in nest.flatten(outputs):
        visit(t)
    node_depth: dict = {}
    layer_depth: dict = {}
    for node in reversed(decreasing_depth):
        depth = max(node_depth.setdefault(id(node), 0), layer_depth.get(id(node.layer), 0))
        layer_depth[id(node.layer)] = depth
        node_depth[id(node)] = depth
        for parent in node.parent_nodes:
            node_depth[id(parent)] = max(depth + 1, node_depth.get(id(parent), 0))
    for t in nest.flatten(inputs):  # an input no output depends on
        layer = t._keras_history[0]
        if id(layer) not in layer_depth:
            layer_depth[id(layer)] = 0
            indices[id(layer)] = -1
            layers[id(layer)] = layer
    return [layers[key] for key in sorted(layer_depth, key=lambda key: (-layer_depth[key], indices[key]))]

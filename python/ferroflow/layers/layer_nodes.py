"""``layer.input`` / ``layer.output``: the tensors of a layer's first call on symbolic (Keras) tensors.

A functional model's layers keep a node per symbolic call, so these let code reach any intermediate
activation of a built model, e.g. ``keras.Model(model.inputs, [layer.output for layer in model.layers])``.
"""

from __future__ import annotations

from typing import Any


class LayerNodes:
    """Keras's ``Operation.input`` and ``Operation.output``: taken from the first inbound node, as Keras does."""

    _inbound_nodes: list
    name: str

    def _node_attribute(self, attribute: str) -> Any:
        nodes = self.__dict__.get("_inbound_nodes")
        if not nodes:
            raise AttributeError(f"The layer {self.name} has never been called and thus has no defined {attribute}.")
        node = nodes[0]
        if attribute == "output":
            return node.outputs
        values = node.input_tensors
        return values[0] if len(values) == 1 else values

    @property
    def input(self) -> Any:
        """The input tensor(s) of the layer's first call on symbolic inputs."""
        return self._node_attribute("input")

    @property
    def output(self) -> Any:
        """The output tensor(s) of the layer's first call on symbolic inputs."""
        return self._node_attribute("output")

"""``keras.utils.model_to_dot`` and ``plot_model``: a model's layers and connections as a Graphviz graph.

The DOT source is written here, so no Python package is needed: ``plot_model(model, "model.dot")`` writes it
as it is; other formats (``.png``, ``.svg``, ``.pdf`` ...) are rendered by Graphviz's ``dot`` program, and
without it ``plot_model`` raises ``ImportError`` saying how to get it (or to write ``.dot``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from typing import Any, Optional


class DotGraph:
    """A graph's DOT source, with the pieces of pydot's ``Dot`` that Keras code uses."""

    def __init__(self, source: str) -> None:
        self.source = source

    def to_string(self) -> str:
        return self.source

    def create(self, prog: str = "dot", format: str = "png") -> bytes:  # noqa: A002 - pydot's name
        """The rendered graph's bytes (Graphviz's ``prog`` must be installed)."""
        exe = shutil.which(prog)
        if exe is None:
            raise ImportError(
                f"Rendering a model plot needs Graphviz's `{prog}` program (apt-get install graphviz, or "
                "https://graphviz.org/download/); without it, write the DOT source with to_file='model.dot'."
            )
        done = subprocess.run([exe, f"-T{format}"], input=self.source.encode(), capture_output=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"{prog} failed: {done.stderr.decode(errors='replace').strip()}")
        return done.stdout

    def write(self, path: str, format: str = "raw") -> None:  # noqa: A002 - pydot's name
        data = self.source.encode() if format in ("raw", "dot") else self.create(format=format)
        with open(path, "wb") as f:
            f.write(data)


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _shape(shape: Any) -> str:
    if shape is None:
        return "?"
    if isinstance(shape, list):
        return ", ".join(_shape(s) for s in shape)
    return "(" + ", ".join("None" if d is None else str(d) for d in shape) + ")"


def _label(layer: Any, show_shapes: bool, show_dtype: bool, show_layer_names: bool, activations: bool) -> str:
    kind = type(layer).__name__
    lines = [f"{layer.name} ({kind})" if show_layer_names else kind]
    activation = getattr(layer, "activation", None)
    if activations and activation is not None:
        lines.append(f"activation: {getattr(activation, '__name__', type(activation).__name__)}")
    if show_dtype:
        lines.append(f"dtype: {getattr(layer, 'dtype', '?')}")
    if show_shapes:
        inputs = [t.shape for node in layer._inbound_nodes for t in node.input_tensors] or None
        lines.append(f"Input shape: {_shape([tuple(s) for s in inputs] if inputs else None)}")
        lines.append(f"Output shape: {_shape(getattr(layer, '_last_output_shape', None))}")
    return "\n".join(lines)


def _edges(model: Any) -> list:
    """(source layer, target layer) pairs of the model's connections, in layer order."""
    layers = model.layers
    own = {id(layer) for layer in layers}
    edges = []
    for layer in layers:
        for node in layer._inbound_nodes:
            for t in node.input_tensors:
                source = t._keras_history[0]
                if id(source) in own or type(source).__name__ == "InputLayer":
                    edges.append((source, layer))
    if not edges and len(layers) > 1:  # a Sequential model never called: its layers in order
        edges = list(zip(layers, layers[1:]))
    return edges


def model_to_dot(
    model: Any,
    show_shapes: bool = False,
    show_dtype: bool = False,
    show_layer_names: bool = True,
    rankdir: str = "TB",
    expand_nested: bool = False,
    dpi: int = 200,
    subgraph: bool = False,
    show_layer_activations: bool = False,
    show_trainable: bool = False,
    **kwargs: Any,
) -> DotGraph:
    """The model as a ``DotGraph``: one box per layer (and per input), an arrow per connection."""
    if rankdir not in ("TB", "LR"):
        raise ValueError(f"rankdir must be 'TB' (top to bottom) or 'LR' (left to right), received {rankdir!r}")
    edges = _edges(model)
    nodes: list = []
    for source, target in edges:
        for layer in (source, target):
            if all(layer is not n for n in nodes):
                nodes.append(layer)
    for layer in model.layers:
        if all(layer is not n for n in nodes):
            nodes.append(layer)
    ids = {id(layer): f"node_{i}" for i, layer in enumerate(nodes)}
    lines = [
        "digraph G {",
        f"  graph [rankdir={rankdir}, dpi={int(dpi)}, concentrate=true];",
        "  node [shape=record, fontname=Helvetica];",
    ]
    for layer in nodes:
        label = _label(layer, show_shapes, show_dtype, show_layer_names, show_layer_activations)
        if show_trainable:
            label += f"\ntrainable: {'T' if getattr(layer, 'trainable', True) else 'F'}"
        lines.append(f"  {ids[id(layer)]} [label={_quote(label)}];")
    for source, target in edges:
        lines.append(f"  {ids[id(source)]} -> {ids[id(target)]};")
    lines.append("}")
    return DotGraph("\n".join(lines) + "\n")


def plot_model(
    model: Any,
    to_file: str = "model.png",
    show_shapes: bool = False,
    show_dtype: bool = False,
    show_layer_names: bool = True,
    rankdir: str = "TB",
    expand_nested: bool = False,
    dpi: int = 200,
    show_layer_activations: bool = False,
    show_trainable: bool = False,
    **kwargs: Any,
) -> Optional[Any]:
    """Writes the model's graph to ``to_file``; the format follows its extension (``.dot`` needs nothing
    else, the others Graphviz's ``dot``). Without Graphviz it raises ``ImportError`` with Keras's message, or
    in IPython prints that message and returns, as Keras does so that a notebook goes on."""
    if not model.built:
        raise ValueError(
            "This model has not yet been built. Build the model first by calling `build()` or by calling the "
            "model on a batch of data."
        )
    extension = os.path.splitext(to_file)[1][1:].lower() or "png"
    if extension not in ("dot", "gv") and shutil.which("dot") is None:
        message = (
            "You must install graphviz (see instructions at https://graphviz.gitlab.io/download/) "
            "for `plot_model` to work."
        )
        if "IPython.core.magics.namespace" in sys.modules:
            print(message)
            return None
        raise ImportError(message)
    graph = model_to_dot(
        model,
        show_shapes=show_shapes,
        show_dtype=show_dtype,
        show_layer_names=show_layer_names,
        rankdir=rankdir,
        expand_nested=expand_nested,
        dpi=dpi,
        show_layer_activations=show_layer_activations,
        show_trainable=show_trainable,
    )
    graph.write(to_file, format="raw" if extension in ("dot", "gv") else extension)
    return None

"""The graphs ``TensorBoard`` writes for a model: its op graph (Graphs tab) and its Keras config (conceptual graph)."""

from __future__ import annotations

import warnings
from typing import Any, Optional

from ..framework import nest
from ..framework.function import FuncGraph
from ..framework.ops import apply


def _placeholder(shape: Any, dtype: str, name: str) -> Any:
    dims = [None] + [None if d is None else int(d) for d in tuple(shape)[1:]]
    return apply("placeholder", [], {"dtype": dtype, "shape": dims}, op_name=name)


def _symbolic_inputs(model: Any) -> Any:
    """Placeholders shaped like the model's inputs (batch dimension unknown), nested like its call expects."""
    inputs = model.inputs
    if inputs:
        names = [f"input_{i}" for i in range(len(inputs))] if len(inputs) > 1 else ["input"]
        ps = [_placeholder(t.shape, str(getattr(t.dtype, "name", t.dtype)), n) for t, n in zip(inputs, names)]
        struct = getattr(model, "_inputs_struct", None)
        if struct is not None and getattr(model, "_is_graph_network", False):
            return nest.pack_sequence_as(struct, ps)
        return ps[0] if len(ps) == 1 else ps
    shapes = getattr(model, "_build_shapes", None)
    if shapes is None:
        return None
    dtype = str(getattr(model, "compute_dtype", "float32"))
    if isinstance(shapes, dict):
        return {k: _placeholder(s, dtype, str(k)) for k, s in shapes.items()}
    if shapes and isinstance(shapes[0], (list, tuple)):
        return [_placeholder(s, dtype, f"input_{i}") for i, s in enumerate(shapes)]
    return _placeholder(shapes, dtype, "input")


def trace_model_graph(model: Any) -> Optional[FuncGraph]:
    """The model's forward pass traced on placeholders, or None (with a warning) when it cannot be traced."""
    if not getattr(model, "built", False):
        return None
    graph = FuncGraph()
    try:
        with graph.as_default():
            inputs = _symbolic_inputs(model)
            if inputs is None:
                return None
            model(inputs, training=False)
    except Exception as e:  # noqa: BLE001 - a graph for display must never stop training
        warnings.warn(f"TensorBoard could not trace model '{model.name}' to write its graph: "
                      f"{type(e).__name__}: {e}", stacklevel=3)
        return None
    return graph


def keras_model_summary(name: str, model: Any, step: int = 0) -> bool:
    """Writes the model's JSON config for TensorBoard's conceptual graph (plugin ``graph_keras_model``)."""
    from ..summary import _ops, _proto

    try:
        json_string = model.to_json()
    except Exception as e:  # noqa: BLE001 - as in Keras: a model that cannot be serialized is skipped
        warnings.warn(f"Model failed to serialize as JSON. Ignoring... {e}", stacklevel=3)
        return False
    metadata = _proto.summary_metadata("graph_keras_model", content=b"1")
    return _ops.write(name, json_string, step=step, metadata=metadata)

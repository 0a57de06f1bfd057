"""``tf.gradients``: symbolic gradients of graph tensors (graph mode only, as in TensorFlow 2)."""

from __future__ import annotations

from typing import Any

from ..framework import context, nest
from ..framework.tape import _symbolic_gradients


def gradients(
    ys: Any, xs: Any, grad_ys: Any = None, name: str = "gradients", **unused: Any
) -> list:
    """d(sum of ys)/d(xs) as new graph nodes; ``None`` for an x the ys do not depend on."""
    from ..framework.graph import SymbolicTensor

    flat_ys = nest.flatten(ys)
    graph = next((y.graph for y in flat_ys if isinstance(y, SymbolicTensor)), None)
    if graph is None or context.executing_eagerly() and graph is None:
        raise RuntimeError(
            "tf.gradients is not supported when eager execution is enabled. Use tf.GradientTape instead."
        )
    flat_xs = nest.flatten(xs)
    og = None if grad_ys is None else nest.flatten(grad_ys)
    return _symbolic_gradients(graph, flat_ys, flat_xs, og)

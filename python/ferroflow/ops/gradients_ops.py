"""``tf.gradients``: symbolic gradients of graph tensors (graph mode only, as in TensorFlow 2)."""

from __future__ import annotations

from typing import Any

from ..framework import context, nest
from ..framework.tape import _symbolic_gradients


def gradients(ys: Any, xs: Any, grad_ys: Any = None, name: str = "gradients", **unused: Any) -> list:
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


def hessians(ys: Any, xs: Any, name: str = "hessians", **unused: Any) -> list:
    """Second derivatives of ``sum(ys)`` with respect to each of ``xs`` (graph mode, as ``tf.gradients``):
    for an ``x`` of shape ``s``, a tensor of shape ``s + s``, one gradient pass per element of ``x``."""
    import numpy as np

    from .array_ops import reshape, stack

    flat_xs = nest.flatten(xs)
    first = gradients(ys, flat_xs)
    out = []
    for x, g in zip(flat_xs, first):
        dims = x.shape.as_list()
        if dims is None or None in dims:
            raise ValueError(f"hessians needs sources of known shape, received {x.shape}")
        if g is None:
            out.append(None)
            continue
        n = int(np.prod(dims)) if dims else 1
        eye = np.eye(n, dtype=x.dtype.as_numpy_dtype)
        rows = []
        for i in range(n):
            (row,) = gradients([g], [x], grad_ys=[eye[i].reshape(dims)])
            rows.append(row if row is not None else x * 0)
        out.append(reshape(stack(rows), dims + dims))
    return out

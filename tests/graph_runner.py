"""Test helper: runs a function on graph placeholders whose batch dimension is unknown, as the trainer does."""

import numpy as np

from ferroflow.framework.graph import Graph
from ferroflow.framework.ops import apply


def run_in_graph(fn, *arrays):
    """``fn(*placeholders)`` in a new graph (placeholders shaped ``(None, ...)``), run on ``arrays``.

    ``fn`` returns a tensor or a list of tensors; the result is a NumPy array or a list of them.
    """
    graph = Graph()
    with graph.as_default():
        placeholders = [
            apply("placeholder", [], {"dtype": str(a.dtype), "shape": [None] + list(a.shape[1:])}) for a in arrays
        ]
        out = fn(*placeholders)
    outs = out if isinstance(out, list) else [out]
    plan = graph._g.compile([o.node for o in outs], [p.node for p in placeholders])
    values = [np.asarray(r.numpy()) for r in plan.run([np.ascontiguousarray(a) for a in arrays])]
    return values if isinstance(out, list) else values[0]

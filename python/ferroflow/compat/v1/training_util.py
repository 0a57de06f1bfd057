"""Global-step helpers the hooks use (``assert_global_step``, the cached step read) and ``write_graph``."""

from __future__ import annotations

import os
from typing import Any

from ...framework import context
from ...framework.variables import Variable

GLOBAL_STEP_READ_KEY = "global_step_read_op_cache"


def assert_global_step(global_step_tensor: Any) -> None:
    """Raises TypeError unless ``global_step_tensor`` is an integer scalar variable or tensor."""
    if not isinstance(global_step_tensor, Variable) and not hasattr(global_step_tensor, "graph"):
        raise TypeError(f'Existing "global_step" must be a Variable or Tensor: {global_step_tensor}.')
    if not global_step_tensor.dtype.is_integer:
        raise TypeError(f'Existing "global_step" does not have integer type: {global_step_tensor.dtype}')
    if global_step_tensor.shape.rank != 0:
        raise TypeError(f'Existing "global_step" is not scalar: {global_step_tensor.shape}')


def get_or_create_global_step_read(graph: Any = None) -> Any:
    """A tensor reading the global step, made once per graph (None when the graph has no global step).

    Plans run nodes in creation order, so a read made before the training op sees the step before the
    run's increment, as TF1's ``global_step_read`` tensor does."""
    from .train import get_global_step

    graph = graph if graph is not None else context.get_default_graph()
    cached = graph.get_collection(GLOBAL_STEP_READ_KEY)
    if cached:
        return cached[0]
    step = get_global_step(graph)
    if step is None:
        return None
    with graph.as_default():
        read = step.value() + 0 if isinstance(step, Variable) else step + 0
    graph.add_to_collection(GLOBAL_STEP_READ_KEY, read)
    return read


def write_graph(graph_or_graph_def: Any, logdir: str, name: str, as_text: bool = True) -> str:
    """Writes the graph's ``GraphDef`` to ``logdir/name`` (text format ``node { ... }`` when ``as_text``);
    returns the path."""
    from ...summary._graph_def import GraphDef, graph_to_graph_def

    graph = graph_or_graph_def
    path = os.path.join(os.fspath(logdir), name)
    os.makedirs(os.fspath(logdir) or ".", exist_ok=True)
    if not as_text:
        data = graph_to_graph_def(graph) if hasattr(graph, "_g") else graph.SerializeToString()
        with open(path, "wb") as f:
            f.write(data)
        return path
    graph_def = GraphDef(graph) if hasattr(graph, "_g") else graph
    lines = []
    for node in graph_def.node:
        lines.append("node {")
        lines.append(f'  name: "{node.name}"')
        lines.append(f'  op: "{node.op}"')
        lines.extend(f'  input: "{i}"' for i in node.input)
        lines.append("}")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + ("\n" if lines else ""))
    return path


from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals(), hidden=("get_or_create_global_step_read", "GLOBAL_STEP_READ_KEY"))

"""Keras metrics in a TF1 graph run by ``Session.run`` (an ``Estimator``'s ``eval_metric_ops``).

A metric's state is its running totals (``base.py``). In a session graph, ``update_state`` on graph tensors
builds the batch's terms as graph nodes and returns the op of a host tensor that, each time a run reaches
it, adds their values to the totals; ``result()`` is a host tensor computing the value from the totals when
fetched. That is TensorFlow's ``(result(), update_op)`` pair of a graph-mode Keras metric, with the totals
kept by the metric instead of in local variables.
"""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from ..framework import context
from ..framework.graph import SymbolicTensor, as_symbolic


def session_graph_of(args: Any) -> Optional[Any]:
    """The TF1 session graph the symbolic ``args`` belong to; None when they are eager (or when it is a traced
    function or a control-flow body, where the metric updates its state variable instead, function_state.py)."""
    for value in args:
        if isinstance(value, SymbolicTensor):
            graph = value.graph
            if getattr(graph, "is_function", False) or getattr(graph, "outer", None) is not None:
                return None
            return graph
    return None


def update(metric: Any, graph: Any, args: tuple, kwargs: dict) -> Any:
    """The update op of one batch: the metric's terms built in ``graph``, added to its totals when run."""
    from ..compat.v1.host_tensor import HostTensor, unique_name

    with graph.as_default(), context.paused_tapes():
        terms = [as_symbolic(graph, t) for t in metric._batch_terms(*args, **kwargs)]

    def add(*values: Any) -> Any:
        increments = [float(np.asarray(v, dtype=np.float64)) for v in values]
        if len(metric._totals) != len(increments):
            metric._totals = [0.0] * len(increments)
        metric._totals = [a + b for a, b in zip(metric._totals, increments)]
        return np.float32(0.0)

    tensor = HostTensor(graph, unique_name(graph, f"{metric.name}/update_op"), "MetricUpdate", terms, add, "float32")
    graphs = metric.__dict__.setdefault("_session_graphs", [])
    if not any(g is graph for g in graphs):
        graphs.append(graph)
    metric.__dict__.setdefault("_update_ops", []).append(tensor.op)
    return tensor.op


def result(metric: Any) -> Optional[Any]:
    """A host tensor with the metric's value, when the current graph is one the metric was updated in."""
    graph = context.current_graph()
    if graph is None or not any(g is graph for g in metric.__dict__.get("_session_graphs", ())):
        return None
    from ..compat.v1.host_tensor import HostTensor, unique_name

    def value() -> Any:
        out = np.asarray(metric._result_from_totals(list(metric._totals)), dtype=np.float32)
        return out[()] if out.ndim == 0 else out

    return HostTensor(graph, unique_name(graph, f"{metric.name}/value"), "MetricResult", [], value, "float32", None)


def as_metric_ops(metric: Any) -> tuple:
    """``(value, update_op)`` of a metric updated in the current graph (an Estimator's eval_metric_ops): the
    totals start from zero, as the local variables of TensorFlow's graph-mode metrics do in a new session."""
    graph = context.current_graph()
    updates = [op for op in metric.__dict__.get("_update_ops", ()) if op.graph is graph]
    if not updates:
        raise ValueError(
            f"The Keras metric '{metric.name}' in eval_metric_ops has not been updated in this graph: call "
            "metric.update_state(labels, predictions) in the model_fn before returning it"
        )
    metric.reset_state()
    value = result(metric)
    if value is None:
        raise ValueError(f"The Keras metric '{metric.name}' in eval_metric_ops was updated in another graph")
    update_op = updates[0] if len(updates) == 1 else _group(graph, updates)
    return value, update_op


def _group(graph: Any, ops: list) -> Any:
    from ..compat.v1.host_tensor import HostTensor, unique_name

    tensors = [op._tensor for op in ops]
    return HostTensor(graph, unique_name(graph, "group_deps"), "NoOp", tensors, lambda *a: None, "float32").op

"""The compiled steps of the trainer: one graph per (kind, input signature), compiled once into a native plan.

A train step is a single plan: forward pass, loss, regularization penalties, metric terms, gradients and
the optimizer update. The Rust batch loop runs it once per batch with the GIL released, so steady-state
training never returns to Python except where Python must act (progress bar, callbacks).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any, Callable, Optional

import numpy as np

from ..framework import nest
from ..framework.device import log_graph_placement
from ..framework.function import FuncGraph
from ..framework.ops import apply
from . import data_adapter


@dataclass
class StepPlan:
    """A compiled step: the native plan and the layout of its fetches."""

    plan: Any
    kind: str  # "train", "test" or "predict"
    metric_sizes: list  # how many scalar terms each metric fetches (train/test)
    output_structure: Any = None  # predict: nesting of the model's outputs
    # The traced graph and its fetch and feed node ids, for tools that rerun a step with more fetches (tfdbg).
    graph: Any = None
    fetch_nodes: Any = None
    feed_nodes: Any = None


def signature(arrays: list) -> tuple:
    """What a plan depends on: each array's dtype and per-sample shape (None for absent arrays)."""
    from .composite_data import COMPOSITE_ROWS

    return tuple(
        None if a is None else a.signature() if isinstance(a, COMPOSITE_ROWS) else (a.dtype.num, a.shape[1:])
        for a in arrays
    )


def _placeholder(array: np.ndarray, name: str) -> Any:
    from .composite_data import COMPOSITE_ROWS

    if hasattr(array, "placeholder"):  # a string input (string_data.StringRows)
        return array.placeholder(name)
    if isinstance(array, COMPOSITE_ROWS):
        from ..framework.composite_graph import placeholders

        # A sparse or ragged input: the value the model sees, and every placeholder it is fed through.
        value, _, every = placeholders(array.spec, name)
        return value, every
    shape = [None] + [int(d) for d in array.shape[1:]]
    return apply("placeholder", [], {"dtype": str(array.dtype), "shape": shape}, op_name=name)


def _scalar_float(t: Any) -> Any:
    if t.dtype.name != "float32":
        t = apply("cast", [t], {"dtype": "float32"})
    return t


def build(
    model: Any,
    kind: str,
    x_arrays: list,
    structure: Any,
    y: Optional[np.ndarray] = None,
    sample_weight: Optional[np.ndarray] = None,
    loss: Any = None,
    metrics_for: Optional[Callable[[tuple, tuple], list]] = None,
    optimizer: Any = None,
) -> StepPlan:
    """Traces ``model`` on placeholders shaped like the data and compiles the step of ``kind``.

    ``metrics_for(y_true_shape, y_pred_shape)`` gives the metrics once the traced output's shape is known
    (Keras resolves ``"accuracy"`` from both shapes).
    """
    graph = FuncGraph()
    feeds: list = []
    with graph.as_default():
        xs = []
        for i, a in enumerate(x_arrays):
            p = _placeholder(a, "x" if len(x_arrays) == 1 else f"x_{i}")
            if isinstance(p, tuple):
                xs.append(p[0])
                feeds.extend(p[1])
            else:
                xs.append(p)
                feeds.append(p)
        inputs = data_adapter.pack_like(structure, xs)
        y_pred = model(inputs, training=kind == "train")
        from ..framework.composite_graph import is_composite

        if any(is_composite(t) for t in nest.flatten(y_pred)):
            raise NotImplementedError(
                f"Model '{model.name}' returns a sparse or ragged tensor: fit/evaluate/predict need dense outputs "
                "(call the model directly, or end it with tf.sparse.to_dense / RaggedTensor.to_tensor)"
            )
        if kind == "predict":
            outputs = nest.flatten(y_pred)
            log_graph_placement(graph)
            plan = _batched(graph._g.compile([t.node for t in outputs], [t.node for t in feeds]), x_arrays)
            return StepPlan(plan, kind, [], nest.map_structure(lambda _: 0, y_pred))
        if y is None:  # no targets: the loss is what the model's layers add (add_loss)
            y_true = sw = None
        elif type(y) is list:  # one target (and weight) per output: the loss sums the weighted output losses
            y_true = [_placeholder(a, f"y_{i}") for i, a in enumerate(y)]
            feeds.extend(y_true)
            sw = None
            if sample_weight is not None:
                sw = [_placeholder(a, f"sample_weight_{i}") for i, a in enumerate(sample_weight)]
                feeds.extend(sw)
        else:
            if isinstance(y_pred, (list, tuple, dict)):
                raise NotImplementedError(
                    f"Model '{model.name}' has {len(nest.flatten(y_pred))} outputs that are only known once it is "
                    "called: training models with several outputs needs a functional Model(inputs, outputs) "
                    "(whose outputs are known at compile); or combine them into one output tensor"
                )
            y_true = _placeholder(y, "y")
            feeds.append(y_true)
            sw = None
            if sample_weight is not None:
                sw = _placeholder(sample_weight, "sample_weight")
                feeds.append(sw)
        with graph.name_scope("loss"):
            terms = [] if loss is None or y_true is None else [loss(y_true, y_pred, sample_weight=sw)]
            terms += [p for p in model.losses if p is not None]
            if not terms:  # compiled without a loss, and no layer added one (Keras 3's error)
                from .compile_utils import resolve_loss

                resolve_loss(None)
            total = _scalar_float(terms[0])
            for p in terms[1:]:
                total = apply("add", [total, _scalar_float(p)])
        fetches = [total]
        sizes = []
        metrics = [] if metrics_for is None else _metrics(model, metrics_for, y_true, y_pred)
        for m in metrics:
            with graph.name_scope(m.name):
                terms = [_scalar_float(t) for t in m._batch_terms(y_true, y_pred, sw)]
            sizes.append(len(terms))
            fetches.extend(terms)
        variables = model.trainable_weights if kind == "train" else []
        if kind == "train" and not variables:  # as Keras: the step computes the loss and metrics, and warns
            warnings.warn("The model does not have any trainable weights.", stacklevel=2)
        if kind == "train" and variables:
            from ..ops.gradients_ops import gradients

            with graph.name_scope("gradients"):
                # As Keras's train step: the optimizer's scale_loss (a LossScaleOptimizer's dynamic scale, or
                # loss_scale_factor) multiplies the loss; apply divides the gradients by it again.
                grads = gradients(optimizer.scale_loss(total), variables)
            if all(g is None for g in grads):
                raise ValueError(
                    f"No gradients provided for any variable of model '{model.name}': the loss does not depend on "
                    f"its weights {[v.name for v in variables]}"
                )
            with graph.name_scope(type(optimizer).__name__):
                update = optimizer.apply(grads, variables)
            fetches.append(update)
    log_graph_placement(graph)
    # Assignments the model made while it was traced (BatchNormalization's moving averages) run with the step,
    # after the fetches the loop reads.
    fetch_nodes = [t.node for t in fetches]
    fetch_nodes += [n for n in graph.stateful_nodes if n not in fetch_nodes]
    feed_nodes = [t.node for t in feeds]
    plan = _batched(graph._g.compile(fetch_nodes, feed_nodes), x_arrays)
    return StepPlan(plan, kind, sizes, graph=graph, fetch_nodes=fetch_nodes, feed_nodes=feed_nodes)


def _metrics(model: Any, metrics_for: Callable, y_true: Any, y_pred: Any) -> list:
    """The compiled metrics for this step; without targets there are none to compute, and compiled metrics
    are an error (Keras 3 fails too: they need ``y``)."""
    if y_true is not None:
        return metrics_for(*_shapes(y_true, y_pred))
    compiled = getattr(model, "_compiled_metrics", None)
    if getattr(compiled, "identifiers", None) or getattr(compiled, "weighted_identifiers", None):
        raise ValueError(
            f"Model '{model.name}' was compiled with metrics, which compare targets with predictions, but no "
            "targets `y` were given: pass `y`, or compile without `metrics`"
        )
    return []


def _shapes(y_true: Any, y_pred: Any) -> tuple:
    """The label and prediction shapes the metrics resolve from (one per output for several outputs)."""
    if type(y_true) is list:
        return [tuple(t.shape) for t in y_true], [tuple(t.shape) for t in nest.flatten(y_pred)]
    return tuple(y_true.shape), tuple(y_pred.shape)


def _batched(plan: Any, x_arrays: list) -> Any:
    """The native plan, or for sparse or ragged inputs a plan that feeds their components batch by batch."""
    from .composite_data import COMPOSITE_ROWS, CompositeBatchPlan

    return CompositeBatchPlan(plan) if any(isinstance(a, COMPOSITE_ROWS) for a in x_arrays) else plan

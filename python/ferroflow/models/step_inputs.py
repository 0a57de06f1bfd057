"""What the trainer feeds its steps: ``(x, y, sample_weight)`` as checked arrays, and the step traced for them.

``fit``, ``evaluate``, ``train_on_batch`` and the dataset loops all convert their data here, so every path
checks and weighs it alike; a step is traced and compiled once per (kind, input signature) and cached.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import data_adapter, distributed_step, input_checks, multi_output, multi_output_call, step_graph


def arrays(model: Any, x: Any, y: Any, sample_weight: Any, class_weight: Any = None) -> tuple:
    """``(xs, structure, ys, sample_weights)``: one target array (or one per output) and its weights."""
    float_dtype = getattr(model, "dtype", "float32")
    xs = data_adapter.flatten_inputs(x, float_dtype)
    if model._call_outputs_pending is not None:  # a subclassed model's outputs, resolved on its first batch
        multi_output_call.resolve(model, xs, data_adapter.structure_of(x))
    if model._multi_output_loss():
        loss = model._compiled_loss
        ya, sw = multi_output.targets(
            model, loss.names, y, sample_weight, class_weight, float_dtype, loss.keyed, loss.losses
        )
        for fn, part in zip(loss.losses, ya):
            input_checks.check_sparse_labels(fn, part)
        n = data_adapter.num_samples(
            xs + ya,
            [f"x[{i}]" if len(xs) > 1 else "x" for i in range(len(xs))]
            + [f"y[{k!r}]" if loss.keyed else f"y[{i}]" for i, k in enumerate(loss.names)],
        )
        if n == 0:
            raise ValueError("Expected a non-empty dataset: `x` and `y` have 0 samples")
        return xs, data_adapter.structure_of(x), ya, sw
    if y is None:
        if model._compiled_loss is not None:
            raise ValueError("`y` (the targets) is required to train or evaluate a model; received y=None")
        # As Keras 3: compiled without a loss, the model trains on the losses its layers add (add_loss).
        names = [f"x[{i}]" if len(xs) > 1 else "x" for i in range(len(xs))]
        if data_adapter.num_samples(xs, names) == 0:
            raise ValueError("Expected a non-empty dataset: `x` has 0 samples")
        return xs, data_adapter.structure_of(x), None, None
    ya = data_adapter.to_array(y, "y", float_dtype)
    input_checks.check_sparse_labels(model._compiled_loss, ya)
    names = [f"x[{i}]" if len(xs) > 1 else "x" for i in range(len(xs))] + ["y"]
    n = data_adapter.num_samples(xs + [ya], names)
    if n == 0:
        raise ValueError("Expected a non-empty dataset: `x` and `y` have 0 samples")
    sw = data_adapter.sample_weight_array(sample_weight, n)
    if class_weight is not None:
        cw = data_adapter.class_weights_to_sample_weights(ya, class_weight)
        sw = cw if sw is None else np.ascontiguousarray(sw * cw)
    return xs, data_adapter.structure_of(x), ya, sw


def plan(model: Any, kind: str, xs: list, structure: Any, y: Any = None, sw: Any = None) -> step_graph.StepPlan:
    """The step of ``kind`` for data shaped like ``xs``/``y``/``sw``: built on first use, then cached."""
    # A step run from Python per batch: eagerly, or an overridden train_step/test_step/predict_step.
    # A strategy with several replicas splits every batch over them, replica by replica (distributed_step).
    in_python = model._steps_eagerly() or model._overrides_step(kind) or distributed_step.strategy_of(model) is not None
    key = (kind, in_python, repr(structure), step_graph.signature(xs + multi_output.signature_parts(y, sw)))
    found = model._plans.get(key)
    if found is None:
        input_checks.check_inputs(model, xs, structure)
        if in_python:
            from . import eager_plan

            found = eager_plan.build(model, kind, xs, structure, y, sw)
        else:
            metrics_for = None if kind == "predict" else model._metrics_for
            found = step_graph.build(
                model, kind, xs, structure, y, sw, model._compiled_loss, metrics_for, model.optimizer
            )
        model._plans[key] = found
    return found


def metrics_for(model: Any, y_true_shape: Any, y_pred_shape: Any) -> list:
    """The compiled metrics, resolved (``"accuracy"`` ...) from the label and prediction shapes (lists of one
    shape per output for a model with several outputs)."""
    if model._multi_output_loss():
        return model._compiled_metrics.views(y_true_shape, y_pred_shape)
    resolved = model._compiled_metrics.resolve(y_true_shape, y_pred_shape)
    return [WeightingView(m, weighted) for m, weighted in resolved]


class WeightingView:
    """A resolved metric plus whether it sees sample weights (Keras 3: only ``weighted_metrics`` do)."""

    def __init__(self, metric: Any, weighted: bool) -> None:
        self.metric = metric
        self.weighted = weighted
        self.name = metric.name

    def _batch_terms(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> list:
        return self.metric._batch_terms(y_true, y_pred, sample_weight if self.weighted else None)

    def _result_from_totals(self, totals: list) -> float:
        return self.metric._result_from_totals(totals)

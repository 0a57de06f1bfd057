"""Keras's per-batch step methods: ``train_step``, ``test_step``, ``predict_step`` and their helpers.

``fit``/``evaluate``/``predict`` normally run one compiled native plan per step and never call these. They
run when a model overrides one of them (the override is called for every batch, traced once with
``tf.function`` unless the model runs eagerly) and when a subclass's override calls ``super().train_step``.
``run_eagerly`` (or ``tf.config.run_functions_eagerly(True)``) makes every step a plain Python call per batch,
so that prints, ``.numpy()`` and Python control flow on tensor values in ``call`` or a step run each time.
"""

from __future__ import annotations

import warnings
from typing import Any, Optional

from ..framework import nest
from ..framework.function import functions_run_eagerly


def unpack_x_y_sample_weight(data: Any) -> tuple:
    """``(x, y, sample_weight)`` from a batch as Keras gives it to a step: ``x``, ``(x,)``, ``(x, y)`` or
    ``(x, y, sample_weight)``."""
    if isinstance(data, list):
        data = tuple(data)
    if not isinstance(data, tuple):
        return data, None, None
    if len(data) == 1:
        return data[0], None, None
    if len(data) == 2:
        return data[0], data[1], None
    if len(data) == 3:
        return data[0], data[1], data[2]
    raise ValueError(
        f"Data is expected to be in format `x`, `(x,)`, `(x, y)`, or `(x, y, sample_weight)`, found: {data!r}"
    )


def pack_x_y_sample_weight(x: Any, y: Any = None, sample_weight: Any = None, one_tuple: bool = False) -> Any:
    """A batch as Keras gives it to an overridden step: ``x`` alone when there are no targets (a tuple ``x``
    wrapped as ``(x,)``, and ``(x,)`` too when the data gave ``one_tuple`` batches), else ``(x, y)`` or
    ``(x, y, sample_weight)``. Lists become tuples (several inputs ``[a, b]`` reach the step as ``(a, b)``), as
    Keras's data adapters turn them."""
    x, y, sample_weight = _lists_to_tuples((x, y, sample_weight))
    if y is None and sample_weight is None:
        return (x,) if isinstance(x, tuple) or one_tuple else x
    return (x, y) if sample_weight is None else (x, y, sample_weight)


def _lists_to_tuples(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return tuple(_lists_to_tuples(v) for v in value)
    if isinstance(value, dict):
        return {k: _lists_to_tuples(v) for k, v in value.items()}
    return value


class StepMethods:
    """The step methods of ``Model`` (mixed into ``Trainer``), as Keras 3 defines them."""

    _run_eagerly: Any = False

    @property
    def run_eagerly(self) -> Any:
        """Whether ``fit``/``evaluate``/``predict`` run their steps eagerly, batch by batch, in Python."""
        return self._run_eagerly

    @run_eagerly.setter
    def run_eagerly(self, value: Any) -> None:
        self._run_eagerly = value
        self._plans = {}  # the steps built for the other mode no longer apply
        self._step_functions = {}

    def _steps_eagerly(self) -> bool:
        return bool(self._run_eagerly) or functions_run_eagerly()

    def _overrides_step(self, kind: str) -> bool:
        """Whether the model's class defines its own ``{kind}_step`` (Keras then calls it for every batch), or,
        for training and evaluation, its own ``compute_loss`` or ``compute_metrics``, which only the Python
        steps call (a knowledge distiller's loss, for example)."""
        names = [f"{kind}_step"]
        if kind in ("train", "test"):
            names += ["compute_loss", "compute_metrics"]
        return any(getattr(type(self), name) is not getattr(StepMethods, name) for name in names)

    def _compute_loss(self, x: Any, y: Any, y_pred: Any, sample_weight: Any, training: bool) -> Any:
        """``compute_loss`` as Keras's steps call it: positionally, with ``training`` only when the method takes
        it (an override written as ``compute_loss(self, x, y, y_pred, sample_weight, allow_empty=False)``)."""
        import inspect

        try:
            takes_training = "training" in inspect.signature(self.compute_loss).parameters
        except (TypeError, ValueError):
            takes_training = False
        if takes_training:
            return self.compute_loss(x, y, y_pred, sample_weight, training=training)
        return self.compute_loss(x, y, y_pred, sample_weight)

    # -- the steps
    def train_step(self, data: Any) -> dict:
        """One optimizer step on one batch; returns the metrics' current results (``{name: value}``)."""
        from ..framework.tape import GradientTape

        x, y, sample_weight = unpack_x_y_sample_weight(data)
        with GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self._compute_loss(x, y, y_pred, sample_weight, training=True)
        self._loss_tracker_metric().update_state(_unscaled(loss), sample_weight=_batch_size(x))
        if self.optimizer is not None:
            with tape:
                loss = self.optimizer.scale_loss(loss)
        variables = self.trainable_weights
        if variables:
            grads = tape.gradient(loss, variables)
            self.optimizer.apply_gradients(zip(grads, variables))
        else:
            warnings.warn("The model does not have any trainable weights.", stacklevel=2)
        return self.compute_metrics(x, y, y_pred, sample_weight=sample_weight)

    def test_step(self, data: Any) -> dict:
        """The loss and metrics of one batch, without training; returns the metrics' current results."""
        x, y, sample_weight = unpack_x_y_sample_weight(data)
        y_pred = self(x, training=False)
        loss = self._compute_loss(x, y, y_pred, sample_weight, training=False)
        self._loss_tracker_metric().update_state(_unscaled(loss), sample_weight=_batch_size(x))
        return self.compute_metrics(x, y, y_pred, sample_weight=sample_weight)

    def predict_step(self, data: Any) -> Any:
        """The model's outputs on one batch."""
        x, _, _ = unpack_x_y_sample_weight(data)
        return self(x, training=False)

    # -- what the steps use
    def compute_loss(
        self, x: Any = None, y: Any = None, y_pred: Any = None, sample_weight: Any = None, training: bool = True
    ) -> Any:
        """The compiled loss of ``(y, y_pred)`` plus the model's regularization and ``add_loss`` losses."""
        from ..framework.ops import apply
        from ..losses._utils import scale_loss_for_distribution

        total = None
        if self._compiled_loss is not None and y is not None:
            total = _float32(self._compiled_loss(y, y_pred, sample_weight=sample_weight))
        for penalty in self.losses:
            if penalty is not None:
                # As Keras 3 (TensorFlow backend): each replica of a strategy adds its share of the penalty.
                penalty = scale_loss_for_distribution(_float32(penalty))
                total = penalty if total is None else apply("add", [total, penalty])
        if total is None:
            from ..framework.ops import convert_to_tensor

            total = convert_to_tensor(0.0)
        return total

    def compute_metrics(self, x: Any, y: Any, y_pred: Any, sample_weight: Any = None) -> dict:
        """Updates the compiled metrics with one batch; returns every metric's result (``get_metrics_result``)."""
        self._update_compile_metrics(y, y_pred, sample_weight)
        return self.get_metrics_result()

    def _update_compile_metrics(self, y: Any, y_pred: Any, sample_weight: Any = None) -> None:
        """The compiled metrics' ``update_state`` (resolving them on the first batch), as Keras's CompileMetrics."""
        if y is not None and getattr(self, "_multi_output_loss", lambda: False)():
            flat = nest.flatten(y_pred)
            ys = y if isinstance(y, (list, tuple)) else [y[k] for k in self._compiled_loss.names]
            for view in self._compiled_metrics.views([_shape(t) for t in ys], [_shape(t) for t in flat]):
                view.update_state(ys, y_pred, sample_weight=sample_weight)
        elif y is not None and self._compiled_metrics is not None:
            resolved = self._compiled_metrics.resolve(_shape(y), _shape(y_pred))
            for metric, weighted in resolved:
                metric.update_state(y, y_pred, sample_weight=sample_weight if weighted else None)

    def get_metrics_result(self) -> dict:
        """``{name: result}`` of every metric of ``model.metrics``; a container's dict result (Keras's
        ``compile_metrics``) is merged in, as Keras does."""
        out: dict = {}
        for m in self.metrics:
            result = m.result()
            if isinstance(result, dict):
                out.update(result)
            else:
                out[m.name] = result
        return out

    def _flatten_metrics_in_order(self, logs: dict) -> Any:
        """``logs`` as the list ``evaluate`` returns, as Keras 3 orders it: the names of ``model.metrics``
        (a container's metrics by their own names) first, then the other keys sorted; one value alone."""
        names: list = []
        for metric in self.metrics:
            inner = getattr(metric, "metrics", None) if getattr(metric, "name", None) == "compile_metrics" else None
            names += [m.name for m in inner] if isinstance(inner, list) else [metric.name]
        results = [logs[n] for n in names if n in logs]
        results += [logs[k] for k in sorted(logs) if k not in names]
        return results[0] if len(results) == 1 else results

    def _loss_tracker_metric(self) -> Any:
        from .. import metrics as metrics_module

        tracker = getattr(self, "_loss_tracker", None)
        if tracker is None:
            tracker = self._loss_tracker = metrics_module.Mean(name="loss")
        return tracker


def _unscaled(loss: Any) -> Any:
    """A replica's loss times the replicas in sync (Keras's ``unscale_loss_for_distribution``): the loss tracker
    reports the loss of the global batch, not each replica's share."""
    from .. import distribute

    replicas = distribute.get_strategy().num_replicas_in_sync
    return loss if replicas == 1 else loss * float(replicas)


def apply_loss_gradients(model: Any, tape: Any, loss: Any, training: bool) -> None:
    """When training, the optimizer step on the gradients of ``loss`` (recorded on ``tape``) for the model's
    trainable weights, as the compiled step takes it: ``scale_loss`` multiplies the loss and ``apply`` divides
    the gradients. A model without trainable weights warns as Keras does (the loss and metrics are still
    computed); a loss that reaches none of them raises."""
    variables = model.trainable_weights if training else []
    if training and not variables:
        warnings.warn("The model does not have any trainable weights.", stacklevel=3)
    if not (training and variables):
        return
    with tape:
        scaled = model.optimizer.scale_loss(loss)
    grads = tape.gradient(scaled, variables)
    if all(g is None for g in grads):
        raise ValueError(
            f"No gradients provided for any variable of model '{model.name}': the loss does not depend on "
            f"its weights {[v.name for v in variables]}"
        )
    model.optimizer.apply(grads, variables)


def _float32(t: Any) -> Any:
    from ..framework.ops import apply, convert_to_tensor

    t = convert_to_tensor(t)
    return t if t.dtype.name == "float32" else apply("cast", [t], {"dtype": "float32"})


def _batch_size(x: Any) -> Optional[Any]:
    first = nest.flatten(x)[0]
    shape = getattr(first, "shape", None)
    if shape is None or not len(shape) or shape[0] is None:
        from ..ops import array_ops

        return array_ops.shape(first)[0]
    return float(shape[0])


def _shape(t: Any) -> tuple:
    shape = tuple(getattr(t, "shape", ()))
    return (None,) + shape[1:] if shape else shape

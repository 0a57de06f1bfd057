"""``tf.estimator.Head``: the TF 2 head interface (loss, predictions, Keras metrics, ``create_estimator_spec``)
and what the public heads share: regularization losses, custom ``loss_fn``s, the training op from a Keras
optimizer, the summaries, and updating Keras metrics with broadcast weights (TensorFlow's ``base_head``)."""

from __future__ import annotations

import inspect
from typing import Any, Dict, Optional

from ..export.export_output import PredictOutput
from ..mode_keys import DEFAULT_SERVING_KEY, ModeKeys
from ..model_fn import EstimatorSpec
from . import _head_base as hb
from .metric_keys import MetricKeys

PREDICT_SERVING_KEY = "predict"


class Head:
    """Interface for the head (top) of a model: given logits, computes the predictions, the loss, the training
    op, the eval metrics (Keras metric objects) and the export outputs of an ``EstimatorSpec``."""

    @property
    def name(self) -> Optional[str]:
        raise NotImplementedError("Calling an abstract method.")

    @property
    def logits_dimension(self) -> int:
        raise NotImplementedError("Calling an abstract method.")

    @property
    def loss_reduction(self) -> str:
        raise NotImplementedError("Calling an abstract method.")

    def loss(
        self, labels: Any, logits: Any, features: Any = None, mode: Any = None, regularization_losses: Any = None
    ) -> Any:
        raise NotImplementedError("Calling an abstract method.")

    def predictions(self, logits: Any, keys: Any = None) -> Dict[str, Any]:
        raise NotImplementedError("Calling an abstract method.")

    def metrics(self, regularization_losses: Any = None) -> Dict[str, Any]:
        raise NotImplementedError("Calling an abstract method.")

    def update_metrics(
        self, eval_metrics: dict, features: Any, logits: Any, labels: Any, regularization_losses: Any = None
    ) -> Dict[str, Any]:
        raise NotImplementedError("Calling an abstract method.")

    def _summary_key(self, key: str) -> str:
        return f"{key}/{self.name}" if self.name else key

    def create_estimator_spec(
        self,
        features: Any,
        mode: str,
        logits: Any,
        labels: Any = None,
        optimizer: Any = None,
        trainable_variables: Any = None,
        train_op_fn: Any = None,
        update_ops: Any = None,
        regularization_losses: Any = None,
    ) -> EstimatorSpec:
        """The ``EstimatorSpec`` of ``mode``: PREDICT gives predictions and export outputs; EVAL the loss and the
        updated ``metrics()``; TRAIN the loss and the op that applies ``optimizer`` (a Keras optimizer) to
        ``trainable_variables``, or ``train_op_fn(loss)``."""
        t = hb.tf()
        with t.name_scope(self.name or "head"):
            predictions = self.predictions(logits)
            if mode == ModeKeys.PREDICT:
                return EstimatorSpec(mode, predictions=predictions, export_outputs=self._export_outputs(predictions))
            loss = self.loss(labels, logits, features, mode, regularization_losses)
            if mode == ModeKeys.EVAL:
                metrics = self.update_metrics(
                    self.metrics(regularization_losses), features, logits, labels, regularization_losses
                )
                return EstimatorSpec(mode, predictions=predictions, loss=loss, eval_metric_ops=metrics)
            train_op = train_op_from_v2(optimizer, train_op_fn, loss, trainable_variables, update_ops)
        add_loss_summaries(loss, regularization_losses, self._summary_key)
        return EstimatorSpec(mode, predictions=predictions, loss=loss, train_op=train_op)

    def _export_outputs(self, predictions: dict) -> dict:
        return {DEFAULT_SERVING_KEY: PredictOutput(predictions), PREDICT_SERVING_KEY: PredictOutput(predictions)}


# -- shared pieces
def validate_loss_fn_args(loss_fn: Any) -> None:
    """``loss_fn`` takes ``labels`` and ``logits``, and optionally ``features`` and ``loss_reduction``."""
    args = list(inspect.signature(loss_fn).parameters)
    for required in ("labels", "logits"):
        if required not in args:
            raise ValueError(f"loss_fn must contain argument: {required}. Given arguments: {tuple(args)}")
    invalid = [a for a in args if a not in ("labels", "logits", "features", "loss_reduction")]
    if invalid:
        raise ValueError(f"loss_fn has unexpected args: {invalid}")


def call_loss_fn(loss_fn: Any, labels: Any, logits: Any, features: Any, expected_loss_dim: int = 1) -> Any:
    """``loss_fn``'s unreduced loss, which must have the shape ``[D0, ... DN, expected_loss_dim]``."""
    kwargs = {"features": features} if "features" in inspect.signature(loss_fn).parameters else {}
    loss = hb.tf().convert_to_tensor(loss_fn(labels=labels, logits=logits, **kwargs))
    want = logits.shape.as_list()[:-1] + [expected_loss_dim] if logits.shape.rank is not None else None
    if want is not None and loss.shape.rank is not None and not loss.shape.is_compatible_with(want):
        raise ValueError(
            f"loss_fn must return Tensor of shape [D0, D1, ... DN, {expected_loss_dim}]. logits_shape: "
            f"{logits.shape}, loss_shape: {loss.shape}"
        )
    return loss


def regularized(training_loss: Any, regularization_losses: Any) -> Any:
    if regularization_losses is None:
        return training_loss
    return training_loss + hb.tf().math.add_n(list(regularization_losses))


def validate_thresholds(thresholds: Any, message: str) -> tuple:
    thresholds = tuple(thresholds) if thresholds else ()
    for threshold in thresholds:
        if threshold <= 0.0 or threshold >= 1.0:
            raise ValueError(message.format(threshold=threshold, thresholds=(thresholds,)))
    return thresholds


def train_op_from_v2(optimizer: Any, train_op_fn: Any, loss: Any, trainable_variables: Any, update_ops: Any) -> Any:
    """TF 2 heads' training op: a Keras ``optimizer`` over ``trainable_variables`` (incrementing the global
    step, as TF 2 estimators make the optimizer's iterations the global step), or ``train_op_fn(loss)``."""
    from ... import optimizers

    if update_ops is not None and not isinstance(update_ops, (list, tuple)):
        raise ValueError(f"update_ops should be a list or a tuple. Given type: {type(update_ops)}.")
    if optimizer is not None:
        if train_op_fn is not None:
            raise ValueError("train_op_fn and optimizer cannot both be set.")
        if not isinstance(optimizer, optimizers.Optimizer):
            raise ValueError(f"The given optimizer is not a tf.keras.optimizers.Optimizer instance. Given: {optimizer}")
        if trainable_variables is None:
            raise ValueError(f"trainable_variables cannot be None. Given {trainable_variables}")
        if not isinstance(trainable_variables, (list, tuple)):
            raise ValueError(
                f"trainable_variables should be a list or a tuple. Given type: {type(trainable_variables)}."
            )
    with hb.tf().name_scope("training"):
        return hb.train_op_from(optimizer, train_op_fn, loss, trainable_variables, list(update_ops or []))


def add_loss_summaries(loss: Any, regularization_losses: Any, key_fn: Any) -> None:
    v1 = hb.v1()
    v1.summary.scalar(key_fn(MetricKeys.LOSS), loss)
    if regularization_losses is not None:
        v1.summary.scalar(key_fn(MetricKeys.LOSS_REGULARIZATION), hb.tf().math.add_n(list(regularization_losses)))


def sample_weight(weights: Any) -> Any:
    """The weights as a Keras ``sample_weight``: None for the unit weight of a head without a weight column."""
    return None if isinstance(weights, float) else weights


def update_with_broadcast_weights(metric: Any, values: Any, weights: Any) -> None:
    t = hb.tf()
    values = t.cast(values, "float32")
    w = sample_weight(weights)
    metric.update_state(values, sample_weight=None if w is None else t.cast(w, "float32") * t.ones_like(values))


def update_regularization(eval_metrics: dict, key: str, regularization_losses: Any) -> None:
    if regularization_losses is not None:
        eval_metrics[key].update_state(hb.tf().math.add_n(list(regularization_losses)))


def check_prediction_keys(keys: Any, valid_keys: list) -> list:
    if not keys:
        return list(valid_keys)
    for key in keys:
        if key not in valid_keys:
            raise ValueError(
                f"Prediction key must be in PredictionKeys, given: {key}.Valid prediction keys include {valid_keys}."
            )
    return list(keys)


def keras_metrics() -> Any:
    from ... import metrics

    return metrics

"""``tf.estimator.RegressionHead``, ``PoissonRegressionHead`` and ``LogisticRegressionHead`` (TensorFlow's
``regression_head``): squared error (or a custom ``loss_fn``) on ``label_dimension`` outputs, with an optional
inverse link function from logits to predictions, and Keras metrics."""

from __future__ import annotations

from typing import Any, Dict, Optional

from . import _head_api as api
from . import _head_base as hb
from . import _heads
from ._class_heads import _PublicClassHead, check_logits
from .metric_keys import MetricKeys as K


class RegressionHead(_PublicClassHead, _heads.RegressionHead, api.Head):
    """Regression of ``label_dimension`` values per example. ``predictions`` are the logits, or
    ``inverse_link_fn(logits)`` (then ``logits`` is also returned). Metrics: average loss, prediction and label
    means."""

    def __init__(
        self,
        label_dimension: int = 1,
        weight_column: Any = None,
        loss_reduction: Any = hb.SUM_OVER_BATCH_SIZE,
        loss_fn: Any = None,
        inverse_link_fn: Any = None,
        name: Optional[str] = None,
    ) -> None:
        if loss_fn:
            api.validate_loss_fn_args(loss_fn)
        super().__init__(label_dimension, weight_column, loss_reduction, name)
        self._loss_fn = loss_fn
        self._inverse_link_fn = inverse_link_fn

    @property
    def _valid_keys(self) -> list:
        return ["predictions", "logits"] if self._inverse_link_fn else ["predictions"]

    def predictions(self, logits: Any, keys: Any = None) -> Dict[str, Any]:
        keys = api.check_prediction_keys(keys, self._valid_keys)
        logits = check_logits(logits, self.logits_dimension)
        if self._inverse_link_fn is None:
            return {"predictions": logits}
        out = {"predictions": self._inverse_link_fn(logits), "logits": logits}
        return {key: out[key] for key in self._valid_keys if key in keys}

    def _unweighted_loss(self, labels: Any, logits: Any, features: Any) -> Any:
        if self._loss_fn is None:
            return super()._unweighted_loss(labels, logits, features)
        labels = hb.check_labels(labels, logits, self.logits_dimension)
        if labels.dtype.name == "string":
            raise ValueError(f"Labels dtype should be a number for regression. Instead got {labels.dtype}.")
        labels = hb.tf().cast(labels, "float32")
        unweighted = api.call_loss_fn(self._loss_fn, labels, logits, features, self.logits_dimension)
        return unweighted, hb.get_weights(features, self._weight_column, logits), labels

    def metrics(self, regularization_losses: Any = None) -> Dict[str, Any]:
        m, key = api.keras_metrics(), self._summary_key
        out = {key(name): m.Mean(name=name) for name in (K.LOSS_MEAN, K.PREDICTION_MEAN, K.LABEL_MEAN)}
        if regularization_losses is not None:
            out[key(K.LOSS_REGULARIZATION)] = m.Mean(name=K.LOSS_REGULARIZATION)
        return out

    def update_metrics(
        self, eval_metrics: dict, features: Any, logits: Any, labels: Any, regularization_losses: Any = None
    ) -> Dict[str, Any]:
        key = self._summary_key
        logits = check_logits(logits, self.logits_dimension)
        predicted = self.predictions(logits)["predictions"]
        unweighted, weights, labels = self._unweighted_loss(labels, logits, features)
        eval_metrics[key(K.LOSS_MEAN)].update_state(unweighted, sample_weight=api.sample_weight(weights))
        api.update_with_broadcast_weights(eval_metrics[key(K.LABEL_MEAN)], labels, weights)
        api.update_with_broadcast_weights(eval_metrics[key(K.PREDICTION_MEAN)], predicted, weights)
        api.update_regularization(eval_metrics, key(K.LOSS_REGULARIZATION), regularization_losses)
        return eval_metrics


class PoissonRegressionHead(RegressionHead):
    """Poisson regression: ``tf.nn.log_poisson_loss`` on the logits (log rates); predictions ``exp(logits)``."""

    def __init__(
        self,
        label_dimension: int = 1,
        weight_column: Any = None,
        loss_reduction: Any = hb.SUM_OVER_BATCH_SIZE,
        compute_full_loss: bool = True,
        name: Optional[str] = None,
    ) -> None:
        self._compute_full_loss = compute_full_loss
        super().__init__(label_dimension, weight_column, loss_reduction, self._poisson_loss, hb.tf().math.exp, name)

    def _poisson_loss(self, labels: Any, logits: Any) -> Any:
        return hb.tf().nn.log_poisson_loss(targets=labels, log_input=logits, compute_full_loss=self._compute_full_loss)


class LogisticRegressionHead(RegressionHead):
    """Logistic regression: sigmoid cross entropy with labels in [0, 1]; predictions ``sigmoid(logits)``."""

    def __init__(
        self, weight_column: Any = None, loss_reduction: Any = hb.SUM_OVER_BATCH_SIZE, name: Optional[str] = None
    ) -> None:
        super().__init__(1, weight_column, loss_reduction, self._logistic_loss, hb.tf().math.sigmoid, name)

    def _logistic_loss(self, labels: Any, logits: Any) -> Any:
        return hb.tf().nn.sigmoid_cross_entropy_with_logits(labels=labels, logits=logits)

"""``tf.estimator.BinaryClassHead`` and ``MultiClassHead``: the TF 2 heads of single-label classification, with
Keras metrics (TensorFlow's ``binary_class_head`` / ``multi_class_head``). Loss and predictions are those of
the premade estimators' heads (``_heads.py``)."""

from __future__ import annotations

from typing import Any, Dict, Optional

from ...metrics.base import Mean, safe_div
from . import _head_api as api
from . import _head_base as hb
from . import _heads
from .metric_keys import MetricKeys as K

_CLASS_KEYS = ["logits", "probabilities", "class_ids", "classes", "all_class_ids", "all_classes"]
_BINARY_KEYS = ["logits", "logistic", *_CLASS_KEYS[1:]]


class _AccuracyBaseline(Mean):
    """``max(label_mean, 1 - label_mean)``: the accuracy of always predicting the more frequent class. Updated
    with the labels (and weights) as the label mean is, so its totals are the label mean's."""

    def _result_from_totals(self, totals: list) -> float:
        total, count = totals
        return safe_div(max(total, count - total), count)


def check_logits(logits: Any, dimension: int) -> Any:
    """``logits`` as float32 with the last dimension ``dimension`` (TensorFlow's ``check_logits_final_dim``)."""
    t = hb.tf()
    logits = t.cast(t.convert_to_tensor(logits), "float32")
    shape = logits.shape
    if shape.rank is not None and shape.rank < 2:
        raise ValueError(f"logits must have rank at least 2.  Received rank {shape.rank}, shape {shape}")
    if shape.rank is not None and shape[-1] is not None and shape[-1] != dimension:
        raise ValueError(f"logits shape must be [D0, D1, ... DN, logits_dimension], got {shape}.")
    return logits


class _PublicClassHead:
    """What the two public classification heads add to the premade estimators' ones (first in their bases, so
    these methods win; ``api.Head`` last, so the premade heads' ``name`` and ``logits_dimension`` do)."""

    create_estimator_spec = api.Head.create_estimator_spec
    _summary_key = api.Head._summary_key

    @property
    def loss_reduction(self) -> str:
        return self._loss_reduction

    def loss(
        self, labels: Any, logits: Any, features: Any = None, mode: Any = None, regularization_losses: Any = None
    ) -> Any:
        """The weighted, reduced training loss plus the regularization losses."""
        logits = check_logits(logits, self.logits_dimension)
        unweighted, weights, _ = self._unweighted_loss(labels, logits, features)
        return api.regularized(hb.reduce_loss(unweighted, weights, self._loss_reduction), regularization_losses)

    def predictions(self, logits: Any, keys: Any = None) -> Dict[str, Any]:
        keys = api.check_prediction_keys(keys, self._valid_keys)
        everything = super().predictions(check_logits(logits, self.logits_dimension))
        return {key: everything[key] for key in self._valid_keys if key in keys}

    def _custom_loss(self, labels: Any, logits: Any, features: Any) -> Any:
        unweighted = api.call_loss_fn(self._loss_fn, labels, logits, features, expected_loss_dim=1)
        return unweighted, hb.get_weights(features, self._weight_column, logits), labels

    def _base_metrics(self, regularization_losses: Any) -> dict:
        m = api.keras_metrics()
        out = {self._summary_key(K.LOSS_MEAN): m.Mean(name=K.LOSS_MEAN)}
        out[self._summary_key(K.ACCURACY)] = m.Accuracy(name=K.ACCURACY)
        if regularization_losses is not None:
            out[self._summary_key(K.LOSS_REGULARIZATION)] = m.Mean(name=K.LOSS_REGULARIZATION)
        return out


class BinaryClassHead(_PublicClassHead, _heads.BinaryHead, api.Head):
    """Single-label binary classification: sigmoid cross entropy on logits ``[D0, ... DN, 1]``; labels in
    {0, 1} (or the two strings of ``label_vocabulary``). Metrics: accuracy, precision, recall, AUC (ROC and
    PR), prediction and label means, the accuracy baseline, and per-threshold accuracy/precision/recall."""

    _valid_keys = _BINARY_KEYS

    def __init__(
        self,
        weight_column: Any = None,
        thresholds: Any = None,
        label_vocabulary: Any = None,
        loss_reduction: Any = hb.SUM_OVER_BATCH_SIZE,
        loss_fn: Any = None,
        name: Optional[str] = None,
    ) -> None:
        if label_vocabulary is not None and not isinstance(label_vocabulary, (list, tuple)):
            raise ValueError(f"label_vocabulary should be a list or a tuple. Given type: {type(label_vocabulary)}")
        self._thresholds = api.validate_thresholds(thresholds, "thresholds not in (0, 1): {thresholds}.")
        if loss_fn:
            api.validate_loss_fn_args(loss_fn)
        super().__init__(weight_column, label_vocabulary, loss_reduction, name, keras_auc=True)
        self._loss_fn = loss_fn

    def _unweighted_loss(self, labels: Any, logits: Any, features: Any) -> Any:
        if self._loss_fn is None:
            return super()._unweighted_loss(labels, logits, features)
        labels = hb.tf().cast(self._label_ids(labels, logits), "float32")
        return self._custom_loss(labels, logits, features)

    def _threshold_key(self, kind: str, threshold: float) -> str:
        return self._summary_key(kind % threshold)

    def metrics(self, regularization_losses: Any = None) -> Dict[str, Any]:
        """Fresh Keras metrics, keyed as TensorFlow's (``accuracy``, ``auc/<head name>`` ...)."""
        m, key = api.keras_metrics(), self._summary_key
        out = self._base_metrics(regularization_losses)
        out[key(K.PRECISION)] = m.Precision(name=K.PRECISION)
        out[key(K.RECALL)] = m.Recall(name=K.RECALL)
        out[key(K.PREDICTION_MEAN)] = m.Mean(name=K.PREDICTION_MEAN)
        out[key(K.LABEL_MEAN)] = m.Mean(name=K.LABEL_MEAN)
        out[key(K.ACCURACY_BASELINE)] = _AccuracyBaseline(name=K.ACCURACY_BASELINE)
        out[key(K.AUC)] = m.AUC(name=K.AUC)
        out[key(K.AUC_PR)] = m.AUC(curve="PR", name=K.AUC_PR)
        for t in self._thresholds:
            kinds = (K.ACCURACY_AT_THRESHOLD, K.PRECISION_AT_THRESHOLD, K.RECALL_AT_THRESHOLD)
            names = [self._threshold_key(k, t) for k in kinds]
            out[names[0]] = m.BinaryAccuracy(name=names[0], threshold=t)
            out[names[1]] = m.Precision(name=names[1], thresholds=t)
            out[names[2]] = m.Recall(name=names[2], thresholds=t)
        return out

    def update_metrics(
        self, eval_metrics: dict, features: Any, logits: Any, labels: Any, regularization_losses: Any = None
    ) -> Dict[str, Any]:
        """Updates ``eval_metrics`` (made by ``metrics()``) with one batch and returns them."""
        t, key = hb.tf(), self._summary_key
        logits = check_logits(logits, 1)
        preds = self.predictions(logits, ["class_ids", "logistic"])
        class_ids, logistic = t.cast(preds["class_ids"], "float32"), preds["logistic"]
        unweighted, weights, labels = self._unweighted_loss(labels, logits, features)
        w = api.sample_weight(weights)
        eval_metrics[key(K.LOSS_MEAN)].update_state(unweighted, sample_weight=w)
        for name in (K.ACCURACY, K.PRECISION, K.RECALL):
            eval_metrics[key(name)].update_state(labels, class_ids, sample_weight=w)
        api.update_with_broadcast_weights(eval_metrics[key(K.PREDICTION_MEAN)], logistic, weights)
        api.update_with_broadcast_weights(eval_metrics[key(K.LABEL_MEAN)], labels, weights)
        api.update_with_broadcast_weights(eval_metrics[key(K.ACCURACY_BASELINE)], labels, weights)
        broadcast = None if w is None else w * t.ones_like(logistic)
        for name in (K.AUC, K.AUC_PR):
            eval_metrics[key(name)].update_state(labels, logistic, sample_weight=broadcast)
        api.update_regularization(eval_metrics, key(K.LOSS_REGULARIZATION), regularization_losses)
        for threshold in self._thresholds:
            for kind in (K.ACCURACY_AT_THRESHOLD, K.PRECISION_AT_THRESHOLD, K.RECALL_AT_THRESHOLD):
                eval_metrics[self._threshold_key(kind, threshold)].update_state(labels, logistic, sample_weight=w)
        return eval_metrics


class MultiClassHead(_PublicClassHead, _heads.MultiClassHead, api.Head):
    """Single-label classification over ``n_classes`` > 2: softmax cross entropy; labels are class ids in
    ``[0, n_classes)`` (or strings of ``label_vocabulary``). Metrics: average loss and accuracy."""

    _valid_keys = _CLASS_KEYS

    def __init__(
        self,
        n_classes: int,
        weight_column: Any = None,
        label_vocabulary: Any = None,
        loss_reduction: Any = hb.SUM_OVER_BATCH_SIZE,
        loss_fn: Any = None,
        name: Optional[str] = None,
    ) -> None:
        if loss_fn:
            api.validate_loss_fn_args(loss_fn)
        super().__init__(n_classes, weight_column, label_vocabulary, loss_reduction, name, keras_auc=True)
        self._loss_fn = loss_fn

    def _unweighted_loss(self, labels: Any, logits: Any, features: Any) -> Any:
        if self._loss_fn is None:
            return super()._unweighted_loss(labels, logits, features)
        ids = hb.tf().cast(self._label_ids(labels, logits), "int64")
        return self._custom_loss(ids, logits, features)

    def metrics(self, regularization_losses: Any = None) -> Dict[str, Any]:
        return self._base_metrics(regularization_losses)

    def update_metrics(
        self, eval_metrics: dict, features: Any, logits: Any, labels: Any, regularization_losses: Any = None
    ) -> Dict[str, Any]:
        key = self._summary_key
        logits = check_logits(logits, self.logits_dimension)
        class_ids = self.predictions(logits, ["class_ids"])["class_ids"]
        unweighted, weights, label_ids = self._unweighted_loss(labels, logits, features)
        w = api.sample_weight(weights)
        eval_metrics[key(K.LOSS_MEAN)].update_state(unweighted, sample_weight=w)
        eval_metrics[key(K.ACCURACY)].update_state(label_ids, class_ids, sample_weight=w)
        api.update_regularization(eval_metrics, key(K.LOSS_REGULARIZATION), regularization_losses)
        return eval_metrics

"""The heads of the premade estimators: loss, predictions, eval metrics and export outputs from logits, for
binary and multi-class classification (sigmoid / softmax cross entropy) and regression (squared error)."""

from __future__ import annotations

from typing import Any, Dict, Optional

from ..export.export_output import ClassificationOutput, PredictOutput, RegressionOutput
from ..mode_keys import DEFAULT_SERVING_KEY, ModeKeys
from ..model_fn import EstimatorSpec
from . import _head_base as hb
from .metric_keys import MetricKeys

CLASSIFY_SERVING_KEY = "classification"
REGRESS_SERVING_KEY = "regression"
PREDICT_SERVING_KEY = "predict"


class _Head:
    """Shared flow: predictions, then (TRAIN/EVAL) the loss, then the metrics or the training op."""

    logits_dimension = 1

    def __init__(self, weight_column: Any, loss_reduction: Any, name: Optional[str], keras_auc: bool) -> None:
        self._weight_column = weight_column
        self._loss_reduction = hb.validate_loss_reduction(loss_reduction)
        self._name = name
        self._keras_auc = keras_auc  # tf.estimator's heads compute AUC as keras.metrics.AUC; compat.v1's as metrics.auc

    @property
    def name(self) -> Optional[str]:
        return self._name

    def _key(self, key: str) -> str:
        return hb.summary_key(key, self._name)

    def loss(self, labels: Any, logits: Any, features: Any = None, mode: Any = None) -> Any:
        """The training loss: per-example losses weighted and reduced (SUM or SUM_OVER_BATCH_SIZE)."""
        unweighted, weights, _ = self._unweighted_loss(labels, logits, features)
        return hb.reduce_loss(unweighted, weights, self._loss_reduction)

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
    ) -> EstimatorSpec:
        t = hb.tf()
        with t.name_scope(self._name or "head"):
            predictions = self.predictions(logits)
            if mode == ModeKeys.PREDICT:
                return EstimatorSpec(mode, predictions=predictions, export_outputs=self._export_outputs(predictions))
            unweighted, weights, processed = self._unweighted_loss(labels, logits, features)
            loss = hb.reduce_loss(unweighted, weights, self._loss_reduction)
            if mode == ModeKeys.EVAL:
                metrics = self._metrics(predictions, processed, unweighted, weights)
                return EstimatorSpec(mode, predictions=predictions, loss=loss, eval_metric_ops=metrics)
            train_op = hb.train_op_from(optimizer, train_op_fn, loss, trainable_variables, update_ops)
        hb.v1().summary.scalar(self._key(MetricKeys.LOSS), loss)
        return EstimatorSpec(mode, predictions=predictions, loss=loss, train_op=train_op)

    # -- per head
    def predictions(self, logits: Any) -> Dict[str, Any]:
        raise NotImplementedError

    def _unweighted_loss(self, labels: Any, logits: Any, features: Any) -> Any:
        raise NotImplementedError

    def _metrics(self, predictions: dict, labels: Any, unweighted: Any, weights: Any) -> dict:
        raise NotImplementedError

    def _export_outputs(self, predictions: dict) -> dict:
        raise NotImplementedError


class _ClassHead(_Head):
    def __init__(
        self, n_classes: int, weight_column: Any, label_vocabulary: Any, loss_reduction: Any, name: Any, keras_auc: bool
    ) -> None:
        if label_vocabulary is not None and not isinstance(label_vocabulary, (list, tuple)):
            raise ValueError(f"label_vocabulary should be a list or a tuple. Given type: {type(label_vocabulary)}")
        if label_vocabulary is not None and len(label_vocabulary) != n_classes:
            raise ValueError(
                f"label_vocabulary has {len(label_vocabulary)} entries but n_classes is {n_classes}: "
                f"{list(label_vocabulary)}"
            )
        super().__init__(weight_column, loss_reduction, name, keras_auc)
        self._n_classes = n_classes
        self._label_vocabulary = label_vocabulary

    def _label_ids(self, labels: Any, logits: Any) -> Any:
        t = hb.tf()
        labels = hb.check_labels(labels, logits, 1)
        if self._label_vocabulary is not None:
            return hb.lookup_ids(labels, self._label_vocabulary)
        if labels.dtype.name == "string":
            raise ValueError(
                f"Labels dtype should be integer. Instead got {labels.dtype}. String labels need label_vocabulary."
            )
        return labels if labels.dtype.is_integer else t.cast(labels, "int64")

    def _class_outputs(self, predictions: dict, scores: Any) -> dict:
        classes = hb.class_strings(predictions["all_class_ids"], self._label_vocabulary)
        classification = ClassificationOutput(scores=scores, classes=classes)
        return {
            DEFAULT_SERVING_KEY: classification,
            CLASSIFY_SERVING_KEY: classification,
            PREDICT_SERVING_KEY: PredictOutput(predictions),
        }

    def _class_predictions(self, logits: Any, all_logits: Any, probabilities: Any) -> dict:
        t = hb.tf()
        class_ids = t.expand_dims(t.argmax(all_logits, -1), -1)
        ids = hb.all_class_ids(logits, self._n_classes)
        return {
            "class_ids": class_ids,
            "classes": hb.class_strings(class_ids, self._label_vocabulary),
            "all_class_ids": ids,
            "all_classes": hb.class_strings(ids, self._label_vocabulary),
            "probabilities": probabilities,
        }


class BinaryHead(_ClassHead):
    """Sigmoid cross entropy on one logit; labels in {0, 1} (or the two strings of ``label_vocabulary``)."""

    def __init__(
        self,
        weight_column: Any = None,
        label_vocabulary: Any = None,
        loss_reduction: Any = hb.SUM_OVER_BATCH_SIZE,
        name: Any = None,
        keras_auc: bool = True,
    ) -> None:
        super().__init__(2, weight_column, label_vocabulary, loss_reduction, name, keras_auc)

    def predictions(self, logits: Any) -> Dict[str, Any]:
        t = hb.tf()
        two_class_logits = t.concat([t.zeros_like(logits), logits], -1)
        out = {"logits": logits, "logistic": t.sigmoid(logits)}
        out.update(self._class_predictions(logits, two_class_logits, t.nn.softmax(two_class_logits)))
        return out

    def _unweighted_loss(self, labels: Any, logits: Any, features: Any) -> Any:
        t = hb.tf()
        labels = t.cast(self._label_ids(labels, logits), "float32")
        unweighted = t.nn.sigmoid_cross_entropy_with_logits(labels=labels, logits=logits)
        return unweighted, hb.get_weights(features, self._weight_column, logits), labels

    def _metrics(self, predictions: dict, labels: Any, unweighted: Any, weights: Any) -> dict:
        from ...compat.v1.metrics_auc import area, auc_thresholds, confusion_at_thresholds

        t, m = hb.tf(), hb.v1().metrics
        k = MetricKeys
        w = None if isinstance(weights, float) else weights
        class_ids = predictions["class_ids"]
        logistic = predictions["logistic"]
        label_mean = hb.weighted_mean(labels, weights, "label/mean")
        baseline = tuple(t.maximum(v, 1.0 - v) for v in label_mean)
        ops = {
            k.LOSS_MEAN: hb.weighted_mean(unweighted, weights, "average_loss"),
            k.ACCURACY: m.accuracy(labels, t.cast(class_ids, "float32"), weights=w, name="accuracy"),
            k.PRECISION: m.precision(labels, class_ids, weights=w, name="precision"),
            k.RECALL: m.recall(labels, class_ids, weights=w, name="recall"),
            k.PREDICTION_MEAN: hb.weighted_mean(logistic, weights, "prediction/mean"),
            k.LABEL_MEAN: label_mean,
            k.ACCURACY_BASELINE: baseline,
        }
        with hb.v1().variable_scope("auc"):
            values, updates = confusion_at_thresholds(labels, logistic, auc_thresholds(200), w)
        ops[k.AUC] = (
            area(values, "ROC", "trapezoidal", self._keras_auc),
            area(updates, "ROC", "trapezoidal", self._keras_auc),
        )
        ops[k.AUC_PR] = (area(values, "PR", "careful_interpolation"), area(updates, "PR", "careful_interpolation"))
        return {self._key(name): value for name, value in ops.items()}

    def _export_outputs(self, predictions: dict) -> dict:
        out = self._class_outputs(predictions, predictions["probabilities"])
        out[REGRESS_SERVING_KEY] = RegressionOutput(value=predictions["logistic"])
        return out


class MultiClassHead(_ClassHead):
    """Softmax cross entropy over ``n_classes`` logits; labels are class ids (or strings of the vocabulary)."""

    def __init__(
        self,
        n_classes: int,
        weight_column: Any = None,
        label_vocabulary: Any = None,
        loss_reduction: Any = hb.SUM_OVER_BATCH_SIZE,
        name: Any = None,
        keras_auc: bool = True,
    ) -> None:
        if n_classes is None or n_classes <= 2:
            raise ValueError(f"n_classes must be > 2: {n_classes}.")
        super().__init__(n_classes, weight_column, label_vocabulary, loss_reduction, name, keras_auc)
        self.logits_dimension = n_classes

    def predictions(self, logits: Any) -> Dict[str, Any]:
        t = hb.tf()
        out = {"logits": logits}
        out.update(self._class_predictions(logits, logits, t.nn.softmax(logits)))
        return out

    def _unweighted_loss(self, labels: Any, logits: Any, features: Any) -> Any:
        t = hb.tf()
        ids = t.cast(self._label_ids(labels, logits), "int64")
        per_example = t.nn.sparse_softmax_cross_entropy_with_logits(labels=t.squeeze(ids, [-1]), logits=logits)
        unweighted = t.expand_dims(per_example, -1)
        return unweighted, hb.get_weights(features, self._weight_column, logits), ids

    def _metrics(self, predictions: dict, labels: Any, unweighted: Any, weights: Any) -> dict:
        w = None if isinstance(weights, float) else weights
        ops = {
            MetricKeys.LOSS_MEAN: hb.weighted_mean(unweighted, weights, "average_loss"),
            MetricKeys.ACCURACY: hb.v1().metrics.accuracy(labels, predictions["class_ids"], weights=w, name="accuracy"),
        }
        return {self._key(name): value for name, value in ops.items()}

    def _export_outputs(self, predictions: dict) -> dict:
        return self._class_outputs(predictions, predictions["probabilities"])


class RegressionHead(_Head):
    """Squared error of ``label_dimension`` outputs; predictions are the logits."""

    def __init__(
        self,
        label_dimension: int = 1,
        weight_column: Any = None,
        loss_reduction: Any = hb.SUM_OVER_BATCH_SIZE,
        name: Any = None,
    ) -> None:
        if label_dimension < 1:
            raise ValueError(f"Invalid label_dimension {label_dimension}.")
        super().__init__(weight_column, loss_reduction, name, keras_auc=True)
        self.logits_dimension = label_dimension

    def predictions(self, logits: Any) -> Dict[str, Any]:
        return {"predictions": logits}

    def _unweighted_loss(self, labels: Any, logits: Any, features: Any) -> Any:
        t = hb.tf()
        labels = hb.check_labels(labels, logits, self.logits_dimension)
        if labels.dtype.name == "string":
            raise ValueError(f"Labels dtype should be a number for regression. Instead got {labels.dtype}.")
        labels = t.cast(labels, "float32")
        unweighted = t.square(logits - labels)
        return unweighted, hb.get_weights(features, self._weight_column, logits), labels

    def _metrics(self, predictions: dict, labels: Any, unweighted: Any, weights: Any) -> dict:
        ops = {
            MetricKeys.LOSS_MEAN: hb.weighted_mean(unweighted, weights, "average_loss"),
            MetricKeys.PREDICTION_MEAN: hb.weighted_mean(predictions["predictions"], weights, "prediction/mean"),
            MetricKeys.LABEL_MEAN: hb.weighted_mean(labels, weights, "label/mean"),
        }
        return {self._key(name): value for name, value in ops.items()}

    def _export_outputs(self, predictions: dict) -> dict:
        value = predictions["predictions"]
        main = RegressionOutput(value=value) if self.logits_dimension == 1 else PredictOutput(predictions)
        return {DEFAULT_SERVING_KEY: main, REGRESS_SERVING_KEY: main, PREDICT_SERVING_KEY: PredictOutput(predictions)}


def binary_or_multi_class_head(
    n_classes: int, weight_column: Any, label_vocabulary: Any, loss_reduction: Any, keras_auc: bool = True
) -> _Head:
    """A binary head for 2 classes, a multi-class head for more (TensorFlow's ``head_utils``): the public
    ``tf.estimator`` heads (Keras metrics) for ``tf.estimator``'s premade estimators (``keras_auc``), these
    heads with TF1's metrics for ``tf.compat.v1.estimator``'s."""
    if keras_auc:
        from ._class_heads import BinaryClassHead, MultiClassHead

        if n_classes == 2:
            return BinaryClassHead(weight_column, label_vocabulary=label_vocabulary, loss_reduction=loss_reduction)
        return MultiClassHead(n_classes, weight_column, label_vocabulary, loss_reduction)
    if n_classes == 2:
        return BinaryHead(weight_column, label_vocabulary, loss_reduction, keras_auc=keras_auc)
    return MultiClassHead(n_classes, weight_column, label_vocabulary, loss_reduction, keras_auc=keras_auc)


def regression_head(label_dimension: int, weight_column: Any, loss_reduction: Any, v2: bool) -> _Head:
    """The public ``tf.estimator.RegressionHead`` for ``tf.estimator``'s premade estimators, this one for
    ``tf.compat.v1.estimator``'s."""
    if v2:
        from ._regression_heads import RegressionHead as PublicRegressionHead

        return PublicRegressionHead(label_dimension, weight_column, loss_reduction)
    return RegressionHead(label_dimension, weight_column, loss_reduction)

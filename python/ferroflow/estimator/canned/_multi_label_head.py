"""``tf.estimator.MultiLabelHead`` (TensorFlow's ``multi_label_head``): each of ``n_classes`` labels is a
separate binary decision; sigmoid cross entropy averaged over the classes, AUC metrics over all labels, and
optional per-threshold and per-class metrics."""

from __future__ import annotations

from typing import Any, Dict, Optional

from ...framework.sparse_tensor import SparseTensor
from ..export.export_output import ClassificationOutput, PredictOutput
from ..mode_keys import DEFAULT_SERVING_KEY
from . import _head_api as api
from . import _head_base as hb
from ._class_heads import check_logits
from ._heads import CLASSIFY_SERVING_KEY, PREDICT_SERVING_KEY
from .metric_keys import MetricKeys as K

_VALID_KEYS = ["logits", "probabilities", "classes"]


class MultiLabelHead(api.Head):
    """Multi-label classification over ``n_classes`` >= 2. Labels are a multi-hot ``[D0, ... DN, n_classes]``
    int tensor, or a ``SparseTensor`` of the class ids (strings of ``label_vocabulary``) present per example."""

    def __init__(
        self,
        n_classes: int,
        weight_column: Any = None,
        thresholds: Any = None,
        label_vocabulary: Any = None,
        loss_reduction: Any = hb.SUM_OVER_BATCH_SIZE,
        loss_fn: Any = None,
        classes_for_class_based_metrics: Any = None,
        name: Optional[str] = None,
    ) -> None:
        if n_classes is None or n_classes < 2:
            raise ValueError(f"n_classes must be > 1 for multi-label classification. Given: {n_classes}")
        thresholds = api.validate_thresholds(thresholds, "thresholds must be in (0, 1) range. Given: {threshold}")
        if label_vocabulary is not None:
            if not isinstance(label_vocabulary, (list, tuple)):
                raise ValueError(f"label_vocabulary must be a list or tuple. Given type: {type(label_vocabulary)}")
            if len(label_vocabulary) != n_classes:
                raise ValueError(
                    f"Length of label_vocabulary must be n_classes ({n_classes}). Given: {len(label_vocabulary)}"
                )
        if loss_fn:
            api.validate_loss_fn_args(loss_fn)
        self._loss_reduction = hb.validate_loss_reduction(loss_reduction)
        classes = tuple(classes_for_class_based_metrics or ())
        if classes and isinstance(classes[0], str):
            if not label_vocabulary:
                raise ValueError("label_vocabulary must be provided when classes_for_class_based_metrics are strings.")
            classes = tuple(list(label_vocabulary).index(c) for c in classes)
        for class_id in classes:
            if class_id < 0 or class_id >= n_classes:
                raise ValueError(
                    f"All classes_for_class_based_metrics must be in range [0, {n_classes - 1}]. Given: {class_id}"
                )
        self._n_classes = n_classes
        self._weight_column = weight_column
        self._thresholds = thresholds
        self._label_vocabulary = label_vocabulary
        self._loss_fn = loss_fn
        self._classes = classes
        self._name = name

    @property
    def name(self) -> Optional[str]:
        return self._name

    @property
    def logits_dimension(self) -> int:
        return self._n_classes

    @property
    def loss_reduction(self) -> str:
        return self._loss_reduction

    # -- labels and loss
    def _processed_labels(self, logits: Any, labels: Any) -> Any:
        """Labels as a multi-hot int64 ``[batch, n_classes]`` tensor."""
        t = hb.tf()
        if labels is None:
            raise ValueError(hb.LABEL_NONE_ERR_MSG)
        if isinstance(labels, SparseTensor):
            if labels.dtype.name == "string":
                if self._label_vocabulary is None:
                    raise ValueError("String labels need label_vocabulary.")
                ids = hb.lookup_ids(t.sparse.to_dense(labels, default_value=b""), self._label_vocabulary)
            else:
                if not labels.dtype.is_integer:
                    raise ValueError(f"Labels dtype should be integer. Instead got {labels.dtype}.")
                ids = t.sparse.to_dense(labels, default_value=-1)
            # One-hot of each id (-1 gives a zero row), then "any" over the ids of an example.
            labels = t.reduce_max(t.one_hot(t.cast(ids, "int32"), self._n_classes, dtype="int64"), axis=-2)
        return t.cast(hb.check_labels(labels, logits, self._n_classes), "int64")

    def _unweighted_loss(self, labels: Any, logits: Any, features: Any) -> Any:
        t = hb.tf()
        if self._loss_fn is not None:
            unweighted = api.call_loss_fn(self._loss_fn, labels, logits, features, expected_loss_dim=1)
        else:
            per_class = t.nn.sigmoid_cross_entropy_with_logits(labels=t.cast(labels, "float32"), logits=logits)
            unweighted = t.reduce_mean(per_class, axis=-1, keepdims=True)
        return unweighted, hb.get_weights(features, self._weight_column, logits)

    def loss(
        self, labels: Any, logits: Any, features: Any = None, mode: Any = None, regularization_losses: Any = None
    ) -> Any:
        logits = check_logits(logits, self._n_classes)
        unweighted, weights = self._unweighted_loss(self._processed_labels(logits, labels), logits, features)
        return api.regularized(hb.reduce_loss(unweighted, weights, self._loss_reduction), regularization_losses)

    def predictions(self, logits: Any, keys: Any = None) -> Dict[str, Any]:
        keys = api.check_prediction_keys(keys, _VALID_KEYS)
        t = hb.tf()
        logits = check_logits(logits, self._n_classes)
        out: Dict[str, Any] = {}
        if "logits" in keys:
            out["logits"] = logits
        if "probabilities" in keys:
            out["probabilities"] = t.sigmoid(logits)
        if "classes" in keys:
            out["classes"] = hb.class_strings(hb.all_class_ids(logits, self._n_classes), self._label_vocabulary)
        return out

    def _export_outputs(self, predictions: dict) -> dict:
        t = hb.tf()
        probabilities = predictions.get("probabilities")
        if probabilities is None:
            probabilities = t.sigmoid(predictions["logits"])
        classes = hb.class_strings(hb.all_class_ids(probabilities, self._n_classes), self._label_vocabulary)
        output = ClassificationOutput(scores=probabilities, classes=classes)
        return {
            DEFAULT_SERVING_KEY: output,
            CLASSIFY_SERVING_KEY: output,
            PREDICT_SERVING_KEY: PredictOutput(predictions),
        }

    # -- metrics
    def _class_keys(self, class_id: int) -> tuple:
        if self._label_vocabulary is None:
            names = (K.PROBABILITY_MEAN_AT_CLASS % class_id, K.AUC_AT_CLASS % class_id, K.AUC_PR_AT_CLASS % class_id)
        else:
            label = self._label_vocabulary[class_id]
            names = (K.PROBABILITY_MEAN_AT_NAME % label, K.AUC_AT_NAME % label, K.AUC_PR_AT_NAME % label)
        return tuple(self._summary_key(n) for n in names)

    def _threshold_keys(self, threshold: float) -> tuple:
        kinds = (K.ACCURACY_AT_THRESHOLD, K.PRECISION_AT_THRESHOLD, K.RECALL_AT_THRESHOLD)
        return tuple(self._summary_key(kind % threshold) for kind in kinds)

    def metrics(self, regularization_losses: Any = None) -> Dict[str, Any]:
        m, key = api.keras_metrics(), self._summary_key
        out = {key(K.LOSS_MEAN): m.Mean(name=K.LOSS_MEAN)}
        out[key(K.AUC)] = m.AUC(name=K.AUC)
        out[key(K.AUC_PR)] = m.AUC(curve="PR", name=K.AUC_PR)
        if regularization_losses is not None:
            out[key(K.LOSS_REGULARIZATION)] = m.Mean(name=K.LOSS_REGULARIZATION)
        for t in self._thresholds:
            acc, prec, rec = self._threshold_keys(t)
            out[acc] = m.BinaryAccuracy(name=acc, threshold=t)
            out[prec] = m.Precision(name=prec, thresholds=t)
            out[rec] = m.Recall(name=rec, thresholds=t)
        for class_id in self._classes:
            prob, auc, auc_pr = self._class_keys(class_id)
            out[prob] = m.Mean(name=prob)
            out[auc] = m.AUC(name=auc)
            out[auc_pr] = m.AUC(curve="PR", name=auc_pr)
        return out

    def update_metrics(
        self, eval_metrics: dict, features: Any, logits: Any, labels: Any, regularization_losses: Any = None
    ) -> Dict[str, Any]:
        t, key = hb.tf(), self._summary_key
        logits = check_logits(logits, self._n_classes)
        labels = self._processed_labels(logits, labels)
        unweighted, weights = self._unweighted_loss(labels, logits, features)
        probabilities = self.predictions(logits, ["probabilities"])["probabilities"]
        w = api.sample_weight(weights)
        per_label = None if w is None else w * t.ones_like(probabilities)  # the example's weight on each label
        eval_metrics[key(K.LOSS_MEAN)].update_state(unweighted, sample_weight=w)
        for name in (K.AUC, K.AUC_PR):
            eval_metrics[key(name)].update_state(labels, probabilities, sample_weight=per_label)
        api.update_regularization(eval_metrics, key(K.LOSS_REGULARIZATION), regularization_losses)
        for threshold in self._thresholds:
            for name in self._threshold_keys(threshold):
                eval_metrics[name].update_state(labels, probabilities, sample_weight=w)
        for class_id in self._classes:
            prob, auc, auc_pr = self._class_keys(class_id)
            class_probabilities = probabilities[..., class_id : class_id + 1]
            class_labels = labels[..., class_id : class_id + 1]
            api.update_with_broadcast_weights(eval_metrics[prob], class_probabilities, weights)
            for name in (auc, auc_pr):
                eval_metrics[name].update_state(class_labels, class_probabilities, sample_weight=w)
        return eval_metrics

"""More ``tf.compat.v1.metrics``: ``mean_iou`` and ``mean_per_class_accuracy`` (segmentation and per-class
scores from streaming counts), ``mean_tensor``, ``mean_relative_error``, ``mean_cosine_distance``,
``percentage_below``, and the per-threshold counts with ``precision_at_thresholds`` / ``recall_at_thresholds``.

As the other metrics they are ``(value, update_op)`` pairs over LOCAL_VARIABLES, with TensorFlow's formulas:
``mean_iou``'s update op returns the accumulated confusion matrix, its value the mean over classes present.
"""

from __future__ import annotations

from typing import Any, Optional, Tuple

import numpy as np

from ...framework.dtypes import float32
from ...framework.variables import Variable
from ...ops import array_ops, math_ops
from ...ops.math_derived_ops import divide_no_nan
from .metrics import _LOCAL, _collect, _graph, _squeeze_pair, _tensor, mean
from .variable_scope import variable_scope


def _local(shape: list, dtype: Any, name: str) -> Variable:
    return Variable(np.zeros(shape, dtype), trainable=False, name=name, collections=_LOCAL)


def _flat(x: Any) -> Any:
    return array_ops.reshape(x, [-1]) if x.shape.rank is not None and x.shape.rank > 1 else x


def _class_counts(labels: Any, values: Any, num_classes: int, dtype: Any) -> Any:
    """``values`` summed per class of ``labels`` (a product with one-hot rows, so batch sizes may be unknown)."""
    hot = array_ops.one_hot(labels, num_classes, dtype=dtype)
    return math_ops.reduce_sum(hot * array_ops.expand_dims(array_ops.cast(values, dtype), 1), 0)


def _confusion(labels: Any, predictions: Any, num_classes: int, weights: Any) -> Any:
    """The float64 confusion matrix (rows: labels, columns: predictions) of one batch."""
    rows = array_ops.one_hot(_flat(array_ops.cast(labels, "int64")), num_classes, dtype="float64")
    cols = array_ops.one_hot(_flat(array_ops.cast(predictions, "int64")), num_classes, dtype="float64")
    if weights is not None:
        rows = rows * array_ops.expand_dims(array_ops.cast(weights, "float64"), 1)
    return math_ops.matmul(rows, cols, transpose_a=True)


def mean_iou(
    labels: Any,
    predictions: Any,
    num_classes: int,
    weights: Any = None,
    metrics_collections: Any = None,
    updates_collections: Any = None,
    name: Optional[str] = None,
) -> Tuple[Any, Any]:
    """The mean over classes of ``TP / (TP + FP + FN)`` from a streaming confusion matrix
    (``mean_iou/total_confusion_matrix``); classes never seen or predicted are left out of the mean."""
    graph = _graph("mean_iou")
    labels, predictions = _tensor(labels), _tensor(predictions)
    if not predictions.shape.is_compatible_with(labels.shape):
        raise ValueError(f"Shapes {predictions.shape} and {labels.shape} are incompatible")
    with variable_scope(name, "mean_iou", (predictions, labels, weights)):
        total = _local([num_classes, num_classes], np.float64, "total_confusion_matrix")
        w = None if weights is None else _flat(_tensor(weights))
        update = total.assign_add(_confusion(labels, predictions, num_classes, w))
        cm = total.value()
        rows = array_ops.cast(math_ops.reduce_sum(cm, 0), float32)
        cols = array_ops.cast(math_ops.reduce_sum(cm, 1), float32)
        from ...ops.linalg_ops import diag_part

        diag = array_ops.cast(diag_part(cm), float32)
        denominator = rows + cols - diag
        valid = math_ops.reduce_sum(array_ops.cast(math_ops.not_equal(denominator, 0), float32))
        denominator = array_ops.where(math_ops.greater(denominator, 0), denominator, array_ops.ones_like(denominator))
        iou = diag / denominator
        value = array_ops.where(math_ops.greater(valid, 0), math_ops.reduce_sum(iou) / valid, 0.0)
    _collect(graph, value, update, metrics_collections, updates_collections)
    return value, update


def mean_per_class_accuracy(
    labels: Any,
    predictions: Any,
    num_classes: int,
    weights: Any = None,
    metrics_collections: Any = None,
    updates_collections: Any = None,
    name: Optional[str] = None,
) -> Tuple[Any, Any]:
    """The mean over all ``num_classes`` classes of each class's accuracy (0 for classes not seen yet)."""
    graph = _graph("mean_per_class_accuracy")
    with variable_scope(name, "mean_accuracy", (predictions, labels, weights)):
        labels = _flat(array_ops.cast(_tensor(labels), "int64"))
        predictions = _flat(_tensor(predictions))
        total = _local([num_classes], np.float32, "total")
        count = _local([num_classes], np.float32, "count")
        ones = array_ops.ones_like(labels, dtype=float32)
        is_correct = array_ops.cast(math_ops.equal(array_ops.cast(predictions, "int64"), labels), float32)
        if weights is not None:
            w = array_ops.cast(_flat(_tensor(weights)), float32)
            is_correct, ones = is_correct * w, ones * w
        update_total = total.assign_add(_class_counts(labels, ones, num_classes, float32))
        update_count = count.assign_add(_class_counts(labels, is_correct, num_classes, float32))
        value = math_ops.reduce_mean(divide_no_nan(count.value(), math_ops.maximum(total.value(), 0.0)))
        update = divide_no_nan(update_count, math_ops.maximum(update_total, 0.0))
    _collect(graph, value, update, metrics_collections, updates_collections)
    return value, update


def mean_tensor(
    values: Any,
    weights: Any = None,
    metrics_collections: Any = None,
    updates_collections: Any = None,
    name: Optional[str] = None,
) -> Tuple[Any, Any]:
    """The elementwise (weighted) mean of every ``values`` tensor seen (``mean/total_tensor``, ``count_tensor``)."""
    graph = _graph("mean_tensor")
    with variable_scope(name, "mean", (values, weights)):
        values = array_ops.cast(_tensor(values), float32)
        shape = values.shape.as_list()
        if any(d is None for d in shape):
            raise ValueError(f"mean_tensor needs values of a fully known shape, received {values.shape}")
        total = _local(shape, np.float32, "total_tensor")
        count = _local(shape, np.float32, "count_tensor")
        num = array_ops.ones_like(values)
        if weights is not None:
            w = array_ops.cast(_tensor(weights), float32) * num
            values, num = values * w, w
        update = divide_no_nan(total.assign_add(values), math_ops.maximum(count.assign_add(num), 0.0))
        value = divide_no_nan(total.value(), math_ops.maximum(count.value(), 0.0))
    _collect(graph, value, update, metrics_collections, updates_collections)
    return value, update


def mean_relative_error(
    labels: Any,
    predictions: Any,
    normalizer: Any,
    weights: Any = None,
    metrics_collections: Any = None,
    updates_collections: Any = None,
    name: Optional[str] = None,
) -> Tuple[Any, Any]:
    """The mean of ``|labels - predictions| / normalizer`` (0 where the normalizer is 0)."""
    _graph("mean_relative_error")
    labels, predictions = _squeeze_pair(_tensor(labels), _tensor(predictions))
    labels, predictions = array_ops.cast(labels, float32), array_ops.cast(predictions, float32)
    normalizer = array_ops.cast(_tensor(normalizer), float32)
    errors = array_ops.where(
        math_ops.equal(normalizer, 0.0), array_ops.zeros_like(labels), math_ops.abs(labels - predictions) / normalizer
    )
    return mean(errors, weights, metrics_collections, updates_collections, name or "mean_relative_error")


def mean_cosine_distance(
    labels: Any,
    predictions: Any,
    dim: int,
    weights: Any = None,
    metrics_collections: Any = None,
    updates_collections: Any = None,
    name: Optional[str] = None,
) -> Tuple[Any, Any]:
    """``1 - mean(sum(labels * predictions, dim))`` for unit-normalized inputs."""
    graph = _graph("mean_cosine_distance")
    labels, predictions = _squeeze_pair(_tensor(labels), _tensor(predictions))
    radial = math_ops.reduce_sum(
        array_ops.cast(predictions, float32) * array_ops.cast(labels, float32), axis=[dim], keepdims=True
    )
    value, update = mean(radial, weights, None, None, name or "mean_cosine_distance")
    value, update = 1.0 - value, 1.0 - update
    _collect(graph, value, update, metrics_collections, updates_collections)
    return value, update


def percentage_below(
    values: Any,
    threshold: Any,
    weights: Any = None,
    metrics_collections: Any = None,
    updates_collections: Any = None,
    name: Optional[str] = None,
) -> Tuple[Any, Any]:
    """The fraction of values below ``threshold``."""
    _graph("percentage_below")
    below = array_ops.cast(math_ops.less(_tensor(values), threshold), float32)
    return mean(below, weights, metrics_collections, updates_collections, name or "percentage_below_threshold")


def _at_thresholds(
    kind: str,
    labels: Any,
    predictions: Any,
    thresholds: Any,
    weights: Any,
    metrics_collections: Any,
    updates_collections: Any,
    name: Optional[str],
) -> Tuple[Any, Any]:
    from .metrics_auc import confusion_at_thresholds

    graph = _graph(f"{kind}_at_thresholds")
    key = {"true_positives": "tp", "false_positives": "fp", "false_negatives": "fn", "true_negatives": "tn"}[kind]
    with variable_scope(name, kind, (predictions, labels, weights)):
        values, updates = confusion_at_thresholds(labels, predictions, list(thresholds), weights, includes=(key,))
    _collect(graph, values[key], updates[key], metrics_collections, updates_collections)
    return values[key], updates[key]


def _counts_fn(kind: str) -> Any:
    def counts(
        labels: Any,
        predictions: Any,
        thresholds: Any,
        weights: Any = None,
        metrics_collections: Any = None,
        updates_collections: Any = None,
        name: Optional[str] = None,
    ) -> Tuple[Any, Any]:
        return _at_thresholds(
            kind, labels, predictions, thresholds, weights, metrics_collections, updates_collections, name
        )

    counts.__name__ = counts.__qualname__ = f"{kind}_at_thresholds"
    counts.__doc__ = f"Streaming {kind.replace('_', ' ')} at each threshold (a prediction above it is positive)."
    return counts


true_positives_at_thresholds = _counts_fn("true_positives")
false_positives_at_thresholds = _counts_fn("false_positives")
false_negatives_at_thresholds = _counts_fn("false_negatives")
true_negatives_at_thresholds = _counts_fn("true_negatives")


def _ratio_fn(kind: str, other: str) -> Any:
    def ratio(
        labels: Any,
        predictions: Any,
        thresholds: Any,
        weights: Any = None,
        metrics_collections: Any = None,
        updates_collections: Any = None,
        name: Optional[str] = None,
    ) -> Tuple[Any, Any]:
        from .metrics_auc import confusion_at_thresholds

        graph = _graph(f"{kind}_at_thresholds")
        with variable_scope(name, f"{kind}_at_thresholds", (predictions, labels, weights)):
            values, updates = confusion_at_thresholds(
                labels, predictions, list(thresholds), weights, includes=("tp", other)
            )
            value = values["tp"] / (values["tp"] + values[other] + 1e-7)
            update = updates["tp"] / (updates["tp"] + updates[other] + 1e-7)
        _collect(graph, value, update, metrics_collections, updates_collections)
        return value, update

    ratio.__name__ = ratio.__qualname__ = f"{kind}_at_thresholds"
    ratio.__doc__ = f"The streaming {kind} at each threshold: ``tp / (tp + {other} + 1e-7)``."
    return ratio


precision_at_thresholds = _ratio_fn("precision", "fp")
recall_at_thresholds = _ratio_fn("recall", "fn")

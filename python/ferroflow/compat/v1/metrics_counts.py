"""The counting metrics of ``tf.compat.v1.metrics``: ``true_positives`` / ``false_positives`` /
``false_negatives`` / ``true_negatives`` of boolean labels and predictions, and ``precision`` / ``recall``."""

from __future__ import annotations

from typing import Any, Optional, Tuple

from ...framework.dtypes import float32
from .metrics import _collect, _graph, _metric_variable, _squeeze_pair, _tensor
from .variable_scope import variable_scope


def _count(
    kind: str,
    labels: Any,
    predictions: Any,
    weights: Any,
    metrics_collections: Any,
    updates_collections: Any,
    name: Optional[str],
) -> Tuple[Any, Any]:
    """A running (weighted) count of the elements where the boolean ``labels`` / ``predictions`` match ``kind``."""
    from ... import cast, logical_and, logical_not, ones_like, reduce_sum

    graph = _graph(kind)
    labels, predictions = _squeeze_pair(_tensor(labels), _tensor(predictions))
    with variable_scope(name, kind, (predictions, labels, weights)):
        labels, predictions = cast(labels, "bool"), cast(predictions, "bool")
        want_label, want_pred = {
            "true_positives": (True, True),
            "false_positives": (False, True),
            "false_negatives": (True, False),
            "true_negatives": (False, False),
        }[kind]
        hit = logical_and(
            labels if want_label else logical_not(labels), predictions if want_pred else logical_not(predictions)
        )
        hits = cast(hit, float32)
        if weights is not None:
            hits = hits * cast(_tensor(weights), float32) * ones_like(hits)
        total = _metric_variable("count")
        value, update = total.value(), total.assign_add(reduce_sum(hits))
    _collect(graph, value, update, metrics_collections, updates_collections)
    return value, update


def true_positives(
    labels: Any,
    predictions: Any,
    weights: Any = None,
    metrics_collections: Any = None,
    updates_collections: Any = None,
    name: Optional[str] = None,
) -> Tuple[Any, Any]:
    return _count("true_positives", labels, predictions, weights, metrics_collections, updates_collections, name)


def false_positives(
    labels: Any,
    predictions: Any,
    weights: Any = None,
    metrics_collections: Any = None,
    updates_collections: Any = None,
    name: Optional[str] = None,
) -> Tuple[Any, Any]:
    return _count("false_positives", labels, predictions, weights, metrics_collections, updates_collections, name)


def false_negatives(
    labels: Any,
    predictions: Any,
    weights: Any = None,
    metrics_collections: Any = None,
    updates_collections: Any = None,
    name: Optional[str] = None,
) -> Tuple[Any, Any]:
    return _count("false_negatives", labels, predictions, weights, metrics_collections, updates_collections, name)


def true_negatives(
    labels: Any,
    predictions: Any,
    weights: Any = None,
    metrics_collections: Any = None,
    updates_collections: Any = None,
    name: Optional[str] = None,
) -> Tuple[Any, Any]:
    return _count("true_negatives", labels, predictions, weights, metrics_collections, updates_collections, name)


def _ratio(
    kind: str,
    miss: Any,
    labels: Any,
    predictions: Any,
    weights: Any,
    metrics_collections: Any,
    updates_collections: Any,
    name: Optional[str],
) -> Tuple[Any, Any]:
    from ... import math as tf_math

    graph = _graph(kind)
    with variable_scope(name, kind, (predictions, labels, weights)):
        tp, tp_up = true_positives(labels, predictions, weights)
        other, other_up = miss(labels, predictions, weights)
        value = tf_math.divide_no_nan(tp, tp + other)
        update = tf_math.divide_no_nan(tp_up, tp_up + other_up)
    _collect(graph, value, update, metrics_collections, updates_collections)
    return value, update


def precision(
    labels: Any,
    predictions: Any,
    weights: Any = None,
    metrics_collections: Any = None,
    updates_collections: Any = None,
    name: Optional[str] = None,
) -> Tuple[Any, Any]:
    """``true_positives / (true_positives + false_positives)`` of boolean ``predictions`` (0 when none)."""
    return _ratio(
        "precision", false_positives, labels, predictions, weights, metrics_collections, updates_collections, name
    )


def recall(
    labels: Any,
    predictions: Any,
    weights: Any = None,
    metrics_collections: Any = None,
    updates_collections: Any = None,
    name: Optional[str] = None,
) -> Tuple[Any, Any]:
    """``true_positives / (true_positives + false_negatives)`` of boolean ``predictions`` (0 when none)."""
    return _ratio(
        "recall", false_negatives, labels, predictions, weights, metrics_collections, updates_collections, name
    )

"""``tf.compat.v1.metrics``: streaming metrics as ``(value, update_op)`` pairs over local variables.

Each metric keeps its running sums in variables of the LOCAL_VARIABLES and METRIC_VARIABLES collections
(``accuracy/total``, ``accuracy/count``), zeroed by ``tf.compat.v1.local_variables_initializer()``.
Running ``update_op`` adds a batch and returns the updated metric; ``value`` reads it without updating.
They build graph ops: eagerly they raise RuntimeError, as TensorFlow does.
"""

from __future__ import annotations

from typing import Any, Optional, Tuple

from ...framework import context
from ...framework.dtypes import float32
from ...framework.ops import convert_to_tensor
from ...framework.tensor import Tensor
from ...framework.variables import Variable
from .variable_scope import variable_scope

__all__ = [
    "accuracy",
    "auc",
    "false_negatives",
    "false_positives",
    "mean",
    "mean_absolute_error",
    "mean_squared_error",
    "precision",
    "recall",
    "root_mean_squared_error",
    "true_negatives",
    "true_positives",
    "false_negatives_at_thresholds",
    "false_positives_at_thresholds",
    "mean_cosine_distance",
    "mean_iou",
    "mean_per_class_accuracy",
    "mean_relative_error",
    "mean_tensor",
    "percentage_below",
    "precision_at_thresholds",
    "recall_at_thresholds",
    "true_negatives_at_thresholds",
    "true_positives_at_thresholds",
]

_LOCAL = ["local_variables", "metric_variables"]


def _graph(what: str) -> Any:
    graph = context.current_graph()
    if graph is None:
        raise RuntimeError(f"tf.metrics.{what} is not supported when eager execution is enabled.")
    return graph


def _metric_variable(name: str) -> Variable:
    import numpy as np

    return Variable(np.float32(0.0), trainable=False, name=name, dtype=float32, collections=_LOCAL)


def _tensor(value: Any) -> Any:
    return value if isinstance(value, (Tensor, Variable)) else convert_to_tensor(value)


def _squeeze_pair(labels: Any, predictions: Any) -> Tuple[Any, Any]:
    """TF1's ``remove_squeezable_dimensions``: drops a trailing size-1 axis that one side has in excess."""
    from ... import squeeze

    lr, pr = labels.shape.rank, predictions.shape.rank
    if lr is not None and pr is not None:
        if pr == lr + 1 and predictions.shape[-1] == 1:
            predictions = squeeze(predictions, [-1])
        elif lr == pr + 1 and labels.shape[-1] == 1:
            labels = squeeze(labels, [-1])
    return labels, predictions


def _collect(graph: Any, value: Any, update: Any, metrics_collections: Any, updates_collections: Any) -> None:
    if metrics_collections:
        graph.add_to_collections(metrics_collections, value)
    if updates_collections:
        graph.add_to_collections(updates_collections, update)


def mean(
    values: Any,
    weights: Any = None,
    metrics_collections: Any = None,
    updates_collections: Any = None,
    name: Optional[str] = None,
) -> Tuple[Any, Any]:
    """The (weighted) mean of every value seen: ``total / count`` kept in ``mean/total`` and ``mean/count``."""
    from ... import cast, ones_like, reduce_sum, size
    from ... import math as tf_math

    graph = _graph("mean")
    with variable_scope(name, "mean", (values, weights)):
        values = cast(_tensor(values), float32)
        total = _metric_variable("total")
        count = _metric_variable("count")
        if weights is None:
            num_values = cast(size(values), float32)
        else:
            weights = cast(_tensor(weights), float32) * ones_like(values)  # broadcast to the values
            values = values * weights
            num_values = reduce_sum(weights)
        update_total = total.assign_add(reduce_sum(values))
        update_count = count.assign_add(num_values)
        value = tf_math.divide_no_nan(total.value(), count.value())
        update = tf_math.divide_no_nan(update_total, update_count)
    _collect(graph, value, update, metrics_collections, updates_collections)
    return value, update


def accuracy(
    labels: Any,
    predictions: Any,
    weights: Any = None,
    metrics_collections: Any = None,
    updates_collections: Any = None,
    name: Optional[str] = None,
) -> Tuple[Any, Any]:
    """How often ``predictions`` equal ``labels``: the mean of ``predictions == labels`` (as float)."""
    from ... import cast, equal

    _graph("accuracy")
    labels, predictions = _squeeze_pair(_tensor(labels), _tensor(predictions))
    if labels.dtype != predictions.dtype:
        predictions = cast(predictions, labels.dtype)
    is_correct = cast(equal(predictions, labels), float32)
    return mean(is_correct, weights, metrics_collections, updates_collections, name or "accuracy")


def _error_mean(
    kind: str,
    labels: Any,
    predictions: Any,
    weights: Any,
    metrics_collections: Any,
    updates_collections: Any,
    name: Optional[str],
) -> Tuple[Any, Any]:
    from ... import abs as abs_
    from ... import cast, square

    _graph(kind)
    labels, predictions = _squeeze_pair(_tensor(labels), _tensor(predictions))
    diff = cast(labels, float32) - cast(predictions, float32)
    error = square(diff) if kind == "mean_squared_error" else abs_(diff)
    return mean(error, weights, metrics_collections, updates_collections, name or kind)


def mean_squared_error(
    labels: Any,
    predictions: Any,
    weights: Any = None,
    metrics_collections: Any = None,
    updates_collections: Any = None,
    name: Optional[str] = None,
) -> Tuple[Any, Any]:
    """The mean of ``(labels - predictions)^2`` over every element seen."""
    return _error_mean(
        "mean_squared_error", labels, predictions, weights, metrics_collections, updates_collections, name
    )


def mean_absolute_error(
    labels: Any,
    predictions: Any,
    weights: Any = None,
    metrics_collections: Any = None,
    updates_collections: Any = None,
    name: Optional[str] = None,
) -> Tuple[Any, Any]:
    """The mean of ``|labels - predictions|`` over every element seen."""
    return _error_mean(
        "mean_absolute_error", labels, predictions, weights, metrics_collections, updates_collections, name
    )


def root_mean_squared_error(
    labels: Any,
    predictions: Any,
    weights: Any = None,
    metrics_collections: Any = None,
    updates_collections: Any = None,
    name: Optional[str] = None,
) -> Tuple[Any, Any]:
    """``sqrt`` of the streaming mean squared error (its variables: ``root_mean_squared_error/total``, ``/count``)."""
    from ... import sqrt

    graph = _graph("root_mean_squared_error")
    mse, update_mse = _error_mean(
        "mean_squared_error", labels, predictions, weights, None, None, name or "root_mean_squared_error"
    )
    value, update = sqrt(mse), sqrt(update_mse)
    _collect(graph, value, update, metrics_collections, updates_collections)
    return value, update


# The counting metrics, in their own file (imported last: they use the helpers above).
from ferroflow._api import public_dir as _public_dir  # noqa: E402

from .metrics_auc import auc  # noqa: E402
from .metrics_counts import (  # noqa: E402
    false_negatives,
    false_positives,
    precision,
    recall,
    true_negatives,
    true_positives,
)
from .metrics_more import (  # noqa: E402
    false_negatives_at_thresholds,
    false_positives_at_thresholds,
    mean_cosine_distance,
    mean_iou,
    mean_per_class_accuracy,
    mean_relative_error,
    mean_tensor,
    percentage_below,
    precision_at_thresholds,
    recall_at_thresholds,
    true_negatives_at_thresholds,
    true_positives_at_thresholds,
)

__dir__ = _public_dir(globals())

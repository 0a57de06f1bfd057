"""``tf.compat.v1.losses.cosine_distance`` and ``mean_pairwise_squared_error`` with TensorFlow 1's formulas.

``mean_pairwise_squared_error`` counts each batch entry's present (non-zero weight) elements when it
scales the pairwise terms; as TensorFlow's does when executing eagerly, a non-zero scalar weight counts every
element of the batch instead (its eager shortcut), while graphs always count per entry.
"""

from __future__ import annotations

from typing import Any, Optional

from ...framework import context
from ...framework.ops import convert_to_tensor
from ...ops import array_ops, math_ops
from ...ops.math_derived_ops import divide_no_nan
from .arg_lookup import lookup
from .losses import Reduction, add_loss, compute_weighted_loss


def _float32(value: Any) -> Any:
    t = convert_to_tensor(value)
    return t if t.dtype.name == "float32" else array_ops.cast(t, "float32")


def cosine_distance(
    labels: Any,
    predictions: Any,
    axis: Any = None,
    weights: Any = 1.0,
    scope: Optional[str] = None,
    loss_collection: str = "losses",
    reduction: str = Reduction.SUM_BY_NONZERO_WEIGHTS,
    dim: Any = None,
) -> Any:
    """``1 - sum(labels * predictions, axis)`` for unit-normalized inputs, weighted and reduced."""
    axis = lookup("axis", axis, "dim", dim)
    if axis is None:
        raise ValueError("You must specify argument `axis`.")
    if labels is None:
        raise ValueError("Argument `labels` must not be None.")
    if predictions is None:
        raise ValueError("Argument `predictions` must not be None.")
    predictions, labels = _float32(predictions), _float32(labels)
    if not predictions.shape.is_compatible_with(labels.shape):
        raise ValueError(f"Shapes {predictions.shape} and {labels.shape} are incompatible")
    losses = 1 - math_ops.reduce_sum(predictions * labels, axis=[axis], keepdims=True)
    return compute_weighted_loss(losses, weights, scope, loss_collection, reduction=reduction)


def _present_per_batch(diffs: Any, weights: Any) -> Any:
    if context.current_graph() is None and weights.shape.rank == 0 and float(weights.numpy()) != 0.0:
        return array_ops.cast(array_ops.size(diffs), diffs.dtype)
    present = array_ops.where(math_ops.equal(weights, 0.0), array_ops.zeros_like(weights), array_ops.ones_like(weights))
    present = present * array_ops.ones_like(diffs)  # broadcast to the losses' shape
    return math_ops.reduce_sum(present, axis=list(range(1, diffs.shape.rank)), keepdims=True)


def mean_pairwise_squared_error(
    labels: Any,
    predictions: Any,
    weights: Any = 1.0,
    scope: Optional[str] = None,
    loss_collection: str = "losses",
) -> Any:
    """For each batch entry, the mean over pairs of elements of the squared difference between the pairs'
    differences in ``predictions`` and in ``labels``; weighted and summed over the batch."""
    if labels is None:
        raise ValueError("Argument `labels` must not be None.")
    if predictions is None:
        raise ValueError("Argument `predictions` must not be None.")
    weights, labels, predictions = _float32(weights), _float32(labels), _float32(predictions)
    if not predictions.shape.is_compatible_with(labels.shape):
        raise ValueError(f"Shapes {predictions.shape} and {labels.shape} are incompatible")
    diffs = predictions - labels
    axis = list(range(1, diffs.shape.rank))
    n = _present_per_batch(diffs, weights)
    term1 = 2.0 * divide_no_nan(
        math_ops.reduce_sum(math_ops.square(diffs), axis=axis, keepdims=True), math_ops.maximum(n - 1, 0.0)
    )
    sum_diff = math_ops.reduce_sum(diffs, axis=axis, keepdims=True)
    term2 = 2.0 * divide_no_nan(math_ops.square(sum_diff), math_ops.maximum(n * (n - 1), 0.0))
    loss = math_ops.reduce_sum((term1 - term2) * weights)
    mean_loss = array_ops.where(math_ops.greater(math_ops.reduce_sum(n), 0.0), loss, array_ops.zeros_like(loss))
    add_loss(mean_loss, loss_collection)
    return mean_loss

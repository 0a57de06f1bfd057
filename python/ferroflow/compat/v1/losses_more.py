"""More of ``tf.compat.v1.losses``: cross-entropies (with TF1's label smoothing), ``huber_loss``, ``log_loss``
and ``hinge_loss``. Each computes per-element losses and reduces them with ``compute_weighted_loss``, so it
joins the LOSSES collection as TF1's do."""

from __future__ import annotations

from typing import Any, Optional

from ...framework.ops import convert_to_tensor
from ...framework.tensor import Tensor
from ...framework.variables import Variable
from .losses import Reduction, compute_weighted_loss


def _float(value: Any, like: Any = None) -> Any:
    from ... import cast

    t = value if isinstance(value, (Tensor, Variable)) else convert_to_tensor(value)
    want = like.dtype if like is not None else t.dtype
    if not want.is_floating:
        want = convert_to_tensor(0.0).dtype
    return t if t.dtype == want else cast(t, want)


def sparse_softmax_cross_entropy(
    labels: Any,
    logits: Any,
    weights: Any = 1.0,
    scope: Optional[str] = None,
    loss_collection: str = "losses",
    reduction: str = Reduction.SUM_BY_NONZERO_WEIGHTS,
) -> Any:
    """Cross-entropy of integer class ``labels`` against ``logits`` (``[batch, classes]``)."""
    from ... import nn

    logits = _float(logits)
    losses = nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    return compute_weighted_loss(losses, weights, scope, loss_collection, reduction)


def softmax_cross_entropy(
    onehot_labels: Any,
    logits: Any,
    weights: Any = 1.0,
    label_smoothing: float = 0,
    scope: Optional[str] = None,
    loss_collection: str = "losses",
    reduction: str = Reduction.SUM_BY_NONZERO_WEIGHTS,
) -> Any:
    """Cross-entropy of one-hot labels, smoothed to ``labels * (1 - s) + s / num_classes`` when ``s > 0``."""
    from ... import nn, stop_gradient

    logits = _float(logits)
    labels = _float(onehot_labels, logits)
    if label_smoothing > 0:
        num_classes = labels.shape[-1]
        labels = labels * (1.0 - label_smoothing) + label_smoothing / num_classes
    losses = nn.softmax_cross_entropy_with_logits(labels=stop_gradient(labels), logits=logits)
    return compute_weighted_loss(losses, weights, scope, loss_collection, reduction)


def sigmoid_cross_entropy(
    multi_class_labels: Any,
    logits: Any,
    weights: Any = 1.0,
    label_smoothing: float = 0,
    scope: Optional[str] = None,
    loss_collection: str = "losses",
    reduction: str = Reduction.SUM_BY_NONZERO_WEIGHTS,
) -> Any:
    """Element-wise sigmoid cross-entropy, labels smoothed to ``labels * (1 - s) + 0.5 * s`` when ``s > 0``."""
    from ... import nn

    logits = _float(logits)
    labels = _float(multi_class_labels, logits)
    if label_smoothing > 0:
        labels = labels * (1.0 - label_smoothing) + 0.5 * label_smoothing
    losses = nn.sigmoid_cross_entropy_with_logits(labels=labels, logits=logits)
    return compute_weighted_loss(losses, weights, scope, loss_collection, reduction)


def huber_loss(
    labels: Any,
    predictions: Any,
    weights: Any = 1.0,
    delta: float = 1.0,
    scope: Optional[str] = None,
    loss_collection: str = "losses",
    reduction: str = Reduction.SUM_BY_NONZERO_WEIGHTS,
) -> Any:
    """``0.5 * e^2`` where ``|e| <= delta``, else ``delta * (|e| - 0.5 * delta)``, for ``e = predictions - labels``."""
    from ... import abs as abs_
    from ... import minimum

    predictions = _float(predictions)
    error = predictions - _float(labels, predictions)
    quadratic = minimum(abs_(error), delta)
    linear = abs_(error) - quadratic
    losses = 0.5 * quadratic * quadratic + delta * linear
    return compute_weighted_loss(losses, weights, scope, loss_collection, reduction)


def log_loss(
    labels: Any,
    predictions: Any,
    weights: Any = 1.0,
    epsilon: float = 1e-7,
    scope: Optional[str] = None,
    loss_collection: str = "losses",
    reduction: str = Reduction.SUM_BY_NONZERO_WEIGHTS,
) -> Any:
    """``-labels * log(p + eps) - (1 - labels) * log(1 - p + eps)`` of probabilities ``p = predictions``."""
    from ... import math

    predictions = _float(predictions)
    labels = _float(labels, predictions)
    losses = -labels * math.log(predictions + epsilon) - (1.0 - labels) * math.log(1.0 - predictions + epsilon)
    return compute_weighted_loss(losses, weights, scope, loss_collection, reduction)


def hinge_loss(
    labels: Any,
    logits: Any,
    weights: Any = 1.0,
    scope: Optional[str] = None,
    loss_collection: str = "losses",
    reduction: str = Reduction.SUM_BY_NONZERO_WEIGHTS,
) -> Any:
    """``max(0, 1 - (2 * labels - 1) * logits)`` for 0/1 ``labels``."""
    from ... import nn

    logits = _float(logits)
    signs = 2.0 * _float(labels, logits) - 1.0
    return compute_weighted_loss(nn.relu(1.0 - signs * logits), weights, scope, loss_collection, reduction)

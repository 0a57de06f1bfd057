"""Focal and generalized crossentropies (Keras 3 formulas): binary and categorical focal crossentropy, and the
noise-robust categorical generalized cross entropy."""

from __future__ import annotations

import warnings
from typing import Any

from ..framework.tensor import Tensor
from ..ops import array_ops, math_ops, nn_ops
from ._utils import epsilon, last_dim, to_tensor
from .probabilistic import binary_crossentropy_backend


def binary_focal_crossentropy(
    y_true: Any,
    y_pred: Any,
    apply_class_balancing: bool = False,
    alpha: float = 0.25,
    gamma: float = 2.0,
    from_logits: bool = False,
    label_smoothing: float = 0.0,
    axis: int = -1,
) -> Tensor:
    """``mean((1 - p_t) ** gamma * bce, axis)`` with ``p_t = y * p + (1 - y) * (1 - p)``.

    With ``apply_class_balancing`` each term is also weighted by ``alpha`` (class 1) or ``1 - alpha`` (class 0).
    """
    y_pred = to_tensor(y_pred)
    y_true = to_tensor(y_true, y_pred.dtype)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    if from_logits:
        # Keras's sigmoid keeps its logits, so the crossentropy term is the exact one of the logits.
        bce = nn_ops.sigmoid_cross_entropy_with_logits(labels=y_true, logits=y_pred)
        y_pred = math_ops.sigmoid(y_pred)
    else:
        bce = binary_crossentropy_backend(y_true, y_pred, from_logits=False)
    p_t = y_true * y_pred + (1.0 - y_true) * (1.0 - y_pred)
    focal_bce = math_ops.pow(1.0 - p_t, float(gamma)) * bce
    if apply_class_balancing:
        weight = y_true * float(alpha) + (1.0 - y_true) * (1.0 - float(alpha))
        focal_bce = weight * focal_bce
    return math_ops.reduce_mean(focal_bce, axis=axis)


def categorical_focal_crossentropy(
    y_true: Any,
    y_pred: Any,
    alpha: Any = 0.25,
    gamma: float = 2.0,
    from_logits: bool = False,
    label_smoothing: float = 0.0,
    axis: int = -1,
) -> Tensor:
    """``sum(alpha * (1 - p) ** gamma * -y * log(p), axis)`` on renormalized, clipped probabilities ``p``.

    ``alpha`` is a float or one weight per class.
    """
    if isinstance(axis, bool):
        raise ValueError(f"`axis` must be of type `int`. Received: axis={axis} of type {type(axis)}")
    y_pred = to_tensor(y_pred)
    y_true = to_tensor(y_true, y_pred.dtype)
    if last_dim(y_pred) == 1:
        warnings.warn(
            "In loss categorical_focal_crossentropy, expected y_pred.shape to be (batch_size, num_classes) with "
            f"num_classes > 1. Received: y_pred.shape={y_pred.shape}. Consider using 'binary_crossentropy' if "
            "you only have 2 classes.",
            SyntaxWarning,
            stacklevel=2,
        )
    if label_smoothing:
        classes = last_dim(y_true)
        num_classes = (
            float(classes) if classes is not None else array_ops.cast(array_ops.shape(y_true)[-1], y_pred.dtype)
        )
        y_true = y_true * (1.0 - label_smoothing) + label_smoothing / num_classes
    if from_logits:
        y_pred = nn_ops.softmax(y_pred, axis=axis)
    # Renormalize so that each sample's probabilities sum to 1, then keep them off 0 and 1 for the log.
    output = y_pred / math_ops.reduce_sum(y_pred, axis=axis, keepdims=True)
    output = math_ops.clip_by_value(output, epsilon(), 1.0 - epsilon())
    cce = -y_true * math_ops.log(output)
    modulating_factor = math_ops.pow(1.0 - output, float(gamma))
    alpha_t = alpha if isinstance(alpha, (int, float)) else to_tensor(alpha, y_pred.dtype)
    weighting_factor = modulating_factor * alpha_t
    return math_ops.reduce_sum(weighting_factor * cce, axis=axis)


def categorical_generalized_cross_entropy(y_true: Any, y_pred: Any, q: float) -> Tensor:
    """``(1 - p ** q) / q`` with ``p`` the predicted probability of the true class (integer labels)."""
    y_pred = to_tensor(y_pred)
    classes = last_dim(y_pred)
    if classes is None:
        raise ValueError(
            "categorical_generalized_cross_entropy needs the number of classes (the last dimension of y_pred) "
            f"known; received y_pred of shape {y_pred.shape}"
        )
    labels = to_tensor(y_true)
    if labels.shape.rank is not None and labels.shape.rank == y_pred.shape.rank and last_dim(labels) == 1:
        # Labels of shape (batch, 1), as documented (Keras 3.15 broadcasts them against every sample instead).
        labels = array_ops.squeeze(labels, -1)
    labels = array_ops.cast(labels, "int64")
    one_hot = array_ops.one_hot(labels, classes, dtype=y_pred.dtype)
    p = math_ops.reduce_sum(y_pred * one_hot, axis=-1)
    return (1.0 - math_ops.pow(p, float(q))) / float(q)

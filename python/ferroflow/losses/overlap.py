"""Overlap losses for segmentation (Keras 3 formulas): Dice and Tversky."""

from __future__ import annotations

from typing import Any, Optional, Sequence, Union

from ..framework.tensor import Tensor
from ..ops import math_ops
from ._utils import epsilon, to_tensor

Axis = Optional[Union[int, Sequence[int]]]


def _axis(axis: Axis) -> Any:
    return list(axis) if isinstance(axis, (tuple, list)) else axis


def dice(y_true: Any, y_pred: Any, axis: Axis = None) -> Tensor:
    """``1 - 2 * sum(y_true * y_pred) / (sum(y_true) + sum(y_pred) + epsilon)`` over ``axis`` (all axes when None)."""
    y_pred = to_tensor(y_pred)
    y_true = to_tensor(y_true, y_pred.dtype)
    axis = _axis(axis)
    intersection = math_ops.reduce_sum(y_true * y_pred, axis=axis)
    total = math_ops.reduce_sum(y_true, axis=axis) + math_ops.reduce_sum(y_pred, axis=axis) + epsilon()
    return 1.0 - (2.0 * intersection) / total


def tversky(y_true: Any, y_pred: Any, alpha: float = 0.5, beta: float = 0.5, axis: Axis = None) -> Tensor:
    """``1 - tp / (tp + alpha * fp + beta * fn + epsilon)`` with soft counts over ``axis``.

    Keras's naming is kept: ``fp = sum((1 - y_pred) * y_true)`` and ``fn = sum(y_pred * (1 - y_true))``.
    """
    y_pred = to_tensor(y_pred)
    y_true = to_tensor(y_true, y_pred.dtype)
    axis = _axis(axis)
    intersection = math_ops.reduce_sum(y_true * y_pred, axis=axis)
    fp = math_ops.reduce_sum((1.0 - y_pred) * y_true, axis=axis)
    fn = math_ops.reduce_sum(y_pred * (1.0 - y_true), axis=axis)
    return 1.0 - intersection / (intersection + fp * float(alpha) + fn * float(beta) + epsilon())

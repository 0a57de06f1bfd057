"""Hinge losses (Keras 3 formulas): hinge, squared hinge and categorical hinge."""

from __future__ import annotations

from typing import Any

from ..framework.tensor import Tensor
from ..ops import array_ops, math_ops
from ._utils import squeeze_or_expand_to_same_rank, to_tensor


def convert_binary_labels_to_hinge(y_true: Tensor) -> Tensor:
    """Maps labels to -1/1 when every label is 0 or 1; other labels are used as given (Keras's rule)."""
    is_binary_each = math_ops.logical_or(math_ops.equal(y_true, 0.0), math_ops.equal(y_true, 1.0))
    # all() as a min over 0/1 values, so that it stays a graph op when the labels are symbolic.
    is_binary = math_ops.greater(math_ops.reduce_min(array_ops.cast(is_binary_each, y_true.dtype)), 0.5)
    return array_ops.where(is_binary, y_true * 2.0 - 1.0, y_true)


def _prepare(y_true: Any, y_pred: Any) -> tuple:
    y_pred = to_tensor(y_pred)
    y_true = to_tensor(y_true, y_pred.dtype)
    return squeeze_or_expand_to_same_rank(y_true, y_pred)


def hinge(y_true: Any, y_pred: Any) -> Tensor:
    """``mean(maximum(1 - y_true * y_pred, 0), axis=-1)``; 0/1 labels become -1/1."""
    y_true, y_pred = _prepare(y_true, y_pred)
    y_true = convert_binary_labels_to_hinge(y_true)
    return math_ops.reduce_mean(math_ops.maximum(1.0 - y_true * y_pred, 0.0), axis=-1)


def squared_hinge(y_true: Any, y_pred: Any) -> Tensor:
    """``mean(square(maximum(1 - y_true * y_pred, 0)), axis=-1)``; 0/1 labels become -1/1."""
    y_true, y_pred = _prepare(y_true, y_pred)
    y_true = convert_binary_labels_to_hinge(y_true)
    return math_ops.reduce_mean(math_ops.square(math_ops.maximum(1.0 - y_true * y_pred, 0.0)), axis=-1)


def categorical_hinge(y_true: Any, y_pred: Any) -> Tensor:
    """``maximum(neg - pos + 1, 0)`` with ``pos = sum(y_true * y_pred)``, ``neg = max((1 - y_true) * y_pred)``."""
    y_pred = to_tensor(y_pred)
    y_true = to_tensor(y_true, y_pred.dtype)
    pos = math_ops.reduce_sum(y_true * y_pred, axis=-1)
    neg = math_ops.reduce_max((1.0 - y_true) * y_pred, axis=-1)
    return math_ops.maximum(neg - pos + 1.0, 0.0)

"""Regression losses (Keras 3 formulas): squared, absolute, percentage and log errors, Huber, log-cosh, cosine."""

from __future__ import annotations

import math
from typing import Any

from ..framework.tensor import Tensor
from ..ops import array_ops, math_ops
from ._utils import epsilon, squeeze_or_expand_to_same_rank, to_tensor


def _prepare(y_true: Any, y_pred: Any) -> tuple:
    y_pred = to_tensor(y_pred)
    y_true = to_tensor(y_true, y_pred.dtype)
    return squeeze_or_expand_to_same_rank(y_true, y_pred)


def mean_squared_error(y_true: Any, y_pred: Any) -> Tensor:
    """``mean(square(y_true - y_pred), axis=-1)``."""
    y_true, y_pred = _prepare(y_true, y_pred)
    return math_ops.reduce_mean(math_ops.square(y_true - y_pred), axis=-1)


def mean_absolute_error(y_true: Any, y_pred: Any) -> Tensor:
    """``mean(abs(y_true - y_pred), axis=-1)``."""
    y_true, y_pred = _prepare(y_true, y_pred)
    return math_ops.reduce_mean(math_ops.abs(y_true - y_pred), axis=-1)


def mean_absolute_percentage_error(y_true: Any, y_pred: Any) -> Tensor:
    """``100 * mean(abs((y_true - y_pred) / max(abs(y_true), epsilon)), axis=-1)``."""
    y_true, y_pred = _prepare(y_true, y_pred)
    diff = math_ops.abs((y_true - y_pred) / math_ops.maximum(math_ops.abs(y_true), epsilon()))
    return math_ops.reduce_mean(diff, axis=-1) * 100.0


def mean_squared_logarithmic_error(y_true: Any, y_pred: Any) -> Tensor:
    """``mean(square(log(max(y_pred, eps) + 1) - log(max(y_true, eps) + 1)), axis=-1)``."""
    y_true, y_pred = _prepare(y_true, y_pred)
    first_log = math_ops.log(math_ops.maximum(y_pred, epsilon()) + 1.0)
    second_log = math_ops.log(math_ops.maximum(y_true, epsilon()) + 1.0)
    return math_ops.reduce_mean(math_ops.square(first_log - second_log), axis=-1)


def huber(y_true: Any, y_pred: Any, delta: float = 1.0) -> Tensor:
    """``0.5 * x**2`` where ``|x| <= delta``, else ``delta * |x| - 0.5 * delta**2``; mean over the last axis."""
    y_true, y_pred = _prepare(y_true, y_pred)
    delta = float(delta)
    error = y_pred - y_true
    abs_error = math_ops.abs(error)
    quadratic = math_ops.square(error) * 0.5
    linear = abs_error * delta - 0.5 * delta * delta
    return math_ops.reduce_mean(array_ops.where(abs_error <= delta, quadratic, linear), axis=-1)


def log_cosh(y_true: Any, y_pred: Any) -> Tensor:
    """``mean(log(cosh(y_pred - y_true)), axis=-1)``, as ``x + softplus(-2x) - log(2)`` (no overflow)."""
    y_true, y_pred = _prepare(y_true, y_pred)
    x = y_pred - y_true
    return math_ops.reduce_mean(x + math_ops.softplus(x * -2.0) - math.log(2.0), axis=-1)


def l2_normalize(x: Tensor, axis: int = -1) -> Tensor:
    """``x * min(rsqrt(sum(x**2)), 1/epsilon)``: Keras's ``ops.normalize`` with order 2."""
    square_sum = math_ops.reduce_sum(math_ops.square(x), axis=axis, keepdims=True)
    return x * math_ops.minimum(math_ops.rsqrt(square_sum), 1.0 / epsilon())


def cosine_similarity(y_true: Any, y_pred: Any, axis: int = -1) -> Tensor:
    """The negated cosine similarity along ``axis`` (so that minimizing it aligns the vectors)."""
    y_true, y_pred = _prepare(y_true, y_pred)
    return -math_ops.reduce_sum(l2_normalize(y_true, axis) * l2_normalize(y_pred, axis), axis=axis)


mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
mape = MAPE = mean_absolute_percentage_error
msle = MSLE = mean_squared_logarithmic_error
logcosh = log_cosh  # tf.keras's spelling

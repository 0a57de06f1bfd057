"""Correlation metrics (Keras 3): Pearson's and Lin's concordance correlation, per sample along ``axis`` and
averaged over the samples seen."""

from __future__ import annotations

from typing import Any

from ..framework.tensor import Tensor
from ..losses._utils import epsilon, squeeze_or_expand_to_same_rank, to_tensor
from ..ops import math_ops
from .base import MeanMetricWrapper


def _prepare(y_true: Any, y_pred: Any) -> tuple:
    y_pred = to_tensor(y_pred)
    y_true = to_tensor(y_true, y_pred.dtype)
    return squeeze_or_expand_to_same_rank(y_true, y_pred)


def pearson_correlation(y_true: Any, y_pred: Any, axis: int = -1) -> Tensor:
    """``mean(z(y_true) * z(y_pred), axis)`` with ``z`` the standardized values along ``axis``."""
    y_true, y_pred = _prepare(y_true, y_pred)
    y_true_norm = y_true - math_ops.reduce_mean(y_true, axis=axis, keepdims=True)
    y_pred_norm = y_pred - math_ops.reduce_mean(y_pred, axis=axis, keepdims=True)
    y_true_norm = y_true_norm / math_ops.reduce_std(y_true_norm, axis=axis, keepdims=True)
    y_pred_norm = y_pred_norm / math_ops.reduce_std(y_pred_norm, axis=axis, keepdims=True)
    return math_ops.reduce_mean(y_true_norm * y_pred_norm, axis=axis)


def concordance_correlation(y_true: Any, y_pred: Any, axis: int = -1) -> Tensor:
    """``mean(2 * cov / (var(y_true) + var(y_pred) + (mean(y_true) - mean(y_pred))^2 + eps), axis)``.

    As in Keras 3, the covariance term centres ``y_true`` on the mean of ``y_pred``.
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    y_true_mean = math_ops.reduce_mean(y_true, axis=axis, keepdims=True)
    y_pred_mean = math_ops.reduce_mean(y_pred, axis=axis, keepdims=True)
    y_true_var = math_ops.reduce_variance(y_true - y_true_mean, axis=axis, keepdims=True)
    y_pred_var = math_ops.reduce_variance(y_pred - y_pred_mean, axis=axis, keepdims=True)
    covar = (y_true - y_pred_mean) * (y_pred - y_pred_mean)
    norm = y_true_var + y_pred_var + math_ops.square(y_true_mean - y_pred_mean)
    return math_ops.reduce_mean(2.0 * covar / (norm + epsilon()), axis=axis)


class PearsonCorrelation(MeanMetricWrapper):
    """The mean over samples of Pearson's correlation of labels and predictions along ``axis``."""

    def __init__(self, name: str = "pearson_correlation", dtype: Any = None, axis: int = -1) -> None:
        super().__init__(pearson_correlation, name=name, dtype=dtype, axis=axis)
        self.axis = axis

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype, "axis": self.axis}


class ConcordanceCorrelation(MeanMetricWrapper):
    """The mean over samples of Lin's concordance correlation of labels and predictions along ``axis``."""

    def __init__(self, name: str = "concordance_correlation", dtype: Any = None, axis: int = -1) -> None:
        super().__init__(concordance_correlation, name=name, dtype=dtype, axis=axis)
        self.axis = axis

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype, "axis": self.axis}

"""Regression metrics (Keras 3): mean squared/absolute/percentage/log errors, RMSE, cosine similarity, log-cosh."""

from __future__ import annotations

import math
from typing import Any

from ..framework.tensor import Tensor
from ..losses import regression as _reg
from ..losses._utils import squeeze_or_expand_to_same_rank, to_tensor
from ..ops import math_ops
from .base import Mean, MeanMetricWrapper, mean_terms

mean_squared_error = mse = MSE = _reg.mean_squared_error
mean_absolute_error = mae = MAE = _reg.mean_absolute_error
mean_absolute_percentage_error = mape = MAPE = _reg.mean_absolute_percentage_error
mean_squared_logarithmic_error = msle = MSLE = _reg.mean_squared_logarithmic_error
log_cosh = _reg.log_cosh


def cosine_similarity(y_true: Any, y_pred: Any, axis: int = -1) -> Tensor:
    """The cosine similarity of labels and predictions along ``axis`` (the metric is not negated)."""
    y_pred = to_tensor(y_pred)
    y_true = to_tensor(y_true, y_pred.dtype)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    return math_ops.reduce_sum(_reg.l2_normalize(y_true, axis) * _reg.l2_normalize(y_pred, axis), axis=axis)


class MeanSquaredError(MeanMetricWrapper):
    """The mean of ``square(y_true - y_pred)``."""

    def __init__(self, name: str = "mean_squared_error", dtype: Any = None) -> None:
        super().__init__(mean_squared_error, name=name, dtype=dtype)


class MeanAbsoluteError(MeanMetricWrapper):
    """The mean of ``abs(y_true - y_pred)``."""

    def __init__(self, name: str = "mean_absolute_error", dtype: Any = None) -> None:
        super().__init__(mean_absolute_error, name=name, dtype=dtype)


class MeanAbsolutePercentageError(MeanMetricWrapper):
    """The mean of ``100 * abs((y_true - y_pred) / y_true)``."""

    def __init__(self, name: str = "mean_absolute_percentage_error", dtype: Any = None) -> None:
        super().__init__(mean_absolute_percentage_error, name=name, dtype=dtype)


class MeanSquaredLogarithmicError(MeanMetricWrapper):
    """The mean of ``square(log(y_true + 1) - log(y_pred + 1))``."""

    def __init__(self, name: str = "mean_squared_logarithmic_error", dtype: Any = None) -> None:
        super().__init__(mean_squared_logarithmic_error, name=name, dtype=dtype)


class LogCoshError(MeanMetricWrapper):
    """The mean of ``log(cosh(y_pred - y_true))``."""

    def __init__(self, name: str = "logcosh", dtype: Any = None) -> None:
        super().__init__(log_cosh, name=name, dtype=dtype)


class CosineSimilarity(MeanMetricWrapper):
    """The mean cosine similarity between labels and predictions along ``axis``."""

    def __init__(self, name: str = "cosine_similarity", dtype: Any = None, axis: int = -1) -> None:
        super().__init__(cosine_similarity, name=name, dtype=dtype, axis=axis)
        self.axis = axis

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype, "axis": self.axis}


class RootMeanSquaredError(Mean):
    """``sqrt(mean(square(y_pred - y_true)))`` over all samples seen."""

    def __init__(self, name: str = "root_mean_squared_error", dtype: Any = None) -> None:
        super().__init__(name=name, dtype=dtype)

    def _batch_terms(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> list:
        y_true = to_tensor(y_true, self.dtype)
        y_pred = to_tensor(y_pred, self.dtype)
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        return mean_terms(math_ops.square(y_pred - y_true), sample_weight, self.dtype)

    def _result_from_totals(self, totals: list) -> float:
        return math.sqrt(max(super()._result_from_totals(totals), 0.0))

"""``R2Score`` (Keras 3): the coefficient of determination, per output and aggregated, optionally adjusted.

The state is, per output column, the weighted sums of labels, of squared labels, of squared residuals and of
the weights, plus the number of label entries seen (for the adjusted score).
"""

from __future__ import annotations

import warnings
from typing import Any, Optional

import numpy as np

from ..losses._utils import squeeze_or_expand_to_same_rank, to_tensor
from ..ops import array_ops, math_ops
from .base import Metric

_AGGREGATIONS = (None, "uniform_average", "variance_weighted_average")


class R2Score(Metric):
    """``1 - sum((y - y_pred)^2) / sum((y - mean(y))^2)`` per output column, then aggregated.

    Args:
        class_aggregation: ``"uniform_average"`` (mean over outputs), ``"variance_weighted_average"``
            (weighted by each output's variance) or None (one score per output).
        num_regressors: the number of independent variables, for the adjusted R2 score (0: not adjusted).
    """

    def __init__(
        self,
        class_aggregation: Optional[str] = "uniform_average",
        num_regressors: int = 0,
        name: str = "r2_score",
        dtype: Any = None,
    ) -> None:
        super().__init__(name=name, dtype=dtype)
        if class_aggregation not in _AGGREGATIONS:
            raise ValueError(
                f"Invalid value for argument `class_aggregation`. Expected one of {_AGGREGATIONS}. "
                f"Received: class_aggregation={class_aggregation}"
            )
        if num_regressors < 0:
            raise ValueError(
                f"Invalid value for argument `num_regressors`. Expected a value >= 0. "
                f"Received: num_regressors={num_regressors}"
            )
        self.class_aggregation = class_aggregation
        self.num_regressors = num_regressors

    def _batch_terms(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> list:
        y_true = to_tensor(y_true, self.dtype)
        y_pred = to_tensor(y_pred, self.dtype)
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        true_shape, pred_shape = y_true.shape.as_list(), y_pred.shape.as_list()
        if len(pred_shape) != 2 or len(true_shape) != 2:
            raise ValueError(
                "R2Score expects 2D inputs with shape (batch_size, output_dim). Received input shapes: "
                f"y_pred.shape={tuple(pred_shape)} and y_true.shape={tuple(true_shape)}."
            )
        if pred_shape[-1] is None or true_shape[-1] is None:
            raise ValueError(
                "R2Score expects 2D inputs with shape (batch_size, output_dim), with output_dim fully defined "
                f"(not None). Received input shapes: y_pred.shape={tuple(pred_shape)} and "
                f"y_true.shape={tuple(true_shape)}."
            )
        if sample_weight is None:
            weight = array_ops.ones_like(y_true)
        else:
            weight = to_tensor(sample_weight, self.dtype)
            if weight.shape.rank == 1:
                weight = array_ops.expand_dims(weight, 1)
            weight = weight * array_ops.ones_like(y_true)
        weighted = y_true * weight
        parts = [
            math_ops.reduce_sum(weighted, axis=0),
            math_ops.reduce_sum(y_true * weighted, axis=0),
            math_ops.reduce_sum(math_ops.square(y_true - y_pred) * weight, axis=0),
            math_ops.reduce_sum(weight, axis=0),
        ]
        outputs = pred_shape[-1]
        terms = array_ops.unstack(array_ops.concat(parts, axis=0), num=4 * outputs)
        return terms + [array_ops.cast(array_ops.size(y_true), self.dtype)]

    def _result_from_totals(self, totals: list) -> Any:
        if not totals:
            return 0.0
        values = np.asarray(totals[:-1], dtype=np.float32).reshape(4, -1)
        num_samples = float(totals[-1])
        total_sum, squared_sum, residual, count = values
        with np.errstate(divide="ignore", invalid="ignore"):
            mean = total_sum / count
            total = squared_sum - total_sum * mean
            raw_scores = np.float32(1.0) - residual / total
        raw_scores = np.where(np.isinf(raw_scores), np.float32(0.0), raw_scores)
        if self.class_aggregation == "uniform_average":
            score = np.mean(raw_scores)
        elif self.class_aggregation == "variance_weighted_average":
            with np.errstate(divide="ignore", invalid="ignore"):
                score = np.sum(total * raw_scores) / np.sum(total)
        else:
            score = raw_scores
        if self.num_regressors != 0:
            if self.num_regressors > num_samples - 1:
                warnings.warn(
                    "More independent predictors than datapoints in adjusted R2 score. Falling back to standard "
                    "R2 score.",
                    stacklevel=2,
                )
            elif self.num_regressors == num_samples - 1:
                warnings.warn("Division by zero in Adjusted R2 score. Falling back to standard R2 score.", stacklevel=2)
            else:
                n, p = np.float32(num_samples), np.float32(self.num_regressors)
                score = np.float32(1.0) - (np.float32(1.0) - score) * (n - 1) / (n - p - 1)
        if self.class_aggregation is None:
            return np.asarray(score, dtype=np.float32)
        return float(score)

    def get_config(self) -> dict:
        return {
            "name": self.name,
            "dtype": self.dtype,
            "class_aggregation": self.class_aggregation,
            "num_regressors": self.num_regressors,
        }

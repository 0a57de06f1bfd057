"""Metrics read off a curve of confusion counts at evenly spread thresholds (Keras 3): SensitivityAtSpecificity,
SpecificityAtSensitivity, PrecisionAtRecall and RecallAtPrecision.

Each batch adds the weighted true/false positive/negative counts at ``num_thresholds`` thresholds in [0, 1]
(``4 * num_thresholds`` running totals); the result is the best value of one rate among the thresholds where
the other rate reaches the target.
"""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from ..framework.ops import convert_to_tensor
from ..losses._utils import squeeze_or_expand_to_same_rank, to_tensor
from ..ops import array_ops, math_ops
from .base import Metric


def _div(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    out = np.zeros_like(a)
    np.divide(a, b, out=out, where=b != 0)
    return out


def threshold_counts(
    y_true: Any, y_pred: Any, sample_weight: Any, num_thresholds: int, class_id: Optional[int], dtype: str
) -> list:
    """``tp``, ``fp``, ``tn``, ``fn`` at each threshold, concatenated (``4 * num_thresholds`` scalars).

    With evenly spread thresholds, Keras puts each clipped prediction ``p`` in bucket
    ``ceil(p * (n - 1)) - 1`` and counts it positive at every threshold up to its bucket: that is
    ``p > threshold``, computed the same way here so that predictions on a threshold land alike.
    """
    y_true = to_tensor(y_true, dtype)
    y_pred = to_tensor(y_pred, dtype)
    y_pred, y_true = squeeze_or_expand_to_same_rank(y_pred, y_true)
    if sample_weight is not None:
        sample_weight = array_ops.expand_dims(to_tensor(sample_weight, dtype), -1)
        _, sample_weight = squeeze_or_expand_to_same_rank(y_true, sample_weight, expand_rank_1=False)
    if class_id is not None:
        if y_pred.shape.rank == 1:
            raise ValueError(
                "When class_id is provided, y_pred must be a 2D array with shape (num_samples, num_classes), "
                f"found shape: {y_pred.shape}"
            )
        y_true = y_true[..., class_id : class_id + 1]
        y_pred = y_pred[..., class_id : class_id + 1]
    weights = array_ops.ones_like(y_pred) if sample_weight is None else sample_weight * array_ops.ones_like(y_pred)
    labels = array_ops.cast(math_ops.not_equal(y_true, 0.0), dtype)
    labels = array_ops.reshape(labels * array_ops.ones_like(y_pred), [-1, 1])
    weights = array_ops.reshape(weights, [-1, 1])
    flat = array_ops.reshape(y_pred, [-1, 1])
    if num_thresholds == 1:
        # A single threshold of 0.5, compared directly (Keras's general path, without clipping).
        pred_pos = array_ops.cast(math_ops.greater(flat, 0.5), dtype)
    else:
        clipped = math_ops.clip_by_value(flat, 0.0, 1.0)
        bucket = math_ops.ceil(clipped * float(num_thresholds - 1)) - 1.0
        index = convert_to_tensor(np.arange(num_thresholds, dtype=np.float64).reshape(1, -1))
        pred_pos = array_ops.cast(math_ops.greater_equal(bucket, array_ops.cast(index, dtype)), dtype)
    pos, neg = labels * weights, (1.0 - labels) * weights
    tp = math_ops.reduce_sum(pos * pred_pos, axis=0)
    fp = math_ops.reduce_sum(neg * pred_pos, axis=0)
    tn = math_ops.reduce_sum(neg, axis=0) - fp
    fn = math_ops.reduce_sum(pos, axis=0) - tp
    return array_ops.unstack(array_ops.concat([tp, fp, tn, fn], axis=0), num=4 * num_thresholds)


class SensitivitySpecificityBase(Metric):
    """The confusion counts at ``num_thresholds`` thresholds and the constrained maximum Keras takes of them."""

    _target_name = ""

    def __init__(
        self,
        value: float,
        num_thresholds: int = 200,
        class_id: Optional[int] = None,
        name: Optional[str] = None,
        dtype: Any = None,
    ) -> None:
        super().__init__(name=name, dtype=dtype)
        if num_thresholds <= 0:
            raise ValueError(
                f"Argument `num_thresholds` must be an integer > 0. Received: num_thresholds={num_thresholds}"
            )
        self.value = value
        self.class_id = class_id
        self.num_thresholds = num_thresholds
        if num_thresholds == 1:
            self.thresholds = [0.5]
        else:
            inner = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
            self.thresholds = [0.0] + inner + [1.0]
        self._totals = [0.0] * (4 * num_thresholds)

    def reset_state(self) -> None:
        self._totals = [0.0] * (4 * self.num_thresholds)

    def _batch_terms(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> list:
        return threshold_counts(y_true, y_pred, sample_weight, self.num_thresholds, self.class_id, self.dtype)

    def _rates(self, totals: list) -> dict:
        tp, fp, tn, fn = np.asarray(totals, dtype=np.float32).reshape(4, -1)
        return {
            "sensitivity": _div(tp, tp + fn),
            "specificity": _div(tn, tn + fp),
            "precision": _div(tp, tp + fp),
        }

    def _max_under_constraint(self, constrained: np.ndarray, dependent: np.ndarray) -> float:
        feasible = constrained >= np.float32(self.value)
        return float(np.max(np.where(feasible, dependent, np.float32(0.0)), initial=0.0))

    def get_config(self) -> dict:
        return {
            "name": self.name,
            "dtype": self.dtype,
            "class_id": self.class_id,
            "num_thresholds": self.num_thresholds,
            self._target_name: self.value,
        }


def _check_rate(name: str, value: float) -> None:
    if value < 0 or value > 1:
        raise ValueError(f"Argument `{name}` must be in the range [0, 1]. Received: {name}={value}")


class SensitivityAtSpecificity(SensitivitySpecificityBase):
    """The best sensitivity (recall) among the thresholds whose specificity is at least ``specificity``."""

    _target_name = "specificity"

    def __init__(
        self,
        specificity: float,
        num_thresholds: int = 200,
        class_id: Optional[int] = None,
        name: Optional[str] = None,
        dtype: Any = None,
    ) -> None:
        _check_rate("specificity", specificity)
        self.specificity = specificity
        super().__init__(specificity, num_thresholds=num_thresholds, class_id=class_id, name=name, dtype=dtype)

    def _result_from_totals(self, totals: list) -> float:
        rates = self._rates(totals)
        return self._max_under_constraint(rates["specificity"], rates["sensitivity"])


class SpecificityAtSensitivity(SensitivitySpecificityBase):
    """The best specificity among the thresholds whose sensitivity (recall) is at least ``sensitivity``."""

    _target_name = "sensitivity"

    def __init__(
        self,
        sensitivity: float,
        num_thresholds: int = 200,
        class_id: Optional[int] = None,
        name: Optional[str] = None,
        dtype: Any = None,
    ) -> None:
        _check_rate("sensitivity", sensitivity)
        self.sensitivity = sensitivity
        super().__init__(sensitivity, num_thresholds=num_thresholds, class_id=class_id, name=name, dtype=dtype)

    def _result_from_totals(self, totals: list) -> float:
        rates = self._rates(totals)
        return self._max_under_constraint(rates["sensitivity"], rates["specificity"])


class PrecisionAtRecall(SensitivitySpecificityBase):
    """The best precision among the thresholds whose recall is at least ``recall``."""

    _target_name = "recall"

    def __init__(
        self,
        recall: float,
        num_thresholds: int = 200,
        class_id: Optional[int] = None,
        name: Optional[str] = None,
        dtype: Any = None,
    ) -> None:
        _check_rate("recall", recall)
        self.recall = recall
        super().__init__(recall, num_thresholds=num_thresholds, class_id=class_id, name=name, dtype=dtype)

    def _result_from_totals(self, totals: list) -> float:
        rates = self._rates(totals)
        return self._max_under_constraint(rates["sensitivity"], rates["precision"])


class RecallAtPrecision(SensitivitySpecificityBase):
    """The best recall among the thresholds whose precision is at least ``precision``."""

    _target_name = "precision"

    def __init__(
        self,
        precision: float,
        num_thresholds: int = 200,
        class_id: Optional[int] = None,
        name: Optional[str] = None,
        dtype: Any = None,
    ) -> None:
        _check_rate("precision", precision)
        self.precision = precision
        super().__init__(precision, num_thresholds=num_thresholds, class_id=class_id, name=name, dtype=dtype)

    def _result_from_totals(self, totals: list) -> float:
        rates = self._rates(totals)
        return self._max_under_constraint(rates["precision"], rates["sensitivity"])

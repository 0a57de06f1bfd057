"""Confusion-matrix metrics (Keras 3): true/false positives/negatives, Precision, Recall and AUC.

A prediction counts as positive when it is strictly greater than the threshold; a label counts as
positive when it is not 0. Each batch contributes weighted counts, so the totals are plain sums.
"""

from __future__ import annotations

from typing import Any, Optional, Sequence

import numpy as np

from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor
from ..losses._utils import last_dim, squeeze_or_expand_to_same_rank, to_tensor
from ..ops import array_ops, math_ops
from .base import Metric, safe_div

NEG_INF = -1e10


def _filter_top_k(x: Tensor, k: int) -> Tensor:
    """Keeps the ``k`` largest scores along the last axis and sets the others to ``NEG_INF`` (ties stay)."""
    above = math_ops.reduce_sum(
        array_ops.cast(math_ops.greater(array_ops.expand_dims(x, -2), array_ops.expand_dims(x, -1)), x.dtype),
        axis=-1,
    )
    keep = array_ops.cast(math_ops.less(above, float(k)), x.dtype)
    return x * keep + NEG_INF * (1.0 - keep)


def confusion_counts(
    y_true: Any,
    y_pred: Any,
    sample_weight: Any,
    thresholds: Sequence[float],
    top_k: Optional[int] = None,
    class_id: Optional[int] = None,
    dtype: str = "float32",
) -> dict:
    """Weighted ``tp``, ``fp``, ``tn``, ``fn`` at each threshold: 0-d tensors for one threshold, else vectors."""
    y_true = to_tensor(y_true, dtype)
    y_pred = to_tensor(y_pred, dtype)
    y_pred, y_true = squeeze_or_expand_to_same_rank(y_pred, y_true)
    if top_k is not None:
        y_pred = _filter_top_k(y_pred, top_k)
    if class_id is not None:
        classes = last_dim(y_pred)
        if classes is not None and not 0 <= class_id < classes:
            raise ValueError(f"class_id must be in [0, {classes}), received class_id={class_id}")
        y_true, y_pred = y_true[..., class_id], y_pred[..., class_id]
    labels = array_ops.cast(math_ops.not_equal(y_true, 0.0), dtype)
    if sample_weight is not None:
        weights = to_tensor(sample_weight, dtype)
        if class_id is None:
            y_pred, weights = squeeze_or_expand_to_same_rank(y_pred, weights)
        weights = weights * array_ops.ones_like(y_pred)
    else:
        weights = array_ops.ones_like(y_pred)
    if len(thresholds) == 1:
        pred_pos = array_ops.cast(math_ops.greater(y_pred, float(thresholds[0])), dtype)
        pos, neg = labels * weights, (1.0 - labels) * weights
    else:
        # One column per threshold: (samples, 1) against (1, thresholds).
        flat_pred = array_ops.reshape(y_pred, [-1, 1])
        limits = convert_to_tensor(np.asarray(thresholds, dtype=np.float32).reshape(1, -1))
        pred_pos = array_ops.cast(math_ops.greater(flat_pred, array_ops.cast(limits, dtype)), dtype)
        labels = array_ops.reshape(labels * array_ops.ones_like(y_pred), [-1, 1])
        weights = array_ops.reshape(weights, [-1, 1])
        pos, neg = labels * weights, (1.0 - labels) * weights
    axis = None if len(thresholds) == 1 else 0
    return {
        "tp": math_ops.reduce_sum(pos * pred_pos, axis=axis),
        "fp": math_ops.reduce_sum(neg * pred_pos, axis=axis),
        "tn": math_ops.reduce_sum(neg * (1.0 - pred_pos), axis=axis),
        "fn": math_ops.reduce_sum(pos * (1.0 - pred_pos), axis=axis),
    }


def _single_threshold(thresholds: Any, default: float, metric: str) -> float:
    if thresholds is None:
        return default
    values = [thresholds] if isinstance(thresholds, (int, float)) else list(thresholds)
    if len(values) != 1:
        raise NotImplementedError(
            f"{metric} supports one threshold (a float or a list of one float); received thresholds={thresholds!r}"
        )
    value = float(values[0])
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"Threshold values must be in [0, 1]. Received: {value}")
    return value


class _ConfusionMetric(Metric):
    """Base of the metrics built from the counts at one threshold."""

    _counts: tuple = ()

    def __init__(
        self,
        thresholds: Any = None,
        top_k: Optional[int] = None,
        class_id: Optional[int] = None,
        name: Optional[str] = None,
        dtype: Any = None,
    ) -> None:
        super().__init__(name=name, dtype=dtype)
        self.init_thresholds = thresholds
        self.top_k = top_k
        self.class_id = class_id
        default = 0.5 if top_k is None else NEG_INF
        self.thresholds = _single_threshold(thresholds, default, type(self).__name__)
        self._totals = [0.0] * len(self._counts)

    def _batch_terms(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> list:
        c = confusion_counts(y_true, y_pred, sample_weight, [self.thresholds], self.top_k, self.class_id, self.dtype)
        return [sum((c[k] for k in group[1:]), c[group[0]]) for group in self._counts]

    def reset_state(self) -> None:
        self._totals = [0.0] * len(self._counts)

    def get_config(self) -> dict:
        return {
            "name": self.name,
            "dtype": self.dtype,
            "thresholds": self.init_thresholds,
            "top_k": self.top_k,
            "class_id": self.class_id,
        }


class Precision(_ConfusionMetric):
    """``tp / (tp + fp)``: the fraction of positive predictions that are right."""

    _counts = (("tp",), ("tp", "fp"))

    def _result_from_totals(self, totals: list) -> float:
        return safe_div(totals[0], totals[1])


class Recall(_ConfusionMetric):
    """``tp / (tp + fn)``: the fraction of positive labels that are found."""

    _counts = (("tp",), ("tp", "fn"))

    def _result_from_totals(self, totals: list) -> float:
        return safe_div(totals[0], totals[1])


class _CountMetric(_ConfusionMetric):
    """A single weighted count at one threshold."""

    def __init__(self, thresholds: Any = None, name: Optional[str] = None, dtype: Any = None) -> None:
        super().__init__(thresholds=thresholds, name=name, dtype=dtype)

    def _result_from_totals(self, totals: list) -> float:
        return totals[0]

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype, "thresholds": self.init_thresholds}


class TruePositives(_CountMetric):
    """The weighted number of positive labels predicted positive."""

    _counts = (("tp",),)


class FalsePositives(_CountMetric):
    """The weighted number of negative labels predicted positive."""

    _counts = (("fp",),)


class TrueNegatives(_CountMetric):
    """The weighted number of negative labels predicted negative."""

    _counts = (("tn",),)


class FalseNegatives(_CountMetric):
    """The weighted number of positive labels predicted negative."""

    _counts = (("fn",),)

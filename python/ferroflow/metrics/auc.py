"""``AUC``: area under the ROC or precision-recall curve, from confusion counts at fixed thresholds (Keras 3)."""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from ..losses._utils import epsilon, to_tensor
from ..ops import array_ops, math_ops
from .base import Metric
from .confusion_metrics import confusion_counts

_CURVES = ("ROC", "PR")
_SUMMATIONS = ("interpolation", "minoring", "majoring")


def _div(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Elementwise ``a / b`` with 0 where ``b`` is 0."""
    out = np.zeros_like(a, dtype=np.float64)
    np.divide(a, b, out=out, where=b != 0)
    return out


class AUC(Metric):
    """Approximates the AUC with a Riemann sum over ``num_thresholds`` thresholds spread over [0, 1].

    Each batch contributes the weighted true/false positive/negative counts at every threshold
    (``4 * num_thresholds`` scalars); the curve and its area are computed from the accumulated counts.
    ``multi_label`` and ``label_weights`` are not supported.
    """

    def __init__(
        self,
        num_thresholds: int = 200,
        curve: str = "ROC",
        summation_method: str = "interpolation",
        name: Optional[str] = None,
        dtype: Any = None,
        thresholds: Any = None,
        multi_label: bool = False,
        num_labels: Optional[int] = None,
        label_weights: Any = None,
        from_logits: bool = False,
    ) -> None:
        super().__init__(name=name, dtype=dtype)
        if str(curve).upper() not in _CURVES:
            raise ValueError(f'Invalid AUC curve value: "{curve}". Expected values are ["PR", "ROC"]')
        if str(summation_method).lower() not in _SUMMATIONS:
            raise ValueError(
                f'Invalid AUC summation method value: "{summation_method}". Expected values are '
                '["interpolation", "majoring", "minoring"]'
            )
        if multi_label or label_weights is not None:
            raise NotImplementedError("AUC with multi_label=True or label_weights is not supported")
        self.curve = str(curve).upper()
        self.summation_method = str(summation_method).lower()
        self.multi_label = multi_label
        self.num_labels = num_labels
        self.label_weights = label_weights
        self._from_logits = from_logits
        self._init_from_thresholds = thresholds is not None
        if thresholds is not None:
            inner = sorted(float(t) for t in thresholds)
            self.num_thresholds = len(inner) + 2
        else:
            if num_thresholds <= 1:
                raise ValueError(f"Argument `num_thresholds` must be an integer > 1. Received: {num_thresholds}")
            self.num_thresholds = int(num_thresholds)
            inner = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
        # Endpoints just outside [0, 1] so that predictions of exactly 0 or 1 fall inside the curve.
        self._thresholds = [0.0 - epsilon()] + inner + [1.0 + epsilon()]
        self._totals = [0.0] * (4 * self.num_thresholds)

    @property
    def thresholds(self) -> list:
        return list(self._thresholds)

    def reset_state(self) -> None:
        self._totals = [0.0] * (4 * self.num_thresholds)

    def _batch_terms(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> list:
        y_pred = to_tensor(y_pred, self.dtype)
        if self._from_logits:
            y_pred = math_ops.sigmoid(y_pred)
        c = confusion_counts(y_true, y_pred, sample_weight, self._thresholds, dtype=self.dtype)
        stacked = array_ops.concat([c["tp"], c["fp"], c["tn"], c["fn"]], axis=0)
        return array_ops.unstack(stacked, num=4 * self.num_thresholds)

    def _result_from_totals(self, totals: list) -> float:
        t = self.num_thresholds
        tp, fp, tn, fn = (np.asarray(totals[i * t:(i + 1) * t], dtype=np.float64) for i in range(4))
        if self.curve == "PR" and self.summation_method == "interpolation":
            return float(self._interpolate_pr_auc(tp, fp, fn))
        recall = _div(tp, tp + fn)
        if self.curve == "ROC":
            x, y = _div(fp, fp + tn), recall
        else:
            x, y = recall, _div(tp, tp + fp)
        if self.summation_method == "interpolation":
            heights = (y[:-1] + y[1:]) / 2.0
        elif self.summation_method == "minoring":
            heights = np.minimum(y[:-1], y[1:])
        else:
            heights = np.maximum(y[:-1], y[1:])
        return float(np.sum((x[:-1] - x[1:]) * heights))

    @staticmethod
    def _interpolate_pr_auc(tp: np.ndarray, fp: np.ndarray, fn: np.ndarray) -> float:
        """Davis & Goadrich (2006) interpolation of the PR curve, as Keras computes it."""
        dtp = tp[:-1] - tp[1:]
        p = tp + fp
        dp = p[:-1] - p[1:]
        prec_slope = _div(dtp, np.maximum(dp, 0))
        intercept = tp[1:] - prec_slope * p[1:]
        both = np.logical_and(p[:-1] > 0, p[1:] > 0)
        safe_p_ratio = np.where(both, _div(p[:-1], np.maximum(p[1:], 0)), 1.0)
        safe_p_ratio = np.where(safe_p_ratio > 0, safe_p_ratio, 1.0)
        increment = _div(prec_slope * (dtp + intercept * np.log(safe_p_ratio)), np.maximum(tp[1:] + fn[1:], 0))
        return float(np.sum(increment))

    def get_config(self) -> dict:
        config = {
            "name": self.name,
            "dtype": self.dtype,
            "num_thresholds": self.num_thresholds,
            "curve": self.curve,
            "summation_method": self.summation_method,
            "multi_label": self.multi_label,
            "num_labels": self.num_labels,
            "label_weights": self.label_weights,
            "from_logits": self._from_logits,
        }
        if self._init_from_thresholds:
            config["thresholds"] = self._thresholds[1:-1]
        return config

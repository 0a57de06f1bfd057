"""``FBetaScore`` and ``F1Score`` (Keras 3): the F-beta score of multi-label or multi-class predictions.

The state is four running totals per class (true positives, false positives, false negatives and the
label weights), or four scalars with ``average="micro"``; the number of classes is read from the first
batch, as Keras builds its variables then.
"""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from ..losses._utils import epsilon, to_tensor
from ..ops import array_ops, math_ops
from .base import Metric

_AVERAGES = (None, "micro", "macro", "weighted")


class FBetaScore(Metric):
    """``(1 + beta^2) * precision * recall / (beta^2 * precision + recall)`` per class, or averaged.

    Args:
        average: None (one score per class), ``"micro"`` (counts pooled over classes), ``"macro"`` (mean of
            the per-class scores) or ``"weighted"`` (mean weighted by each class's label count).
        beta: the weight of recall against precision (> 0).
        threshold: predictions above it count as positive; None takes each sample's highest score.
    """

    def __init__(
        self,
        average: Optional[str] = None,
        beta: float = 1.0,
        threshold: Optional[float] = None,
        name: str = "fbeta_score",
        dtype: Any = None,
    ) -> None:
        super().__init__(name=name, dtype=dtype)
        if average not in _AVERAGES:
            raise ValueError(
                "Invalid `average` argument value. Expected one of: {None, 'micro', 'macro', 'weighted'}. "
                f"Received: average={average}"
            )
        if not isinstance(beta, float):
            raise ValueError(
                f"Invalid `beta` argument value. It should be a Python float. Received: beta={beta} of type "
                f"'{type(beta)}'"
            )
        if beta <= 0.0:
            raise ValueError(f"Invalid `beta` argument value. It should be > 0. Received: beta={beta}")
        if threshold is not None:
            if not isinstance(threshold, float):
                raise ValueError(
                    "Invalid `threshold` argument value. It should be a Python float. Received: "
                    f"threshold={threshold} of type '{type(threshold)}'"
                )
            if threshold > 1.0 or threshold <= 0.0:
                raise ValueError(
                    f"Invalid `threshold` argument value. It should verify 0 < threshold <= 1. Received: "
                    f"threshold={threshold}"
                )
        self.average = average
        self.beta = beta
        self.threshold = threshold
        self.axis = None if average == "micro" else 0

    def _batch_terms(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> list:
        y_true = to_tensor(y_true, self.dtype)
        y_pred = to_tensor(y_pred, self.dtype)
        true_shape, pred_shape = y_true.shape.as_list(), y_pred.shape.as_list()
        if len(pred_shape) != 2 or len(true_shape) != 2:
            raise ValueError(
                "FBetaScore expects 2D inputs with shape (batch_size, output_dim). Received input shapes: "
                f"y_pred.shape={tuple(pred_shape)} and y_true.shape={tuple(true_shape)}."
            )
        if pred_shape[-1] is None or true_shape[-1] is None:
            raise ValueError(
                "FBetaScore expects 2D inputs with shape (batch_size, output_dim), with output_dim fully defined "
                f"(not None). Received input shapes: y_pred.shape={tuple(pred_shape)} and "
                f"y_true.shape={tuple(true_shape)}."
            )
        if self.threshold is None:
            # Each sample's top score is positive, unless it is 0 (so that [0, 0, 0] stays all negative).
            top = math_ops.reduce_max(y_pred, axis=-1, keepdims=True)
            positive = math_ops.logical_and(
                math_ops.greater_equal(y_pred, top), math_ops.greater(math_ops.abs(y_pred), 1e-9)
            )
        else:
            positive = math_ops.greater(y_pred, self.threshold)
        y_pred = array_ops.cast(positive, self.dtype)
        weight = None if sample_weight is None else array_ops.expand_dims(to_tensor(sample_weight, self.dtype), 1)

        def weighted_sum(value: Any) -> Any:
            if weight is not None:
                value = value * weight
            return math_ops.reduce_sum(value, axis=self.axis)

        parts = [
            weighted_sum(y_pred * y_true),
            weighted_sum(y_pred * (1.0 - y_true)),
            weighted_sum((1.0 - y_pred) * y_true),
            weighted_sum(y_true),
        ]
        if self.axis is None:
            return parts
        classes = pred_shape[-1]
        return array_ops.unstack(array_ops.concat(parts, axis=0), num=4 * classes)

    def _result_from_totals(self, totals: list) -> Any:
        values = np.asarray(totals, dtype=np.float32).reshape(4, -1)
        tp, fp, fn, label_weights = values
        eps = np.float32(epsilon())
        precision = tp / (tp + fp + eps)
        recall = tp / (tp + fn + eps)
        beta2 = np.float32(self.beta**2)
        score = precision * recall / (beta2 * precision + recall + eps) * (np.float32(1.0) + beta2)
        if self.average == "weighted":
            score = np.sum(score * (label_weights / (np.sum(label_weights) + eps)))
        elif self.average is not None:
            score = np.mean(score)
        if self.average is None:
            return score.astype(np.float32)
        return float(score)

    def get_config(self) -> dict:
        return {
            "name": self.name,
            "dtype": self.dtype,
            "average": self.average,
            "beta": self.beta,
            "threshold": self.threshold,
        }


class F1Score(FBetaScore):
    """The harmonic mean of precision and recall (``FBetaScore`` with ``beta=1``)."""

    def __init__(
        self,
        average: Optional[str] = None,
        threshold: Optional[float] = None,
        name: str = "f1_score",
        dtype: Any = None,
    ) -> None:
        super().__init__(average=average, beta=1.0, threshold=threshold, name=name, dtype=dtype)

    def get_config(self) -> dict:
        config = super().get_config()
        del config["beta"]
        return config

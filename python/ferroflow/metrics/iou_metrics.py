"""Intersection-over-union metrics (Keras 3): IoU, MeanIoU, BinaryIoU, OneHotIoU, OneHotMeanIoU.

The state is the ``num_classes x num_classes`` confusion matrix (rows: labels, columns: predictions), kept as
``num_classes ** 2`` running totals that each batch adds to. As in Keras, the default dtype is ``int64``:
labels, predictions and sample weights are cast to it (float weights are truncated).
"""

from __future__ import annotations

import warnings
from typing import Any, Optional, Sequence

import numpy as np

from ..framework.dtypes import as_dtype
from ..framework.ops import convert_to_tensor
from ..losses._utils import epsilon, to_tensor
from ..ops import array_ops, math_ops
from . import function_state
from .base import Metric


class _IoUBase(Metric):
    """The confusion-matrix state shared by the IoU metrics."""

    def __init__(
        self,
        num_classes: int,
        name: Optional[str] = None,
        dtype: Any = None,
        ignore_class: Optional[int] = None,
        sparse_y_true: bool = True,
        sparse_y_pred: bool = True,
        axis: int = -1,
    ) -> None:
        # Keras's default dtype "int" is int64 (the confusion matrix counts).
        super().__init__(name=name, dtype=dtype or "int64")
        self.num_classes = int(num_classes)
        self.ignore_class = ignore_class
        self.sparse_y_true = sparse_y_true
        self.sparse_y_pred = sparse_y_pred
        self.axis = axis
        self._totals = [0.0] * (self.num_classes**2)

    def reset_state(self) -> None:
        self._totals = [0.0] * (self.num_classes**2)

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> Any:
        """Adds the batch to the confusion matrix and returns the matrix so far, in the metric's dtype (Keras 3);
        on the tensors of a TF1 session graph, the update op."""
        op = super().update_state(y_true, y_pred, sample_weight)
        if op is not None:
            return op
        n = self.num_classes
        if function_state.function_graph() is not None:
            totals = function_state.state_variable(self, n * n).read_value()
            return array_ops.reshape(array_ops.cast(totals, self.dtype), [n, n])
        return convert_to_tensor(self._matrix(self._totals).astype(as_dtype(self.dtype).as_numpy_dtype))

    def _batch_terms(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> list:
        dtype = self.dtype
        if not self.sparse_y_true:
            y_true = math_ops.argmax(to_tensor(y_true), axis=self.axis)
        if not self.sparse_y_pred:
            y_pred = math_ops.argmax(to_tensor(y_pred), axis=self.axis)
        y_true = array_ops.reshape(to_tensor(y_true, dtype), [-1])
        y_pred = array_ops.reshape(to_tensor(y_pred, dtype), [-1])
        if sample_weight is None:
            weights = array_ops.ones_like(y_true)
        else:
            weights = to_tensor(sample_weight)
            if hasattr(sample_weight, "dtype") and weights.dtype.is_floating and "int" in dtype:
                warnings.warn(
                    "You are passing weight as `float`, but dtype is `int`. This may result in an incorrect weight "
                    "due to type casting Consider using integer weights.",
                    stacklevel=3,
                )
            weights = array_ops.reshape(to_tensor(weights, dtype), [-1]) * array_ops.ones_like(y_true)
        # Out-of-range classes (and the ignored class) never reach the matrix.
        n = array_ops.cast(self.num_classes, y_true.dtype)
        zero = array_ops.zeros_like(y_true)
        valid = math_ops.logical_and(
            math_ops.logical_and(math_ops.greater_equal(y_true, zero), math_ops.less(y_true, n)),
            math_ops.logical_and(math_ops.greater_equal(y_pred, zero), math_ops.less(y_pred, n)),
        )
        if self.ignore_class is not None:
            valid = math_ops.logical_and(
                valid, math_ops.not_equal(y_true, array_ops.cast(self.ignore_class, y_true.dtype))
            )
        y_true = array_ops.where(valid, y_true, zero)
        y_pred = array_ops.where(valid, y_pred, zero)
        weights = array_ops.where(valid, weights, array_ops.zeros_like(weights))
        # matrix[i, j] = sum of the weights of samples labelled i and predicted j: onehot(true)^T @ w * onehot(pred).
        rows = array_ops.one_hot(array_ops.cast(y_true, "int64"), self.num_classes, dtype="float64")
        cols = array_ops.one_hot(array_ops.cast(y_pred, "int64"), self.num_classes, dtype="float64")
        cols = cols * array_ops.expand_dims(array_ops.cast(weights, "float64"), -1)
        matrix = math_ops.matmul(rows, cols, transpose_a=True)
        return array_ops.unstack(array_ops.reshape(matrix, [-1]), num=self.num_classes**2)

    def _matrix(self, totals: list) -> np.ndarray:
        return np.asarray(totals, dtype=np.float64).reshape(self.num_classes, self.num_classes)


class IoU(_IoUBase):
    """The mean over ``target_class_ids`` of ``tp / (tp + fp + fn)``; classes never seen count as absent."""

    def __init__(
        self,
        num_classes: int,
        target_class_ids: Sequence[int],
        name: Optional[str] = None,
        dtype: Any = None,
        ignore_class: Optional[int] = None,
        sparse_y_true: bool = True,
        sparse_y_pred: bool = True,
        axis: int = -1,
    ) -> None:
        super().__init__(
            num_classes=num_classes,
            name=name,
            dtype=dtype,
            ignore_class=ignore_class,
            sparse_y_true=sparse_y_true,
            sparse_y_pred=sparse_y_pred,
            axis=axis,
        )
        if max(target_class_ids) >= num_classes:
            raise ValueError(f"Target class id {max(target_class_ids)} is out of range, which is [0, {num_classes}).")
        self.target_class_ids = list(target_class_ids)

    def _result_from_totals(self, totals: list) -> float:
        matrix = self._matrix(totals).astype(np.float32)
        true_positives = np.diag(matrix)
        denominator = matrix.sum(axis=0) + matrix.sum(axis=1) - true_positives
        ids = np.asarray(self.target_class_ids, dtype=np.int64)
        true_positives, denominator = true_positives[ids], denominator[ids]
        valid = denominator > 1e-9
        iou = np.where(valid, true_positives / (denominator + np.float32(epsilon())), np.float32(0.0))
        return float(np.sum(iou) / (np.sum(valid, dtype=np.float32) + np.float32(epsilon())))

    def get_config(self) -> dict:
        return {
            "name": self.name,
            "dtype": self.dtype,
            "num_classes": self.num_classes,
            "target_class_ids": self.target_class_ids,
            "ignore_class": self.ignore_class,
            "sparse_y_true": self.sparse_y_true,
            "sparse_y_pred": self.sparse_y_pred,
            "axis": self.axis,
        }


class BinaryIoU(IoU):
    """IoU of binary labels against predictions thresholded at ``threshold`` (``>=`` counts as class 1)."""

    def __init__(
        self,
        target_class_ids: Sequence[int] = (0, 1),
        threshold: float = 0.5,
        name: Optional[str] = None,
        dtype: Any = None,
    ) -> None:
        super().__init__(num_classes=2, target_class_ids=target_class_ids, name=name, dtype=dtype)
        self.threshold = threshold

    def _batch_terms(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> list:
        y_pred = to_tensor(y_pred, "float32")
        y_pred = array_ops.cast(math_ops.greater_equal(y_pred, float(self.threshold)), self.dtype)
        return super()._batch_terms(to_tensor(y_true, self.dtype), y_pred, sample_weight)

    def get_config(self) -> dict:
        return {
            "target_class_ids": self.target_class_ids,
            "threshold": self.threshold,
            "name": self.name,
            "dtype": self.dtype,
        }


class MeanIoU(IoU):
    """IoU averaged over all ``num_classes`` classes."""

    def __init__(
        self,
        num_classes: int,
        name: Optional[str] = None,
        dtype: Any = None,
        ignore_class: Optional[int] = None,
        sparse_y_true: bool = True,
        sparse_y_pred: bool = True,
        axis: int = -1,
    ) -> None:
        super().__init__(
            num_classes=num_classes,
            target_class_ids=list(range(num_classes)),
            name=name,
            dtype=dtype,
            ignore_class=ignore_class,
            sparse_y_true=sparse_y_true,
            sparse_y_pred=sparse_y_pred,
            axis=axis,
        )

    def get_config(self) -> dict:
        return {
            "num_classes": self.num_classes,
            "name": self.name,
            "dtype": self.dtype,
            "ignore_class": self.ignore_class,
            "sparse_y_true": self.sparse_y_true,
            "sparse_y_pred": self.sparse_y_pred,
            "axis": self.axis,
        }


class OneHotIoU(IoU):
    """IoU of one-hot labels against class scores (both reduced by argmax over ``axis``)."""

    def __init__(
        self,
        num_classes: int,
        target_class_ids: Sequence[int],
        name: Optional[str] = None,
        dtype: Any = None,
        ignore_class: Optional[int] = None,
        sparse_y_pred: bool = False,
        axis: int = -1,
    ) -> None:
        super().__init__(
            num_classes=num_classes,
            target_class_ids=target_class_ids,
            name=name,
            dtype=dtype,
            ignore_class=ignore_class,
            sparse_y_true=False,
            sparse_y_pred=sparse_y_pred,
            axis=axis,
        )

    def get_config(self) -> dict:
        return {
            "num_classes": self.num_classes,
            "target_class_ids": self.target_class_ids,
            "name": self.name,
            "dtype": self.dtype,
            "ignore_class": self.ignore_class,
            "sparse_y_pred": self.sparse_y_pred,
            "axis": self.axis,
        }


class OneHotMeanIoU(MeanIoU):
    """MeanIoU of one-hot labels against class scores (both reduced by argmax over ``axis``)."""

    def __init__(
        self,
        num_classes: int,
        name: Optional[str] = None,
        dtype: Any = None,
        ignore_class: Optional[int] = None,
        sparse_y_pred: bool = False,
        axis: int = -1,
    ) -> None:
        super().__init__(
            num_classes=num_classes,
            name=name,
            dtype=dtype,
            ignore_class=ignore_class,
            sparse_y_true=False,
            sparse_y_pred=sparse_y_pred,
            axis=axis,
        )

    def get_config(self) -> dict:
        return {
            "num_classes": self.num_classes,
            "name": self.name,
            "dtype": self.dtype,
            "ignore_class": self.ignore_class,
            "sparse_y_pred": self.sparse_y_pred,
            "axis": self.axis,
        }

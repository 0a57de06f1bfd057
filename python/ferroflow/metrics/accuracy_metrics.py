"""Accuracy metrics (Keras 3): exact, binary, categorical, sparse categorical and top-k accuracy."""

from __future__ import annotations

from typing import Any

from ..framework.tensor import Tensor
from ..losses._utils import floatx, last_dim, rank, squeeze_or_expand_to_same_rank, to_tensor
from ..ops import array_ops, math_ops
from .base import MeanMetricWrapper


def accuracy(y_true: Any, y_pred: Any) -> Tensor:
    """1.0 where ``y_true == y_pred``, else 0.0."""
    y_pred = to_tensor(y_pred)
    y_true = to_tensor(y_true, y_pred.dtype)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    return array_ops.cast(math_ops.equal(y_true, y_pred), floatx())


def binary_accuracy(y_true: Any, y_pred: Any, threshold: float = 0.5) -> Tensor:
    """1.0 where ``(y_pred > threshold) == y_true``, else 0.0."""
    y_pred = to_tensor(y_pred)
    y_true = to_tensor(y_true, y_pred.dtype)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    y_pred = array_ops.cast(math_ops.greater(y_pred, float(threshold)), y_true.dtype)
    return array_ops.cast(math_ops.equal(y_true, y_pred), floatx())


def _class_matches(y_true: Tensor, y_pred: Tensor) -> Tensor:
    """1.0 where the class label ``y_true`` equals ``argmax(y_pred)``."""
    predicted = math_ops.argmax(y_pred, axis=-1)
    if predicted.dtype != y_true.dtype:
        predicted = array_ops.cast(predicted, y_true.dtype)
    return array_ops.cast(math_ops.equal(y_true, predicted), floatx())


def _one_hot_ids(y_true: Any) -> Tensor:
    """The class index of each one-hot ``y_true`` row; bool rows (one-hot characters) are taken as 0/1."""
    y_true = to_tensor(y_true)
    if y_true.dtype.is_bool:
        y_true = array_ops.cast(y_true, "int32")
    return math_ops.argmax(y_true, axis=-1)


def categorical_accuracy(y_true: Any, y_pred: Any) -> Tensor:
    """1.0 where ``argmax(y_true) == argmax(y_pred)`` along the last axis, else 0.0."""
    y_pred = to_tensor(y_pred)
    y_true = _one_hot_ids(y_true)
    if rank(y_true) is not None and rank(y_true) == rank(y_pred):
        return array_ops.expand_dims(_class_matches(array_ops.squeeze(y_true, -1), y_pred), -1)
    return _class_matches(y_true, y_pred)


def sparse_categorical_accuracy(y_true: Any, y_pred: Any) -> Tensor:
    """1.0 where the integer label ``y_true`` equals ``argmax(y_pred)``; labels of shape (batch,) or (batch, 1)."""
    y_pred = to_tensor(y_pred)
    y_true = to_tensor(y_true)
    if rank(y_true) is not None and rank(y_true) == rank(y_pred) and last_dim(y_true) == 1:
        y_true = array_ops.squeeze(y_true, -1)
    return _class_matches(y_true, y_pred)


def in_top_k(targets: Tensor, predictions: Tensor, k: int) -> Tensor:
    """True where the target's score is among the ``k`` largest (``tf.math.in_top_k``: ties count as inside)."""
    classes = last_dim(predictions)
    if classes is None:
        raise ValueError(
            f"top-k accuracy needs predictions with a known number of classes; received shape {predictions.shape}"
        )
    if not targets.dtype.is_integer:
        targets = array_ops.cast(targets, "int32")
    target_score = math_ops.reduce_sum(
        predictions * array_ops.one_hot(targets, classes, dtype=predictions.dtype), axis=-1, keepdims=True
    )
    above = math_ops.reduce_sum(array_ops.cast(math_ops.greater(predictions, target_score), "int32"), axis=-1)
    return math_ops.less(above, int(k))


def _flatten_top_k_inputs(y_true: Tensor, y_pred: Tensor) -> tuple:
    reshape = rank(y_true) is not None and rank(y_true) > 1
    if rank(y_pred) is not None and rank(y_pred) > 2:
        y_pred = array_ops.reshape(y_pred, [-1, last_dim(y_pred)])
    original = y_true.shape.as_list() if reshape else None
    if reshape:
        y_true = array_ops.reshape(y_true, [-1])
    return y_true, y_pred, original


def _restore(matches: Tensor, original: Any) -> Tensor:
    if original is None:
        return matches
    if sum(d is None for d in original) > 1:
        raise ValueError(f"top-k accuracy supports at most one unknown label dimension; received {original}")
    return array_ops.reshape(matches, original)


def top_k_categorical_accuracy(y_true: Any, y_pred: Any, k: int = 5) -> Tensor:
    """1.0 where the class of the one-hot ``y_true`` is among the ``k`` highest scores of ``y_pred``."""
    y_pred = to_tensor(y_pred)
    y_true = _one_hot_ids(y_true)
    y_true, y_pred, original = _flatten_top_k_inputs(y_true, y_pred)
    return _restore(array_ops.cast(in_top_k(y_true, y_pred, k), floatx()), original)


def sparse_top_k_categorical_accuracy(y_true: Any, y_pred: Any, k: int = 5) -> Tensor:
    """1.0 where the integer label ``y_true`` is among the ``k`` highest scores of ``y_pred``."""
    y_pred = to_tensor(y_pred)
    y_true = to_tensor(y_true, "int32")
    y_true, y_pred, original = _flatten_top_k_inputs(y_true, y_pred)
    return _restore(array_ops.cast(in_top_k(y_true, y_pred, k), floatx()), original)


class Accuracy(MeanMetricWrapper):
    """How often predictions equal labels."""

    def __init__(self, name: str = "accuracy", dtype: Any = None) -> None:
        super().__init__(accuracy, name=name, dtype=dtype)


class BinaryAccuracy(MeanMetricWrapper):
    """How often ``y_pred > threshold`` matches binary labels."""

    def __init__(self, name: str = "binary_accuracy", dtype: Any = None, threshold: float = 0.5) -> None:
        super().__init__(binary_accuracy, name=name, dtype=dtype, threshold=threshold)
        self.threshold = threshold

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype, "threshold": self.threshold}


class CategoricalAccuracy(MeanMetricWrapper):
    """How often ``argmax(y_pred)`` matches the one-hot label."""

    def __init__(self, name: str = "categorical_accuracy", dtype: Any = None) -> None:
        super().__init__(categorical_accuracy, name=name, dtype=dtype)


class SparseCategoricalAccuracy(MeanMetricWrapper):
    """How often ``argmax(y_pred)`` matches the integer label."""

    def __init__(self, name: str = "sparse_categorical_accuracy", dtype: Any = None) -> None:
        super().__init__(sparse_categorical_accuracy, name=name, dtype=dtype)


class TopKCategoricalAccuracy(MeanMetricWrapper):
    """How often the one-hot label's class is among the top ``k`` predictions."""

    def __init__(self, k: int = 5, name: str = "top_k_categorical_accuracy", dtype: Any = None) -> None:
        super().__init__(top_k_categorical_accuracy, name=name, dtype=dtype, k=k)
        self.k = k

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype, "k": self.k}


class SparseTopKCategoricalAccuracy(MeanMetricWrapper):
    """How often the integer label is among the top ``k`` predictions."""

    def __init__(self, k: int = 5, name: str = "sparse_top_k_categorical_accuracy", dtype: Any = None) -> None:
        super().__init__(sparse_top_k_categorical_accuracy, name=name, dtype=dtype, k=k)
        self.k = k

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype, "k": self.k}

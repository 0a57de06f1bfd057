"""What the premade heads share: label and weight checks, loss reduction, the training op, and the streaming
metric helpers (TensorFlow's ``base_head``)."""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from ...framework.sparse_tensor import SparseTensor
from ..mode_keys import ModeKeys

SUM_OVER_BATCH_SIZE = "sum_over_batch_size"
SUM = "sum"
_REDUCTIONS = ("sum_over_batch_size", "sum", "auto")

LABEL_NONE_ERR_MSG = (
    "You must provide a labels Tensor. Given: None. Suggested Fix: check that your call to train/evaluate has valid "
    "labels."
)


def tf() -> Any:
    import ferroflow

    return ferroflow


def v1() -> Any:
    from ...compat import v1 as module

    return module


def validate_loss_reduction(loss_reduction: Any) -> str:
    name = getattr(loss_reduction, "value", loss_reduction)
    if name == "none" or name not in _REDUCTIONS:
        raise ValueError(
            f"Invalid loss_reduction: {loss_reduction}. See `tf.losses.Reduction` for valid options (all but NONE)."
        )
    return SUM_OVER_BATCH_SIZE if name == "auto" else name


def check_labels(labels: Any, logits: Any, expected_labels_dimension: int) -> Any:
    """``labels`` as a dense ``[batch, expected_labels_dimension]`` tensor (rank-1 labels get a last axis)."""
    t = tf()
    if labels is None:
        raise ValueError(LABEL_NONE_ERR_MSG)
    if isinstance(labels, SparseTensor):
        raise ValueError(
            f"SparseTensor labels are not supported. labels must be a Tensor of shape [D0, D1, ..., DN, "
            f"{expected_labels_dimension}], e.g. [batch_size, {expected_labels_dimension}]. Suggested Fix (1): Check "
            f"the label feature in your data. Each example must contain {expected_labels_dimension} value(s). If not, "
            "your choice of label was probably incorrect. Suggested Fix (2): In your input_fn, use "
            "tf.sparse_tensor_to_dense() to turn labels into a Tensor."
        )
    labels = t.convert_to_tensor(labels)
    if labels.shape.rank is not None and logits.shape.rank is not None and labels.shape.rank == logits.shape.rank - 1:
        labels = t.expand_dims(labels, -1)
    last = labels.shape[-1] if labels.shape.rank else None
    if last is not None and last != expected_labels_dimension:
        raise ValueError(
            f"Mismatched label shape. Expected labels dimension={expected_labels_dimension}.  Received {last}. "
            "Suggested Fix:If your classifier expects one-hot encoding label, check your n_classes argument to the "
            "estimator and/or the shape of your label.Otherwise, check the shape of your label."
        )
    return labels


def weight_column_key(weight_column: Any) -> Optional[str]:
    if weight_column is None:
        return None
    if isinstance(weight_column, str):
        return weight_column
    key = getattr(weight_column, "key", None)
    if not isinstance(key, str):
        raise TypeError(f"Weight column must be either a string or NumericColumn. Given type: {type(weight_column)}.")
    return key


def get_weights(features: Any, weight_column: Any, logits: Any) -> Any:
    """The example weights as float32 ``[batch, 1]`` (1.0 without a weight column)."""
    t = tf()
    if weight_column is None:
        return 1.0
    key = weight_column_key(weight_column)
    if not isinstance(features, dict) or key not in features:
        given = sorted(features) if isinstance(features, dict) else features
        raise KeyError(f"weight_column {key!r} is not in the features: {given}")
    weights = t.cast(t.convert_to_tensor(features[key]), "float32")
    normalizer = getattr(weight_column, "normalizer_fn", None)
    if normalizer is not None:
        weights = normalizer(weights)
    if weights.shape.rank == 1:
        weights = t.expand_dims(weights, -1)
    return weights


def reduce_loss(unweighted: Any, weights: Any, reduction: str) -> Any:
    """Keras's ``compute_weighted_loss``: the weighted sum, divided by the number of elements unless SUM."""
    t = tf()
    weighted = unweighted * weights
    total = t.reduce_sum(weighted)
    if reduction == SUM:
        return total
    return total / t.cast(t.size(unweighted), "float32")


def lookup_ids(labels: Any, vocabulary: Any) -> Any:
    """String labels as their index in ``vocabulary`` (-1 when absent)."""
    t = tf()
    if labels.dtype.name != "string":
        raise ValueError(f"Labels dtype should be string if there is a vocabulary. Instead got {labels.dtype}")
    vocab = t.constant(np.array([s.encode() if isinstance(s, str) else s for s in vocabulary], dtype=object))
    hits = t.equal(t.expand_dims(labels, -1), vocab)
    found = t.argmax(t.cast(hits, "int32"), -1)
    return t.where(t.reduce_any(hits, -1), found, t.constant(-1, "int64"))


def class_strings(class_ids: Any, vocabulary: Any) -> Any:
    """Class ids as strings: the vocabulary's entries, or the ids written in decimal."""
    t = tf()
    if vocabulary is None:
        return t.strings.as_string(class_ids)
    vocab = t.constant(np.array([s.encode() if isinstance(s, str) else s for s in vocabulary], dtype=object))
    return t.gather(vocab, class_ids)


def all_class_ids(logits: Any, n_classes: int) -> Any:
    """``[batch, n_classes]`` int32: each row ``0 .. n_classes - 1``."""
    t = tf()
    zeros = t.zeros_like(t.cast(logits[:, :1], "int32"))
    return zeros + t.range(n_classes, dtype="int32")


def train_op_from(optimizer: Any, train_op_fn: Any, loss: Any, trainable_variables: Any, update_ops: Any) -> Any:
    """The training op: ``optimizer`` on ``trainable_variables`` (incrementing the global step), or
    ``train_op_fn(loss)``."""
    t = tf()
    if optimizer is not None:
        if train_op_fn is not None:
            raise ValueError("train_op_fn and optimizer cannot both be set.")
        from ._optimizers import minimize

        train_op = minimize(optimizer, loss, trainable_variables, v1().train.get_global_step())
    elif train_op_fn is not None:
        train_op = train_op_fn(loss)
    else:
        raise ValueError("train_op_fn and optimizer cannot both be None.")
    if update_ops:
        train_op = t.group(train_op, *update_ops)
    return train_op


def weighted_mean(values: Any, weights: Any, name: str) -> Any:
    """A streaming weighted mean (weights broadcast to the values)."""
    t = tf()
    w = None if isinstance(weights, float) else t.cast(weights, "float32") * t.ones_like(t.cast(values, "float32"))
    return v1().metrics.mean(t.cast(values, "float32"), weights=w, name=name)


def summary_key(key: str, head_name: Optional[str]) -> str:
    return f"{key}/{head_name}" if head_name else key


def is_training(mode: str) -> bool:
    return mode == ModeKeys.TRAIN

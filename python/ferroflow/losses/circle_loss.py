"""``circle``: Circle loss (Sun et al., 2020) between integer labels and L2-normalized embeddings (Keras 3)."""

from __future__ import annotations

from typing import Any, Optional

from ..framework.tensor import Tensor
from ..ops import array_ops, math_ops
from ._utils import to_tensor


def _pos_neg_masks(query_labels: Tensor, key_labels: Tensor, remove_diagonal: bool) -> tuple:
    """Same-label pairs (without each query's own pair when ``remove_diagonal``) and different-label pairs."""
    query = array_ops.reshape(query_labels, [-1, 1])
    key = array_ops.reshape(key_labels, [1, -1])
    positive = math_ops.equal(query, key)
    negative = math_ops.logical_not(positive)
    if remove_diagonal:
        rows = array_ops.range(array_ops.size(query))
        cols = array_ops.range(array_ops.size(key))
        off_diagonal = math_ops.not_equal(array_ops.reshape(rows, [-1, 1]), array_ops.reshape(cols, [1, -1]))
        positive = math_ops.logical_and(positive, off_diagonal)
    return positive, negative


def _logsumexp_rows(x: Tensor) -> Tensor:
    """``log(sum(exp(x), axis=1))`` that is ``-inf`` for a row of only ``-inf`` (TensorFlow's, not NaN)."""
    raw_max = math_ops.reduce_max(x, axis=1, keepdims=True)
    finite = math_ops.logical_and(math_ops.greater(raw_max, float("-inf")), math_ops.less(raw_max, float("inf")))
    shift = array_ops.stop_gradient(array_ops.where(finite, raw_max, array_ops.zeros_like(raw_max)))
    out = math_ops.log(math_ops.reduce_sum(math_ops.exp(x - shift), axis=1, keepdims=True)) + shift
    return array_ops.squeeze(out, 1)


def circle(
    y_true: Any,
    y_pred: Any,
    ref_labels: Optional[Any] = None,
    ref_embeddings: Optional[Any] = None,
    remove_diagonal: bool = True,
    gamma: float = 80,
    margin: float = 0.4,
) -> Tensor:
    """Per-sample ``softplus(logsumexp(positive terms) + logsumexp(negative terms))`` over cosine distances to
    the reference embeddings (the batch itself by default). Samples whose loss is 0 are masked out of the mean.
    """
    y_pred = to_tensor(y_pred)
    labels = array_ops.cast(to_tensor(y_true), "int32")
    ref_embeddings = y_pred if ref_embeddings is None else to_tensor(ref_embeddings, y_pred.dtype)
    ref_labels = labels if ref_labels is None else array_ops.cast(to_tensor(ref_labels), "int32")
    optim_pos, optim_neg = float(margin), 1.0 + float(margin)
    delta_pos, delta_neg = float(margin), 1.0 - float(margin)
    distances = 1.0 - math_ops.matmul(y_pred, ref_embeddings, transpose_b=True)
    distances = math_ops.maximum(distances, 0.0)
    positive, negative = _pos_neg_masks(labels, ref_labels, remove_diagonal)
    pos_weights = math_ops.maximum((optim_pos + distances) * array_ops.cast(positive, distances.dtype), 0.0)
    neg_weights = math_ops.maximum((optim_neg - distances) * array_ops.cast(negative, distances.dtype), 0.0)
    pos_wdists = -1.0 * float(gamma) * pos_weights * (delta_pos - distances)
    neg_wdists = float(gamma) * neg_weights * (delta_neg - distances)
    minus_inf = array_ops.zeros_like(distances) + float("-inf")
    p_loss = _logsumexp_rows(array_ops.where(positive, pos_wdists, minus_inf))
    n_loss = _logsumexp_rows(array_ops.where(negative, neg_wdists, minus_inf))
    loss = math_ops.softplus(p_loss + n_loss)
    # As Keras: the mean runs over the samples with a nonzero loss (a sample with no positive pair has none).
    loss._keras_mask = math_ops.greater(loss, 0.0)
    return loss

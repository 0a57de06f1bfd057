"""Probabilistic losses (Keras 3 formulas): binary, categorical and sparse crossentropy, KL divergence, Poisson.

Crossentropies on probabilities clip them to ``[epsilon, 1 - epsilon]``. When ``y_pred`` is the symbolic
output of a Softmax (or Sigmoid) node, they are computed from that node's logits instead, as Keras's
TensorFlow backend does: the fused kernels are faster and exact where clipping would saturate.
"""

from __future__ import annotations

import warnings
from typing import Any, Optional

from ..framework.tensor import Tensor
from ..ops import array_ops, math_ops, nn_ops
from ._utils import epsilon, last_dim, producer_input, rank, to_tensor


def _clip_probabilities(x: Tensor) -> Tensor:
    eps = epsilon()
    return math_ops.clip_by_value(x, eps, 1.0 - eps)


def _logits(output: Tensor, from_logits: bool, op_type: str, fn_name: str) -> tuple:
    """``(tensor, from_logits)``, replacing the output of an ``op_type`` node by its logits when it is one."""
    logits = producer_input(output, op_type)
    if logits is None:
        return output, from_logits
    if from_logits:
        warnings.warn(
            f'"`{fn_name}` received `from_logits=True`, but the `output` argument was produced by a '
            f'{op_type} activation and thus does not represent logits. Was this intended?',
            stacklevel=3,
        )
        return output, from_logits
    return logits, True


def _check_same_rank(target: Tensor, output: Tensor, fn_name: str) -> None:
    if rank(target) is not None and rank(output) is not None and rank(target) != rank(output):
        raise ValueError(
            f"`{fn_name}`: arguments `target` and `output` must have the same rank (ndim). Received: "
            f"target.shape={target.shape}, output.shape={output.shape}"
        )
    if rank(target) is None or rank(output) is None:  # a shape of unknown rank is checked when it runs
        return
    for a, b in zip(target.shape.as_list(), output.shape.as_list()):
        if a is not None and b is not None and a != b:
            raise ValueError(
                f"`{fn_name}`: arguments `target` and `output` must have the same shape. Received: "
                f"target.shape={target.shape}, output.shape={output.shape}"
            )


def binary_crossentropy_backend(target: Tensor, output: Tensor, from_logits: bool = False) -> Tensor:
    """Elementwise binary crossentropy (Keras's ``ops.binary_crossentropy``)."""
    _check_same_rank(target, output, "binary_crossentropy")
    output, from_logits = _logits(output, from_logits, "Sigmoid", "binary_crossentropy")
    if from_logits:
        return nn_ops.sigmoid_cross_entropy_with_logits(labels=target, logits=output)
    output = _clip_probabilities(output)
    bce = target * math_ops.log(output) + (1.0 - target) * math_ops.log(1.0 - output)
    return -bce


def categorical_crossentropy_backend(
    target: Tensor, output: Tensor, from_logits: bool = False, axis: int = -1
) -> Tensor:
    """``-sum(target * log(output), axis)`` after renormalizing and clipping (Keras's ``ops`` version)."""
    _check_same_rank(target, output, "categorical_crossentropy")
    output, from_logits = _logits(output, from_logits, "Softmax", "categorical_crossentropy")
    if from_logits:
        return nn_ops.softmax_cross_entropy_with_logits(labels=target, logits=output, axis=axis)
    # Renormalize so that every sample's probabilities sum to 1 before taking logs.
    output = output / math_ops.reduce_sum(output, axis=axis, keepdims=True)
    output = _clip_probabilities(output)
    return -math_ops.reduce_sum(target * math_ops.log(output), axis=axis)


def sparse_categorical_crossentropy_backend(
    target: Tensor, output: Tensor, from_logits: bool = False, axis: int = -1
) -> Tensor:
    """Crossentropy against integer class labels, always through the fused sparse kernel."""
    if rank(output) is not None and axis not in (-1, rank(output) - 1):
        raise ValueError(f"Only axis=-1 is currently supported. Received: axis={axis}")
    output, from_logits = _logits(output, from_logits, "Softmax", "sparse_categorical_crossentropy")
    if rank(target) is not None and rank(target) == rank(output) and last_dim(target) == 1:
        target = array_ops.squeeze(target, -1)
    if rank(output) is not None and rank(output) < 1:
        raise ValueError(f"Argument `output` must be at least rank 1. Received: output.shape={output.shape}")
    if rank(target) is not None and rank(output) is not None and rank(target) != rank(output) - 1:
        raise ValueError(
            "Argument `output` must have rank (ndim) `target.ndim + 1` (integer labels of shape (batch,) or "
            f"(batch, 1) against predictions of shape (batch, classes)). Received: target.shape={target.shape}, "
            f"output.shape={output.shape}"
        )
    for a, b in zip(target.shape.as_list() or [], (output.shape.as_list() or [])[:-1]):
        if a is not None and b is not None and a != b:
            raise ValueError(
                "Arguments `target` and `output` must have the same shape up until the last dimension: "
                f"target.shape={target.shape}, output.shape={output.shape}"
            )
    if target.dtype.name not in ("int32", "int64"):  # float, uint8 (MNIST's labels) ...: as Keras's cast
        target = array_ops.cast(target, "int64")
    if not from_logits:
        # log(p) as logits: softmax(log p) = p / sum(p), the renormalized probabilities.
        output = math_ops.log(_clip_probabilities(output))
    return nn_ops.sparse_softmax_cross_entropy_with_logits(labels=target, logits=output)


def binary_crossentropy(
    y_true: Any, y_pred: Any, from_logits: bool = False, label_smoothing: float = 0.0, axis: int = -1
) -> Tensor:
    """Mean binary crossentropy over ``axis``; labels are smoothed toward 0.5 by ``label_smoothing``."""
    y_pred = to_tensor(y_pred)
    y_true = to_tensor(y_true, y_pred.dtype)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    return math_ops.reduce_mean(binary_crossentropy_backend(y_true, y_pred, from_logits=from_logits), axis=axis)


def categorical_crossentropy(
    y_true: Any, y_pred: Any, from_logits: bool = False, label_smoothing: float = 0.0, axis: int = -1
) -> Tensor:
    """Crossentropy between one-hot (or soft) labels and predicted class probabilities (or logits)."""
    if isinstance(axis, bool):
        raise ValueError(f"`axis` must be of type `int`. Received: axis={axis} of type {type(axis)}")
    y_pred = to_tensor(y_pred)
    y_true = to_tensor(y_true, y_pred.dtype)
    if last_dim(y_pred) == 1:
        warnings.warn(
            "In loss categorical_crossentropy, expected y_pred.shape to be (batch_size, num_classes) with "
            f"num_classes > 1. Received: y_pred.shape={y_pred.shape}. Consider using 'binary_crossentropy' "
            "if you only have 2 classes.",
            SyntaxWarning,
            stacklevel=2,
        )
    if label_smoothing:
        classes = last_dim(y_true)
        num_classes = float(classes) if classes is not None else array_ops.cast(
            array_ops.shape(y_true)[-1], y_pred.dtype
        )
        y_true = y_true * (1.0 - label_smoothing) + label_smoothing / num_classes
    return categorical_crossentropy_backend(y_true, y_pred, from_logits=from_logits, axis=axis)


def sparse_categorical_crossentropy(
    y_true: Any, y_pred: Any, from_logits: bool = False, ignore_class: Optional[int] = None, axis: int = -1
) -> Tensor:
    """Crossentropy between integer labels (shape ``(batch,)`` or ``(batch, 1)``) and class predictions.

    Labels outside ``[0, classes)`` raise ``InvalidArgumentError`` naming the bad value; ``ignore_class``
    labels contribute 0.
    """
    y_pred = to_tensor(y_pred)
    y_true = to_tensor(y_true)
    if rank(y_true) is not None and rank(y_true) == rank(y_pred) and last_dim(y_true) == 1:
        y_true = array_ops.squeeze(y_true, -1)
    if ignore_class is None:
        return sparse_categorical_crossentropy_backend(y_true, y_pred, from_logits=from_logits, axis=axis)
    valid = math_ops.not_equal(y_true, array_ops.cast(ignore_class, y_true.dtype))
    y_true = y_true * array_ops.cast(valid, y_true.dtype)
    res = sparse_categorical_crossentropy_backend(y_true, y_pred, from_logits=from_logits, axis=axis)
    return array_ops.where(valid, res, array_ops.zeros_like(res))


def kl_divergence(y_true: Any, y_pred: Any) -> Tensor:
    """``sum(y_true * log(y_true / y_pred), axis=-1)`` with both clipped to ``[epsilon, 1]``."""
    y_pred = to_tensor(y_pred)
    y_true = to_tensor(y_true, y_pred.dtype)
    y_true = math_ops.clip_by_value(y_true, epsilon(), 1.0)
    y_pred = math_ops.clip_by_value(y_pred, epsilon(), 1.0)
    return math_ops.reduce_sum(y_true * math_ops.log(y_true / y_pred), axis=-1)


def poisson(y_true: Any, y_pred: Any) -> Tensor:
    """``mean(y_pred - y_true * log(y_pred + epsilon), axis=-1)``."""
    y_pred = to_tensor(y_pred)
    y_true = to_tensor(y_true, y_pred.dtype)
    return math_ops.reduce_mean(y_pred - y_true * math_ops.log(y_pred + epsilon()), axis=-1)


bce = BCE = binary_crossentropy
kld = KLD = kullback_leibler_divergence = kl_divergence

"""``ctc``: the Connectionist Temporal Classification loss of Keras 3 (labels padded with the blank 0)."""

from __future__ import annotations

from typing import Any

from ..framework.tensor import Tensor
from ..ops import array_ops, math_ops
from ..ops.ctc_ops import ctc_loss
from ._utils import to_tensor


def ctc(y_true: Any, y_pred: Any) -> Tensor:
    """Per-sample CTC loss of integer labels ``(batch, max_length)`` (0 is the blank and the padding) against
    logits ``(batch, frames, classes)``; every sequence uses all the frames."""
    y_true, y_pred = to_tensor(y_true), to_tensor(y_pred)
    if y_true.shape.rank != 2:
        raise ValueError(
            "Targets `y_true` are expected to be a tensor of shape `(batch_size, max_length)` in integer format. "
            f"Received: y_true.shape={y_true.shape}"
        )
    if y_pred.shape.rank != 3:
        raise ValueError(
            "Logits `y_pred` are expected to be a tensor of shape `(batch_size, max_length, num_classes)`. "
            f"Received: y_pred.shape={y_pred.shape}"
        )
    labels = array_ops.cast(y_true, "int32")
    frames = y_pred.shape[1]
    if frames is None:
        frames = array_ops.shape(y_pred)[1]
    logit_length = array_ops.ones_like(labels[:, 0]) * frames
    label_length = math_ops.reduce_sum(array_ops.cast(math_ops.not_equal(labels, 0), "int32"), axis=-1)
    return ctc_loss(labels, y_pred, label_length, logit_length, logits_time_major=False, blank_index=0)

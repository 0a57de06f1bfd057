"""Shared helpers of losses and metrics: dtype handling, rank matching, weighted reduction, logits recovery.

Everything here is built from ferroflow ops, so it runs eagerly and on symbolic tensors whose batch
dimension is unknown (``None``) alike.
"""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor
from ..ops import array_ops, math_ops

REDUCTIONS = ("sum_over_batch_size", "sum", None, "none", "mean", "mean_with_sample_weight")


def epsilon() -> float:
    """The fuzz factor of ``keras.backend.epsilon()`` (1e-7 unless changed)."""
    from ..keras import backend

    return backend.epsilon()


def floatx() -> str:
    from ..keras import backend

    return backend.floatx()


def to_tensor(x: Any, dtype: Any = None) -> Tensor:
    """``x`` as a tensor, cast to ``dtype`` when given (Keras's ``convert_to_tensor(x, dtype)``)."""
    if not isinstance(x, Tensor):
        x = convert_to_tensor(np.asarray(x) if isinstance(x, (list, tuple)) else x)
    if dtype is not None and x.dtype.name != str(getattr(dtype, "name", dtype)):
        x = array_ops.cast(x, dtype)
    return x


def rank(x: Tensor) -> Optional[int]:
    return x.shape.rank


def last_dim(x: Tensor) -> Optional[int]:
    r = x.shape.rank
    return None if not r else x.shape.as_list()[-1]


def squeeze_or_expand_to_same_rank(x1: Tensor, x2: Tensor, expand_rank_1: bool = True) -> tuple:
    """Keras's rule: when the ranks differ by one and the longer has a trailing 1, drop it (or expand a rank-1)."""
    r1, r2 = rank(x1), rank(x2)
    if r1 is None or r2 is None or r1 == r2:
        return x1, x2
    if r1 == r2 + 1 and last_dim(x1) == 1:
        if r2 == 1 and expand_rank_1:
            x2 = array_ops.expand_dims(x2, -1)
        else:
            x1 = array_ops.squeeze(x1, -1)
    if r2 == r1 + 1 and last_dim(x2) == 1:
        if r1 == 1 and expand_rank_1:
            x1 = array_ops.expand_dims(x1, -1)
        else:
            x2 = array_ops.squeeze(x2, -1)
    return x1, x2


def num_elements(x: Tensor, dtype: Any) -> Any:
    """The element count of ``x``: a Python float when the shape is static, else a scalar tensor."""
    dims = x.shape.as_list() if x.shape.rank is not None else None
    if dims is not None and all(d is not None for d in dims):
        return float(np.prod(dims)) if dims else 1.0
    return array_ops.cast(array_ops.size(x), dtype)


def batch_size(x: Tensor, dtype: Any) -> Any:
    """The size of axis 0 of ``x`` (1 for a scalar): a Python float when static, else a scalar tensor."""
    if x.shape.rank == 0:
        return 1.0
    first = x.shape.as_list()[0] if x.shape.rank is not None else None
    if first is not None:
        return float(first)
    return array_ops.cast(array_ops.shape(x)[0], dtype)


def divide_no_nan(a: Any, b: Any) -> Any:
    """``a / b``, and 0 where ``b`` is 0 (``tf.math.divide_no_nan``)."""
    if isinstance(b, (int, float)):
        return a / b if b != 0 else a * 0.0
    zero = math_ops.equal(b, 0.0)
    safe = array_ops.where(zero, array_ops.ones_like(b), b)
    return array_ops.where(zero, array_ops.zeros_like(b), math_ops.divide(a, safe))


def standardize_reduction(reduction: Any) -> Any:
    if reduction == "auto":  # tf.keras 2's Reduction.AUTO means the default
        return "sum_over_batch_size"
    if reduction not in REDUCTIONS:
        raise ValueError(
            f"Invalid value for argument `reduction`. Expected one of {set(REDUCTIONS)}. Received: "
            f"reduction={reduction!r}"
        )
    return reduction


def apply_mask(sample_weight: Optional[Tensor], mask: Optional[Tensor], dtype: Any, reduction: Any) -> Any:
    """Merges a validity mask into the sample weights (Keras's ``apply_mask``)."""
    if mask is None:
        return sample_weight
    mask = array_ops.cast(mask, dtype)
    if reduction in ("mean", "sum_over_batch_size"):
        # Valid entries get weight total/valid, so the mean over the batch is the mean over valid entries.
        total = num_elements(mask, dtype)
        valid = math_ops.reduce_sum(mask)
        mask = mask * (total / (valid + epsilon()))
    if sample_weight is None:
        return mask
    sample_weight = array_ops.cast(sample_weight, dtype)
    mask, sample_weight = squeeze_or_expand_to_same_rank(mask, sample_weight)
    return sample_weight * mask


def reduce_values(values: Tensor, sample_weight: Any = None, reduction: Any = "sum_over_batch_size") -> Tensor:
    if reduction is None or reduction == "none" or values.shape.rank == 0 or values.shape.as_list() == [0]:
        return values
    loss = math_ops.reduce_sum(values)
    if reduction in ("sum_over_batch_size", "mean", "mean_with_sample_weight"):
        if reduction == "mean_with_sample_weight" and sample_weight is not None:
            loss = divide_no_nan(loss, array_ops.cast(math_ops.reduce_sum(sample_weight), loss.dtype))
        else:
            # An element count is 0 only when the sum is 0 too, so max(count, 1) acts as divide_no_nan.
            divisor = num_elements(values, loss.dtype)
            loss = loss / (math_ops.maximum(divisor, 1.0) if isinstance(divisor, Tensor) else max(divisor, 1.0))
        loss = scale_loss_for_distribution(loss)
    return loss


def scale_loss_for_distribution(value: Any) -> Any:
    """``value`` divided by the current strategy's replicas in sync (Keras 3's ``scale_loss_for_distribution``):
    summing the replicas' gradients of their mean losses then gives the gradient of the global mean."""
    from .. import distribute

    replicas = distribute.get_strategy().num_replicas_in_sync
    if replicas == 1:
        return value
    return value * array_ops.cast(1.0 / replicas, value.dtype)


def reduce_weighted_values(
    values: Tensor,
    sample_weight: Any = None,
    mask: Any = None,
    reduction: Any = "sum_over_batch_size",
    dtype: Any = None,
) -> Tensor:
    """Weights per-sample losses and reduces them (Keras's ``reduce_weighted_values``)."""
    reduction = standardize_reduction(reduction)
    values = to_tensor(values, dtype)
    if sample_weight is not None:
        sample_weight = to_tensor(sample_weight, values.dtype)
    sample_weight = apply_mask(sample_weight, mask, values.dtype, reduction)
    if sample_weight is not None:
        values, sample_weight = squeeze_or_expand_to_same_rank(values, sample_weight)
        values = values * sample_weight
    return reduce_values(values, sample_weight, reduction)


def producer_input(y_pred: Any, op_type: str) -> Optional[Tensor]:
    """The input of the node that made ``y_pred`` when that node is a ``op_type`` (Softmax, Sigmoid), else None.

    Crossentropy on the output of a softmax or sigmoid is computed from its logits: the fused kernel
    is faster, and the logits path does not lose precision to clipping the probabilities.
    """
    from ..framework.graph import SymbolicTensor

    if not isinstance(y_pred, SymbolicTensor) or y_pred.op_type != op_type:
        return None
    inputs = y_pred.graph._g.node(y_pred.node)[4]
    if len(inputs) != 1:
        return None
    return y_pred.graph.tensor(inputs[0])

"""``tf.nn`` losses and activations composed of other ops: ``crelu``, ``weighted_cross_entropy_with_logits``,
``log_poisson_loss``, ``compute_average_loss`` and ``scale_regularization_loss``."""

from __future__ import annotations

import math
from typing import Any, Optional

from .._core import InvalidArgumentError
from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor
from . import array_ops, math_ops


def crelu(features: Any, axis: int = -1, name: Optional[str] = None) -> Tensor:
    """Concatenated ReLU: ``relu(concat([features, -features], axis))``, twice as deep along ``axis``."""
    x = convert_to_tensor(features)
    return math_ops.relu(array_ops.concat([x, math_ops.negative(x)], axis))


def _same_shape(a: Tensor, b: Tensor, first: str, second: str) -> None:
    if not a.shape.is_compatible_with(b.shape):
        raise ValueError(f"`{first}` and `{second}` must have the same shape, received ({a.shape} vs {b.shape}).")


def _like(value: Any, other: Tensor) -> Tensor:
    return value if isinstance(value, Tensor) else convert_to_tensor(value, dtype=other.dtype)


def weighted_cross_entropy_with_logits(labels: Any, logits: Any, pos_weight: Any, name: Optional[str] = None) -> Tensor:
    """Sigmoid cross-entropy whose positive term is scaled by ``pos_weight``:
    ``(1 - z) x + (1 + (q - 1) z) (log(1 + exp(-|x|)) + max(-x, 0))``, TensorFlow's stable form."""
    x = convert_to_tensor(logits)
    z = _like(labels, x)
    _same_shape(x, z, "logits", "labels")
    q = _like(pos_weight, x)
    log_weight = math_ops.add(math_ops.multiply(math_ops.subtract(q, 1.0), z), 1.0)
    softplus_neg = math_ops.add(
        math_ops.log1p(math_ops.exp(math_ops.negative(math_ops.abs(x)))), math_ops.relu(math_ops.negative(x))
    )
    return math_ops.add(math_ops.multiply(math_ops.subtract(1.0, z), x), math_ops.multiply(log_weight, softplus_neg))


def log_poisson_loss(
    targets: Any, log_input: Any, compute_full_loss: bool = False, name: Optional[str] = None
) -> Tensor:
    """``exp(c) - z c`` for ``c = log_input`` and ``z = targets``; with ``compute_full_loss`` Stirling's
    approximation of ``log(z!)`` is added where ``z > 1``."""
    c = convert_to_tensor(log_input)
    z = _like(targets, c)
    _same_shape(c, z, "log_input", "targets")
    result = math_ops.subtract(math_ops.exp(c), math_ops.multiply(c, z))
    if not compute_full_loss:
        return result
    stirling = math_ops.add(
        math_ops.subtract(math_ops.multiply(z, math_ops.log(z)), z),
        math_ops.multiply(math_ops.log(math_ops.multiply(z, 2 * math.pi)), 0.5),
    )
    small = math_ops.logical_and(math_ops.greater_equal(z, 0.0), math_ops.less_equal(z, 1.0))
    return math_ops.add(result, array_ops.where(small, array_ops.zeros_like(z), stirling))


def _match_weight_rank(losses: Tensor, weight: Tensor) -> Tensor:
    """TensorFlow's squeeze-or-expand: a trailing 1 more than the losses is dropped, one dimension fewer is
    added at the end; otherwise the weight broadcasts."""
    lr, wr = losses.shape.rank, weight.shape.rank
    if lr is None or wr is None:
        return weight
    if wr == lr + 1 and weight.shape[-1] == 1:
        return array_ops.squeeze(weight, [-1])
    if wr == lr - 1 and wr > 0:
        return array_ops.expand_dims(weight, -1)
    return weight


def compute_average_loss(per_example_loss: Any, sample_weight: Any = None, global_batch_size: Any = None) -> Tensor:
    """``sum(per_example_loss * sample_weight) / global_batch_size`` (zero when that is zero); the batch size
    defaults to the first dimension of the losses (one replica)."""
    losses = convert_to_tensor(per_example_loss)
    dtype = losses.dtype
    if losses.shape.rank == 0:
        raise ValueError(
            "Invalid value passed for `per_example_loss`. Expected a tensor with at least rank 1. Received "
            f"per_example_loss={losses} with rank 0"
        )
    if sample_weight is not None:
        # TensorFlow scales in float32, then casts back to the losses' dtype.
        weight = array_ops.cast(convert_to_tensor(sample_weight), "float32")
        scaled = math_ops.multiply(array_ops.cast(losses, "float32"), _match_weight_rank(losses, weight))
        losses = array_ops.cast(scaled, dtype)
    if global_batch_size is None:
        # The global batch is the replica's batch times the replicas in sync, known only in replica context.
        batch = array_ops.shape(losses)[0] * _replicas_in_sync("compute_average_loss")
    else:
        batch = convert_to_tensor(global_batch_size)
        if batch.shape.rank not in (None, 0):
            raise ValueError(
                f"global_batch_size must be scalar..  Expected scalar shape, saw shape: {tuple(batch.shape)}."
            )
        if not batch.dtype.is_integer:
            raise TypeError(
                'global_batch_size must be an integer..  Expected "x" to be integer type.  Found: tensor of dtype '
                f"{batch.dtype.name}"
            )
        static = _static_int(batch)
        if static is not None and static < 0:
            raise InvalidArgumentError(
                f"global_batch_size must be non-negative.. Condition x >= 0 did not hold: {static}"
            )
    total = math_ops.reduce_sum(losses)
    if total.dtype.is_integer:
        total = array_ops.cast(total, "float64")  # int / int divides to float64, as in TensorFlow
    from .math_derived_ops import divide_no_nan

    return divide_no_nan(total, array_ops.cast(batch, total.dtype))


def _static_int(t: Tensor) -> Optional[int]:
    from .structure_ops import get_static_value

    value = get_static_value(t)
    return None if value is None else int(value)


def _replicas_in_sync(caller: str) -> int:
    """The current strategy's replica count; a RuntimeError in a strategy's cross-replica context."""
    from .. import distribute

    if distribute.has_strategy() and distribute.in_cross_replica_context():
        raise RuntimeError(
            f"You are calling `{caller}` in cross replica context, while it was expected to be called in replica "
            "context."
        )
    return distribute.get_strategy().num_replicas_in_sync


def scale_regularization_loss(regularization_loss: Any) -> Tensor:
    """The sum of ``regularization_loss`` divided by the number of replicas, so that summing the replicas'
    losses counts it once."""
    replicas = _replicas_in_sync("scale_regularization_loss")
    total = math_ops.reduce_sum(convert_to_tensor(regularization_loss))
    if total.dtype.is_integer:
        total = array_ops.cast(total, "float64")
    return total if replicas == 1 else math_ops.divide(total, array_ops.cast(replicas, total.dtype))

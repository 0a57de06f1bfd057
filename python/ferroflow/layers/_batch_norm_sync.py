"""The statistics of ``BatchNormalization(synchronized=True)``: the mean and variance of the global batch.

As Keras 3 on TensorFlow: each replica sums its part (the values, their squares and the count along the
reduced axes), the sums are all-reduced over the replicas in sync, and the variance is
``max(E[x^2] - E[x]^2, 0)``. The all-reduce's gradient is the all-reduce of the replicas' gradients, so training
differentiates through the global statistics. Without several replicas the all-reduce returns the sums as they
are: the same formula over the one batch.
"""

from __future__ import annotations

from typing import Any

from ..ops import math_ops, nn_ops
from ..ops.array_ops import ones_like, squeeze
from ..ops.math_derived_ops import divide_no_nan


def synchronized_moments(x: Any, axes: list) -> tuple:
    """The mean and variance of ``x`` over ``axes`` and over every replica's ``x`` (the per-replica moments in
    cross-replica context, where there is nothing to synchronize with, as Keras)."""
    from ..distribute import _api_functions

    context = _api_functions.get_replica_context()
    if context is None:
        return nn_ops.moments(x, axes)
    local = [
        math_ops.reduce_sum(x, axis=axes, keepdims=True),
        math_ops.reduce_sum(math_ops.square(x), axis=axes, keepdims=True),
        math_ops.reduce_sum(ones_like(x), axis=axes, keepdims=True),
    ]
    # One all-reduce of the three sums (Keras makes three): the same sums with one synchronization point.
    total, squared_total, count = context.all_reduce("SUM", local)
    mean = divide_no_nan(total, count)
    variance = math_ops.maximum(divide_no_nan(squared_total, count) - math_ops.square(mean), 0.0)
    return squeeze(mean, axes), squeeze(variance, axes)

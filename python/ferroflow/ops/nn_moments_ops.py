"""``tf.nn`` moments from sufficient statistics: ``sufficient_statistics``, ``normalize_moments`` and the
frequency-``weighted_moments``."""

from __future__ import annotations

from typing import Any, Optional

from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor
from . import array_ops, math_ops
from .math_derived_ops import divide_no_nan, squared_difference


def _axes(axes: Any, rank: Optional[int]) -> list:
    values = [int(a) for a in (axes if isinstance(axes, (list, tuple)) else [axes])]
    if rank is not None:
        for a in values:
            if not -rank <= a < rank:
                raise ValueError(f"axis {a} is out of range for a tensor of rank {rank}")
        values = [a % rank for a in values]
    return sorted(set(values))


def sufficient_statistics(
    x: Any, axes: Any, shift: Any = None, keepdims: bool = False, name: Optional[str] = None
) -> tuple:
    """``(count, sum(x - shift), sum((x - shift)**2), shift)`` over ``axes``; the count is a scalar of ``x``'s
    dtype (computed when the graph runs if those dimensions are unknown)."""
    x = convert_to_tensor(x)
    axes = _axes(axes, x.shape.rank)
    dims = [x.shape[a] for a in axes] if x.shape.rank is not None else [None]
    if all(d is not None for d in dims):
        count = 1
        for d in dims:
            count *= d
        counts = convert_to_tensor(count, dtype=x.dtype)
    else:
        sizes = array_ops.gather(array_ops.cast(array_ops.shape(x), x.dtype), axes)
        counts = math_ops.reduce_prod(sizes)
    if shift is not None:
        shift = convert_to_tensor(shift, dtype=x.dtype) if not isinstance(shift, Tensor) else shift
        m_ss, v_ss = math_ops.subtract(x, shift), squared_difference(x, shift)
    else:
        m_ss, v_ss = x, math_ops.square(x)
    m_ss = math_ops.reduce_sum(m_ss, axis=axes, keepdims=keepdims)
    v_ss = math_ops.reduce_sum(v_ss, axis=axes, keepdims=keepdims)
    return counts, m_ss, v_ss, shift


def normalize_moments(counts: Any, mean_ss: Any, variance_ss: Any, shift: Any, name: Optional[str] = None) -> tuple:
    """``(mean, variance)`` from the sufficient statistics (``shift`` added back to the mean)."""
    mean_ss = convert_to_tensor(mean_ss)
    divisor = math_ops.reciprocal(convert_to_tensor(counts, dtype=mean_ss.dtype))
    shifted_mean = math_ops.multiply(mean_ss, divisor)
    mean = shifted_mean if shift is None else math_ops.add(shifted_mean, shift)
    variance_ss = convert_to_tensor(variance_ss, dtype=mean_ss.dtype)
    variance = math_ops.subtract(math_ops.multiply(variance_ss, divisor), math_ops.square(shifted_mean))
    return mean, variance


def weighted_moments(
    x: Any, axes: Any, frequency_weights: Any, keepdims: bool = False, name: Optional[str] = None
) -> tuple:
    """The ``frequency_weights``-weighted mean and variance of ``x`` over ``axes`` (two passes; zero where
    the weights sum to zero)."""
    x = convert_to_tensor(x)
    weights = convert_to_tensor(frequency_weights)
    if weights.dtype != x.dtype:
        weights = array_ops.cast(weights, x.dtype)
    axes = _axes(axes, x.shape.rank)
    weighted_sum = math_ops.reduce_sum(math_ops.multiply(weights, x), axis=axes, keepdims=True)
    # The weights broadcast against x, so their sum counts every element of x once.
    total_weight = math_ops.reduce_sum(math_ops.add(weights, array_ops.zeros_like(x)), axis=axes, keepdims=True)
    mean = divide_no_nan(weighted_sum, total_weight)
    distsq = math_ops.reduce_sum(math_ops.multiply(weights, squared_difference(x, mean)), axis=axes, keepdims=True)
    variance = divide_no_nan(distsq, total_weight)
    if not keepdims:
        mean, variance = array_ops.squeeze(mean, axes), array_ops.squeeze(variance, axes)
    return mean, variance

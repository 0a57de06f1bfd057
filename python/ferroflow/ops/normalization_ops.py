"""``tf.nn.batch_normalization`` and ``fused_batch_norm``: normalizing by given or batch statistics."""

from __future__ import annotations

from typing import Any, Optional

from ..framework.ops import apply, convert_to_tensor
from ..framework.tensor import Tensor
from . import math_ops, nn_ops

_NATIVE_DTYPES = ("float16", "bfloat16", "float32", "float64")


def last_axis_layer_norm(x: Any, gamma: Any, beta: Any, epsilon: float) -> Optional[Any]:
    """Layer normalization of ``x`` over its last axis with scale ``gamma`` and offset ``beta`` (both ``[C]``),
    by the core's one-pass kernels; None where they do not apply (other dtypes, parameters of another dtype),
    so that the caller composes the same formula."""
    x = convert_to_tensor(x)
    if x.dtype.name not in ("float32", "float64") or not x.shape.rank or gamma.dtype != x.dtype:
        return None
    if beta.dtype != x.dtype or len(gamma.shape) != 1 or len(beta.shape) != 1:
        return None
    return apply("layer_norm", [x, gamma, beta], {"epsilon": float(epsilon)})


def channels_last_training(x: Any, scale: Any, offset: Any, epsilon: float) -> Optional[tuple]:
    """``(y, batch_mean, batch_variance)`` normalizing ``x`` by its own statistics over every axis but the last,
    by the core's two-pass kernels (their gradient includes the path through the statistics); None where those
    do not apply (other dtypes, an unknown channel count), so that the caller composes the same formula.
    ``scale``/``offset`` may be None (no scaling or shift). The variance is the biased one, as Keras uses."""
    x = convert_to_tensor(x)
    channels = x.shape[-1] if x.shape.rank else None
    if x.dtype.name not in _NATIVE_DTYPES or channels is None:
        return None
    from .array_ops import ones, zeros

    scale = ones([channels], x.dtype) if scale is None else scale
    offset = zeros([channels], x.dtype) if offset is None else offset
    moments = apply("batch_norm_moments", [x])
    y = apply("batch_norm_training", [x, moments, scale, offset], {"epsilon": float(epsilon)})
    return y, moments[0], moments[1]


def batch_normalization(
    x: Any,
    mean: Any,
    variance: Any,
    offset: Any,
    scale: Any,
    variance_epsilon: float,
    name: Optional[str] = None,
) -> Tensor:
    """``(x - mean) / sqrt(variance + epsilon) * scale + offset``, computed as TensorFlow does: one multiplier
    ``scale / sqrt(variance + epsilon)`` and one shift, so that the gradients match its."""
    x = convert_to_tensor(x)
    inv = math_ops.rsqrt(math_ops.add(variance, variance_epsilon))
    if scale is not None:
        inv = math_ops.multiply(inv, scale)
    shift = math_ops.negative(math_ops.multiply(mean, inv))
    if offset is not None:
        shift = math_ops.add(shift, offset)
    return math_ops.add(math_ops.multiply(x, inv), shift)


def fused_batch_norm(
    x: Any,
    scale: Any,
    offset: Any,
    mean: Any = None,
    variance: Any = None,
    epsilon: float = 0.001,
    data_format: str = "NHWC",
    is_training: bool = True,
    name: Optional[str] = None,
    exponential_avg_factor: float = 1.0,
) -> tuple:
    """``(y, batch_mean, batch_variance)`` of 4-D images: with ``is_training`` the statistics of the batch over
    every axis but the channels (the variance returned is the unbiased one, as TensorFlow returns it), else
    the given ``mean`` and ``variance``."""
    x = convert_to_tensor(x)
    if x.shape.rank != 4:
        raise ValueError(f"fused_batch_norm expects a 4-D input, received shape {x.shape}")
    channels_first = data_format.upper() == "NCHW"
    axes = [0, 2, 3] if channels_first else [0, 1, 2]

    def along_channels(v: Any) -> Any:
        from .array_ops import reshape

        return reshape(v, [1, -1, 1, 1]) if channels_first else v

    if is_training:
        count = 1
        for a in axes:
            count *= int(x.shape[a]) if x.shape[a] is not None else 0
        native = None if channels_first else channels_last_training(x, scale, offset, epsilon)
        if native is not None:
            y, mean, variance = native
            return y, mean, math_ops.multiply(variance, count / max(count - 1, 1))
        mean, variance = nn_ops.moments(x, axes)
        unbiased = math_ops.multiply(variance, count / max(count - 1, 1))
    else:
        if mean is None or variance is None:
            raise ValueError("fused_batch_norm needs mean and variance when is_training is False")
        unbiased = variance
    y = batch_normalization(
        x, along_channels(mean), along_channels(variance), along_channels(offset), along_channels(scale), epsilon
    )
    return y, mean, unbiased

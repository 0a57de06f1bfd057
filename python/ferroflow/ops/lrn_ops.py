"""``tf.nn.local_response_normalization`` (``tf.nn.lrn``): each channel divided by a power of the sum of
squares of its ``2 * depth_radius + 1`` neighbouring channels, the sum taken as one matrix product with a
banded 0/1 matrix (gradients come from the composition)."""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from .._core import InvalidArgumentError
from ..framework.ops import apply, convert_to_tensor
from ..framework.tensor import Tensor
from .math_ops import add, matmul, multiply, pow


def local_response_normalization(
    input: Any,
    depth_radius: int = 5,
    bias: float = 1.0,
    alpha: float = 1.0,
    beta: float = 0.5,
    name: Optional[str] = None,
) -> Tensor:
    """``sqr_sum[a, b, c, d] = sum(input[a, b, c, d - depth_radius : d + depth_radius + 1] ** 2)`` and
    ``output = input / (bias + alpha * sqr_sum) ** beta``, over the last axis of a 4-D input."""
    x = convert_to_tensor(input)
    if x.dtype.name not in ("float16", "float32", "float64"):
        raise TypeError(f"local_response_normalization expects floating-point values, received {x.dtype.name}")
    if x.shape.rank != 4:
        raise InvalidArgumentError(
            f"local_response_normalization expects a 4-D input, received rank {x.shape.rank} (shape {x.shape})"
        )
    channels = x.shape[-1]
    if channels is None:
        raise ValueError(f"local_response_normalization needs the channel count known, received shape {x.shape}")
    radius = int(depth_radius)
    if radius < 0:
        raise InvalidArgumentError(f"local_response_normalization: depth_radius must be >= 0, received {radius}")
    index = np.arange(channels)
    band = (np.abs(index[:, None] - index[None, :]) <= radius).astype(x.dtype.name)
    sqr_sum = matmul(multiply(x, x), convert_to_tensor(band))
    scale = add(multiply(convert_to_tensor(alpha, dtype=x.dtype), sqr_sum), convert_to_tensor(bias, dtype=x.dtype))
    y = multiply(x, pow(scale, convert_to_tensor(-float(beta), dtype=x.dtype)))
    return y if name is None else apply("identity", [y], op_name=name)


lrn = local_response_normalization

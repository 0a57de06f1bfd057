"""``tf.nn.separable_conv2d``: a depthwise convolution followed by a 1x1 ("pointwise") convolution.

Built from ``depthwise_conv2d`` and ``conv2d``, so its gradients and graphs are theirs. The argument checks
follow TensorFlow's: the pointwise filter must be ``[1, 1, in_channels * multiplier, out_channels]``,
``strides`` has four entries (1 for batch and channels), and ``dilations`` (TensorFlow's ``rate``) has two.
"""

from __future__ import annotations

from typing import Any, Optional

from ..errors import InvalidArgumentError
from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor
from .conv_ops import conv2d, depthwise_conv2d


def _shape(t: Tensor) -> list:
    return list(t.shape.as_list())


def _check_dtypes(x: Tensor, dw: Tensor, pw: Tensor) -> None:
    if not x.dtype.is_floating:
        raise InvalidArgumentError(
            f"separable_conv2d expects float16, float32 or float64 input, received {x.dtype.name}"
        )
    for what, f in (("depthwise_filter", dw), ("pointwise_filter", pw)):
        if f.dtype != x.dtype:
            raise InvalidArgumentError(
                f"separable_conv2d: {what} is {f.dtype.name} but the input is {x.dtype.name}; they must match"
            )


def _check_shapes(x: Tensor, dw: Tensor, pw: Tensor, first: bool) -> None:
    for what, t in (("input", x), ("depthwise_filter", dw), ("pointwise_filter", pw)):
        if t.shape.rank != 4:
            raise ValueError(f"Shape {tuple(_shape(t))} must have rank 4 (separable_conv2d's {what})")
    pw_shape, dw_shape = _shape(pw), _shape(dw)
    for d in pw_shape[:2]:
        if d is not None and d != 1:
            raise ValueError(
                f"Dimensions {d} and 1 are not compatible: the pointwise_filter must be "
                f"[1, 1, in_channels * channel_multiplier, out_channels], received {pw_shape}"
            )
    channels = _shape(x)[1 if first else 3]
    if channels is not None and dw_shape[2] is not None and channels != dw_shape[2]:
        raise InvalidArgumentError(
            f"separable_conv2d: the input has {channels} channels but depthwise_filter {dw_shape} expects "
            f"{dw_shape[2]} (its third dimension)"
        )
    if None not in dw_shape[2:] and pw_shape[2] is not None and pw_shape[2] != dw_shape[2] * dw_shape[3]:
        raise InvalidArgumentError(
            f"separable_conv2d: the depthwise step gives {dw_shape[2] * dw_shape[3]} channels (in_channels * "
            f"channel_multiplier) but pointwise_filter {pw_shape} expects {pw_shape[2]}"
        )


def _strides(strides: Any, first: bool) -> list:
    values = [int(s) for s in strides] if isinstance(strides, (list, tuple)) else None
    if values is None or len(values) != 4:
        raise InvalidArgumentError(
            "separable_conv2d: strides must be a list of 4 ints (batch, spatial, spatial, channels), "
            f"received {strides}"
        )
    if (values[0], values[1 if first else 3]) != (1, 1):
        raise InvalidArgumentError(
            f"separable_conv2d does not support strides in the batch and depth dimensions, received {values}"
        )
    return values


def _rate(dilations: Any) -> list:
    if dilations is None:
        return [1, 1]
    values = [int(d) for d in dilations] if isinstance(dilations, (list, tuple)) else [int(dilations)] * 2
    if len(values) != 2 or min(values) < 1:
        raise ValueError(f"separable_conv2d: dilations must be 2 positive ints (height, width), received {dilations}")
    return values


def separable_conv2d(
    input: Any,
    depthwise_filter: Any,
    pointwise_filter: Any,
    strides: Any,
    padding: Any,
    data_format: Optional[str] = None,
    dilations: Any = None,
    name: Optional[str] = None,
) -> Tensor:
    """Depthwise (``depthwise_filter`` ``[fh, fw, in_channels, channel_multiplier]``) then pointwise
    (``pointwise_filter`` ``[1, 1, in_channels * channel_multiplier, out_channels]``) convolution."""
    fmt = (data_format or "NHWC").upper()
    if fmt not in ("NHWC", "NCHW"):
        raise InvalidArgumentError(f"separable_conv2d: data_format must be 'NHWC' or 'NCHW', received {data_format}")
    first = fmt == "NCHW"
    x, dw, pw = convert_to_tensor(input), convert_to_tensor(depthwise_filter), convert_to_tensor(pointwise_filter)
    _check_dtypes(x, dw, pw)
    _check_shapes(x, dw, pw, first)
    steps, rate = _strides(strides, first), _rate(dilations)
    if max(steps) > 1 and max(rate) > 1:
        # TensorFlow warns and computes something else than a strided dilated convolution; refuse instead.
        raise ValueError(
            "When dilation rate is greater than 1, then all values of strides must be 1. "
            f"Received: `dilation rate` {rate} and `strides` {steps}"
        )
    if isinstance(padding, str) and padding.upper() not in ("VALID", "SAME"):
        raise InvalidArgumentError(
            f"separable_conv2d: padding must be 'VALID', 'SAME' or explicit pairs, received {padding}"
        )
    depthwise = depthwise_conv2d(x, dw, steps, padding, fmt, rate)
    return conv2d(depthwise, pw, [1, 1, 1, 1], "VALID", data_format=fmt, name=name)

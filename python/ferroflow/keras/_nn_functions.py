"""The neural-network functions of ``keras.ops`` (and ``keras.ops.nn``) that ferroflow's TensorFlow-style
modules do not already provide under Keras's names and defaults."""

from __future__ import annotations

from typing import Any, Optional

from .. import activations as _act
from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor
from ..ops import math_ops as _math
from ..ops import nn_ops as _nn_ops

__all__ = [
    "conv",
    "elu",
    "gelu",
    "hard_sigmoid",
    "leaky_relu",
    "log_sigmoid",
    "moments",
    "normalize",
    "relu6",
    "selu",
    "silu",
    "softsign",
    "swish",
]

relu6 = _act.relu6
softsign = _act.softsign
silu = _act.silu
swish = _act.silu
log_sigmoid = _act.log_sigmoid
hard_sigmoid = _act.hard_sigmoid
selu = _act.selu


def leaky_relu(x: Any, negative_slope: float = 0.2) -> Tensor:
    """``x`` where positive, ``negative_slope * x`` elsewhere."""
    return _act.leaky_relu(x, negative_slope=negative_slope)


def elu(x: Any, alpha: float = 1.0) -> Tensor:
    """``x`` where positive, ``alpha * (exp(x) - 1)`` elsewhere."""
    return _act.elu(x, alpha=alpha)


def gelu(x: Any, approximate: bool = True) -> Tensor:
    """The Gaussian error linear unit; keras.ops uses the tanh approximation by default (keras.activations
    does not)."""
    return _act.gelu(x, approximate=approximate)


def moments(x: Any, axes: Any, keepdims: bool = False, synchronized: bool = False) -> tuple:
    """The mean and variance of ``x`` over ``axes``."""
    return _nn_ops.moments(x, axes, keepdims=keepdims)


def normalize(x: Any, axis: int = -1, order: int = 2, epsilon: Optional[float] = None) -> Tensor:
    """``x`` divided by its ``order``-norm along ``axis`` (at least ``epsilon``, Keras's epsilon by default)."""
    if not isinstance(order, int) or order < 1:
        raise ValueError(f"Argument `order` must be an int >= 1. Received: order={order}")
    t = convert_to_tensor(x)
    powered = _math.abs(t) if order == 1 else _math.pow(_math.abs(t), float(order))
    n = _math.reduce_sum(powered, axis=axis, keepdims=True)
    n = n if order == 1 else _math.pow(n, 1.0 / order)
    return _math.divide(t, _math.maximum(n, 1e-7 if epsilon is None else epsilon))


def conv(
    inputs: Any,
    kernel: Any,
    strides: Any = 1,
    padding: str = "valid",
    data_format: Optional[str] = None,
    dilation_rate: Any = 1,
) -> Tensor:
    """The N-D convolution of ``inputs`` (batch, spatial..., channels) with ``kernel`` (spatial..., in, out), as
    ``keras.ops.conv``: ``padding`` is ``"valid"`` or ``"same"``."""
    from ..ops.conv_ops import convolution

    x = convert_to_tensor(inputs)
    fmt = data_format or "channels_last"
    if fmt not in ("channels_last", "channels_first"):
        raise ValueError(f"data_format must be 'channels_last' or 'channels_first', received {data_format!r}")
    if str(padding).lower() not in ("valid", "same"):
        raise ValueError(f"`padding` must be 'valid' or 'same'. Received: padding={padding}")
    n = x.shape.rank - 2
    tf_format = None
    if fmt == "channels_first":
        tf_format = {1: "NCW", 2: "NCHW", 3: "NCDHW"}[n]
    return convolution(
        x, kernel, strides=strides, padding=str(padding).upper(), data_format=tf_format, dilations=dilation_rate
    )

"""``keras.ops.nn``: Keras 3's neural-network ops (activations, ``moments``, ``normalize``, ``one_hot``) on
ferroflow tensors. The ones ``keras.ops`` also has are the same functions."""

from __future__ import annotations

from typing import Any, Optional

from ferroflow._api import public_dir as _public_dir

from .. import activations as _act
from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor
from ..ops import math_ops as _math
from ..ops import nn_ops as _nn_ops

# The ops keras.ops defines itself (with its dtype rules and symbolic calls) are the same functions here:
# ops.py imports this module last, once they exist.
from .ops import log_softmax, one_hot, relu, sigmoid, softmax, softplus

__all__ = [
    "elu",
    "gelu",
    "hard_sigmoid",
    "leaky_relu",
    "log_sigmoid",
    "log_softmax",
    "moments",
    "normalize",
    "one_hot",
    "relu",
    "relu6",
    "selu",
    "sigmoid",
    "silu",
    "softmax",
    "softplus",
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
    from .ops import norm

    if not isinstance(order, int) or order < 1:
        raise ValueError(f"Argument `order` must be an int >= 1. Received: order={order}")
    t = convert_to_tensor(x)
    n = norm(t, ord=order, axis=axis, keepdims=True)
    return _math.divide(t, _math.maximum(n, 1e-7 if epsilon is None else epsilon))


__dir__ = _public_dir(globals())

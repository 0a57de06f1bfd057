"""The Keras 3 activation functions, built from ferroflow ops so they run eagerly and in graphs."""

from __future__ import annotations

import math
from typing import Any, Optional, Sequence, Union

from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor
from ..ops import array_ops, math_ops, nn_ops
from ._special import normal_cdf
from ._symbolic import symbolic

Axis = Union[int, Sequence[int]]


def _tensor(x: Any) -> Tensor:
    return convert_to_tensor(x)


@symbolic("re_lu")
def relu(x: Any, negative_slope: float = 0.0, max_value: Optional[float] = None, threshold: float = 0.0) -> Tensor:
    """``max(x, 0)``; with arguments, Keras's thresholded, capped, leaky variant.

    For ``x > threshold`` the result is ``min(x, max_value)``; below it, ``negative_slope * (x - threshold)``.
    """
    if negative_slope is None or negative_slope < 0:
        raise ValueError(f"negative_slope is expected to be a non-negative float. Received: {negative_slope}")
    if threshold is None:
        raise ValueError(f"threshold is expected to be a float. Received: threshold={threshold}")
    if max_value is not None and max_value < 0:
        raise ValueError(f"max_value is expected to be a non-negative float. Received: max_value={max_value}")
    x = _tensor(x)
    if negative_slope == 0 and max_value is None and threshold == 0:
        return nn_ops.relu(x)
    if negative_slope != 0 and max_value is None and threshold == 0:
        return leaky_relu(x, negative_slope=negative_slope)
    negative_part = None
    if negative_slope != 0:
        negative_part = nn_ops.relu(math_ops.subtract(threshold, x))
    if threshold != 0:
        # x where x > threshold, else 0 (the same order of operations as Keras).
        y = math_ops.multiply(x, array_ops.cast(math_ops.greater(x, float(threshold)), x.dtype))
    else:
        y = nn_ops.relu(x)
    if max_value is not None:
        y = math_ops.clip_by_value(y, 0.0, float(max_value))
    if negative_part is not None:
        y = math_ops.subtract(y, math_ops.multiply(negative_part, float(negative_slope)))
    return y


@symbolic()
def leaky_relu(x: Any, negative_slope: float = 0.2) -> Tensor:
    """``x`` for ``x >= 0``, else ``negative_slope * x``."""
    x = _tensor(x)
    return array_ops.where(math_ops.greater_equal(x, 0.0), x, math_ops.multiply(x, float(negative_slope)))


@symbolic()
def relu6(x: Any) -> Tensor:
    """``min(max(x, 0), 6)``."""
    return nn_ops.relu6(_tensor(x))


@symbolic()
def sigmoid(x: Any) -> Tensor:
    """``1 / (1 + exp(-x))``."""
    return math_ops.sigmoid(_tensor(x))


def _reduce_axis(axis: Axis) -> Any:
    return int(axis) if isinstance(axis, int) else [int(a) for a in axis]


@symbolic()
def softmax(x: Any, axis: Axis = -1) -> Tensor:
    """``exp(x) / sum(exp(x), axis)``; ``axis`` may be an int or a tuple of axes."""
    x = _tensor(x)
    if isinstance(axis, int):
        return nn_ops.softmax(x, axis=axis)
    axes = _reduce_axis(axis)
    e = math_ops.exp(math_ops.subtract(x, array_ops.stop_gradient(math_ops.reduce_max(x, axis=axes, keepdims=True))))
    return math_ops.divide(e, math_ops.reduce_sum(e, axis=axes, keepdims=True))


@symbolic()
def log_softmax(x: Any, axis: Axis = -1) -> Tensor:
    """``x - log(sum(exp(x), axis))``; ``axis`` may be an int or a tuple of axes."""
    x = _tensor(x)
    if isinstance(axis, int):
        return nn_ops.log_softmax(x, axis=axis)
    return math_ops.subtract(x, math_ops.reduce_logsumexp(x, axis=_reduce_axis(axis), keepdims=True))


@symbolic()
def tanh(x: Any) -> Tensor:
    """Hyperbolic tangent."""
    return math_ops.tanh(_tensor(x))


def linear(x: Any) -> Any:
    """The identity: returns ``x`` unchanged."""
    return x


@symbolic()
def elu(x: Any, alpha: float = 1.0) -> Tensor:
    """``x`` for ``x > 0``, else ``alpha * (exp(x) - 1)``."""
    x = _tensor(x)
    neg = math_ops.multiply(math_ops.expm1(math_ops.minimum(x, 0.0)), float(alpha))
    return array_ops.where(math_ops.greater(x, 0.0), x, neg)


@symbolic()
def selu(x: Any) -> Tensor:
    """``scale * elu(x, alpha)`` with Klambauer et al.'s constants."""
    return nn_ops.selu(_tensor(x))


@symbolic()
def softplus(x: Any) -> Tensor:
    """``log(exp(x) + 1)``, computed without overflow."""
    return math_ops.softplus(_tensor(x))


@symbolic()
def softsign(x: Any) -> Tensor:
    """``x / (abs(x) + 1)``."""
    return nn_ops.softsign(_tensor(x))


@symbolic()
def silu(x: Any) -> Tensor:
    """``x * sigmoid(x)`` (also known as swish)."""
    x = _tensor(x)
    return math_ops.multiply(x, math_ops.sigmoid(x))


swish = silu


@symbolic()
def gelu(x: Any, approximate: bool = False) -> Tensor:
    """``x * P(X <= x)`` for a standard normal ``X``.

    ``approximate=True`` uses ``0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x**3)))``; the exact form
    evaluates the normal CDF through an erfc approximation with relative error below 1.2e-7.
    """
    x = _tensor(x)
    if approximate:
        cube = math_ops.multiply(math_ops.multiply(math_ops.square(x), x), 0.044715)
        inner = math_ops.multiply(math_ops.add(x, cube), math.sqrt(2.0 / math.pi))
        return math_ops.multiply(math_ops.multiply(x, 0.5), math_ops.add(math_ops.tanh(inner), 1.0))
    return math_ops.multiply(x, normal_cdf(x))


@symbolic("exp")
def exponential(x: Any) -> Tensor:
    """``exp(x)``."""
    return math_ops.exp(_tensor(x))


@symbolic()
def hard_sigmoid(x: Any) -> Tensor:
    """Keras 3's piecewise-linear sigmoid: ``0`` below -3, ``1`` above 3, ``x / 6 + 0.5`` between."""
    x = _tensor(x)
    return math_ops.multiply(nn_ops.relu6(math_ops.add(x, 3.0)), 1.0 / 6.0)


@symbolic()
def hard_silu(x: Any) -> Tensor:
    """``x * hard_sigmoid(x)`` (also known as hard swish)."""
    x = _tensor(x)
    return math_ops.multiply(x, hard_sigmoid(x))


hard_swish = hard_silu


@symbolic()
def mish(x: Any) -> Tensor:
    """``x * tanh(softplus(x))``."""
    x = _tensor(x)
    return math_ops.multiply(x, math_ops.tanh(math_ops.softplus(x)))


@symbolic()
def log_sigmoid(x: Any) -> Tensor:
    """``log(sigmoid(x)) = -softplus(-x)``, stable for large ``|x|``."""
    x = _tensor(x)
    return math_ops.negative(math_ops.softplus(math_ops.negative(x)))


@symbolic()
def celu(x: Any, alpha: float = 1.0) -> Tensor:
    """``max(x, 0) + min(alpha * (exp(x / alpha) - 1), 0)``."""
    x = _tensor(x)
    neg = math_ops.multiply(math_ops.expm1(math_ops.divide(math_ops.minimum(x, 0.0), float(alpha))), float(alpha))
    return math_ops.add(nn_ops.relu(x), neg)


@symbolic()
def hard_tanh(x: Any) -> Tensor:
    """``x`` clipped to ``[-1, 1]``."""
    return math_ops.clip_by_value(_tensor(x), -1.0, 1.0)


ALL_FUNCTIONS = (
    relu,
    leaky_relu,
    relu6,
    softmax,
    celu,
    elu,
    selu,
    softplus,
    softsign,
    silu,
    gelu,
    tanh,
    sigmoid,
    exponential,
    hard_sigmoid,
    hard_silu,
    hard_tanh,
    linear,
    mish,
    log_softmax,
    log_sigmoid,
)

"""``keras.ops``'s further neural-network ops (activations, normalizations, attention, transposed convolution,
pixel shuffles, adaptive pooling, fold/unfold, psnr, polar), with Keras 3's signatures."""

from __future__ import annotations

import warnings
from typing import Any, Optional

from .. import activations as _act
from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor
from ..ops import array_ops as _array
from ..ops import math_ops as _math
from ..ops import nn_ops as _nn_ops
from ._ops_nn_more_2 import (
    adaptive_average_pool,
    adaptive_max_pool,
    conv_transpose,
    depth_to_space,
    fold,
    space_to_depth,
    unfold,
)
from ._ops_nn_more_3 import _dtype_of, dot_product_attention
from ._ops_numpy_more import _float

__all__ = [
    "adaptive_average_pool",
    "adaptive_max_pool",
    "batch_normalization",
    "celu",
    "conv_transpose",
    "depth_to_space",
    "dot_product_attention",
    "fold",
    "glu",
    "hard_shrink",
    "hard_silu",
    "hard_swish",
    "hard_tanh",
    "layer_normalization",
    "polar",
    "psnr",
    "rms_normalization",
    "soft_shrink",
    "space_to_depth",
    "sparse_plus",
    "sparse_sigmoid",
    "sparsemax",
    "squareplus",
    "tanh_shrink",
    "threshold",
    "unfold",
]


def celu(x: Any, alpha: float = 1.0) -> Tensor:
    """``x`` where positive, ``alpha * (exp(x / alpha) - 1)`` elsewhere (continuously differentiable ELU)."""
    return _act.celu(_float(x), alpha=alpha)


def glu(x: Any, axis: int = -1) -> Tensor:
    """Gated linear unit: ``a * sigmoid(b)``, ``a`` and ``b`` the two halves of ``x`` along ``axis``."""
    return _act.glu(_float(x), axis=axis)


def hard_shrink(x: Any, threshold: float = 0.5) -> Tensor:
    """``x`` where ``|x| > threshold``, else 0."""
    return _act.hard_shrink(_float(x), threshold=threshold)


def soft_shrink(x: Any, threshold: float = 0.5) -> Tensor:
    """``x - threshold`` above ``threshold``, ``x + threshold`` below ``-threshold``, else 0."""
    return _act.soft_shrink(_float(x), threshold=threshold)


def hard_silu(x: Any) -> Tensor:
    """``x * relu6(x + 3) / 6`` (hard swish): 0 below -3, ``x`` above 3."""
    return _act.hard_silu(_float(x))


hard_swish = hard_silu


def hard_tanh(x: Any) -> Tensor:
    """``x`` clipped to ``[-1, 1]``."""
    return _act.hard_tanh(_float(x))


def sparse_plus(x: Any) -> Tensor:
    """0 for ``x <= -1``, ``(x + 1)^2 / 4`` for ``-1 < x < 1``, ``x`` for ``x >= 1``."""
    return _act.sparse_plus(_float(x))


def sparse_sigmoid(x: Any) -> Tensor:
    """0 for ``x <= -1``, ``(x + 1) / 2`` for ``-1 < x < 1``, 1 for ``x >= 1``."""
    return _act.sparse_sigmoid(_float(x))


def sparsemax(x: Any, axis: int = -1) -> Tensor:
    """``max(x - tau, 0)``, ``tau`` chosen so that the result sums to 1 along ``axis`` (sparse probabilities)."""
    t = _float(x)
    rank = t.shape.rank
    if rank is not None and not -max(rank, 1) <= axis < max(rank, 1):
        raise ValueError(f"axis {axis} is out of bounds for an array with dimension {rank}.")
    return _act.sparsemax(t, axis=axis)


def squareplus(x: Any, b: float = 4) -> Tensor:
    """``(x + sqrt(x^2 + b)) / 2``, a smooth ReLU whose curvature ``b`` sets."""
    return _act.squareplus(_float(x), b=b)


def tanh_shrink(x: Any) -> Tensor:
    """``x - tanh(x)``."""
    return _act.tanh_shrink(_float(x))


def threshold(x: Any, threshold: float, default_value: float) -> Tensor:
    """``x`` where ``x > threshold``, else ``default_value``; integer ``x`` stays integer while
    ``default_value`` is an integer (as in Keras), else it is computed in float32."""
    t = convert_to_tensor(x)
    if not t.dtype.is_floating and not (isinstance(default_value, int) and t.dtype.is_integer):
        t = _array.cast(t, "float32")
    fill = _math.add(_array.zeros_like(t), _array.cast(default_value, t.dtype))
    return _array.where(_math.greater(t, _array.cast(threshold, t.dtype)), t, fill)


def batch_normalization(
    x: Any,
    mean: Any,
    variance: Any,
    axis: int,
    offset: Any = None,
    scale: Any = None,
    epsilon: float = 1e-3,
) -> Tensor:
    """``(x - mean) / sqrt(variance + epsilon) * scale + offset``, the vectors laid along ``axis``."""
    from ..ops.normalization_ops import batch_normalization as _tf_batch_norm

    t = convert_to_tensor(x)
    rank = t.shape.rank
    if not -rank <= axis < rank:
        raise ValueError(f"axis {axis} is out of bounds for an array with dimension {rank}.")
    axis = axis % rank
    size = t.shape[axis]

    def vector(v: Any, name: str) -> Optional[Tensor]:
        if v is None:
            return None
        v = _array.cast(convert_to_tensor(v), t.dtype)
        if v.shape.rank != 1 or (size is not None and v.shape[0] not in (None, size)):
            raise ValueError(
                f"Arguments `{name}` must be a vector of length `x.shape[axis]`. Expected: `{(size,)}`. "
                f"Received: `{tuple(v.shape.as_list())}."
            )
        if axis == rank - 1:
            return v
        return _array.reshape(v, [-1 if d == axis else 1 for d in range(rank)])

    return _tf_batch_norm(
        t,
        vector(mean, "mean"),
        vector(variance, "variance"),
        vector(offset, "offset"),
        vector(scale, "scale"),
        epsilon,
    )


def _axes(axis: Any, rank: int) -> list:
    axes = [axis] if isinstance(axis, int) else list(axis)
    for a in axes:
        if not -rank <= a < rank:
            raise ValueError(f"axis {a} is out of bounds for an array with dimension {rank}.")
    return sorted(a % rank for a in axes)


def layer_normalization(
    x: Any, gamma: Any = None, beta: Any = None, axis: Any = -1, epsilon: Optional[float] = None, **kwargs: Any
) -> Tensor:
    """``x`` normalized to zero mean and unit variance over ``axis`` (one or several axes), then scaled by
    ``gamma`` and shifted by ``beta``; computed in at least float32 and returned in ``x``'s dtype."""
    from .backend import epsilon as _epsilon

    rms_scaling = kwargs.pop("rms_scaling", False)
    if rms_scaling:
        warnings.warn(
            "You passed `rms_scaling=True`, which is deprecated. This argument incorrectly scales the input by "
            "the variance, not the root mean square. To correctly use RMS Normalization, please use "
            "`keras.ops.rms_normalization` / `keras.ops.nn.rms_normalization` instead.",
            stacklevel=2,
        )
    eps = _epsilon() if epsilon is None else epsilon
    t = convert_to_tensor(x)
    original = t.dtype
    compute = _dtype_of(t.dtype.name, "float32")
    t = _array.cast(t, compute)
    rank = t.shape.rank
    axes = _axes(axis, rank)
    shape = [t.shape[d] if d in axes else 1 for d in range(rank)]

    def broadcast(v: Any) -> Optional[Tensor]:
        if v is None:
            return None
        v = _array.cast(convert_to_tensor(v), compute)
        if v.shape.rank != rank and axes != [rank - 1]:
            v = _array.reshape(v, [-1 if d is None else d for d in shape])
        return v

    gamma, beta = broadcast(gamma), broadcast(beta)
    if rms_scaling:
        _, variance = _nn_ops.moments(t, axes, keepdims=True)
        out = t * _math.rsqrt(variance + eps)
        if gamma is not None:
            out = out * gamma
    else:
        mean, variance = _nn_ops.moments(t, axes, keepdims=True)
        inv = _math.rsqrt(variance + eps)
        if gamma is not None:
            inv = inv * gamma
        shift = -mean * inv
        if beta is not None:
            shift = shift + beta
        out = t * inv + shift
    return _array.cast(out, original)


def rms_normalization(x: Any, scale: Any = None, axis: Any = -1, epsilon: Optional[float] = None) -> Tensor:
    """``x * rsqrt(mean(x^2) + epsilon) * scale`` over ``axis``, computed in at least float32 and returned in
    ``x``'s dtype (a scalar ``x`` becomes a vector of one, as in Keras)."""
    from .backend import epsilon as _epsilon

    eps = _epsilon() if epsilon is None else epsilon
    t = convert_to_tensor(x)
    original = t.dtype
    compute = _dtype_of(t.dtype.name, "float32")
    t = _array.cast(t, compute)
    if t.shape.rank == 0:
        t = _array.expand_dims(t, 0)
    axes = _axes(axis, t.shape.rank)
    out = t * _math.rsqrt(_math.reduce_mean(_math.square(t), axis=axes, keepdims=True) + eps)
    if scale is not None:
        out = out * _array.cast(convert_to_tensor(scale), compute)
    return _array.cast(out, original)


def psnr(x1: Any, x2: Any, max_val: Any) -> Tensor:
    """The peak signal-to-noise ratio ``20 log10(max_val) - 10 log10(mean((x1 - x2)^2))``, a scalar."""
    a, b = convert_to_tensor(x1), convert_to_tensor(x2)
    if a.shape.as_list() != b.shape.as_list():
        raise ValueError(f"Input shapes {a.shape} and {b.shape} must match for PSNR calculation. ")
    dtype = _dtype_of(a.dtype.name, b.dtype.name)
    if not _array.cast(a, dtype).dtype.is_floating:
        dtype = "float32"
    a, b = _array.cast(a, dtype), _array.cast(b, dtype)
    peak = _array.cast(convert_to_tensor(max_val), dtype)
    mse = _math.reduce_mean(_math.square(a - b))
    ln10 = _math.log(_array.cast(10.0, dtype))  # in the inputs' precision, as Keras's log10
    return 20.0 * (_math.log(peak) / ln10) - 10.0 * (_math.log(mse) / ln10)


def polar(abs_: Any, angle: Any) -> Tensor:
    """The complex numbers ``abs_ * (cos(angle) + i sin(angle))``: complex64 (complex128 from float64)."""
    from ..ops.complex_ops import complex as _complex

    r, theta = convert_to_tensor(abs_), convert_to_tensor(angle)
    dtype = "float64" if "float64" in (r.dtype.name, theta.dtype.name) else "float32"
    r, theta = _array.cast(r, dtype), _array.cast(theta, dtype)
    return _complex(r * _math.cos(theta), r * _math.sin(theta))

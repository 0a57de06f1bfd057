"""Neural-network ops (``tf.nn``): activations, softmax, the fused cross-entropies and dropout."""

from __future__ import annotations

from typing import Any, Optional

from ..framework.ops import apply, convert_to_tensor
from ..framework.ragged_dispatch import on_flat_values
from ..framework.tensor import Tensor
from . import math_ops, random_ops


@on_flat_values
def relu(features: Any, name: Optional[str] = None) -> Tensor:
    return apply("relu", [features], op_name=name)


@on_flat_values
def relu6(features: Any, name: Optional[str] = None) -> Tensor:
    return math_ops.minimum(relu(features), 6.0)


def leaky_relu(features: Any, alpha: float = 0.2, name: Optional[str] = None) -> Tensor:
    return math_ops.maximum(features, math_ops.multiply(features, alpha))


@on_flat_values
def elu(features: Any, name: Optional[str] = None) -> Tensor:
    from .array_ops import where

    x = convert_to_tensor(features)
    return where(math_ops.greater(x, 0.0), x, math_ops.expm1(math_ops.minimum(x, 0.0)))


@on_flat_values
def selu(features: Any, name: Optional[str] = None) -> Tensor:
    alpha, scale = 1.6732632423543772, 1.0507009873554805
    x = convert_to_tensor(features)
    from .array_ops import where

    neg = math_ops.multiply(math_ops.expm1(math_ops.minimum(x, 0.0)), alpha)
    return math_ops.multiply(where(math_ops.greater(x, 0.0), x, neg), scale)


def silu(features: Any, beta: float = 1.0, name: Optional[str] = None) -> Tensor:
    return math_ops.multiply(features, math_ops.sigmoid(math_ops.multiply(features, beta)))


swish = silu
sigmoid = math_ops.sigmoid
tanh = math_ops.tanh
softplus = math_ops.softplus


@on_flat_values
def softsign(features: Any, name: Optional[str] = None) -> Tensor:
    """``features / (|features| + 1)``, for float tensors."""
    x = convert_to_tensor(features)
    if not x.dtype.is_floating:
        raise TypeError(f"softsign expects a float32 or float64 tensor, received {x.dtype.name}")
    return math_ops.divide(x, math_ops.add(math_ops.abs(x), 1.0))


def softmax(logits: Any, axis: Optional[int] = None, name: Optional[str] = None) -> Tensor:
    return apply("softmax", [logits], {"axis": -1 if axis is None else int(axis)}, op_name=name)


def log_softmax(logits: Any, axis: Optional[int] = None, name: Optional[str] = None) -> Tensor:
    return apply("log_softmax", [logits], {"axis": -1 if axis is None else int(axis)}, op_name=name)


def sparse_softmax_cross_entropy_with_logits(
    labels: Any = None, logits: Any = None, name: Optional[str] = None
) -> Tensor:
    """Per-example ``-log softmax(logits)[label]``; a label outside ``[0, classes)`` raises."""
    if labels is None or logits is None:
        raise ValueError("sparse_softmax_cross_entropy_with_logits needs both labels= and logits=")
    labels = convert_to_tensor(labels)
    if not labels.dtype.is_integer:
        raise TypeError(f"labels must be int32 or int64, received {labels.dtype.name}")
    return apply("sparse_softmax_cross_entropy", [logits, labels], op_name=name)


def softmax_cross_entropy_with_logits(
    labels: Any = None, logits: Any = None, axis: int = -1, name: Optional[str] = None
) -> Tensor:
    """Per-example ``-sum(labels * log_softmax(logits))`` along the last axis."""
    if labels is None or logits is None:
        raise ValueError("softmax_cross_entropy_with_logits needs both labels= and logits=")
    logits = convert_to_tensor(logits)
    labels = convert_to_tensor(labels, dtype=logits.dtype) if not isinstance(labels, Tensor) else labels
    if axis not in (-1, (logits.shape.rank or 0) - 1):
        from .array_ops import transpose

        rank = logits.shape.rank
        perm = [i for i in range(rank) if i != axis % rank] + [axis % rank]
        logits, labels = transpose(logits, perm), transpose(labels, perm)
    return apply("softmax_cross_entropy", [logits, labels], op_name=name)


def sigmoid_cross_entropy_with_logits(labels: Any = None, logits: Any = None, name: Optional[str] = None) -> Tensor:
    """``max(x, 0) - x * z + log(1 + exp(-|x|))``, TensorFlow's stable form."""
    x = convert_to_tensor(logits)
    z = convert_to_tensor(labels, dtype=x.dtype) if not isinstance(labels, Tensor) else labels
    return math_ops.add(
        math_ops.subtract(relu(x), math_ops.multiply(x, z)),
        math_ops.log1p(math_ops.exp(math_ops.negative(math_ops.abs(x)))),
    )


def l2_loss(t: Any, name: Optional[str] = None) -> Tensor:
    return math_ops.multiply(math_ops.reduce_sum(math_ops.square(t)), 0.5)


def bias_add(value: Any, bias: Any, data_format: Any = None, name: Optional[str] = None) -> Tensor:
    return math_ops.add(value, bias)


def dropout(
    x: Any,
    rate: Any,
    noise_shape: Any = None,
    seed: Optional[int] = None,
    name: Optional[str] = None,
) -> Tensor:
    """Inverted dropout: zeroes elements with probability ``rate`` and scales the rest by 1/(1-rate).

    ``rate`` may be a graph tensor (TF1's ``keep_prob`` placeholder): the mask then compares uniform draws
    with its value when the graph runs."""
    from ..framework.graph import SymbolicTensor

    if isinstance(rate, SymbolicTensor):
        return _dropout_tensor_rate(x, rate, noise_shape, seed)
    rate = float(rate)
    if not 0.0 <= rate < 1.0:
        raise ValueError(f"dropout rate must be in [0, 1), received {rate}")
    x = convert_to_tensor(x)
    if not x.dtype.is_floating:
        raise TypeError(f"dropout expects a float tensor, received {x.dtype.name}")
    if rate == 0.0:
        return x
    shape_source = x if noise_shape is None else random_ops.shape_source(noise_shape, x.dtype)
    # One fused op draws the scaled keep-mask (the uniform draws of random_uniform with this seed,
    # compared with `rate`, times 1/(1-rate)); its product with x carries the gradient.
    s, step = random_ops.resolve_seed(seed)
    mask = apply("dropout_mask", [shape_source], {"rate": rate, "seed": s, "step": step, "dtype": x.dtype.name})
    return math_ops.multiply(x, mask)


def _dropout_tensor_rate(x: Any, rate: Any, noise_shape: Any, seed: Optional[int]) -> Tensor:
    """Dropout whose rate is known only when the graph runs: keep where ``uniform >= rate``, scale by
    ``1 / (1 - rate)`` (TensorFlow's dropout_v2 with a tensor rate)."""
    from .array_ops import cast

    x = convert_to_tensor(x)
    if not x.dtype.is_floating:
        raise TypeError(f"dropout expects a float tensor, received {x.dtype.name}")
    if rate.shape.rank not in (None, 0):
        raise ValueError(f"rate must be a scalar tensor or a float in the range [0, 1), got shape {rate.shape}")
    rate = cast(rate, x.dtype) if rate.dtype != x.dtype else rate
    source = x if noise_shape is None else random_ops.shape_source(noise_shape, x.dtype)
    keep = math_ops.greater_equal(random_ops.uniform_like(source, seed=seed), rate)
    scale = math_ops.divide(1.0, math_ops.subtract(1.0, rate))
    return math_ops.multiply(x, math_ops.multiply(cast(keep, x.dtype), scale))


def moments(x: Any, axes: Any, shift: Any = None, keepdims: bool = False, name: Optional[str] = None) -> tuple:
    mean = math_ops.reduce_mean(x, axis=axes, keepdims=True)
    var = math_ops.reduce_mean(math_ops.square(math_ops.subtract(x, mean)), axis=axes, keepdims=keepdims)
    if not keepdims:
        mean = math_ops.reduce_mean(x, axis=axes)
    return mean, var

"""Keras 3's piecewise and gated activations: glu, hard/soft/tanh shrink, sparse_plus, sparse_sigmoid,
squareplus and threshold, built from ferroflow ops."""

from __future__ import annotations

from typing import Any

from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor
from ..ops import array_ops, math_ops
from ._symbolic import symbolic


def _tensor(x: Any) -> Tensor:
    return convert_to_tensor(x)


@symbolic()
def glu(x: Any, axis: int = -1) -> Tensor:
    """Gated linear unit: ``a * sigmoid(b)`` where ``a`` and ``b`` are the two halves of ``x`` along ``axis``."""
    x = _tensor(x)
    dims = x.shape.as_list()
    size = dims[axis]
    if size is None or size % 2 != 0:
        raise ValueError(f"axis size must be divisible by 2. Received: x.shape={tuple(dims)} with axis={axis}")
    first, second = [slice(None)] * len(dims), [slice(None)] * len(dims)
    first[axis], second[axis] = slice(0, size // 2), slice(size // 2, size)
    return x[tuple(first)] * math_ops.sigmoid(x[tuple(second)])


@symbolic()
def hard_shrink(x: Any, threshold: float = 0.5) -> Tensor:
    """``x`` where ``|x| > threshold``, else 0."""
    x = _tensor(x)
    return array_ops.where(math_ops.greater(math_ops.abs(x), threshold), x, array_ops.zeros_like(x))


@symbolic()
def soft_shrink(x: Any, threshold: float = 0.5) -> Tensor:
    """``x - threshold`` above ``threshold``, ``x + threshold`` below ``-threshold``, else 0."""
    x = _tensor(x)
    inner = array_ops.where(math_ops.less(x, -threshold), x + threshold, array_ops.zeros_like(x))
    return array_ops.where(math_ops.greater(x, threshold), x - threshold, inner)


@symbolic()
def tanh_shrink(x: Any) -> Tensor:
    """``x - tanh(x)``."""
    x = _tensor(x)
    return x - math_ops.tanh(x)


@symbolic()
def sparse_plus(x: Any) -> Tensor:
    """0 for ``x <= -1``, ``(x + 1)^2 / 4`` for ``-1 < x < 1``, ``x`` for ``x >= 1`` (a smooth ReLU)."""
    x = _tensor(x)
    middle = array_ops.where(math_ops.less(x, 1.0), 0.25 * math_ops.square(x + 1.0), x)
    return array_ops.where(math_ops.less_equal(x, -1.0), array_ops.zeros_like(x), middle)


@symbolic()
def sparse_sigmoid(x: Any) -> Tensor:
    """0 for ``x <= -1``, ``(x + 1) / 2`` for ``-1 < x < 1``, 1 for ``x >= 1``."""
    x = _tensor(x)
    upper = array_ops.where(math_ops.greater_equal(x, 1.0), array_ops.ones_like(x), 0.5 * (x + 1.0))
    return array_ops.where(math_ops.less_equal(x, -1.0), array_ops.zeros_like(x), upper)


@symbolic()
def squareplus(x: Any, b: float = 4) -> Tensor:
    """``(x + sqrt(x^2 + b)) / 2``, a smooth ReLU with curvature set by ``b``."""
    x = _tensor(x)
    return (x + math_ops.sqrt(math_ops.square(x) + array_ops.cast(b, x.dtype))) / 2.0


@symbolic()
def threshold(x: Any, threshold: float, default_value: float) -> Tensor:
    """``x`` where ``x > threshold``, else ``default_value``."""
    x = _tensor(x)
    return array_ops.where(math_ops.greater(x, threshold), x, array_ops.zeros_like(x) + default_value)

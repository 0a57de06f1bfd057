"""More ``tf.math`` names: ``accumulate_n``, ``nextafter`` and the modified Bessel functions ``bessel_i0``,
``i0e``, ``i1`` and ``i1e``.

The Bessel functions are composed of ops in float64 (a power series up to |x| = 20, the asymptotic expansion
beyond), so they run in graphs and their gradients come from the same formulas.
"""

from __future__ import annotations

import math
from typing import Any, Optional

import numpy as np

from ..framework.ops import convert_to_tensor
from ..framework.ragged_dispatch import on_flat_values
from ..framework.sparse_tensor import on_values as _on_values
from ..framework.tensor import Tensor
from . import array_ops, math_ops

_SWITCH = 20.0  # below: power series; above: asymptotic expansion (error about e^(-2|x|) relative)
_SERIES_TERMS = 50
_ASYMPTOTIC_TERMS = 25


def accumulate_n(inputs: Any, shape: Any = None, tensor_dtype: Any = None, name: Optional[str] = None) -> Tensor:
    """The elementwise sum of a list of tensors of one shape and dtype (``add_n``)."""
    if not isinstance(inputs, (list, tuple)) or not inputs:
        raise ValueError("inputs must be a list of at least one Tensor with the same dtype and shape")
    tensors = [convert_to_tensor(t) for t in inputs]
    first = tensors[0]
    for t in tensors[1:]:
        if t.dtype != first.dtype or not t.shape.is_compatible_with(first.shape):
            raise ValueError("inputs must be a list of at least one Tensor with the same dtype and shape")
    return math_ops.add_n(tensors)


def nextafter(x1: Any, x2: Any, name: Optional[str] = None) -> Tensor:
    """The next representable value after ``x1`` towards ``x2`` (elementwise with broadcasting, float32 or
    float64). Its gradient is TensorFlow's: the upstream gradient for ``x1``, zeros for ``x2``."""
    from ..framework.ops import binary_operands
    from ._graph_checks import op_def_error

    # A Python operand takes the other's dtype, as TensorFlow converts the inputs of one type attribute.
    a, b = (convert_to_tensor(v) for v in binary_operands(x1, x2))
    tf_name = {"float16": "half", "float32": "float", "float64": "double"}  # TensorFlow's names in messages
    if a.dtype.name not in ("float32", "float64"):
        raise op_def_error(
            f"Value for attr 'T' of {tf_name.get(a.dtype.name, a.dtype.name)} is not in the list of allowed "
            "values: double, float"
        )
    if a.dtype != b.dtype:
        raise op_def_error(
            f"cannot compute NextAfter as input #1(zero-based) was expected to be a {tf_name[a.dtype.name]} "
            f"tensor but is a {tf_name.get(b.dtype.name, b.dtype.name)} tensor"
        )
    if a.shape != b.shape:
        # Broadcast first: the gradient rule below then needs no reduction to the inputs' shapes. The sum's
        # shape is the broadcast one (its values are never used).
        total = math_ops.add(array_ops.stop_gradient(a), array_ops.stop_gradient(b))
        dims, static = array_ops.shape(total), total.shape
        a, b = array_ops.broadcast_to(a, dims), array_ops.broadcast_to(b, dims)
    else:
        static = a.shape
    return _nextafter(a, b, static, name or "NextAfter")


def _nextafter(a: Tensor, b: Tensor, static: Any, name: str) -> Tensor:
    from ..framework.custom_gradient import custom_gradient
    from .host_op import host_op

    def run(arrays: list) -> list:
        return [np.nextafter(arrays[0], arrays[1])]

    @custom_gradient
    def op(u: Tensor, v: Tensor) -> Any:
        dims = None if static.rank is None else static.as_list()
        out = host_op(name, run, [u, v], [(u.dtype, dims)])[0]
        return out, lambda dy: (dy, array_ops.zeros_like(dy))

    return op(a, b)


def _horner(coefficients: list, y: Tensor) -> Tensor:
    acc = array_ops.zeros_like(y) + coefficients[-1]
    for c in reversed(coefficients[:-1]):
        acc = math_ops.add(math_ops.multiply(acc, y), c)
    return acc


def _series_coefficients(order: int) -> list:
    """``1 / (k! (k + order)!)``: I_order(x) = (x/2)^order * sum_k c_k (x^2/4)^k."""
    return [1.0 / (math.factorial(k) * math.factorial(k + order)) for k in range(_SERIES_TERMS)]


def _asymptotic_coefficients(order: int) -> list:
    """``(-1)^k a_k(order)``: I_order(x) e^(-x) ~ (2 pi x)^(-1/2) sum_k (-1)^k a_k / x^k."""
    mu, coefficients, a = 4.0 * order * order, [1.0], 1.0
    for k in range(1, _ASYMPTOTIC_TERMS):
        a *= (mu - (2 * k - 1) ** 2) / (k * 8.0)
        coefficients.append(a * (-1) ** k)
    return coefficients


def _bessel_ie(x: Any, order: int) -> Tensor:
    """``exp(-|x|) I_order(x)`` for order 0 or 1, in the input's float dtype."""
    t = convert_to_tensor(x)
    if not t.dtype.is_floating:
        raise TypeError(f"bessel functions expect float32 or float64 input, received {t.dtype.name}")
    x64 = array_ops.cast(t, "float64")
    ax = math_ops.abs(x64)
    small = math_ops.less_equal(ax, _SWITCH)
    # Each branch sees only inputs in its range, so the branch not taken never overflows (nor its gradient).
    xs = array_ops.where(small, x64, array_ops.zeros_like(x64))
    xl = array_ops.where(small, array_ops.ones_like(ax) * (2 * _SWITCH), ax)
    series = _horner(_series_coefficients(order), math_ops.square(xs) * 0.25)
    if order == 1:
        series = math_ops.multiply(series, xs * 0.5)
    near = math_ops.multiply(series, math_ops.exp(math_ops.negative(math_ops.abs(xs))))
    far = math_ops.divide(
        _horner(_asymptotic_coefficients(order), math_ops.reciprocal(xl)), math_ops.sqrt(xl * (2 * math.pi))
    )
    if order == 1:
        far = math_ops.multiply(far, math_ops.sign(x64))
    return array_ops.cast(array_ops.where(small, near, far), t.dtype)


@_on_values
def bessel_i0e(x: Any, name: Optional[str] = None) -> Tensor:
    """``exp(-|x|) I0(x)``, the exponentially scaled modified Bessel function of order 0."""
    return _bessel_ie(x, 0)


@_on_values
def bessel_i1e(x: Any, name: Optional[str] = None) -> Tensor:
    """``exp(-|x|) I1(x)``, the exponentially scaled modified Bessel function of order 1."""
    return _bessel_ie(x, 1)


@on_flat_values
def bessel_i0(x: Any, name: Optional[str] = None) -> Tensor:
    """``I0(x)``, the modified Bessel function of the first kind of order 0."""
    t = convert_to_tensor(x)
    return math_ops.multiply(bessel_i0e(t), math_ops.exp(math_ops.abs(t)))


def bessel_i1(x: Any, name: Optional[str] = None) -> Tensor:
    """``I1(x)``, the modified Bessel function of the first kind of order 1."""
    t = convert_to_tensor(x)
    return math_ops.multiply(bessel_i1e(t), math_ops.exp(math_ops.abs(t)))

"""Math ops with TensorFlow 2's names: arithmetic, reductions, comparisons, ``matmul``, elementwise functions."""

from __future__ import annotations

from typing import Any, Optional, Sequence

from ..framework.dtypes import as_dtype
from ..framework.ops import apply, binary_operands, convert_to_tensor
from ..framework.ops import truediv as _truediv
from ..framework.ragged_dispatch import on_flat_values
from ..framework.ragged_tensor import RaggedTensor
from ..framework.sparse_tensor import on_values as _on_values
from ..framework.tensor import Tensor


def _binary(op: str, doc: str, node_name: Optional[str] = None):
    """A binary op; in a graph its node is ``name``, else ``node_name`` where TensorFlow's node name differs
    from the op type (``tf.add`` makes an ``AddV2`` node named "Add")."""

    def fn(x: Any, y: Any, name: Optional[str] = None) -> Tensor:
        if isinstance(x, RaggedTensor) or isinstance(y, RaggedTensor):
            from .ragged_ops import elementwise_binary

            return elementwise_binary(fn, x, y)
        a, b = binary_operands(x, y)
        return apply(op, [a, b], op_name=name or node_name)

    fn.__doc__ = doc
    return fn


def _unary(op: str, doc: str):
    def fn(x: Any, name: Optional[str] = None) -> Tensor:
        if isinstance(x, RaggedTensor):
            return x.with_flat_values(fn(x.flat_values))
        return apply(op, [x], op_name=name)

    fn.__doc__ = doc
    return fn


add = _binary("add", "x + y with broadcasting.", "Add")
subtract = _binary("sub", "x - y with broadcasting.")
multiply = _binary("mul", "x * y with broadcasting.")
maximum = _binary("maximum", "Elementwise maximum with broadcasting.")
minimum = _binary("minimum", "Elementwise minimum with broadcasting.")
floordiv = _binary("floordiv", "Floor division (rounds toward negative infinity).")
floormod = _binary("mod", "Remainder of floor division; the sign follows the divisor, as in Python.")
mod = floormod
pow = _binary("pow", "x ** y.")
equal = _binary("equal", "x == y elementwise.")
not_equal = _binary("not_equal", "x != y elementwise.")
less = _binary("less", "x < y elementwise.")
less_equal = _binary("less_equal", "x <= y elementwise.")
greater = _binary("greater", "x > y elementwise.")
greater_equal = _binary("greater_equal", "x >= y elementwise.")
logical_and = _binary("logical_and", "Elementwise and of bool tensors.")
logical_or = _binary("logical_or", "Elementwise or of bool tensors.")

negative = _unary("neg", "-x.")
exp = _unary("exp", "e ** x.")
log = _unary("log", "Natural logarithm.")
sqrt = _unary("sqrt", "Square root.")
rsqrt = _unary("rsqrt", "1 / sqrt(x).")
square = _unary("square", "x * x.")
_real_abs = _unary("abs", "|x|.")


def abs(x: Any, name: Optional[str] = None) -> Tensor:  # noqa: A001
    """``|x|``; for a complex tensor the modulus, as a float tensor of its parts' dtype."""
    if not isinstance(x, RaggedTensor):
        x = convert_to_tensor(x)
        if x.dtype.is_complex:
            from .complex_ops import complex_abs

            return complex_abs(x, name=name)
    return _real_abs(x, name=name)


sign = _unary("sign", "-1, 0 or 1 by the sign of x.")
tanh = _unary("tanh", "Hyperbolic tangent.")
sigmoid = _unary("sigmoid", "1 / (1 + exp(-x)), computed stably.")
reciprocal = _unary("reciprocal", "1 / x.")
floor = _unary("floor", "Largest integer not above x.")
ceil = _unary("ceil", "Smallest integer not below x.")
round = _unary("round", "Round half to even, as tf.round.")
sin = _unary("sin", "Sine.")
cos = _unary("cos", "Cosine.")
log1p = _unary("log1p", "log(1 + x), accurate near 0.")
expm1 = _unary("expm1", "exp(x) - 1, accurate near 0.")
softplus = _unary("softplus", "log(1 + exp(x)), computed stably.")
logical_not = _unary("logical_not", "Elementwise not of a bool tensor.")
relu = _unary("relu", "max(x, 0).")


def divide(x: Any, y: Any, name: Optional[str] = None) -> Tensor:
    """x / y; integers divide as float64, like ``tf.math.divide``."""
    if isinstance(x, RaggedTensor) or isinstance(y, RaggedTensor):
        from .ragged_ops import elementwise_binary

        return elementwise_binary("truediv", x, y)
    return _truediv(x, y, name or "truediv")


truediv = divide


def matmul(
    a: Any,
    b: Any,
    transpose_a: bool = False,
    transpose_b: bool = False,
    adjoint_a: bool = False,
    adjoint_b: bool = False,
    name: Optional[str] = None,
    **unused: Any,
) -> Tensor:
    """Matrix product over the last two axes; leading axes broadcast. ``adjoint_*`` conjugate and transpose."""
    if adjoint_a or adjoint_b:
        from .complex_ops import conj

        a = conj(a) if adjoint_a else a
        b = conj(b) if adjoint_b else b
    attrs = {
        "transpose_a": bool(transpose_a or adjoint_a),
        "transpose_b": bool(transpose_b or adjoint_b),
    }
    return apply("matmul", [a, b], attrs, op_name=name)


def _axis(axis: Any) -> Any:
    if isinstance(axis, Tensor):
        axis = axis.numpy().tolist()
    if axis is None or isinstance(axis, int):
        return axis
    return [int(a) for a in axis]


def _reduction(op: str, doc: str):
    def fn(input_tensor: Any, axis: Any = None, keepdims: bool = False, name: Optional[str] = None) -> Tensor:
        if isinstance(input_tensor, RaggedTensor):
            from .ragged_reduce_ops import reduce

            return reduce(op[len("reduce_") :], input_tensor, axis, keepdims)
        return apply(op, [input_tensor], {"axis": _axis(axis), "keepdims": bool(keepdims)}, op_name=name)

    fn.__doc__ = doc
    return fn


reduce_sum = _reduction("reduce_sum", "Sum over ``axis`` (all axes when None).")
reduce_mean = _reduction("reduce_mean", "Mean over ``axis`` (all axes when None).")
reduce_max = _reduction("reduce_max", "Maximum over ``axis`` (all axes when None).")
reduce_min = _reduction("reduce_min", "Minimum over ``axis`` (all axes when None).")
reduce_prod = _reduction("reduce_prod", "Product over ``axis`` (all axes when None).")


def argmax(input: Any, axis: Any = None, output_type: Any = "int64", name: Optional[str] = None) -> Tensor:
    attrs = {"axis": 0 if axis is None else int(axis), "output_type": as_dtype(output_type).name}
    return apply("argmax", [input], attrs, op_name=name)


def argmin(input: Any, axis: Any = None, output_type: Any = "int64", name: Optional[str] = None) -> Tensor:
    attrs = {"axis": 0 if axis is None else int(axis), "output_type": as_dtype(output_type).name}
    return apply("argmin", [input], attrs, op_name=name)


def add_n(inputs: Sequence[Any], name: Optional[str] = None) -> Tensor:
    if not inputs:
        raise ValueError("add_n expects a non-empty list of tensors")
    total = convert_to_tensor(inputs[0])
    for x in inputs[1:]:
        total = add(total, x)
    return total


def clip_by_value(t: Any, clip_value_min: Any, clip_value_max: Any, name: Optional[str] = None) -> Tensor:
    return minimum(maximum(t, clip_value_min), clip_value_max)


def is_nan(x: Any, name: Optional[str] = None) -> Tensor:
    return not_equal(x, x)


@on_flat_values
def is_finite(x: Any, name: Optional[str] = None) -> Tensor:
    x = convert_to_tensor(x)
    return less(abs(subtract(x, x)), 1.0) if x.dtype.is_floating else equal(x, x)


def is_inf(x: Any, name: Optional[str] = None) -> Tensor:
    return logical_and(logical_not(is_finite(x)), equal(x, x))


def reduce_variance(input_tensor: Any, axis: Any = None, keepdims: bool = False, name: Optional[str] = None) -> Tensor:
    mean = reduce_mean(input_tensor, axis=axis, keepdims=True)
    return reduce_mean(square(subtract(input_tensor, mean)), axis=axis, keepdims=keepdims)


def reduce_std(input_tensor: Any, axis: Any = None, keepdims: bool = False, name: Optional[str] = None) -> Tensor:
    return sqrt(reduce_variance(input_tensor, axis=axis, keepdims=keepdims))


def reduce_logsumexp(input_tensor: Any, axis: Any = None, keepdims: bool = False, name: Optional[str] = None) -> Tensor:
    from .array_ops import stop_gradient

    m = stop_gradient(reduce_max(input_tensor, axis=axis, keepdims=True))
    out = add(log(reduce_sum(exp(subtract(input_tensor, m)), axis=axis, keepdims=True)), m)
    return out if keepdims else _squeeze_axes(out, axis)


def _squeeze_axes(x: Tensor, axis: Any) -> Tensor:
    from .array_ops import squeeze

    return squeeze(x, axis=None if axis is None else _axis(axis)) if axis is not None else reduce_sum(x)


def l2_normalize(x: Any, axis: Any = None, epsilon: float = 1e-12, name: Optional[str] = None) -> Tensor:
    sq = reduce_sum(square(x), axis=axis, keepdims=True)
    return multiply(x, rsqrt(maximum(sq, epsilon)))


# TensorFlow's zero-preserving elementwise ops also take a SparseTensor (new values, the same indices).
abs, negative, sign, square, sqrt, tanh = map(_on_values, (abs, negative, sign, square, sqrt, tanh))  # noqa: A001

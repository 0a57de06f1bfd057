"""``tf.math`` functions defined by a few core ops each: safe division, logical reductions, ``polyval`` ...

Their gradients are those of the ops they are made of; where TensorFlow defines a gradient at a point the
composition would make NaN (``divide_no_nan`` at y = 0, ``xlogy`` at x = 0), a ``where`` keeps it finite.
"""

from __future__ import annotations

from typing import Any, Optional

from ..framework.ops import binary_operands, convert_to_tensor
from ..framework.tensor import Tensor
from .array_ops import cast, where, zeros_like
from .math_ops import (
    cos,
    equal,
    log,
    logical_and,
    logical_not,
    logical_or,
    not_equal,
    reduce_max,
    reduce_min,
    reduce_sum,
    sin,
    softplus,
    square,
)


def squared_difference(x: Any, y: Any, name: Optional[str] = None) -> Tensor:
    """``(x - y) ** 2`` elementwise."""
    x, y = binary_operands(x, y)
    return square(convert_to_tensor(x) - y)


def divide_no_nan(x: Any, y: Any, name: Optional[str] = None) -> Tensor:
    """``x / y``, and 0 where ``y`` is 0 (with a zero gradient there)."""
    x, y = binary_operands(x, y)
    x, y = convert_to_tensor(x), convert_to_tensor(y)
    zero = equal(y, zeros_like(y))
    safe = where(zero, y + 1, y)  # 1 where y == 0, so neither the value nor its gradient is inf
    return where(zero, zeros_like(x / safe), x / safe)


def reciprocal_no_nan(x: Any, name: Optional[str] = None) -> Tensor:
    """``1 / x``, and 0 where ``x`` is 0."""
    x = convert_to_tensor(x)
    return divide_no_nan(convert_to_tensor(1, dtype=x.dtype), x)


def xlogy(x: Any, y: Any, name: Optional[str] = None) -> Tensor:
    """``x * log(y)``, and 0 where ``x`` is 0 (even where ``y`` is 0)."""
    x, y = binary_operands(x, y)
    x, y = convert_to_tensor(x), convert_to_tensor(y)
    zero = equal(x, zeros_like(x))
    safe_y = where(zero, zeros_like(y) + 1, y)
    return where(zero, zeros_like(x * safe_y), x * log(safe_y))


def xdivy(x: Any, y: Any, name: Optional[str] = None) -> Tensor:
    """``x / y``, and 0 where ``x`` is 0."""
    x, y = binary_operands(x, y)
    x, y = convert_to_tensor(x), convert_to_tensor(y)
    zero = equal(x, zeros_like(x))
    safe_y = where(zero, zeros_like(y) + 1, y)
    return where(zero, zeros_like(x / safe_y), x / safe_y)


def tan(x: Any, name: Optional[str] = None) -> Tensor:
    """Tangent, as ``sin(x) / cos(x)``."""
    return sin(x) / cos(x)


def log_sigmoid(x: Any, name: Optional[str] = None) -> Tensor:
    """``log(sigmoid(x))``, computed stably as ``-softplus(-x)``."""
    return -softplus(-convert_to_tensor(x))


def logical_xor(x: Any, y: Any, name: Optional[str] = None) -> Tensor:
    """Elementwise exclusive or of bool tensors."""
    return logical_and(logical_or(x, y), logical_not(logical_and(x, y)))


def _bool_input(x: Any, op: str) -> Tensor:
    x = convert_to_tensor(x)
    if not x.dtype.is_bool:
        raise TypeError(f"{op} expects a bool tensor, received {x.dtype.name}")
    return x


def _logical_reduce(op: str, reduce: Any, empty: bool, input_tensor: Any, axis: Any, keepdims: bool) -> Tensor:
    x = cast(_bool_input(input_tensor, op), "int32")
    if not _nonempty(x):
        return _empty_result(x, axis, keepdims, empty)
    return cast(reduce(x, axis=axis, keepdims=keepdims), "bool")


def reduce_any(input_tensor: Any, axis: Any = None, keepdims: bool = False, name: Optional[str] = None) -> Tensor:
    """Logical or over ``axis`` (all axes when None); False over no elements."""
    return _logical_reduce("reduce_any", reduce_max, False, input_tensor, axis, keepdims)


def reduce_all(input_tensor: Any, axis: Any = None, keepdims: bool = False, name: Optional[str] = None) -> Tensor:
    """Logical and over ``axis`` (all axes when None); True over no elements."""
    return _logical_reduce("reduce_all", reduce_min, True, input_tensor, axis, keepdims)


def _nonempty(x: Tensor) -> bool:
    return x.shape.rank is None or all(d != 0 for d in x.shape)


def _empty_result(x: Tensor, axis: Any, keepdims: bool, value: bool) -> Tensor:
    # max/min over no elements have no identity; a sum of zeros has the reduced shape.
    total = reduce_sum(x, axis=axis, keepdims=keepdims)
    return equal(total, 0) if value else not_equal(total, 0)


def count_nonzero(
    input: Any,  # noqa: A002
    axis: Any = None,
    keepdims: bool = False,
    dtype: Any = "int64",
    name: Optional[str] = None,
) -> Tensor:
    """How many elements along ``axis`` are not zero (not False, for bools)."""
    x = convert_to_tensor(input)
    nonzero = x if x.dtype.is_bool else not_equal(x, zeros_like(x))
    return reduce_sum(cast(nonzero, dtype), axis=axis, keepdims=keepdims)


def polyval(coeffs: Any, x: Any, name: Optional[str] = None) -> Tensor:
    """``coeffs[0] * x**(n-1) + ... + coeffs[n-1]`` by Horner's rule (``coeffs`` a list of tensors)."""
    if not isinstance(coeffs, (list, tuple)):
        raise ValueError(f"polyval expects coeffs as a list of tensors, received {type(coeffs).__name__}")
    x = convert_to_tensor(x)
    if not coeffs:
        return zeros_like(x)
    result = convert_to_tensor(coeffs[0], dtype=x.dtype) + zeros_like(x)
    for c in coeffs[1:]:
        result = result * x + c
    return result

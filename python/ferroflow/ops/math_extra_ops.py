"""``tf.math`` functions composed of core ops: ``reduce_euclidean_norm``, ``multiply_no_nan``, ``rint``,
``zero_fraction``, the monotonicity tests, ``cumulative_logsumexp``, ``invert_permutation``, ``scalar_mul``,
``xlog1py``, ``realdiv``, ``truncatediv``, ``truncatemod`` and ``saturate_cast``.

Where TensorFlow registers no gradient (``rint``, ``truncatediv``, ``truncatemod``) the result goes through
``stop_gradient``, so a tape gives None for it as TensorFlow's does.
"""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from .._core import InvalidArgumentError
from ..framework.dtypes import DType, as_dtype
from ..framework.ops import binary_operands, convert_to_tensor
from ..framework.ragged_dispatch import on_flat_values
from ..framework.tensor import EagerTensor, Tensor
from ._checks import check_values, float_input, int_input, same_dtype
from .array_ops import cast, range, reshape, size, stop_gradient, where, zeros_like
from .math_derived_ops import count_nonzero, reduce_all
from .math_ops import (
    abs,
    equal,
    floor,
    floordiv,
    floormod,
    greater,
    greater_equal,
    is_finite,
    less,
    log1p,
    logical_and,
    maximum,
    minimum,
    multiply,
    reduce_sum,
    round,
    sign,
    softplus,
    sqrt,
    square,
)
from .scan_ops import _scan
from .segment_ops import unsorted_segment_sum


def reduce_euclidean_norm(
    input_tensor: Any, axis: Any = None, keepdims: bool = False, name: Optional[str] = None
) -> Tensor:
    """``sqrt(sum(x ** 2))`` over ``axis``; integers keep their dtype (the root is truncated, as TensorFlow's)."""
    x = convert_to_tensor(input_tensor)
    if x.dtype.is_bool:
        raise TypeError("reduce_euclidean_norm expects a numeric tensor, received bool")
    total = reduce_sum(square(x), axis=axis, keepdims=keepdims)
    if x.dtype.is_integer:
        return cast(sqrt(cast(total, "float64")), x.dtype)
    return sqrt(total)


def _float_pair(x: Any, y: Any, op: str) -> tuple:
    x, y = binary_operands(x, y)
    x, y = float_input(x, op, " for x"), convert_to_tensor(y)
    if x.dtype != y.dtype:
        # TensorFlow converts y to x's dtype and raises ValueError when it cannot.
        raise ValueError(f"{op}: y must have x's dtype {x.dtype.name}, received {y.dtype.name}")
    return x, y


def _zero_with_gradient(x: Tensor) -> Tensor:
    """Exactly 0 (where ``x`` is finite), with gradient 1 with respect to ``x``."""
    finite = where(is_finite(x), x, zeros_like(x))
    return finite - stop_gradient(finite)


def multiply_no_nan(x: Any, y: Any, name: Optional[str] = None) -> Tensor:
    """``x * y``, and 0 where ``y`` is 0 even if ``x`` is NaN or infinite."""
    x, y = _float_pair(x, y, "multiply_no_nan")
    zero = equal(y, zeros_like(y))
    product = where(zero, zeros_like(x), x) * y
    # Where y == 0 the derivative with respect to y is x (TensorFlow's gradient); the term below is 0.
    return product + where(zero, where(is_finite(x), x, zeros_like(x)), zeros_like(x)) * _zero_with_gradient(
        where(zero, y, zeros_like(y))
    )


@on_flat_values
def rint(x: Any, name: Optional[str] = None) -> Tensor:
    """The nearest integer, halves to even (``-0.5 -> -0``, ``2.5 -> 2``); no gradient, as TensorFlow's."""
    return stop_gradient(round(float_input(x, "rint")))


def zero_fraction(value: Any, name: Optional[str] = None) -> Tensor:
    """The fraction of elements that are 0 (False), as float32; NaN for an empty tensor."""
    x = convert_to_tensor(value)
    total = size(x, out_type="int64")
    zeros = total - count_nonzero(x, dtype="int64")
    return cast(zeros, "float32") / cast(total, "float32")


def _monotonic(x: Any, compare: Any, op: str) -> Tensor:
    t = convert_to_tensor(x)
    if not (t.dtype.is_floating or t.dtype.is_integer):
        raise TypeError(f"{op}: Expected x to be numeric, instead found a tensor of dtype {t.dtype.name}")
    flat = reshape(t, [-1])
    return reduce_all(compare(flat[1:], flat[:-1]))


def is_non_decreasing(x: Any, name: Optional[str] = None) -> Tensor:
    """Whether each element of ``x`` (flattened) is >= the one before; True for fewer than two elements."""
    return _monotonic(x, greater_equal, "is_non_decreasing")


def is_strictly_increasing(x: Any, name: Optional[str] = None) -> Tensor:
    """Whether each element of ``x`` (flattened) is > the one before; True for fewer than two elements."""
    return _monotonic(x, greater, "is_strictly_increasing")


def _logaddexp(a: Tensor, b: Tensor) -> Tensor:
    """``log(exp(a) + exp(b))``: each branch is exact with exact gradients (ties share them equally)."""
    m = maximum(a, b)
    finite = is_finite(m)  # both -inf, an inf or a NaN: the result is m itself
    a, b = where(finite, a, zeros_like(a)), where(finite, b, zeros_like(b))
    both = where(greater_equal(a, b), a + softplus(b - a), b + softplus(a - b))
    return where(finite, both, m)


def cumulative_logsumexp(
    x: Any, axis: int = 0, exclusive: bool = False, reverse: bool = False, name: Optional[str] = None
) -> Tensor:
    """Running ``log(sum(exp(x)))`` along ``axis``; ``exclusive`` starts from -inf, ``reverse`` from the end."""
    t = float_input(x, "cumulative_logsumexp")
    if t.shape.rank == 0:
        raise InvalidArgumentError("cumulative_logsumexp needs a tensor of rank at least 1, received a scalar")
    return _scan(t, axis, exclusive, reverse, _logaddexp, -np.inf, "cumulative_logsumexp")


def invert_permutation(x: Any, name: Optional[str] = None) -> Tensor:
    """``y`` with ``y[x[i]] = i`` for a permutation ``x`` of ``0 .. n-1``."""
    t = int_input(x, "invert_permutation")
    if t.shape.rank != 1 or t.shape[0] is None:
        raise InvalidArgumentError(f"invert_permutation expects a 1-D vector of known length, received shape {t.shape}")
    n = t.shape[0]
    if isinstance(t, EagerTensor):
        values = t.numpy()
        bad = (values < 0) | (values >= n)
        if bad.any():
            raise InvalidArgumentError(f"{values[bad][0]} is not between 0 and {n}")
        counts = np.bincount(values, minlength=n)
        if (counts > 1).any():
            raise InvalidArgumentError(f"{int(np.argmax(counts > 1))} is duplicated in the input")
    if not isinstance(t, EagerTensor):
        # Out-of-range values go to 0 so that the traced call completes and its check reports them.
        t = where(logical_and(greater_equal(t, 0), less(t, n)), t, zeros_like(t))
        seen = unsorted_segment_sum(convert_to_tensor(np.ones(n, np.int32)), t, n)
        check_values(equal(seen, 1), "invert_permutation: the input is not a permutation of 0 .. n-1")
    return unsorted_segment_sum(range(n, dtype=t.dtype), t, n)


def scalar_mul(scalar: Any, x: Any, name: Optional[str] = None) -> Tensor:
    """``scalar * x`` for a 0-D ``scalar`` (converted to ``x``'s dtype)."""
    x = convert_to_tensor(x)
    s = convert_to_tensor(scalar, dtype=x.dtype)
    if s.shape.rank != 0:
        raise ValueError(f"The input scalar must be a 0-D value. Received shape {tuple(s.shape)}.")
    return multiply(s, x)


def xlog1py(x: Any, y: Any, name: Optional[str] = None) -> Tensor:
    """``x * log1p(y)``, and 0 where ``x`` is 0 (even where ``y`` is -1 or NaN)."""
    x, y = _float_pair(x, y, "xlog1py")
    zero = equal(x, zeros_like(x))
    safe_y = where(zero, zeros_like(y), y)
    return where(zero, zeros_like(x * safe_y), x * log1p(safe_y))


def realdiv(x: Any, y: Any, name: Optional[str] = None) -> Tensor:
    """``x / y`` for floats of one dtype (TensorFlow has no integer kernel for it on CPU)."""
    x, y = binary_operands(x, y)
    x, y = float_input(x, "realdiv", " for x"), float_input(y, "realdiv", " for y")
    same_dtype(x, y, "realdiv")
    return x / y


def _numeric_pair(x: Any, y: Any, op: str) -> tuple:
    x, y = binary_operands(x, y)
    x, y = convert_to_tensor(x), convert_to_tensor(y)
    if x.dtype.is_bool or y.dtype.is_bool:
        raise TypeError(f"{op} expects int32, int64, float32 or float64 tensors, received bool")
    same_dtype(x, y, op)
    return x, y


def truncatediv(x: Any, y: Any, name: Optional[str] = None) -> Tensor:
    """``x / y`` rounded toward zero (C's integer division); integer division by zero raises."""
    x, y = _numeric_pair(x, y, "truncatediv")
    if x.dtype.is_integer:
        return stop_gradient(sign(x) * sign(y) * floordiv(abs(x), abs(y)))
    q = x / y
    return stop_gradient(sign(q) * floor(abs(q)))


def truncatemod(x: Any, y: Any, name: Optional[str] = None) -> Tensor:
    """The remainder of ``truncatediv`` (C's ``%`` and ``fmod``): it has the sign of ``x``."""
    x, y = _numeric_pair(x, y, "truncatemod")
    # On magnitudes floor and truncated remainders agree, and the core's is exact.
    return stop_gradient(sign(x) * floormod(abs(x), abs(y)))


def _numpy_dtype(dtype: Any) -> np.dtype:
    """The NumPy type ``dtype`` names, keeping narrow ones (``uint8``) the core widens."""
    if isinstance(dtype, DType) or dtype in (float, int, bool):
        return np.dtype(as_dtype(dtype).as_numpy_dtype)
    return np.dtype(getattr(dtype, "as_numpy_dtype", dtype))


def _value_range(dt: np.dtype) -> tuple:
    info = np.finfo(dt) if dt.kind == "f" else np.iinfo(dt)
    kind = float if dt.kind == "f" else int
    return kind(info.min), kind(info.max)


def _saturation_bounds(src: np.dtype, dst: np.dtype) -> tuple:
    """The values of ``src`` nearest to ``dst``'s range ends and inside it (Python compares int and float
    exactly, so float32 2**63 is not taken as within int64)."""
    (s_lo, s_hi), (d_lo, d_hi) = _value_range(src), _value_range(dst)
    bounds = []
    for end in (max(s_lo, d_lo), min(s_hi, d_hi)):
        v = src.type(end)
        while not d_lo <= (float(v) if src.kind == "f" else int(v)) <= d_hi:
            v = np.nextafter(v, src.type(0))
        bounds.append(v)
    return bounds[0], bounds[1]


@on_flat_values
def saturate_cast(value: Any, dtype: Any, name: Optional[str] = None) -> Tensor:
    """``cast`` after clamping to ``dtype``'s range (NaN stays NaN before the cast)."""
    x = convert_to_tensor(value)
    want = _numpy_dtype(dtype)
    if x.dtype.is_bool or want.kind == "b":
        raise TypeError(f"saturate_cast needs numeric types, received {x.dtype.name} to {want.name}")
    src, out = np.dtype(x.dtype.as_numpy_dtype), np.dtype(as_dtype(want).as_numpy_dtype)
    # Within the requested range (uint8's too) and the one of the dtype the core stores it in.
    (lo, hi), (out_lo, out_hi) = _saturation_bounds(src, want), _saturation_bounds(src, out)
    lo, hi = max(lo, out_lo), min(hi, out_hi)
    clamped = minimum(maximum(x, convert_to_tensor(lo, dtype=x.dtype)), convert_to_tensor(hi, dtype=x.dtype))
    return cast(clamped, as_dtype(want))

"""More of ``keras.ops``'s NumPy-named functions (sorting, flipping, axes, triangles, stacking, elementwise
math), written on ferroflow's TensorFlow-style ops with Keras 3's signatures and result dtypes."""

from __future__ import annotations

import builtins
from typing import Any, Optional, Sequence

import numpy as np

from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor
from ..ops import array_ops as _array
from ..ops import math_ops as _math

__all__ = [
    "arccos",
    "arccosh",
    "arcsin",
    "arcsinh",
    "arctan",
    "arctan2",
    "arctanh",
    "argsort",
    "cosh",
    "count_nonzero",
    "deg2rad",
    "divide_no_nan",
    "einsum",
    "erf",
    "erfinv",
    "exp2",
    "flip",
    "hstack",
    "identity",
    "isclose",
    "isfinite",
    "isinf",
    "isnan",
    "log10",
    "log2",
    "moveaxis",
    "nan_to_num",
    "outer",
    "rad2deg",
    "ravel",
    "sinh",
    "sort",
    "swapaxes",
    "take_along_axis",
    "tril",
    "triu",
    "trunc",
    "unstack",
    "vstack",
]


def _tf() -> Any:
    import ferroflow

    return ferroflow


def _float(x: Any) -> Tensor:
    """``x`` as a tensor, ints cast to float32 (Keras's unary float ops promote integers)."""
    t = convert_to_tensor(x)
    return t if t.dtype.is_floating else _array.cast(t, "float32")


def _unary(name: str) -> Any:
    def op(x: Any) -> Tensor:
        return getattr(_tf().math, name)(_float(x))

    return op


arccos, arccosh, arcsin, arcsinh = _unary("acos"), _unary("acosh"), _unary("asin"), _unary("asinh")
arctan, arctanh, cosh, sinh, erf, erfinv = (
    _unary("atan"),
    _unary("atanh"),
    _unary("cosh"),
    _unary("sinh"),
    _unary("erf"),
    _unary("erfinv"),
)
for _name in ("arccos", "arccosh", "arcsin", "arcsinh", "arctan", "arctanh", "cosh", "sinh", "erf", "erfinv"):
    globals()[_name].__name__ = _name
    globals()[_name].__doc__ = f"NumPy's ``{_name}``, elementwise (integers promote to float32)."


def arctan2(x1: Any, x2: Any) -> Tensor:
    """The angle of the point ``(x2, x1)``, elementwise."""
    return _tf().math.atan2(_float(x1), _float(x2))


def log2(x: Any) -> Tensor:
    """Base-2 logarithm, elementwise."""
    t = _float(x)
    return _math.divide(_math.log(t), convert_to_tensor(np.log(2.0), dtype=t.dtype))


def log10(x: Any) -> Tensor:
    """Base-10 logarithm, elementwise."""
    t = _float(x)
    return _math.divide(_math.log(t), convert_to_tensor(np.log(10.0), dtype=t.dtype))


def exp2(x: Any) -> Tensor:
    """``2 ** x``, elementwise."""
    t = _float(x)
    return _math.pow(convert_to_tensor(2.0, dtype=t.dtype), t)


def deg2rad(x: Any) -> Tensor:
    t = _float(x)
    return _math.multiply(t, convert_to_tensor(np.pi / 180.0, dtype=t.dtype))


def rad2deg(x: Any) -> Tensor:
    t = _float(x)
    return _math.multiply(t, convert_to_tensor(180.0 / np.pi, dtype=t.dtype))


def trunc(x: Any) -> Tensor:
    """Rounds toward zero; integers are returned as they are."""
    t = convert_to_tensor(x)
    return t if not t.dtype.is_floating else _math.multiply(_math.sign(t), _math.floor(_math.abs(t)))


def isnan(x: Any) -> Tensor:
    t = convert_to_tensor(x)
    return _tf().math.is_nan(t) if t.dtype.is_floating else _array.zeros_like(t, dtype="bool")


def isinf(x: Any) -> Tensor:
    t = convert_to_tensor(x)
    return _tf().math.is_inf(t) if t.dtype.is_floating else _array.zeros_like(t, dtype="bool")


def isfinite(x: Any) -> Tensor:
    t = convert_to_tensor(x)
    return _tf().math.is_finite(t) if t.dtype.is_floating else _array.ones_like(t, dtype="bool")


def isclose(x1: Any, x2: Any, rtol: float = 1e-5, atol: float = 1e-8, equal_nan: bool = False) -> Tensor:
    """``|x1 - x2| <= atol + rtol * |x2|``, elementwise."""
    a, b = _float(x1), _float(x2)
    b = _array.cast(b, a.dtype)
    close = _math.less_equal(_math.abs(_math.subtract(a, b)), _math.add(atol, _math.multiply(rtol, _math.abs(b))))
    if equal_nan:
        close = _math.logical_or(close, _math.logical_and(isnan(a), isnan(b)))
    return close


def nan_to_num(x: Any, nan: float = 0.0, posinf: Optional[float] = None, neginf: Optional[float] = None) -> Tensor:
    """``x`` with NaN, +inf and -inf replaced (by default by 0 and the dtype's largest and lowest values)."""
    t = convert_to_tensor(x)
    if not t.dtype.is_floating:
        return t
    info = np.finfo(t.dtype.as_numpy_dtype)
    big = info.max if posinf is None else posinf
    low = info.min if neginf is None else neginf

    def const(v: float) -> Tensor:
        return _array.broadcast_to(convert_to_tensor(v, dtype=t.dtype), _array.shape(t))

    t = _array.where(_tf().math.is_nan(t), const(nan), t)
    t = _array.where(_math.logical_and(_tf().math.is_inf(t), _math.greater(t, 0)), const(big), t)
    return _array.where(_tf().math.is_inf(t), const(low), t)


def divide_no_nan(x1: Any, x2: Any) -> Tensor:
    """``x1 / x2``, 0 where ``x2`` is 0."""
    return _tf().math.divide_no_nan(_float(x1), _float(x2))


def sort(x: Any, axis: int = -1) -> Tensor:
    """``x`` sorted ascending along ``axis``."""
    return _tf().sort(convert_to_tensor(x), axis=axis)


def argsort(x: Any, axis: int = -1) -> Tensor:
    """The indices (int32) that sort ``x`` ascending along ``axis``, ties in order (stable)."""
    t = convert_to_tensor(x)
    if axis is None:
        t, axis = _array.reshape(t, [-1]), 0
    return _array.cast(_tf().argsort(t, axis=axis, stable=True), "int32")


def flip(x: Any, axis: Any = None) -> Tensor:
    """``x`` reversed along ``axis`` (an int or a sequence; all axes when None)."""
    t = convert_to_tensor(x)
    rank = len(t.shape)
    axes = list(range(rank)) if axis is None else ([axis] if isinstance(axis, int) else list(axis))
    return _tf().reverse(t, [a % rank for a in axes])


def moveaxis(x: Any, source: Any, destination: Any) -> Tensor:
    """``x`` with the axes ``source`` moved to the positions ``destination``."""
    t = convert_to_tensor(x)
    rank = len(t.shape)
    src = [s % rank for s in ([source] if isinstance(source, int) else source)]
    dst = [d % rank for d in ([destination] if isinstance(destination, int) else destination)]
    order = [i for i in range(rank) if i not in src]
    for d, s in sorted(zip(dst, src)):
        order.insert(d, s)
    return _array.transpose(t, order)


def swapaxes(x: Any, axis1: int, axis2: int) -> Tensor:
    t = convert_to_tensor(x)
    order = list(range(len(t.shape)))
    order[axis1], order[axis2] = order[axis2], order[axis1]
    return _array.transpose(t, order)


def ravel(x: Any) -> Tensor:
    return _array.reshape(convert_to_tensor(x), [-1])


def _triangle(x: Any, k: int, lower: bool) -> Tensor:
    t = convert_to_tensor(x)
    rows, cols = t.shape[-2], t.shape[-1]
    i, j = np.arange(rows)[:, None], np.arange(cols)[None, :]
    mask = (j - i <= k) if lower else (j - i >= k)
    return _array.where(convert_to_tensor(mask), t, _array.zeros_like(t))


def tril(x: Any, k: int = 0) -> Tensor:
    """``x`` with the entries above the ``k``-th diagonal of its last two axes zeroed."""
    return _triangle(x, k, True)


def triu(x: Any, k: int = 0) -> Tensor:
    """``x`` with the entries below the ``k``-th diagonal of its last two axes zeroed."""
    return _triangle(x, k, False)


def unstack(x: Any, num: Optional[int] = None, axis: int = 0) -> list:
    return _array.unstack(convert_to_tensor(x), num=num, axis=axis)


def hstack(xs: Sequence[Any]) -> Tensor:
    """The tensors joined along their second axis (the first for 1-D tensors)."""
    ts = [convert_to_tensor(x) for x in xs]
    return _array.concat(ts, axis=0 if len(ts[0].shape) == 1 else 1)


def vstack(xs: Sequence[Any]) -> Tensor:
    """The tensors joined along their first axis (1-D ones end to end, as Keras's TensorFlow backend)."""
    return _array.concat([convert_to_tensor(x) for x in xs], axis=0)


def outer(x1: Any, x2: Any) -> Tensor:
    """The outer product of the flattened ``x1`` and ``x2``."""
    a, b = ravel(x1), ravel(x2)
    return _math.multiply(_array.reshape(a, [-1, 1]), _array.reshape(b, [1, -1]))


def einsum(subscripts: str, *operands: Any) -> Tensor:
    return _tf().einsum(subscripts, *operands)


def take_along_axis(x: Any, indices: Any, axis: Optional[int] = None) -> Tensor:
    """NumPy's ``take_along_axis``: ``x``'s entries at ``indices`` along ``axis`` (the flat ``x`` when None)."""
    t, idx = convert_to_tensor(x), convert_to_tensor(indices)
    if axis is None:
        t, axis = _array.reshape(t, [-1]), 0
    rank = len(t.shape)
    axis %= rank
    moved_t, moved_i = moveaxis(t, axis, -1), moveaxis(idx, axis, -1)
    idx_shape = list(moved_i.shape)
    idx_shape[:-1] = [builtins.max(a, b) for a, b in zip(idx_shape[:-1], moved_t.shape[:-1])]
    moved_t = _array.broadcast_to(moved_t, idx_shape[:-1] + [moved_t.shape[-1]])
    moved_i = _array.broadcast_to(moved_i, idx_shape)
    out = _array.gather(moved_t, moved_i, axis=rank - 1, batch_dims=rank - 1)
    return moveaxis(out, -1, axis)


def count_nonzero(x: Any, axis: Any = None) -> Tensor:
    """How many entries of ``x`` are not zero (int32), along ``axis`` or in all."""
    return _array.cast(_tf().math.count_nonzero(convert_to_tensor(x), axis=axis), "int32")


def identity(n: int, dtype: Any = None) -> Tensor:
    """NumPy's ``identity``: the ``n`` by ``n`` identity matrix (float32 by default)."""
    return _tf().eye(n, dtype=dtype or "float32")

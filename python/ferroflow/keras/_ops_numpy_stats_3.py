"""``keras.ops``'s averages, spreads, correlations, histograms and differences (``average``, ``ptp``,
``corrcoef``, ``correlate``, ``histogram``, ``trapezoid``, ``diff``, ``cdist``, ``allclose``), with Keras 3's
signatures and result dtypes."""

from __future__ import annotations

import builtins
from typing import Any, Optional

from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor
from ..ops import array_ops as _array
from ..ops import math_ops as _math
from ._dtype_promotion import result_type as _result_type
from ._ops_numpy_arrays_common import tf_module as _tf
from ._ops_numpy_more import moveaxis as _moveaxis
from ._ops_numpy_stats_4 import searchsorted as _searchsorted


def average(x: Any, axis: Optional[int] = None, weights: Any = None) -> Tensor:
    """The (``weights``-weighted) mean over ``axis`` (all when None); ``weights`` has ``x``'s shape or is 1-D
    along ``axis``. Integers compute in float32."""
    t = convert_to_tensor(x)
    if weights is None:
        return _math.reduce_mean(_array.cast(t, _result_type(t, float)), axis=axis)
    w = convert_to_tensor(weights)
    dtype = _result_type(t, w, float)
    t, w = _array.cast(t, dtype), _array.cast(w, dtype)
    if axis is None or len(t.shape) == len(w.shape):
        return _math.divide(_math.reduce_sum(_math.multiply(t, w), axis=axis), _math.reduce_sum(w, axis=axis))
    if len(w.shape) != 1:
        raise ValueError(
            "1D weights expected when shapes of a and weights differ. "
            f"Received: x.shape={t.shape}, weights.shape={w.shape}"
        )
    return _math.divide(_tf().tensordot(t, w, [[axis], [0]]), _math.reduce_sum(w))


def ptp(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
    """The range (largest minus smallest value) over ``axis`` (all when None)."""
    t = convert_to_tensor(x)
    return _math.subtract(
        _math.reduce_max(t, axis=axis, keepdims=keepdims), _math.reduce_min(t, axis=axis, keepdims=keepdims)
    )


def corrcoef(x: Any) -> Tensor:
    """The Pearson correlation matrix of the rows of ``x`` (variables by observations), clipped to [-1, 1];
    integers compute in float32."""
    t = convert_to_tensor(x)
    if not t.dtype.is_floating:
        t = _array.cast(t, "float64" if t.dtype.name in ("int64", "uint64") else "float32")
    if len(t.shape) == 0:
        return convert_to_tensor(float("nan"), dtype="float32")
    centered = _math.subtract(t, _math.reduce_mean(t, axis=-1, keepdims=True))
    n = _array.cast(_array.shape(t)[-1], t.dtype)
    if len(t.shape) == 1:
        cov = _math.divide(_math.reduce_sum(_math.square(centered)), _math.subtract(n, 1))
        return _math.divide(cov, cov)
    cov = _math.divide(_math.matmul(centered, centered, transpose_b=True), _math.subtract(n, 1))
    std = _math.sqrt(_math.divide(_math.reduce_sum(_math.square(centered), axis=-1), _math.subtract(n, 1)))
    corr = _math.divide(cov, _math.multiply(_array.reshape(std, [-1, 1]), _array.reshape(std, [1, -1])))
    return _tf().clip_by_value(corr, -1.0, 1.0)


def correlate(x1: Any, x2: Any, mode: str = "valid") -> Tensor:
    """The cross-correlation ``c[k] = sum_n x1[n + k] * x2[n]`` of two 1-D tensors, ``mode`` "valid" (full
    overlap), "same" (``max(M, N)`` long) or "full" (``M + N - 1`` long). int64 computes in float64, the
    other non-float16/bfloat16/float64 dtypes in float32."""
    if mode not in ("valid", "same", "full"):
        raise ValueError(f"Invalid mode: '{mode}'. Mode must be one of: 'full', 'same', 'valid'.")
    tf = _tf()
    a, v = convert_to_tensor(x1), convert_to_tensor(x2)
    dtype = _result_type(a, v)
    dtype = "float64" if dtype == "int64" else dtype if dtype in ("bfloat16", "float16", "float64") else "float32"
    a, v = _array.cast(a, dtype), _array.cast(v, dtype)
    n, m = _array.shape(a)[0], _array.shape(v)[0]
    if mode != "valid":
        zeros = tf.zeros(tf.reshape(_math.maximum(m - 1, 0), [1]), dtype=dtype)
        a = _array.concat([zeros, a, zeros], axis=0)
    out = tf.nn.conv1d(_array.reshape(a, [1, -1, 1]), _array.reshape(v, [-1, 1, 1]), stride=1, padding="VALID")
    out = _array.reshape(out, [-1])
    if mode == "same":
        length = _math.maximum(n, m)
        start = (n + m - 1 - length) // 2
        out = _array.gather(out, tf.range(start, start + length))
    return out


def histogram(x: Any, bins: int = 10, range: Optional[tuple] = None) -> tuple:
    """``(counts, bin_edges)`` of a 1-D ``x`` over ``bins`` equal bins spanning ``range`` (``x``'s smallest
    and largest values when None, widened by 0.5 each way when they are equal); the last bin holds its right
    edge, values outside ``range`` are left out. The counts and edges have ``x``'s dtype, as Keras's TensorFlow
    backend gives (so integer edges are the float edges truncated, and integers are binned by them)."""
    if not isinstance(bins, int):
        raise TypeError(f"Argument `bins` must be of type `int`. Received: bins={bins}")
    if bins < 0:
        raise ValueError(f"Argument `bins` should be a non-negative integer. Received: bins={bins}")
    if range:
        # (a list too: a functional model's operation holds its arguments as JSON, where tuples are lists)
        if not isinstance(range, (tuple, list)) or len(range) != 2:
            raise ValueError(f"Argument `range` must be a tuple of two elements. Received: range={range}")
        if range[1] < range[0]:
            raise ValueError(f"The second element of `range` must be greater than the first. Received: range={range}")
    tf = _tf()
    t = convert_to_tensor(x)
    if len(t.shape) > 1:
        raise ValueError(f"Input tensor must be 1-dimensional. Received: input.shape={t.shape}")
    if range is None:
        low, high = _array.cast(_math.reduce_min(t), "float64"), _array.cast(_math.reduce_max(t), "float64")
    else:
        low, high = convert_to_tensor(float(range[0]), dtype="float64"), convert_to_tensor(float(range[1]), "float64")
    if t.dtype.is_floating:
        # An empty span widens to one around it, as NumPy's (integer edges keep Keras's, x's dtype).
        empty = _math.equal(low, high)
        low, high = tf.where(empty, low - 0.5, low), tf.where(empty, high + 0.5, high)
    # Floats compare in their own precision (as NumPy compares with a Python range), integers in float64.
    compare = t.dtype if t.dtype.is_floating else "float64"
    tc = _array.cast(t, compare)
    keep = _math.logical_and(
        _math.greater_equal(tc, _array.cast(low, compare)), _math.less_equal(tc, _array.cast(high, compare))
    )
    inside = tf.boolean_mask(t, keep)
    edges = _array.cast(tf.linspace(low, high, bins + 1), t.dtype)
    # Small integer dtypes are searched and counted wider, then given back in x's dtype.
    wide = t.dtype.name if t.dtype.name in ("int32", "int64") or t.dtype.is_floating else "int32"
    index = _searchsorted(_array.cast(edges[1:-1], wide), _array.cast(inside, wide), side="right")
    counts = _math.reduce_sum(_array.one_hot(index, bins, dtype=wide), axis=0)
    return _array.cast(counts, t.dtype), edges


def trapezoid(y: Any, x: Any = None, dx: float = 1.0, axis: int = -1) -> Tensor:
    """The integral of ``y`` along ``axis`` by the trapezoidal rule, at the sample points ``x`` (spaced ``dx``
    apart when None); integers compute in float32."""
    t = convert_to_tensor(y)
    dtype = _result_type(t, float)
    t = _array.cast(t, dtype)
    rank = len(t.shape)
    axis %= builtins.max(rank, 1)
    t = _moveaxis(t, axis, -1)
    heights = _math.multiply(_math.add(t[..., 1:], t[..., :-1]), convert_to_tensor(0.5, dtype=dtype))
    if x is None:
        return _math.reduce_sum(_math.multiply(heights, convert_to_tensor(dx, dtype=dtype)), axis=-1)
    xs = _array.cast(convert_to_tensor(x), dtype)
    steps = diff(xs, axis=axis if len(xs.shape) == rank else -1)
    if len(xs.shape) == rank:
        steps = _moveaxis(steps, axis, -1)
    return _math.reduce_sum(_math.multiply(heights, steps), axis=-1)


def diff(a: Any, n: int = 1, axis: int = -1) -> Tensor:
    """The ``n``-th discrete difference along ``axis`` (for bools, whether neighbours differ)."""
    t = convert_to_tensor(a)
    if n == 0:
        return t
    if n < 0:
        raise ValueError(f"Order `n` must be non-negative. Received n={n}")
    rank = len(t.shape)
    if rank == 0:
        raise ValueError(f"`diff` requires input that is at least one dimensional. Received: a={t}")
    if not -rank <= axis < rank:
        raise ValueError(f"axis {axis} is out of bounds for array of dimension {rank}")
    axis %= rank
    upper = tuple(slice(1, None) if i == axis else slice(None) for i in range(rank))
    lower = tuple(slice(None, -1) if i == axis else slice(None) for i in range(rank))
    for _ in builtins.range(n):
        if t.dtype.name == "bool":
            t = _math.not_equal(t[upper], t[lower])
        else:
            t = _math.subtract(t[upper], t[lower])
    return t


def cdist(x: Any, y: Any) -> Tensor:
    """The Euclidean distances between the rows of ``x`` (``[..., P, M]``) and of ``y`` (``[..., R, M]``),
    shaped ``[..., P, R]``."""
    a, b = convert_to_tensor(x), convert_to_tensor(y)
    if len(a.shape) < 2 or len(b.shape) < 2:
        raise ValueError("`cdist` inputs must have rank >= 2")
    if a.shape[-1] != b.shape[-1]:
        raise ValueError("Last dimension of inputs to `cdist` must match")
    delta = _math.subtract(_array.expand_dims(a, -2), _array.expand_dims(b, -3))
    return _math.sqrt(_math.reduce_sum(_math.square(delta), axis=-1))


def allclose(x1: Any, x2: Any, rtol: float = 1e-5, atol: float = 1e-8, equal_nan: bool = False) -> Tensor:
    """Whether every ``|x1 - x2| <= atol + rtol * |x2|`` (equal infinities match; NaNs only with
    ``equal_nan``), as a scalar bool tensor."""
    tf = _tf()
    a, b = convert_to_tensor(x1), convert_to_tensor(x2)
    dtype = _result_type(a, b)
    a, b = _array.cast(a, dtype), _array.cast(b, dtype)
    if "float" not in dtype:
        return tf.reduce_all(_math.equal(a, b))
    finite = _math.logical_and(tf.math.is_finite(a), tf.math.is_finite(b))
    close = _math.less_equal(_math.abs(_math.subtract(a, b)), _math.add(atol, _math.multiply(rtol, _math.abs(b))))
    ok = _math.logical_or(_math.logical_and(finite, close), _math.equal(a, b))
    if equal_nan:
        ok = _math.logical_or(ok, _math.logical_and(tf.math.is_nan(a), tf.math.is_nan(b)))
    return tf.reduce_all(ok)

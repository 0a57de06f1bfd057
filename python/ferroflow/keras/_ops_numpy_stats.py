"""``keras.ops``'s NumPy-named statistics, searches and sets, with Keras 3's signatures and result dtypes.

This file holds the quantiles (``quantile``, ``percentile``, ``median`` and their nan-ignoring forms); the
other names live in ``_ops_numpy_stats_2`` (nan reductions), ``_ops_numpy_stats_3`` (averages, histograms,
differences) and ``_ops_numpy_stats_4`` (searches and sets) and are collected here.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor
from ..ops import array_ops as _array
from ..ops import math_ops as _math
from ._dtype_promotion import result_type as _result_type
from ._ops_numpy_arrays_common import tf_module as _tf
from ._ops_numpy_stats_2 import (
    nanargmax,
    nanargmin,
    nancumprod,
    nancumsum,
    nanmax,
    nanmean,
    nanmin,
    nanprod,
    nanstd,
    nansum,
    nanvar,
)
from ._ops_numpy_stats_3 import allclose, average, cdist, corrcoef, correlate, diff, histogram, ptp, trapezoid
from ._ops_numpy_stats_4 import argpartition, bincount, digitize, isin, nonzero, searchsorted, unique

__all__ = [
    "allclose",
    "argpartition",
    "average",
    "bincount",
    "cdist",
    "corrcoef",
    "correlate",
    "diff",
    "digitize",
    "histogram",
    "isin",
    "median",
    "nanargmax",
    "nanargmin",
    "nancumprod",
    "nancumsum",
    "nanmax",
    "nanmean",
    "nanmedian",
    "nanmin",
    "nanpercentile",
    "nanprod",
    "nanquantile",
    "nanstd",
    "nansum",
    "nanvar",
    "nonzero",
    "percentile",
    "ptp",
    "quantile",
    "searchsorted",
    "trapezoid",
    "unique",
]

_METHODS = ("linear", "lower", "higher", "midpoint", "nearest")


def _axes(axis: Any, rank: int) -> Any:
    if axis is None:
        return None
    axes = [axis] if isinstance(axis, int) else list(axis)
    out = []
    for a in axes:
        if not -rank <= a < rank:
            raise ValueError(f"axis {a} is out of bounds for a tensor of rank {rank}")
        out.append(a % rank)
    return sorted(out)


def _probabilities(q: Any, scale: float) -> Tensor:
    """``q / scale``, in float64 when given as Python or NumPy numbers (so that a tie such as 0.3 of 56 values,
    index 16.5, rounds as NumPy's does), else in the tensor's own precision."""
    if isinstance(q, Tensor) or hasattr(q, "_is_keras_tensor"):
        t = _array.cast(q, "float32") if not q.dtype.is_floating else q
        return t if scale == 1.0 else _math.divide(t, convert_to_tensor(scale, dtype=t.dtype))
    return convert_to_tensor(np.asarray(q, dtype="float64") / scale)


def _quantile(x: Tensor, q: Any, axis: Any, method: str, keepdims: bool, skip_nan: bool) -> Tensor:
    """The ``q`` quantiles of ``x`` over ``axis``: rows are sorted and read at ``(n - 1) * q``, ``n`` being the
    row's length (with ``skip_nan``, its count of non-NaN values, NaNs sorted last), as Keras's TensorFlow
    backend computes them (linear interpolation keeps the gradient of both neighbours)."""
    tf = _tf()
    if method not in _METHODS:
        raise ValueError(f"Invalid value for `method`: {method!r}. Expected one of {list(_METHODS)}.")
    dtype = _result_type(x, float)
    x = _array.cast(x, dtype)
    rank = len(x.shape)
    q = _probabilities(q, 1.0)
    q_shape = list(q.shape)
    q64 = _array.reshape(_array.cast(q, "float64"), [1, -1])
    axes = _axes(axis, rank)
    if axes is None:
        other: list = []
        rows = _array.reshape(x, [1, -1])
    else:
        other = [i for i in range(rank) if i not in axes]
        moved = _array.transpose(x, other + axes)
        reduced = [x.shape[i] for i in axes]
        size = tf.reduce_prod(tf.shape(moved)[len(other) :]) if None in reduced else int(np.prod(reduced))
        rows = _array.reshape(moved, tf.stack([-1, size]) if not isinstance(size, int) else [-1, size])
    nan = _tf().math.is_nan(rows)
    length = _array.shape(rows)[-1]
    if skip_nan:
        inf = convert_to_tensor(float("inf"), dtype=dtype)
        sorted_rows = tf.sort(_array.where(nan, _array.broadcast_to(inf, _array.shape(rows)), rows), axis=-1)
        n = _math.reduce_sum(_array.cast(_math.logical_not(nan), "int32"), axis=-1, keepdims=True)
    else:
        sorted_rows = tf.sort(rows, axis=-1)
        n = _array.reshape(length, [1, 1])
    last = _math.maximum(n - 1, 0)
    pos = _math.multiply(_array.cast(n - 1, "float64"), q64)

    # Row r's entry i is entry r * length + i of the flat rows (a gather that needs no static shape).
    flat_rows = _array.reshape(sorted_rows, [-1])
    row_start = _array.reshape(tf.range(_array.shape(rows)[0]) * length, [-1, 1])

    def at(idx: Tensor) -> Tensor:
        return _array.gather(flat_rows, _math.add(row_start, idx))

    def take(op: Any) -> Tensor:
        return at(_math.minimum(_math.maximum(_array.cast(op(pos), "int32"), 0), last))

    if method == "lower":
        out = take(_math.floor)
    elif method == "higher":
        out = take(_math.ceil)
    elif method == "nearest":
        out = take(_math.round)
    elif method == "midpoint":
        out = _math.multiply(_math.add(take(_math.floor), take(_math.ceil)), convert_to_tensor(0.5, dtype=dtype))
    else:
        hi = _math.minimum(_math.maximum(_array.cast(_math.ceil(pos), "int32"), 0), last)
        lo = _math.maximum(hi - 1, 0)
        hi = _math.minimum(lo + 1, last)
        frac = _array.cast(_math.subtract(_array.cast(hi, "float64"), pos), dtype)
        out = _math.add(_math.multiply(at(hi), 1 - frac), _math.multiply(at(lo), frac))
    # Rows holding a NaN give NaN (nan-ignoring: rows with no number at all).
    bad = _math.equal(n, 0) if skip_nan else tf.reduce_any(nan, axis=-1, keepdims=True)
    out = tf.where(bad, convert_to_tensor(float("nan"), dtype=dtype), out)
    # [rows, q] -> q's shape first, then the kept axes (size 1 for the reduced ones with keepdims).
    out = _array.transpose(out, [1, 0])
    if axes is None:
        kept = [1] * rank if keepdims else []
        return _array.reshape(out, q_shape + kept)
    x_shape = _array.shape(x)
    kept_dims = [1 if i in axes else x_shape[i] for i in range(rank)] if keepdims else [x_shape[i] for i in other]
    static = [1 if i in axes else x.shape[i] for i in range(rank)] if keepdims else [x.shape[i] for i in other]
    target = q_shape + kept_dims
    if None not in static:
        target = q_shape + static
    return _array.reshape(out, tf.stack(target) if None in static else target)


def quantile(x: Any, q: Any, axis: Any = None, method: str = "linear", keepdims: bool = False) -> Tensor:
    """The ``q``-th quantiles (``q`` in [0, 1], a scalar or a sequence) of ``x`` over ``axis`` (all when None),
    with ``method`` one of "linear", "lower", "higher", "midpoint", "nearest"; a row holding NaN gives NaN.
    Several ``q`` put the quantiles on the first axis; integers compute in float32."""
    return _quantile(convert_to_tensor(x), q, axis, method, keepdims, skip_nan=False)


def nanquantile(x: Any, q: Any, axis: Any = None, method: str = "linear", keepdims: bool = False) -> Tensor:
    """``quantile`` ignoring NaNs (NaN where a row has no other value)."""
    return _quantile(convert_to_tensor(x), q, axis, method, keepdims, skip_nan=True)


def percentile(x: Any, q: Any, axis: Any = None, method: str = "linear", keepdims: bool = False) -> Tensor:
    """``quantile`` with ``q`` in percent ([0, 100])."""
    return _quantile(convert_to_tensor(x), _probabilities(q, 100.0), axis, method, keepdims, skip_nan=False)


def nanpercentile(x: Any, q: Any, axis: Any = None, method: str = "linear", keepdims: bool = False) -> Tensor:
    """``nanquantile`` with ``q`` in percent ([0, 100])."""
    return _quantile(convert_to_tensor(x), _probabilities(q, 100.0), axis, method, keepdims, skip_nan=True)


def median(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
    """The median of ``x`` over ``axis`` (all when None); NaN where a row holds NaN."""
    return _quantile(convert_to_tensor(x), 0.5, axis, "linear", keepdims, skip_nan=False)


def nanmedian(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
    """The median ignoring NaNs; ``axis=()`` returns ``x`` as it is."""
    t = convert_to_tensor(x)
    if isinstance(axis, (tuple, list)) and len(axis) == 0:
        return t
    return _quantile(t, 0.5, axis, "linear", keepdims, skip_nan=True)

"""More of ``keras.ops``'s core and NN functions: top-k, control flow (``cond``, ``while_loop``,
``fori_loop``, ``map``, ``vectorized_map``), slicing and scattering, segment sums, pooling and the
crossentropies, with Keras 3's signatures on ferroflow's TensorFlow-style ops."""

from __future__ import annotations

from typing import Any, Callable, Optional

import numpy as np

from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor
from ..losses import probabilistic as _prob
from ..ops import array_ops as _array
from ..ops import math_ops as _math

__all__ = [
    "average_pool",
    "binary_crossentropy",
    "categorical_crossentropy",
    "cond",
    "depthwise_conv",
    "fori_loop",
    "in_top_k",
    "is_tensor",
    "map",
    "max_pool",
    "multi_hot",
    "scatter",
    "scatter_update",
    "segment_max",
    "segment_sum",
    "separable_conv",
    "slice",
    "slice_update",
    "sparse_categorical_crossentropy",
    "top_k",
    "vectorized_map",
    "while_loop",
]


def _tf() -> Any:
    import ferroflow

    return ferroflow


def top_k(x: Any, k: int, sorted: bool = True) -> tuple:
    """``(values, indices)`` of the ``k`` largest entries along the last axis."""
    values, indices = _tf().math.top_k(convert_to_tensor(x), k=k, sorted=sorted)
    return values, indices


def in_top_k(targets: Any, predictions: Any, k: int) -> Tensor:
    """Whether each target class is among the ``k`` highest predictions of its row."""
    return _tf().math.in_top_k(convert_to_tensor(targets), convert_to_tensor(predictions), k)


def is_tensor(x: Any) -> bool:
    return isinstance(x, Tensor)


def cond(pred: Any, true_fn: Callable, false_fn: Callable) -> Any:
    return _tf().cond(pred, true_fn, false_fn)


def while_loop(cond: Callable, body: Callable, loop_vars: Any, maximum_iterations: Optional[int] = None) -> Any:
    """Keras's ``while_loop``: a single loop variable may be given bare, and is returned bare."""
    is_tuple = isinstance(loop_vars, (tuple, list))
    loop_vars = tuple(loop_vars) if is_tuple else (loop_vars,)

    def _body(*args: Any) -> tuple:
        out = body(*args)
        return tuple(out) if isinstance(out, (tuple, list)) else (out,)

    out = _tf().while_loop(cond, _body, loop_vars, maximum_iterations=maximum_iterations)
    return tuple(out) if is_tuple else out[0]


def fori_loop(lower: Any, upper: Any, body_fun: Callable, init_val: Any) -> Any:
    """``body_fun(i, val)`` applied for ``i`` from ``lower`` to ``upper``; the final ``val``."""
    _, out = _tf().while_loop(
        lambda i, _v: _math.less(i, upper), lambda i, v: (_math.add(i, 1), body_fun(i, v)), (lower, init_val)
    )
    return out


def map(f: Callable, xs: Any) -> Any:
    """``f`` applied to each slice of ``xs`` along its first axis, stacked."""
    return _tf().map_fn(f, xs)


def vectorized_map(function: Callable, elements: Any) -> Any:
    return _tf().vectorized_map(function, elements)


def slice(inputs: Any, start_indices: Any, shape: Any) -> Tensor:
    """The block of ``inputs`` of size ``shape`` starting at ``start_indices``."""
    return _tf().slice(convert_to_tensor(inputs), start_indices, shape)


def slice_update(inputs: Any, start_indices: Any, updates: Any) -> Tensor:
    """``inputs`` with the block starting at ``start_indices`` replaced by ``updates``."""
    t, u = convert_to_tensor(inputs), convert_to_tensor(updates)
    grid = np.indices(tuple(u.shape)).reshape(len(u.shape), -1).T  # every position of the block
    start = _array.cast(convert_to_tensor(start_indices), "int64")
    idx = _math.add(convert_to_tensor(grid.astype("int64")), start)
    return _tf().tensor_scatter_nd_update(t, idx, _array.reshape(_array.cast(u, t.dtype), [-1]))


def scatter(indices: Any, values: Any, shape: Any) -> Tensor:
    """A tensor of ``shape``, zeros but the ``values`` at ``indices`` (repeated indices add up)."""
    return _tf().scatter_nd(convert_to_tensor(indices), convert_to_tensor(values), shape)


def scatter_update(inputs: Any, indices: Any, updates: Any) -> Tensor:
    """``inputs`` with the entries (or slices) at ``indices`` set to ``updates``."""
    t = convert_to_tensor(inputs)
    return _tf().tensor_scatter_nd_update(
        t, convert_to_tensor(indices), _array.cast(convert_to_tensor(updates), t.dtype)
    )


def _segments(fn: str, data: Any, segment_ids: Any, num_segments: Optional[int]) -> Tensor:
    ids = convert_to_tensor(segment_ids)
    if num_segments is None:
        num_segments = int(np.max(ids.numpy())) + 1
    return getattr(_tf().math, fn)(convert_to_tensor(data), ids, num_segments)


def segment_sum(data: Any, segment_ids: Any, num_segments: Optional[int] = None, sorted: bool = False) -> Tensor:
    """The sums of ``data``'s rows by segment id (``num_segments`` rows; max id + 1 when None)."""
    return _segments("unsorted_segment_sum", data, segment_ids, num_segments)


def segment_max(data: Any, segment_ids: Any, num_segments: Optional[int] = None, sorted: bool = False) -> Tensor:
    """The maxima of ``data``'s rows by segment id (``num_segments`` rows; max id + 1 when None)."""
    return _segments("unsorted_segment_max", data, segment_ids, num_segments)


def _pool(kind: str, inputs: Any, pool_size: Any, strides: Any, padding: str, data_format: Optional[str]) -> Tensor:
    x = convert_to_tensor(inputs)
    n = len(x.shape) - 2
    strides = pool_size if strides is None else strides
    channels_first = (data_format or "channels_last") == "channels_first"
    fmt = {1: "NWC", 2: "NHWC", 3: "NDHWC"}[n]
    if channels_first:
        x = _array.transpose(x, [0] + list(range(2, n + 2)) + [1])
    out = getattr(_tf().nn, kind)(x, pool_size, strides, padding.upper(), data_format=fmt)
    return _array.transpose(out, [0, n + 1] + list(range(1, n + 1))) if channels_first else out


def max_pool(
    inputs: Any, pool_size: Any, strides: Any = None, padding: str = "valid", data_format: Any = None
) -> Tensor:
    return _pool("max_pool", inputs, pool_size, strides, padding, data_format)


def average_pool(
    inputs: Any, pool_size: Any, strides: Any = None, padding: str = "valid", data_format: Any = None
) -> Tensor:
    return _pool("avg_pool", inputs, pool_size, strides, padding, data_format)


def _pair(v: Any) -> list:
    return [int(v)] * 2 if isinstance(v, int) else [int(a) for a in v]


def depthwise_conv(
    inputs: Any, kernel: Any, strides: Any = 1, padding: str = "valid", data_format: Any = None, dilation_rate: Any = 1
) -> Tensor:
    """2-D depthwise convolution, channels last (a ``(h, w, in, multiplier)`` kernel)."""
    s = _pair(strides)
    return _tf().nn.depthwise_conv2d(
        convert_to_tensor(inputs), kernel, [1, *s, 1], padding.upper(), dilations=_pair(dilation_rate)
    )


def separable_conv(
    inputs: Any,
    depthwise_kernel: Any,
    pointwise_kernel: Any,
    strides: Any = 1,
    padding: str = "valid",
    data_format: Any = None,
    dilation_rate: Any = 1,
) -> Tensor:
    """2-D separable convolution, channels last: depthwise, then a 1x1 convolution."""
    s = _pair(strides)
    return _tf().nn.separable_conv2d(
        convert_to_tensor(inputs),
        depthwise_kernel,
        pointwise_kernel,
        [1, *s, 1],
        padding.upper(),
        dilations=_pair(dilation_rate),
    )


def binary_crossentropy(target: Any, output: Any, from_logits: bool = False) -> Tensor:
    """Elementwise binary crossentropy (no reduction), as Keras's backend computes it."""
    t, o = _float_pair(target, output)
    return _prob.binary_crossentropy_backend(t, o, from_logits=from_logits)


def categorical_crossentropy(target: Any, output: Any, from_logits: bool = False, axis: int = -1) -> Tensor:
    """Crossentropy of one-hot ``target`` against ``output``, summed over ``axis``."""
    t, o = _float_pair(target, output)
    return _prob.categorical_crossentropy_backend(t, o, from_logits=from_logits, axis=axis)


def sparse_categorical_crossentropy(target: Any, output: Any, from_logits: bool = False, axis: int = -1) -> Tensor:
    """Crossentropy of integer class ``target`` against ``output``."""
    return _prob.sparse_categorical_crossentropy_backend(
        convert_to_tensor(target), convert_to_tensor(output), from_logits=from_logits, axis=axis
    )


def _float_pair(target: Any, output: Any) -> tuple:
    o = convert_to_tensor(output)
    return _array.cast(convert_to_tensor(target), o.dtype), o


def multi_hot(inputs: Any, num_classes: int, axis: int = -1, dtype: Any = None, sparse: bool = False) -> Tensor:
    """For each row of class indices, a vector with 1 at each index present (``num_classes`` long)."""
    x = convert_to_tensor(inputs)
    hot = _tf().one_hot(_array.cast(x, "int32"), num_classes, axis=axis, dtype=dtype or "float32")
    reduce_axis = -2 if axis == -1 else axis
    return _math.reduce_max(hot, axis=reduce_axis) if len(x.shape) > 1 else _math.reduce_max(hot, axis=0)

"""Window ops of ``tf.nn`` built from strided slices of a padded image: ``max_pool_with_argmax``, the
morphological ``dilation2d`` / ``erosion2d``, and ``isotonic_regression``."""

from __future__ import annotations

from collections import namedtuple
from typing import Any, Optional

import numpy as np

from ..framework.ops import apply, convert_to_tensor
from ..framework.tensor import EagerTensor, Tensor
from . import array_ops, math_ops
from .conv_ops import _float_tensor, _spatial, max_pool2d
from .image_patches_ops import _axis_plan
from .tiling_ops import pad

MaxPoolWithArgmax = namedtuple("MaxPoolWithArgmax", ["output", "argmax"])
IsotonicRegression = namedtuple("IsotonicRegression", ["output", "segments"])


def _nhwc_only(data_format: str) -> None:
    if str(data_format).upper() != "NHWC":
        raise ValueError(
            f"`data_format` values other  than 'NHWC' are not supported. Received: data_format={data_format}"
        )


def _taps(x: Tensor, size: list, strides: list, rates: list, padding: str) -> tuple:
    """``[batch, out_rows, out_cols, kh * kw, channels]`` window values (padding filled with -inf, so it never
    wins a maximum), and the (before) padding of rows and columns."""
    _, h, w, _ = x.shape.as_list()
    if h is None or w is None:
        raise ValueError(f"the window ops need the image height and width known, received shape {x.shape}")
    mode = str(padding).upper()
    if mode not in ("SAME", "VALID"):
        raise ValueError(f"padding must be 'SAME' or 'VALID', received {padding!r}")
    out_r, pad_r = _axis_plan(h, size[0], strides[0], rates[0], mode)
    out_c, pad_c = _axis_plan(w, size[1], strides[1], rates[1], mode)
    if out_r <= 0 or out_c <= 0:
        raise ValueError(f"a {size[0]}x{size[1]} window does not fit the {h}x{w} image")
    if pad_r != (0, 0) or pad_c != (0, 0):
        x = pad(x, [[0, 0], list(pad_r), list(pad_c), [0, 0]], constant_values=-np.inf)
    taps = []
    for i in range(size[0]):
        for j in range(size[1]):
            rows = ("range", i * rates[0], i * rates[0] + (out_r - 1) * strides[0] + 1, strides[0])
            cols = ("range", j * rates[1], j * rates[1] + (out_c - 1) * strides[1] + 1, strides[1])
            spec = [("range", None, None, 1), rows, cols, ("range", None, None, 1)]
            taps.append(apply("strided_slice", [x], {"specs": spec}))
    return array_ops.stack(taps, axis=3), (pad_r[0], pad_c[0]), (out_r, out_c)


def max_pool_with_argmax(
    input: Any,
    ksize: Any,
    strides: Any,
    padding: str,
    data_format: str = "NHWC",
    output_dtype: Any = "int64",
    include_batch_in_index: bool = False,
    name: Optional[str] = None,
) -> tuple:
    """``(max_pool2d(input), argmax)``: each maximum's position flattened as ``(y * width + x) * channels + c``
    (``((b * height + y) * width + x) * channels + c`` with ``include_batch_in_index``), the first in the
    window on ties."""
    _nhwc_only(data_format)
    x = _float_tensor(input, "max_pool_with_argmax")
    size, stride = _spatial(ksize, "ksize", 2, False), _spatial(strides, "strides", 2, False)
    _, h, w, c = x.shape.as_list()
    window, (top, left), (out_r, out_c) = _taps(x, size, stride, [1, 1], padding)
    k = math_ops.argmax(window, axis=3, output_type="int64")  # [batch, out_r, out_c, channels]
    ys = convert_to_tensor((np.arange(out_r) * stride[0] - top).reshape(1, -1, 1, 1).astype(np.int64))
    xs = convert_to_tensor((np.arange(out_c) * stride[1] - left).reshape(1, 1, -1, 1).astype(np.int64))
    row = ys + math_ops.floordiv(k, size[1])
    col = xs + math_ops.floormod(k, size[1])
    flat = (row * w + col) * c + convert_to_tensor(np.arange(c, dtype=np.int64))
    if include_batch_in_index:
        flat = flat + array_ops.reshape(_batch_index(flat), [-1, 1, 1, 1]) * (h * w * c)
    pooled = max_pool2d(x, size, stride, padding, "NHWC", name)
    return MaxPoolWithArgmax(pooled, array_ops.stop_gradient(array_ops.cast(flat, output_dtype)))


def _batch_index(t: Tensor) -> Tensor:
    """``[0, 1, ..., batch - 1]`` (int64) for the first axis of ``t``, whatever the batch size."""
    from .scan_ops import cumsum

    ones = array_ops.ones_like(t[:, 0, 0, 0])
    return cumsum(ones, exclusive=True)


def dilation2d(
    input: Any,
    filters: Any,
    strides: Any,
    padding: str,
    data_format: str = "NHWC",
    dilations: Any = None,
    name: Optional[str] = None,
) -> Tensor:
    """Grayscale morphological dilation: ``max over (dy, dx) of input[y * s + dy * r, x * s + dx * r, c] +
    filters[dy, dx, c]`` (padding never wins), ``filters`` ``[height, width, channels]``."""
    _nhwc_only(data_format)
    x = _float_tensor(input, "dilation2d")
    f = _float_tensor(filters, "dilation2d")
    if f.shape.rank != 3:
        raise ValueError(f"dilation2d filters must be [height, width, channels], received shape {f.shape}")
    kh, kw, c = f.shape.as_list()
    stride = _spatial(strides, "strides", 2, False)
    rate = _spatial(dilations, "dilations", 2, False)
    window, _, _ = _taps(x, [kh, kw], stride, rate, padding)
    return math_ops.reduce_max(math_ops.add(window, array_ops.reshape(f, [kh * kw, c])), axis=3)


def erosion2d(
    value: Any,
    filters: Any,
    strides: Any,
    padding: str,
    data_format: str = "NHWC",
    dilations: Any = None,
    name: Optional[str] = None,
) -> Tensor:
    """Grayscale morphological erosion: ``-dilation2d(-value, filters reversed in space)``."""
    from .slicing_ops import reverse

    flipped = reverse(_float_tensor(filters, "erosion2d"), [0, 1])
    neg = math_ops.negative(_float_tensor(value, "erosion2d"))
    return math_ops.negative(dilation2d(neg, flipped, strides, padding, data_format, dilations, name))


def _pav_segments(row: np.ndarray, decreasing: bool) -> np.ndarray:
    """Pool-adjacent-violators: the block of each element (blocks merge only on a strict violation)."""
    sums, counts = [], []
    for v in row if decreasing else -row:
        sums.append(float(v))
        counts.append(1)
        while len(sums) > 1 and sums[-2] / counts[-2] < sums[-1] / counts[-1]:
            s, n = sums.pop(), counts.pop()
            sums[-1] += s
            counts[-1] += n
    return np.repeat(np.arange(len(counts)), counts).astype(np.int32)


def isotonic_regression(inputs: Any, decreasing: bool = True, axis: int = -1) -> tuple:
    """The closest non-increasing (``decreasing``) or non-decreasing sequence along ``axis`` in the least-squares
    sense: ``(output, segments)``, each output the mean of its segment of inputs (so the gradient averages within
    segments). Integer inputs give float64. The segments are found eagerly."""
    x = convert_to_tensor(inputs)
    if not x.dtype.is_floating:
        x = array_ops.cast(x, "float64")
    if not isinstance(x, EagerTensor):
        raise NotImplementedError("isotonic_regression runs eagerly only for now: call it outside tf.function / graphs")
    rank = x.shape.rank
    axis = int(axis) % rank
    perm = [a for a in range(rank) if a != axis] + [axis]
    moved = array_ops.transpose(x, perm)
    values = moved.numpy()
    n = values.shape[-1]
    rows = values.reshape(-1, n)
    segments = np.stack([_pav_segments(r, decreasing) for r in rows]) if rows.size else np.zeros(rows.shape, np.int32)
    # one id per (row, segment): the output is the segment mean, gathered back to each element
    ids = (segments + np.arange(len(rows))[:, None] * n).reshape(-1).astype(np.int64)
    from .segment_ops import unsorted_segment_mean

    flat = array_ops.reshape(moved, [-1])
    means = unsorted_segment_mean(flat, ids, len(rows) * n)
    out = array_ops.reshape(array_ops.gather(means, ids), list(values.shape))
    inverse = list(np.argsort(perm))
    seg = convert_to_tensor(segments.reshape(values.shape))
    return IsotonicRegression(array_ops.transpose(out, inverse), array_ops.transpose(seg, inverse))

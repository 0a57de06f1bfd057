"""``keras.ops``'s spatial rearrangements: transposed convolution, adaptive pooling, pixel shuffles
(``depth_to_space``/``space_to_depth``) and sliding blocks (``unfold``/``fold``), with Keras 3's signatures."""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor
from ..layers._conv_utils import data_format_of
from ..ops import array_ops as _array
from ..ops import math_ops as _math
from ..ops import tiling_ops as _tiling

__all__ = [
    "adaptive_average_pool",
    "adaptive_max_pool",
    "conv_transpose",
    "depth_to_space",
    "fold",
    "space_to_depth",
    "unfold",
]


def _tuple(value: Any, n: int, name: str) -> tuple:
    if isinstance(value, (int, np.integer)):
        return (int(value),) * n
    out = tuple(int(v) for v in value)
    if len(out) != n:
        raise ValueError(f"The `{name}` argument must be an int or a tuple of {n} ints. Received: {name}={value}")
    return out


def conv_transpose(
    inputs: Any,
    kernel: Any,
    strides: Any = 1,
    padding: str = "valid",
    output_padding: Any = None,
    data_format: Optional[str] = None,
    dilation_rate: Any = 1,
) -> Tensor:
    """The 1-D, 2-D or 3-D transposed convolution of ``inputs`` with ``kernel`` ``(spatial..., out_channels,
    in_channels)``; the output sizes follow Keras's rule (``output_padding`` None: inferred)."""
    from ..framework.graph import SymbolicTensor
    from ..layers.conv_variants import deconv_output_length
    from ..ops.conv3d_transpose_ops import conv3d_transpose
    from ..ops.conv_ops import conv2d_transpose

    fmt = data_format_of(data_format)
    pad = str(padding).lower()
    if pad not in ("valid", "same"):
        raise ValueError(f"The `padding` argument must be one of 'valid', 'same'. Received: padding={padding}")
    x, f = convert_to_tensor(inputs), convert_to_tensor(kernel)
    n = x.shape.rank - 2
    if n not in (1, 2, 3) or f.shape.rank != n + 2:
        raise ValueError(
            f"conv_transpose takes inputs of rank 3, 4 or 5 and a kernel of the same rank. Received: "
            f"inputs.shape={x.shape}, kernel.shape={f.shape}"
        )
    first = fmt == "channels_first"
    channels = x.shape[1] if first else x.shape[-1]
    if channels is not None and f.shape[-1] is not None and channels != f.shape[-1]:
        raise ValueError(
            "The number of input channels must match the kernel's input channels. Received: input channels="
            f"{channels}, kernel input channels={f.shape[-1]}, data_format='{fmt}'."
        )
    stride, dilation = _tuple(strides, n, "strides"), _tuple(dilation_rate, n, "dilation_rate")
    out_pad = (None,) * n if output_padding is None else _tuple(output_padding, n, "output_padding")
    sizes = [d if d is not None else _array.shape(x)[i] for i, d in enumerate(x.shape.as_list())]
    spatial = sizes[2:] if first else sizes[1:-1]
    out = [
        deconv_output_length(s, k, pad, p, st, d)
        for s, k, p, st, d in zip(spatial, f.shape.as_list()[:n], out_pad, stride, dilation)
    ]
    filters = f.shape[-2]
    if n == 1:  # as a 2-D transposed convolution over a height of one
        x = _array.expand_dims(x, 2 if first else 1)
        f = _array.expand_dims(f, 0)
        out, stride, dilation = [1, out[0]], (1, stride[0]), (1, dilation[0])
    dims = [sizes[0], filters, *out] if first else [sizes[0], *out, filters]
    shape = dims if all(isinstance(d, int) for d in dims) else _array.stack([_array.cast(d, "int32") for d in dims])
    if n == 3:
        y = conv3d_transpose(x, f, shape, list(stride), pad.upper(), "NCDHW" if first else "NDHWC", list(dilation))
    else:
        y = conv2d_transpose(x, f, shape, list(stride), pad.upper(), "NCHW" if first else "NHWC", list(dilation))
    if isinstance(y, SymbolicTensor):  # the sizes computed when the graph runs are known here already
        y.set_shape([d if isinstance(d, int) else None for d in dims])
    return _array.squeeze(y, [2 if first else 1]) if n == 1 else y


def _adaptive_pool(inputs: Any, output_size: Any, data_format: Optional[str], kind: str) -> Tensor:
    fmt = data_format_of(data_format)
    x = convert_to_tensor(inputs)
    n = x.shape.rank - 2
    if n not in (1, 2, 3):
        raise ValueError(f"adaptive_{kind}_pool supports 1D, 2D, or 3D inputs only.")
    if kind == "average" and not x.dtype.is_floating:
        x = _array.cast(x, "float32")
    outs = _tuple(output_size, n, "output_size")
    first_axis = 2 if fmt == "channels_first" else 1
    # Pooling is separable: one axis at a time, window i of an axis of length L being
    # [floor(i L / O), ceil((i + 1) L / O)), gathered as an (O, widest) block (short windows repeat their last
    # element, which a max ignores and an average weighs out).
    for j, o in enumerate(outs):
        axis = first_axis + j
        length = x.shape[axis]
        if length is None:
            raise ValueError("Input length must be statically known for adaptive pooling")
        if o < 1:
            raise ValueError(f"output_size must be positive. Received: output_size={output_size}")
        starts = [(i * length) // o for i in range(o)]
        ends = [-((-(i + 1) * length) // o) for i in range(o)]
        width = max(e - s for s, e in zip(starts, ends))
        index = np.array([[min(s + w, e - 1) for w in range(width)] for s, e in zip(starts, ends)], np.int32)
        block = _array.gather(x, index, axis=axis)
        if kind == "max":
            x = _math.reduce_max(block, axis=axis + 1)
        else:
            weights = np.array(
                [[1.0 / (e - s) if w < e - s else 0.0 for w in range(width)] for s, e in zip(starts, ends)]
            )
            weights = weights.reshape((o, width) + (1,) * (x.shape.rank - axis - 1))
            x = _math.reduce_sum(block * convert_to_tensor(weights.astype(x.dtype.as_numpy_dtype)), axis=axis + 1)
    return x


def adaptive_average_pool(inputs: Any, output_size: Any, data_format: Optional[str] = None) -> Tensor:
    """The average of the ``output_size`` windows that tile each spatial axis (sizes ``ceil(L/O)`` or one more,
    as PyTorch's ``AdaptiveAvgPool``), for 1-D, 2-D and 3-D inputs."""
    return _adaptive_pool(inputs, output_size, data_format, "average")


def adaptive_max_pool(inputs: Any, output_size: Any, data_format: Optional[str] = None) -> Tensor:
    """The maximum of the ``output_size`` windows that tile each spatial axis, for 1-D, 2-D and 3-D inputs."""
    return _adaptive_pool(inputs, output_size, data_format, "max")


def _pixel_shuffle(x: Any, block_size: int, data_format: str, op: str) -> Tensor:
    from ..ops import space_depth_ops

    fmt = data_format_of(data_format)
    if block_size < 2:
        raise ValueError(f"`block_size` must be at least 2. Received: block_size={block_size}")
    t = convert_to_tensor(x)
    if t.shape.rank != 4:
        raise ValueError(f"`{op}` requires a 4D input tensor. Received: x.shape={t.shape}")
    # tf.nn's own NCHW layout moves channels_first inputs to NHWC and back.
    return getattr(space_depth_ops, op)(t, block_size, data_format="NHWC" if fmt == "channels_last" else "NCHW")


def depth_to_space(x: Any, block_size: int, data_format: str = "channels_last") -> Tensor:
    """``(N, H, W, C * r^2)`` rearranged to ``(N, H * r, W * r, C)`` (pixel shuffle; ``r`` = ``block_size``)."""
    return _pixel_shuffle(x, block_size, data_format, "depth_to_space")


def space_to_depth(x: Any, block_size: int, data_format: str = "channels_last") -> Tensor:
    """``(N, H * r, W * r, C)`` rearranged to ``(N, H, W, C * r^2)``, the inverse of ``depth_to_space``."""
    return _pixel_shuffle(x, block_size, data_format, "space_to_depth")


def _blocks(size: tuple, kernel_size: Any, dilation: Any, padding: Any, stride: Any) -> tuple:
    """The flat positions in the padded ``(H + 2p, W + 2p)`` image that the patches read, ordered (kernel row,
    kernel column, patch row, patch column), with the padded size and the patch counts."""
    kh, kw = _tuple(kernel_size, 2, "kernel_size")
    dh, dw = _tuple(dilation, 2, "dilation")
    ph, pw = _tuple(padding, 2, "padding")
    sh, sw = _tuple(stride, 2, "stride")
    hp, wp = size[0] + 2 * ph, size[1] + 2 * pw
    nh, nw = (hp - dh * (kh - 1) - 1) // sh + 1, (wp - dw * (kw - 1) - 1) // sw + 1
    if nh < 1 or nw < 1:
        raise ValueError(
            f"The kernel {(kh, kw)} (dilation {(dh, dw)}) does not fit in the padded input of size {(hp, wp)}."
        )
    rows = (np.arange(kh)[:, None, None, None] * dh + np.arange(nh)[None, None, :, None] * sh) * wp
    cols = np.arange(kw)[None, :, None, None] * dw + np.arange(nw)[None, None, None, :] * sw
    return (rows + cols).reshape(-1).astype(np.int32), (hp, wp), (ph, pw), kh * kw, nh * nw


def unfold(x: Any, kernel_size: Any, dilation: Any = 1, padding: Any = 0, stride: Any = 1) -> Tensor:
    """The sliding ``kernel_size`` blocks of a channels-first ``(N, C, H, W)`` batch as ``(N, C * kH * kW, L)``
    (im2col; ``L`` blocks, PyTorch's ``unfold`` layout)."""
    t = convert_to_tensor(x)
    if t.shape.rank != 4:
        raise ValueError(f"Input must be a 4D tensor. Received: input.shape={t.shape}")
    _, c, h, w = t.shape.as_list()
    if None in (c, h, w):
        raise ValueError(f"unfold needs the channels, height and width known. Received: input.shape={t.shape}")
    index, (hp, wp), (ph, pw), kk, blocks = _blocks((h, w), kernel_size, dilation, padding, stride)
    if ph or pw:
        t = _tiling.pad(t, [[0, 0], [0, 0], [ph, ph], [pw, pw]])
    flat = _array.reshape(t, [-1, c, hp * wp])
    return _array.reshape(_array.gather(flat, index, axis=2), [-1, c * kk, blocks])


def fold(x: Any, output_size: Any, kernel_size: Any, dilation: Any = 1, padding: Any = 0, stride: Any = 1) -> Tensor:
    """The ``(N, C * kH * kW, L)`` blocks summed back into a channels-first ``(N, C) + output_size`` image
    (col2im, the adjoint of ``unfold``: overlapping blocks add up)."""
    from ..ops.segment_ops import unsorted_segment_sum

    t = convert_to_tensor(x)
    if t.shape.rank != 3:
        raise ValueError(f"Input must be a 3D tensor. Received: input.shape={t.shape}")
    oh, ow = _tuple(output_size, 2, "output_size")
    index, (hp, wp), (ph, pw), kk, blocks = _blocks((oh, ow), kernel_size, dilation, padding, stride)
    ckk, length = t.shape.as_list()[1:]
    if ckk is None or ckk % kk != 0:
        raise ValueError(f"The second dimension of the input ({ckk}) must be divisible by kernel_size product ({kk}).")
    if length is not None and length != blocks:
        raise ValueError(f"The input has {length} blocks, but output_size {(oh, ow)} and the kernel give {blocks}.")
    c = ckk // kk
    # (N, C, kk * L) -> (kk * L, N, C): summed by padded position, then back to (N, C, H, W).
    columns = _array.transpose(_array.reshape(t, [-1, c, kk * blocks]), [2, 0, 1])
    summed = unsorted_segment_sum(columns, index, hp * wp)
    image = _array.reshape(_array.transpose(summed, [1, 2, 0]), [-1, c, hp, wp])
    return image[:, :, ph : hp - ph, pw : wp - pw]

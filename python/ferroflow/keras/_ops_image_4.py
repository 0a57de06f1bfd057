"""``keras.ops.image``: Keras 3's filters and resamplers on whole images: Sobel edges, Gaussian blur, SSIM, 3-D
patches and ``scale_and_translate``."""

from __future__ import annotations

import functools
from typing import Any, Optional, Sequence

import numpy as np

from ..framework.dtypes import as_dtype
from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor
from ..layers._conv_utils import data_format_of
from ..ops import array_ops as _array
from ..ops import conv_ops as _nn
from ..ops import fill_range_ops as _fill
from ..ops import math_ops as _math
from ..ops import structure_ops as _structure
from ..ops import tiling_ops as _tiling
from ..ops.image_sobel_ops import sobel_edges as _tf_sobel_edges
from ._ops_image_2 import _check_rank, _compute_dtype, _to_first, _to_last

__all__ = ["extract_patches_3d", "gaussian_blur", "scale_and_translate", "sobel_edges", "ssim"]


def sobel_edges(images: Any, data_format: Optional[str] = None) -> Tensor:
    """The Sobel responses of a float batch ``(batch, h, w, c)``, as ``(batch, h, w, c, 2)`` holding ``[dy, dx]``
    (``(batch, c, h, w, 2)`` for channels-first images)."""
    x = convert_to_tensor(images)
    first = data_format_of(data_format) == "channels_first"
    if first:
        x = _array.transpose(x, [0, 2, 3, 1])
    edges = _tf_sobel_edges(x)
    return _array.transpose(edges, [0, 3, 1, 2, 4]) if first else edges


def _gaussian_1d(size: int, sigma: Any, dtype: Any) -> Tensor:
    x = _math.subtract(_fill.range(size, dtype=dtype), (size - 1) / 2)
    kernel = _math.exp(_math.multiply(-0.5, _math.square(_math.divide(x, sigma))))
    return _math.divide(kernel, _math.reduce_sum(kernel))


def _static_pair(value: Any, name: str) -> tuple:
    if isinstance(value, (int, np.integer)):
        return int(value), int(value)
    if isinstance(value, (list, tuple)) and len(value) == 2:
        return int(value[0]), int(value[1])
    raise ValueError(f"`{name}` must be a tuple of two integers. Received: {name}={value}")


def gaussian_blur(
    images: Any, kernel_size: Any = (3, 3), sigma: Any = (1.0, 1.0), data_format: Optional[str] = None
) -> Tensor:
    """Each channel convolved with a Gaussian of ``kernel_size`` and standard deviations ``sigma`` (zero
    padding keeps the size)."""
    x = convert_to_tensor(images)
    _check_rank(x)
    kh, kw = _static_pair(kernel_size, "kernel_size")
    dtype = as_dtype(x.dtype)
    sigma = sigma if isinstance(sigma, Tensor) else convert_to_tensor(np.broadcast_to(np.asarray(sigma), (2,)), dtype)
    sigma = _array.cast(sigma, dtype)
    single = x.shape.rank == 3
    if single:
        x = _array.expand_dims(x, 0)
    first = data_format_of(data_format) == "channels_first"
    x = _to_last(x, first)
    # As Keras: the outer product (height's factor from sigma[1], width's from sigma[0]) is laid out row-major
    # into a (kernel_size[0], kernel_size[1]) window, which is the same thing for square kernels.
    kernel = _math.multiply(
        _array.reshape(_gaussian_1d(kw, sigma[1], dtype), [-1, 1]),
        _array.reshape(_gaussian_1d(kh, sigma[0], dtype), [1, -1]),
    )
    channels = x.shape[-1]
    kernel = _tiling.tile(_array.reshape(kernel, [kh, kw, 1, 1]), [1, 1, int(channels), 1])
    out = _nn.depthwise_conv2d(x, kernel, strides=[1, 1, 1, 1], padding="SAME")
    out = _to_first(out, first)
    return _array.squeeze(out, [0]) if single else out


def ssim(
    image1: Any,
    image2: Any,
    max_val: float = 1.0,
    filter_size: int = 11,
    filter_sigma: float = 1.5,
    k1: float = 0.01,
    k2: float = 0.03,
    data_format: Optional[str] = None,
) -> Tensor:
    """The structural similarity of two images (or of each pair of a batch), averaged over the valid
    ``filter_size`` Gaussian windows and the channels; returned in ``image1``'s dtype."""
    first = data_format_of(data_format) == "channels_first"
    x1, x2 = convert_to_tensor(image1), convert_to_tensor(image2)
    original = as_dtype(x1.dtype)
    compute = _compute_dtype(original)
    x1, x2 = _array.cast(x1, compute), _array.cast(x2, compute)
    _check_rank(x1, "image1")
    _check_rank(x2, "image2")
    single = x1.shape.rank == 3
    if single:
        x1, x2 = _array.expand_dims(x1, 0), _array.expand_dims(x2, 0)
    if first:
        x1, x2 = _array.transpose(x1, [0, 2, 3, 1]), _array.transpose(x2, [0, 2, 3, 1])
    shape = _array.shape(x1)
    height, width = (int(d) for d in x1.shape[1:3])
    g = _gaussian_1d(int(filter_size), float(filter_sigma), compute)
    kernel = _array.reshape(
        _math.multiply(_array.reshape(g, [-1, 1]), _array.reshape(g, [1, -1])), [filter_size, filter_size, 1, 1]
    )

    def per_channel(x: Tensor) -> Tensor:  # (B, H, W, C) -> (B * C, H, W, 1)
        return _array.reshape(_array.transpose(x, [0, 3, 1, 2]), [-1, height, width, 1])

    def blur(x: Tensor) -> Tensor:
        return _nn.conv2d(x, kernel, strides=1, padding="VALID")

    a, b = per_channel(x1), per_channel(x2)
    mu1, mu2 = blur(a), blur(b)
    mu1_sq, mu2_sq, mu1_mu2 = mu1 * mu1, mu2 * mu2, mu1 * mu2
    sigma1_sq = blur(a * a) - mu1_sq
    sigma2_sq = blur(b * b) - mu2_sq
    sigma12 = blur(a * b) - mu1_mu2
    c1, c2 = (k1 * max_val) ** 2, (k2 * max_val) ** 2
    numerator = (2.0 * mu1_mu2 + c1) * (2.0 * sigma12 + c2)
    denominator = (mu1_sq + mu2_sq + c1) * (sigma1_sq + sigma2_sq + c2)
    per_image = _math.reduce_mean(_math.divide(numerator, denominator), axis=[1, 2, 3])
    result = _math.reduce_mean(_array.reshape(per_image, _array.stack([shape[0], shape[3]])), axis=-1)
    if single:
        result = _array.squeeze(result, [0])
    return _array.cast(result, original)


def _triple(value: Any, name: str) -> tuple:
    if isinstance(value, (int, np.integer)):
        return (int(value),) * 3
    if isinstance(value, (list, tuple)) and len(value) == 3:
        return tuple(int(v) for v in value)
    if name == "size":
        raise TypeError(f"Invalid `size` argument. Expected an int or a tuple of length 3. Received: size={value}")
    raise ValueError(f"Invalid `{name}` argument. Got: {value}")


def extract_patches_3d(
    volumes: Any,
    size: Any,
    strides: Any = None,
    dilation_rate: Any = 1,
    padding: str = "valid",
    data_format: Optional[str] = None,
) -> Tensor:
    """The ``size`` patches of 4-D volumes or 5-D batches, each flattened into the channel axis:
    ``(batch, patches deep, down, across, depth * height * width * channels)``; ``strides`` defaults to
    ``size``."""
    from ._nn_functions import conv

    patch = _triple(size, "size")
    strides = _triple(patch if strides is None else strides, "strides")
    first = data_format_of(data_format) == "channels_first"
    x = convert_to_tensor(volumes)
    channels = x.shape[-4] if first else x.shape[-1]
    out_dim = int(np.prod(patch)) * int(channels)
    # Keras's construction: a convolution with the identity, one output channel per patch element.
    kernel = convert_to_tensor(np.eye(out_dim).reshape(patch + (int(channels), out_dim)), dtype=x.dtype)
    single = x.shape.rank == 4
    if single:
        x = _array.expand_dims(x, 0)
    out = conv(
        x,
        kernel,
        strides=strides,
        padding=padding,
        data_format="channels_first" if first else "channels_last",
        dilation_rate=dilation_rate,
    )
    return _array.squeeze(out, [0]) if single else out


def _triangle(x: Tensor) -> Tensor:
    return _math.maximum(0.0, _math.subtract(1.0, _math.abs(x)))


def _keys_cubic(x: Tensor) -> Tensor:
    out = ((1.5 * x - 2.5) * x) * x + 1.0
    out = _array.where(x >= 1.0, ((-0.5 * x + 2.5) * x - 4.0) * x + 2.0, out)
    return _array.where(x >= 2.0, _math.multiply(x, 0.0), out)


def _lanczos(radius: float, x: Tensor) -> Tensor:
    y = radius * _math.sin(np.pi * x) * _math.sin(np.pi * x / radius)
    safe = _array.where(_math.not_equal(x, 0.0), np.pi**2 * x * x, _math.add(_math.multiply(x, 0.0), 1.0))
    out = _array.where(x > 1e-3, _math.divide(y, safe), _math.add(_math.multiply(x, 0.0), 1.0))
    return _array.where(x > radius, _math.multiply(x, 0.0), out)


_KERNELS = {
    "linear": _triangle,
    "cubic": _keys_cubic,
    "lanczos3": functools.partial(_lanczos, 3.0),
    "lanczos5": functools.partial(_lanczos, 5.0),
}
_METHODS = ("linear", "bilinear", "trilinear", "cubic", "bicubic", "tricubic", "lanczos3", "lanczos5")


def _weights(in_size: int, out_size: int, scale: Tensor, translation: Tensor, kernel: Any, antialias: bool) -> Tensor:
    """The ``[in_size, out_size]`` resampling matrix of one axis (Keras's ``compute_weight_mat``)."""
    dtype = scale.dtype
    inv_scale = _math.divide(1.0, scale)
    kernel_scale = _math.maximum(inv_scale, 1.0) if antialias else 1.0
    sample = _math.subtract(
        _math.subtract(
            _math.multiply(_math.add(_fill.range(out_size, dtype=dtype), 0.5), inv_scale),
            _math.multiply(translation, inv_scale),
        ),
        0.5,
    )
    distance = _math.abs(
        _math.subtract(_array.reshape(sample, [1, -1]), _array.reshape(_fill.range(in_size, dtype=dtype), [-1, 1]))
    )
    w = kernel(_math.divide(distance, kernel_scale))
    total = _math.reduce_sum(w, axis=0, keepdims=True)
    zeros = _math.multiply(w, 0.0)
    w = _array.where(
        _math.greater(_math.abs(total), 1000.0 * float(np.finfo(np.float32).eps)),
        _math.divide(w, _array.where(_math.not_equal(total, 0.0), total, _math.add(_math.multiply(total, 0.0), 1.0))),
        zeros,
    )
    inside = _math.logical_and(_math.greater_equal(sample, -0.5), _math.less_equal(sample, in_size - 0.5))
    return _array.where(_array.reshape(inside, [1, -1]), w, zeros)


def scale_and_translate(
    images: Any,
    output_shape: Sequence[int],
    scale: Any,
    translation: Any,
    spatial_dims: Sequence[int],
    method: str,
    antialias: bool = True,
) -> Tensor:
    """``images`` resampled along ``spatial_dims`` into ``output_shape``: input location ``x`` goes to
    ``x * scale + translation`` (half-pixel centres); samples from outside the input are zero."""
    if method not in _METHODS:
        raise ValueError(
            f"Invalid value for argument `method`. Expected of one {set(_METHODS)}. Received: method={method}"
        )
    kernel = _KERNELS["linear" if "linear" in method else "cubic" if "cubic" in method else method]
    x = convert_to_tensor(images)
    scale, translation = convert_to_tensor(scale), convert_to_tensor(translation)
    from ._dtype_promotion import result_type

    dtype = result_type(scale.dtype, translation.dtype)
    dtype = dtype if as_dtype(dtype).is_floating else "float32"
    scale, translation = _array.cast(scale, dtype), _array.cast(translation, dtype)
    if len(spatial_dims) == 0:
        return x
    rounding = as_dtype(x.dtype).is_integer
    out = _array.cast(x, "float32") if rounding else x
    rank = x.shape.rank
    for i, d in enumerate(spatial_dims):
        d = d % rank
        w = _weights(int(x.shape[d]), int(output_shape[d]), scale[i], translation[i], kernel, antialias)
        out = _structure.tensordot(out, _array.cast(w, out.dtype), axes=[[d], [0]])
        perm = list(range(rank - 1))
        perm.insert(d, rank - 1)
        out = _array.transpose(out, perm)
    if rounding:
        low = _array.cast(_math.reduce_min(x), "float32")
        high = _array.cast(_math.reduce_max(x), "float32")
        out = _array.cast(_math.minimum(_math.maximum(_math.round(out), low), high), x.dtype)
    return out

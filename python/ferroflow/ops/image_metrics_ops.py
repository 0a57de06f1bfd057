"""``tf.image`` measures: finite-difference gradients, total variation, PSNR and SSIM.

SSIM's Gaussian window is separable, so its "valid" filtering is two products with constant banded matrices,
like ``resize``.
"""

from __future__ import annotations

from typing import Any, Optional, Tuple

import numpy as np

from .._core import InvalidArgumentError
from ..framework.dtypes import float32
from ..framework.tensor import Tensor
from .array_ops import cast
from .image_color_ops import convert_image_dtype
from .image_common import as_image, pad_hw, per_image
from .image_resize_ops import apply_separable
from .math_derived_ops import squared_difference
from .math_ops import abs as _abs
from .math_ops import log, reduce_mean, reduce_sum, square


def image_gradients(image: Any) -> Tuple[Tensor, Tensor]:
    """``(dy, dx)``: forward differences along height and width of a 4-D batch, zero in the last row/column."""
    x = as_image(image)
    if x.shape.rank != 4:
        raise ValueError(f"image_gradients expects a 4D tensor [batch_size, h, w, d], not {x.shape}.")
    dy = pad_hw(x[:, 1:] - x[:, :-1], 0, 1, 0, 0)
    dx = pad_hw(x[:, :, 1:] - x[:, :, :-1], 0, 0, 0, 1)
    return dy, dx


def total_variation(images: Any, name: Optional[str] = None) -> Tensor:
    """The sum of absolute differences of neighbouring pixels: a scalar for one image, one value per image."""
    x = as_image(images)
    if x.shape.rank == 3:
        return reduce_sum(_abs(x[1:] - x[:-1])) + reduce_sum(_abs(x[:, 1:] - x[:, :-1]))
    if x.shape.rank == 4:
        axes = [1, 2, 3]
        return reduce_sum(_abs(x[:, 1:] - x[:, :-1]), axis=axes) + reduce_sum(
            _abs(x[:, :, 1:] - x[:, :, :-1]), axis=axes
        )
    raise ValueError("'images' must be either 3 or 4-dimensional.")


def _compatible(a: Tensor, b: Tensor) -> None:
    for x in (a, b):
        if x.shape.rank is None or x.shape.rank < 3:
            raise ValueError(f"images need at least three dimensions, received shape {x.shape}")
    for d1, d2 in zip(a.shape.as_list()[-3:], b.shape.as_list()[-3:]):
        if d1 is not None and d2 is not None and d1 != d2:
            raise InvalidArgumentError(f"Incompatible shapes: {a.shape} vs. {b.shape}")


def _float_images(a: Any, b: Any, max_val: Any) -> Tuple[Tensor, Tensor, Tensor]:
    a, b = as_image(a), as_image(b)
    _compatible(a, b)
    peak = convert_image_dtype(cast(max_val, a.dtype), float32)
    return convert_image_dtype(a, float32), convert_image_dtype(b, float32), peak


def psnr(a: Any, b: Any, max_val: Any, name: Optional[str] = None) -> Tensor:
    """Peak signal-to-noise ratio in dB over the last three axes (float32)."""
    a, b, peak = _float_images(a, b, max_val)
    mse = reduce_mean(squared_difference(a, b), axis=[-3, -2, -1])
    return 20.0 * log(peak) / float(np.log(np.float32(10.0))) - np.float32(10 / np.log(10)) * log(mse)


def _gauss_window(size: int, sigma: float, n: int) -> np.ndarray:
    """The ``(n - size + 1, n)`` matrix of a "valid" 1-D Gaussian filter."""
    coords = np.arange(size, dtype=np.float32) - np.float32(size - 1) / np.float32(2.0)
    g = np.square(coords) * (np.float32(-0.5) / np.float32(sigma) ** 2)
    g = np.exp(g - g.max())
    g = g / g.sum()
    m = np.zeros((n - size + 1, n), dtype=np.float64)
    for i in range(n - size + 1):
        m[i, i : i + size] = g
    return m


def ssim(
    img1: Any,
    img2: Any,
    max_val: Any,
    filter_size: int = 11,
    filter_sigma: float = 1.5,
    k1: float = 0.01,
    k2: float = 0.03,
    return_index_map: bool = False,
) -> Tensor:
    """Structural similarity with an ``filter_size`` Gaussian window, averaged over pixels and channels
    (or per pixel with ``return_index_map``), in float32."""
    x, y, peak = _float_images(img1, img2, max_val)
    h, w = x.shape.as_list()[-3:-1]
    if h is None or w is None:
        raise ValueError(f"ssim needs images of known height and width, received shape {x.shape}")
    if min(h, w) < filter_size:
        raise InvalidArgumentError(
            f"ssim needs images of at least {filter_size}x{filter_size}, received shape {x.shape}"
        )
    mh, mw = _gauss_window(filter_size, filter_sigma, h), _gauss_window(filter_size, filter_sigma, w)

    def reducer(t: Tensor) -> Tensor:
        return per_image(lambda t4: apply_separable(t4, mh, mw), t)

    c1, c2 = square(k1 * peak), square(k2 * peak)
    mean0, mean1 = reducer(x), reducer(y)
    num0 = mean0 * mean1 * 2.0
    den0 = square(mean0) + square(mean1)
    luminance = (num0 + c1) / (den0 + c1)
    num1 = reducer(x * y) * 2.0
    den1 = reducer(square(x) + square(y))
    cs = (num1 - num0 + c2) / (den1 - den0 + c2)
    value = luminance * cs
    if not return_index_map:
        value = reduce_mean(value, axis=[-3, -2])
    return reduce_mean(value, axis=[-1])

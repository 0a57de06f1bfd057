"""``tf.image.ssim_multiscale``: MS-SSIM, the weighted geometric mean of SSIM's contrast-structure term at
several scales and its full value at the coarsest one.

As TensorFlow: each scale after the first halves the images with a 2x2 average pool, after repeating the
last row/column of an odd-sized image (symmetric padding); every scale filters with the same Gaussian
window ("valid"), the per-channel terms go through ``relu`` and are raised to ``power_factors``, and the
channels are averaged. Sizes must be known while tracing (the window matrices are built from them).
"""

from __future__ import annotations

from typing import Any, Sequence

from .._core import InvalidArgumentError
from ..framework.tensor import Tensor
from .array_ops import concat, reshape, stack
from .image_common import per_image
from .image_metrics_ops import _float_images, _gauss_window
from .image_resize_ops import apply_separable
from .math_ops import maximum, pow, reduce_mean, reduce_prod, square

_MSSSIM_WEIGHTS = (0.0448, 0.2856, 0.3001, 0.2363, 0.1333)


def _terms(x: Tensor, y: Tensor, peak: Tensor, size: int, sigma: float, k1: float, k2: float) -> tuple:
    """Per-channel (ssim, contrast-structure) means over the valid filtered pixels."""
    h, w = x.shape.as_list()[-3:-1]
    if min(h, w) < size:
        raise InvalidArgumentError(
            f"ssim_multiscale: an image of {h}x{w} pixels at one of the scales is smaller than the "
            f"{size}x{size} filter; use larger images or fewer power_factors"
        )
    mh, mw = _gauss_window(size, sigma, h), _gauss_window(size, sigma, w)

    def reducer(t: Tensor) -> Tensor:
        return per_image(lambda t4: apply_separable(t4, mh, mw), t)

    c1, c2 = square(k1 * peak), square(k2 * peak)
    mean0, mean1 = reducer(x), reducer(y)
    num0 = mean0 * mean1 * 2.0
    luminance = (num0 + c1) / (square(mean0) + square(mean1) + c1)
    cs = (reducer(x * y) * 2.0 - num0 + c2) / (reducer(square(x) + square(y)) - (square(mean0) + square(mean1)) + c2)
    return reduce_mean(luminance * cs, axis=[-3, -2]), reduce_mean(cs, axis=[-3, -2])


def _halve(x: Tensor) -> Tensor:
    """2x2 average pooling of the last-but-one two axes, an odd last row/column repeated first."""
    h, w = x.shape.as_list()[-3:-1]
    if h % 2:
        x = concat([x, x[..., -1:, :, :]], -3)
    if w % 2:
        x = concat([x, x[..., :, -1:, :]], -2)
    h, w = h + h % 2, w + w % 2
    lead, depth = x.shape.as_list()[:-3], x.shape.as_list()[-1]
    blocks = reshape(x, [-1, h // 2, 2, w // 2, 2, depth])
    return reshape(reduce_mean(blocks, axis=[2, 4]), lead + [h // 2, w // 2, depth])


def ssim_multiscale(
    img1: Any,
    img2: Any,
    max_val: Any,
    power_factors: Sequence[float] = _MSSSIM_WEIGHTS,
    filter_size: int = 11,
    filter_sigma: float = 1.5,
    k1: float = 0.01,
    k2: float = 0.03,
) -> Tensor:
    """The MS-SSIM of each pair of images (float32, one value per image over the last three axes)."""
    x, y, peak = _float_images(img1, img2, max_val)
    dims = x.shape.as_list()
    if None in dims[-3:] or (len(dims) > 4 and None in dims[:-3]):
        raise ValueError(f"ssim_multiscale needs images of known height, width and depth, received {x.shape}")
    factors = [float(p) for p in power_factors]
    terms = []
    for k in range(len(factors)):
        if k > 0:
            x, y = _halve(x), _halve(y)
        value, cs = _terms(x, y, peak, int(filter_size), float(filter_sigma), float(k1), float(k2))
        terms.append(maximum(cs, 0.0))
    terms[-1] = maximum(value, 0.0)  # the coarsest scale contributes its full SSIM
    per_channel = reduce_prod(pow(stack(terms, axis=-1), factors), axis=[-1])
    return reduce_mean(per_channel, axis=[-1])

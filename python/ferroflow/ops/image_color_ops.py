"""``tf.image`` pixel values: dtype conversion with TensorFlow's scaling, brightness, contrast, gamma,
saturation and hue, grayscale and HSV conversions, per-image standardisation.

As in TensorFlow, the adjustments work in float32 (other dtypes are converted there and back).
"""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from .._core import InvalidArgumentError
from ..framework.dtypes import as_dtype, float32
from ..framework.tensor import Tensor
from .array_ops import cast, concat, identity, stack, where
from .image_common import as_image, require_at_least_3d
from .math_extra_ops import _numpy_dtype, saturate_cast
from .math_ops import abs as _abs
from .math_ops import (
    floor,
    floordiv,
    maximum,
    minimum,
    multiply,
    reduce_max,
    reduce_mean,
    reduce_min,
    reduce_std,
    reduce_sum,
)


def _kind(dt: np.dtype) -> str:
    return "float" if dt.kind == "f" else "int" if dt.kind in "iu" else "other"


def convert_image_dtype(image: Any, dtype: Any, saturate: bool = False, name: Optional[str] = None) -> Tensor:
    """Converts pixel values between dtypes, rescaling: integers span ``[0, MAX]``, floats ``[0, 1)``.

    Integer to float multiplies by ``1 / MAX``; float to integer multiplies by ``MAX + 0.5`` and casts
    (saturating first when ``saturate``); integer to integer shifts by the ratio of the two ranges.
    """
    x = as_image(image)
    want = _numpy_dtype(dtype)
    if _kind(want) == "other":
        raise AttributeError("dtype must be either floating point or integer")
    src = np.dtype(x.dtype.as_numpy_dtype)
    if _kind(src) == "other":
        raise AttributeError("image dtype must be either floating point or integer")
    target = as_dtype(want)
    if want == src:
        return identity(x, name=name)
    if _kind(src) == "int" and _kind(want) == "int":
        scale_in, scale_out = int(np.iinfo(src).max), int(np.iinfo(want).max)
        if scale_in > scale_out:
            scaled = floordiv(x, (scale_in + 1) // (scale_out + 1))
            return saturate_cast(scaled, want) if saturate else cast(scaled, target)
        widened = saturate_cast(x, want) if saturate else cast(x, target)
        return multiply(widened, (scale_out + 1) // (scale_in + 1))
    if _kind(src) == "float" and _kind(want) == "float":
        return cast(x, target)
    if _kind(src) == "int":
        return multiply(cast(x, target), 1.0 / int(np.iinfo(src).max))
    scaled = multiply(x, float(np.iinfo(want).max) + 0.5)
    return saturate_cast(scaled, want) if saturate else cast(scaled, target)


def _to_float(x: Tensor) -> Tensor:
    return x if x.dtype == float32 else convert_image_dtype(x, float32)


def adjust_brightness(image: Any, delta: Any) -> Tensor:
    """Adds ``delta`` to every pixel (in float32; the result keeps the image's dtype, saturated)."""
    x = as_image(image)
    flt = _to_float(x)
    delta = cast(delta, float32) if isinstance(delta, Tensor) else delta
    return convert_image_dtype(flt + delta, x.dtype, saturate=True)


def adjust_contrast(images: Any, contrast_factor: Any) -> Tensor:
    """``(x - mean) * contrast_factor + mean`` with the mean of each channel of each image."""
    x = as_image(images)
    if x.shape.rank is None or x.shape.rank < 3:
        raise InvalidArgumentError(f"input must be at least 3-D, got shape{list(x.shape.as_list() or [])}")
    flt = _to_float(x)
    factor = cast(contrast_factor, float32) if isinstance(contrast_factor, Tensor) else contrast_factor
    mean = reduce_mean(flt, axis=[-3, -2], keepdims=True)
    return convert_image_dtype((flt - mean) * factor + mean, x.dtype, saturate=True)


def adjust_gamma(image: Any, gamma: Any = 1, gain: Any = 1) -> Tensor:
    """``gain * image ** gamma`` (in float32; the result keeps the image's dtype, saturated)."""
    x = as_image(image)
    if not isinstance(gamma, Tensor) and gamma < 0:
        raise ValueError("Gamma should be a non-negative real number.")
    flt = _to_float(x)
    return convert_image_dtype(gain * flt**gamma, x.dtype, saturate=True)


def _check_rgb(x: Tensor) -> None:
    channels = x.shape.as_list()[-1] if x.shape.rank else None
    if channels is not None and channels != 3:
        raise InvalidArgumentError(f"input must have 3 channels but instead has {channels} channels.")


def rgb_to_hsv(images: Any, name: Optional[str] = None) -> Tensor:
    """RGB values in ``[0, 1]`` to hue, saturation and value, each in ``[0, 1]`` (float images)."""
    x = as_image(images)
    _check_rgb(x)
    r, g, b = x[..., 0], x[..., 1], x[..., 2]
    v = reduce_max(x, axis=-1)
    spread = v - reduce_min(x, axis=-1)
    s = where(v > 0, spread / where(v > 0, v, 1.0), 0.0 * v)
    norm = 1.0 / (6.0 * where(spread > 0, spread, 1.0))
    h = where(r == v, norm * (g - b), where(g == v, norm * (b - r) + 2.0 / 6.0, norm * (r - g) + 4.0 / 6.0))
    h = where(spread > 0, h, 0.0 * h)
    h = where(h < 0, h + 1.0, h)
    return stack([h, s, v], axis=-1)


def hsv_to_rgb(images: Any, name: Optional[str] = None) -> Tensor:
    """Hue, saturation and value in ``[0, 1]`` to RGB (float images)."""
    x = as_image(images)
    _check_rgb(x)
    h, s, v = x[..., 0], x[..., 1], x[..., 2]
    dh = h * 6.0
    red = minimum(maximum(_abs(dh - 3.0) - 1.0, 0.0), 1.0)
    green = minimum(maximum(2.0 - _abs(dh - 2.0), 0.0), 1.0)
    blue = minimum(maximum(2.0 - _abs(dh - 4.0), 0.0), 1.0)
    return stack([((1.0 - s) + s * c) * v for c in (red, green, blue)], axis=-1)


def _through_hsv(image: Any, change: Any) -> Tensor:
    x = as_image(image)
    _check_rgb(x)
    hsv = rgb_to_hsv(_to_float(x))
    return convert_image_dtype(hsv_to_rgb(change(hsv)), x.dtype)


def adjust_saturation(image: Any, saturation_factor: Any, name: Optional[str] = None) -> Tensor:
    """Multiplies the HSV saturation of RGB images by ``saturation_factor`` (clipped to ``[0, 1]``)."""
    factor = cast(saturation_factor, float32) if isinstance(saturation_factor, Tensor) else saturation_factor

    def change(hsv: Tensor) -> Tensor:
        s = minimum(maximum(hsv[..., 1] * factor, 0.0), 1.0)
        return stack([hsv[..., 0], s, hsv[..., 2]], axis=-1)

    return _through_hsv(image, change)


def adjust_hue(image: Any, delta: Any, name: Optional[str] = None) -> Tensor:
    """Rotates the HSV hue of RGB images by ``delta`` (in ``[-1, 1]``, a fraction of a full turn)."""
    if not isinstance(delta, Tensor) and (delta < -1 or delta > 1):
        raise ValueError("delta must be in the interval [-1, 1]")
    delta = cast(delta, float32) if isinstance(delta, Tensor) else delta

    def change(hsv: Tensor) -> Tensor:
        h = hsv[..., 0] + delta
        h = h - floor(h)
        return stack([h, hsv[..., 1], hsv[..., 2]], axis=-1)

    return _through_hsv(image, change)


def rgb_to_grayscale(images: Any, name: Optional[str] = None) -> Tensor:
    """The luma ``0.2989 R + 0.5870 G + 0.1140 B``, with a last axis of size 1 and the input's dtype."""
    x = as_image(images)
    channels = x.shape.as_list()[-1] if x.shape.rank else None
    if channels is not None and channels != 3:
        raise InvalidArgumentError(f"rgb_to_grayscale needs 3 channels in the last axis, received shape {x.shape}")
    flt = convert_image_dtype(x, float32)
    gray = reduce_sum(flt * np.array([0.2989, 0.5870, 0.1140], dtype=np.float32), axis=-1, keepdims=True)
    return convert_image_dtype(gray, x.dtype, name=name)


def grayscale_to_rgb(images: Any, name: Optional[str] = None) -> Tensor:
    """Repeats the single channel three times."""
    x = as_image(images)
    if x.shape.rank is None or x.shape.rank < 2:
        raise ValueError(f"A grayscale image (shape {x.shape}) must be at least two-dimensional.")
    if x.shape.as_list()[-1] not in (1, None):
        raise ValueError("Last dimension of a grayscale image should be size 1.")
    return concat([x, x, x], axis=-1)


def per_image_standardization(image: Any) -> Tensor:
    """``(x - mean) / max(stddev, 1 / sqrt(num_pixels))`` over each image's last three axes, in float32."""
    x = as_image(image)
    require_at_least_3d(x)
    flt = cast(x, float32)
    dims = x.shape.as_list()[-3:]
    if any(d is None for d in dims):
        raise ValueError(f"per_image_standardization needs known height, width and channels, received {x.shape}")
    mean = reduce_mean(flt, axis=[-1, -2, -3], keepdims=True)
    stddev = reduce_std(flt, axis=[-1, -2, -3], keepdims=True)
    floor_std = 1.0 / float(np.sqrt(np.float32(dims[0] * dims[1] * dims[2])))
    return (flt - mean) / maximum(stddev, floor_std)

"""``keras.ops.image``: Keras 3's colour conversions, cropping and padding (and the layout helpers of the
image functions)."""

from __future__ import annotations

from typing import Any, Optional

from ..framework.dtypes import as_dtype
from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor
from ..layers._conv_utils import data_format_of
from ..ops import array_ops as _array
from ..ops import math_ops as _math
from ..ops import tiling_ops as _tiling
from ..ops.image_color_ops import hsv_to_rgb as _tf_hsv_to_rgb
from ..ops.image_color_ops import rgb_to_hsv as _tf_rgb_to_hsv

__all__ = ["crop_images", "hsv_to_rgb", "pad_images", "rgb_to_grayscale", "rgb_to_hsv"]


def _check_rank(x: Tensor, name: str = "images", received: str = "Received input with shape: ") -> None:
    # Keras words the end of this message two ways: pad_images and crop_images say "Received: images.shape=".
    if x.shape.rank not in (3, 4):
        raise ValueError(
            f"Invalid {name} rank: expected rank 3 (single image) or rank 4 (batch of images). "
            f"{received}{name}.shape={x.shape}"
        )


def _compute_dtype(dtype: Any) -> Any:
    """Keras's ``result_type(dtype, float)``: floats keep their dtype, everything else computes in float32."""
    dtype = as_dtype(dtype)
    return dtype if dtype.is_floating else as_dtype("float32")


def _to_last(x: Tensor, first: bool) -> Tensor:
    if not first:
        return x
    return _array.transpose(x, [0, 2, 3, 1] if x.shape.rank == 4 else [1, 2, 0])


def _to_first(x: Tensor, first: bool) -> Tensor:
    if not first:
        return x
    return _array.transpose(x, [0, 3, 1, 2] if x.shape.rank == 4 else [2, 0, 1])


def rgb_to_grayscale(images: Any, data_format: Optional[str] = None) -> Tensor:
    """The luma ``0.2989 R + 0.5870 G + 0.1140 B`` as one channel, in the input's dtype (integer images are
    weighted as they are, not rescaled, and the result is truncated back); one-channel images pass through."""
    x = convert_to_tensor(images)
    axis = -1 if data_format_of(data_format) == "channels_last" else -3
    _check_rank(x)
    if x.shape[axis] not in (1, 3):
        raise ValueError(
            "Invalid channel size: expected 3 (RGB) or 1 (Grayscale). "
            f"Received input with shape: images.shape={x.shape}"
        )
    if x.shape[axis] == 1:
        return _array.identity(x)
    dtype = as_dtype(x.dtype)
    compute = _compute_dtype(dtype)
    flt = _array.cast(x, compute)
    weights = _array.reshape(convert_to_tensor([0.2989, 0.5870, 0.1140], dtype=compute), [3, 1, 1])
    if axis == -1:
        weights = _array.reshape(weights, [3])
    gray = _math.reduce_sum(_math.multiply(flt, weights), axis=axis, keepdims=True)
    return _array.cast(gray, dtype)


def _hsv_convert(images: Any, data_format: Optional[str], convert: Any) -> Tensor:
    x = convert_to_tensor(images)
    first = data_format_of(data_format) == "channels_first"
    _check_rank(x)
    if not as_dtype(x.dtype).is_floating:
        raise ValueError(f"Invalid images dtype: expected float dtype. Received: images.dtype={as_dtype(x.dtype).name}")
    return _to_first(convert(_to_last(x, first)), first)


def rgb_to_hsv(images: Any, data_format: Optional[str] = None) -> Tensor:
    """RGB images (floats in ``[0, 1]``) as hue, saturation and value, each in ``[0, 1]``."""
    return _hsv_convert(images, data_format, _tf_rgb_to_hsv)


def hsv_to_rgb(images: Any, data_format: Optional[str] = None) -> Tensor:
    """HSV images (floats in ``[0, 1]``) as RGB."""
    return _hsv_convert(images, data_format, _tf_hsv_to_rgb)


def _two_of(a: Any, b: Any, target: Any, names: tuple) -> None:
    if [a, b, target].count(None) != 1:
        raise ValueError(
            f"Must specify exactly two of {names[0]}, {names[1]}, {names[2]}. "
            f"Received: {names[0]}={a}, {names[1]}={b}, {names[2]}={target}"
        )
    for value, name in zip((a, b, target), names):
        _non_negative(value, name)


def _non_negative(value: Any, name: str) -> None:
    if value is not None and value < 0:
        raise ValueError(f"{name} must be >= 0. Received: {name}={value}")


def _height_width(x: Tensor, first: bool) -> tuple:
    h, w = (x.shape[-2], x.shape[-1]) if first else (x.shape[-3], x.shape[-2])
    if h is None or w is None:
        raise ValueError(f"The images' height and width must be known. Received: images.shape={x.shape}")
    return int(h), int(w)


def pad_images(
    images: Any,
    top_padding: Optional[int] = None,
    left_padding: Optional[int] = None,
    bottom_padding: Optional[int] = None,
    right_padding: Optional[int] = None,
    target_height: Optional[int] = None,
    target_width: Optional[int] = None,
    data_format: Optional[str] = None,
) -> Tensor:
    """Images zero-padded on each side; of each side pair and its target size, exactly two are given."""
    first = data_format_of(data_format) == "channels_first"
    x = convert_to_tensor(images)
    _check_rank(x, received="Received: ")
    _two_of(top_padding, bottom_padding, target_height, ("top_padding", "bottom_padding", "target_height"))
    _two_of(left_padding, right_padding, target_width, ("left_padding", "right_padding", "target_width"))
    height, width = _height_width(x, first)
    if top_padding is None:
        top_padding = target_height - bottom_padding - height
    if bottom_padding is None:
        bottom_padding = target_height - top_padding - height
    if left_padding is None:
        left_padding = target_width - right_padding - width
    if right_padding is None:
        right_padding = target_width - left_padding - width
    for value, name in (
        (top_padding, "top_padding"),
        (left_padding, "left_padding"),
        (right_padding, "right_padding"),
        (bottom_padding, "bottom_padding"),
    ):
        _non_negative(value, name)
    pads = [[top_padding, bottom_padding], [left_padding, right_padding]]
    pads = [[0, 0]] + pads if first else pads + [[0, 0]]
    if x.shape.rank == 4:
        pads = [[0, 0]] + pads
    return _tiling.pad(x, pads)


def crop_images(
    images: Any,
    top_cropping: Optional[int] = None,
    left_cropping: Optional[int] = None,
    bottom_cropping: Optional[int] = None,
    right_cropping: Optional[int] = None,
    target_height: Optional[int] = None,
    target_width: Optional[int] = None,
    data_format: Optional[str] = None,
) -> Tensor:
    """Images cropped on each side; of each side pair and its target size, exactly two are given."""
    first = data_format_of(data_format) == "channels_first"
    x = convert_to_tensor(images)
    _check_rank(x, received="Received: ")
    _two_of(top_cropping, bottom_cropping, target_height, ("top_cropping", "bottom_cropping", "target_height"))
    _two_of(left_cropping, right_cropping, target_width, ("left_cropping", "right_cropping", "target_width"))
    height, width = _height_width(x, first)
    if top_cropping is None:
        top_cropping = height - target_height - bottom_cropping
    if target_height is None:
        target_height = height - bottom_cropping - top_cropping
    if left_cropping is None:
        left_cropping = width - target_width - right_cropping
    if target_width is None:
        target_width = width - right_cropping - left_cropping
    for value, name in (
        (top_cropping, "top_cropping"),
        (target_height, "target_height"),
        (left_cropping, "left_cropping"),
        (target_width, "target_width"),
    ):
        _non_negative(value, name)
    if top_cropping + target_height > height or left_cropping + target_width > width:
        raise ValueError(
            f"The crop of {target_height}x{target_width} pixels at ({top_cropping}, {left_cropping}) does not fit "
            f"in images of {height}x{width} pixels."
        )
    rows = slice(top_cropping, top_cropping + target_height)
    cols = slice(left_cropping, left_cropping + target_width)
    index = (slice(None), rows, cols) if first else (rows, cols, slice(None))
    if x.shape.rank == 4:
        index = (slice(None),) + index
    return x[index]

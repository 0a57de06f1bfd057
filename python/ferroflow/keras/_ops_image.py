"""``keras.ops.image``: Keras 3's image ops on ferroflow tensors."""

from __future__ import annotations

import functools
import inspect
from typing import Any, Optional

import numpy as np

from ferroflow._api import public_dir as _public_dir

from ..framework import nest
from ..framework.dtypes import as_dtype
from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor
from ..layers._conv_utils import data_format_of
from ..ops import array_ops as _array
from ..ops import math_ops as _math
from ..ops import tiling_ops as _tiling
from ..ops.image_patches_ops import extract_patches as _tf_extract_patches
from ..ops.image_resize_ops import resize as _tf_resize
from ..ops.image_transform_ops import affine_transform
from ._ops_image_2 import (
    _check_rank,
    _to_first,
    _to_last,
    crop_images,
    hsv_to_rgb,
    pad_images,
    rgb_to_grayscale,
    rgb_to_hsv,
)
from ._ops_image_3 import elastic_transform, map_coordinates, perspective_transform
from ._ops_image_4 import extract_patches_3d, gaussian_blur, scale_and_translate, sobel_edges, ssim

__all__ = [
    "affine_transform",
    "crop_images",
    "elastic_transform",
    "extract_patches",
    "extract_patches_3d",
    "gaussian_blur",
    "hsv_to_rgb",
    "map_coordinates",
    "pad_images",
    "perspective_transform",
    "resize",
    "rgb_to_grayscale",
    "rgb_to_hsv",
    "scale_and_translate",
    "sobel_edges",
    "ssim",
]

_INTERPOLATIONS = ("bilinear", "nearest", "lanczos3", "lanczos5", "bicubic", "area")


def _pair(value: Any, what: str) -> tuple:
    if isinstance(value, int):
        return value, value
    if isinstance(value, (list, tuple)) and len(value) == 2:
        return int(value[0]), int(value[1])
    raise TypeError(f"Invalid `{what}` argument. Expected an int or a tuple of length 2. Received: {what}={value}")


def _channels_first(data_format: Optional[str]) -> bool:
    return data_format_of(data_format) == "channels_first"


def _to_aspect_ratio(x: Tensor, size: Any, crop: bool, fill_value: float) -> Tensor:
    """Channels-last images centre-cropped (``crop``) or padded with ``fill_value`` on both sides to the
    aspect ratio of ``size``, with Keras's arithmetic (float32 quotients truncated)."""
    height, width = (int(d) for d in x.shape[-3:-1])
    target_h, target_w = (int(d) for d in size)
    fit_h = int(np.float32(width * target_h) / np.float32(target_w))
    fit_w = int(np.float32(height * target_w) / np.float32(target_h))
    if crop:
        crop_h, crop_w = max(min(height, fit_h), 1), max(min(width, fit_w), 1)
        top, left = int((height - crop_h) / 2), int((width - crop_w) / 2)
        return x[..., top : top + crop_h, left : left + crop_w, :]
    top, left = int((max(height, fit_h) - height) / 2), int((max(width, fit_w) - width) / 2)
    if top == 0 and left == 0:
        return x
    # The same margin on both sides (as Keras: an odd difference leaves the result one row or column short).
    pads = [[0, 0]] * (x.shape.rank - 3) + [[top, top], [left, left], [0, 0]]
    return _tiling.pad(x, pads, constant_values=fill_value)


def resize(
    images: Any,
    size: Any,
    interpolation: str = "bilinear",
    antialias: bool = False,
    crop_to_aspect_ratio: bool = False,
    pad_to_aspect_ratio: bool = False,
    fill_mode: str = "constant",
    fill_value: float = 0.0,
    data_format: Optional[str] = None,
) -> Tensor:
    """Images (3-D, or 4-D batches) resized to ``size = (height, width)``, first centre-cropped
    (``crop_to_aspect_ratio``) or padded with ``fill_value`` (``pad_to_aspect_ratio``) to its aspect ratio if
    asked; integer images are rounded back to their dtype, as Keras does."""
    if interpolation not in _INTERPOLATIONS:
        raise ValueError(
            f"Invalid value for argument `interpolation`. Expected of one {_INTERPOLATIONS}. "
            f"Received: interpolation={interpolation}"
        )
    if fill_mode != "constant":
        raise ValueError(
            f"Invalid value for argument `fill_mode`. Only `'constant'` is supported. Received: fill_mode={fill_mode}"
        )
    if pad_to_aspect_ratio and crop_to_aspect_ratio:
        raise ValueError("Only one of `pad_to_aspect_ratio` & `crop_to_aspect_ratio` can be `True`.")
    if not isinstance(size, (list, tuple)) or len(size) != 2:
        raise ValueError(f"Expected `size` to be a tuple of 2 integers. Received: size={size}")
    x = convert_to_tensor(images)
    _check_rank(x)
    first = _channels_first(data_format)
    dtype = as_dtype(x.dtype)
    x = _to_last(x, first)
    if crop_to_aspect_ratio or pad_to_aspect_ratio:
        x = _to_aspect_ratio(x, size, crop_to_aspect_ratio, fill_value)
    out = _tf_resize(x, list(size), method=interpolation, antialias=antialias)
    if not dtype.is_floating and as_dtype(out.dtype) != dtype:
        # Rounded and clipped into the dtype's range: bicubic and Lanczos kernels overshoot.
        info = np.iinfo(dtype.as_numpy_dtype)
        out = _math.minimum(_math.maximum(_math.round(out), float(info.min)), float(info.max))
        out = _array.cast(out, dtype)
    elif as_dtype(out.dtype) != dtype:
        out = _array.cast(out, dtype)
    return _to_first(out, first)


def extract_patches(
    images: Any,
    size: Any,
    strides: Any = None,
    dilation_rate: Any = 1,
    padding: str = "valid",
    data_format: Optional[str] = None,
) -> Tensor:
    """The ``size`` patches of 3-D images or 4-D batches, each flattened into the last axis (Keras 3's layout:
    ``(batch, patches down, patches across, height * width * channels)``); ``strides`` defaults to ``size``.
    A ``size`` of three ints extracts the 3-D patches of volumes, as ``extract_patches_3d``."""
    if isinstance(size, (list, tuple)) and len(size) == 3:
        return extract_patches_3d(images, size, strides, dilation_rate, padding, data_format)
    kh, kw = _pair(size, "size")
    sh, sw = (kh, kw) if strides is None else _pair(strides, "strides")
    rh, rw = _pair(dilation_rate, "dilation_rate")
    x = convert_to_tensor(images)
    single = x.shape.rank == 3
    if single:
        x = _array.expand_dims(x, 0)
    first = _channels_first(data_format)
    out = _tf_extract_patches(
        _to_last(x, first), [1, kh, kw, 1], [1, sh, sw, 1], [1, rh, rw, 1], padding=str(padding).upper()
    )
    out = _to_first(out, first)
    return _array.squeeze(out, [0]) if single else out


def _symbolic(name: str, fn: Any) -> Any:
    """``fn``, recording an operation of a functional graph (Keras's ``keras.src.ops.image`` op) when given
    KerasTensors."""

    @functools.wraps(fn)
    def op(*args: Any, **kwargs: Any) -> Any:
        values = list(args) + list(kwargs.values())
        if not any(getattr(v, "_is_keras_tensor", False) for v in nest.flatten(values)):
            return fn(*args, **kwargs)
        from ..layers._keras_operation import symbolic_op

        if name == "extract_patches_3d":  # Keras records it as ExtractPatches with a 3-D size
            bound = inspect.signature(fn).bind(*args, **kwargs).arguments
            size = bound["size"]
            bound["size"] = (size,) * 3 if isinstance(size, int) else tuple(size)
            bound["images"] = bound.pop("volumes")
            return symbolic_op("extract_patches", extract_patches, (), bound)
        return symbolic_op(name, fn, args, kwargs)

    return op


for _name in __all__:
    globals()[_name] = _symbolic(_name, globals()[_name])
del _name

__dir__ = _public_dir(globals())

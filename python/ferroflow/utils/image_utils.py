"""``keras.utils.array_to_img`` / ``img_to_array`` / ``load_img`` / ``save_img``: between NumPy image arrays,
PIL images and image files, as Keras 3.

PIL is imported only when these are called (as in Keras, it is an optional dependency); without it they
raise Keras's ImportError.
"""

from __future__ import annotations

import io
import pathlib
import warnings
from typing import Any, Optional, Tuple

import numpy as np


def _pil_image() -> Any:
    try:
        from PIL import Image
    except ImportError:
        return None
    return Image


def _data_format(data_format: Optional[str]) -> str:
    data_format = (data_format or "channels_last").lower()
    if data_format not in ("channels_first", "channels_last"):
        raise ValueError(
            "The `data_format` argument must be one of {'channels_first', 'channels_last'}. "
            f"Received: data_format={data_format}"
        )
    return data_format


def array_to_img(x: Any, data_format: Optional[str] = None, scale: bool = True, dtype: Any = None) -> Any:
    """A PIL image of a rank-3 array ``(height, width, channels)`` with 1, 3 or 4 channels; ``scale`` maps
    the values onto ``[0, 255]`` (min to 0, max to 255)."""
    data_format = _data_format(data_format)
    image = _pil_image()
    if image is None:
        raise ImportError("Could not import PIL.Image. The use of `array_to_img` requires PIL.")
    x = np.asarray(x.numpy() if hasattr(x, "numpy") else x, dtype=dtype or "float32")
    if x.ndim != 3:
        raise ValueError(f"Expected image array to have rank 3 (single image). Got array with shape: {x.shape}")
    if data_format == "channels_first":
        x = x.transpose(1, 2, 0)
    if scale:
        x = x - np.min(x)
        x_max = np.max(x)
        if x_max != 0:
            x /= x_max
        x *= 255
    if x.shape[2] == 4:
        return image.fromarray(x.astype("uint8"), "RGBA")
    if x.shape[2] == 3:
        return image.fromarray(x.astype("uint8"), "RGB")
    if x.shape[2] == 1:
        if np.max(x) > 255:  # a 32-bit integer grayscale image (PIL mode "I")
            return image.fromarray(x[:, :, 0].astype("int32"), "I")
        return image.fromarray(x[:, :, 0].astype("uint8"), "L")
    raise ValueError(f"Unsupported channel number: {x.shape[2]}")


def img_to_array(img: Any, data_format: Optional[str] = None, dtype: Any = None) -> np.ndarray:
    """A PIL image as a rank-3 ``float32`` array, channels last unless ``data_format="channels_first"``."""
    data_format = _data_format(data_format)
    x = np.asarray(img, dtype=dtype or "float32")
    if x.ndim == 3:
        return x.transpose(2, 0, 1) if data_format == "channels_first" else x
    if x.ndim == 2:
        return x[np.newaxis] if data_format == "channels_first" else x[:, :, np.newaxis]
    raise ValueError(f"Unsupported image shape: {x.shape}")


def _pil_interpolations(image: Any) -> dict:
    resampling = getattr(image, "Resampling", image)
    return {
        "nearest": resampling.NEAREST,
        "bilinear": resampling.BILINEAR,
        "bicubic": resampling.BICUBIC,
        "hamming": resampling.HAMMING,
        "box": resampling.BOX,
        "lanczos": resampling.LANCZOS,
    }


def save_img(
    path: Any,
    x: Any,
    data_format: Optional[str] = None,
    file_format: Optional[str] = None,
    scale: bool = True,
    **kwargs: Any,
) -> None:
    """Saves the image array ``x`` (see ``array_to_img``) to a path or file object; the format comes from the
    file's extension unless ``file_format`` is given (always give it for a file object). ``kwargs`` go to
    ``PIL.Image.save``."""
    data_format = _data_format(data_format)
    if file_format is None and isinstance(path, (str, pathlib.Path)):
        file_format = pathlib.Path(path).suffix[1:].lower()
    if file_format and file_format.lower() == "jpg":  # Pillow's name for it
        file_format = "jpeg"
    img = array_to_img(x, data_format=data_format, scale=scale)
    if img.mode == "RGBA" and file_format == "jpeg":
        warnings.warn("The JPEG format does not support RGBA images, converting to RGB.", stacklevel=2)
        img = img.convert("RGB")
    img.save(path, format=file_format, **kwargs)


def load_img(
    path: Any,
    color_mode: str = "rgb",
    target_size: Optional[Tuple[int, int]] = None,
    interpolation: str = "nearest",
    keep_aspect_ratio: bool = False,
) -> Any:
    """A PIL image read from a path (str, bytes, ``pathlib.Path``) or an ``io.BytesIO``, converted to
    ``color_mode`` ("rgb", "rgba" or "grayscale": 8-bit unless already 16/32-bit grayscale) and resized to
    ``target_size = (height, width)`` with PIL's ``interpolation``; ``keep_aspect_ratio`` crops the centre
    to the target's aspect ratio first."""
    image = _pil_image()
    if image is None:
        raise ImportError("Could not import PIL.Image. The use of `load_img` requires PIL.")
    if isinstance(path, io.BytesIO):
        img = image.open(path)
    elif isinstance(path, (pathlib.Path, bytes, str)):
        if isinstance(path, pathlib.Path):
            path = str(path.resolve())
        with open(path, "rb") as f:
            img = image.open(io.BytesIO(f.read()))
    else:
        raise TypeError(f"path should be path-like or io.BytesIO, not {type(path)}")
    if color_mode == "grayscale":
        if img.mode not in ("L", "I;16", "I"):
            img = img.convert("L")
    elif color_mode == "rgba":
        if img.mode != "RGBA":
            img = img.convert("RGBA")
    elif color_mode == "rgb":
        if img.mode != "RGB":
            img = img.convert("RGB")
    else:
        raise ValueError('color_mode must be "grayscale", "rgb", or "rgba"')
    if target_size is None:
        return img
    width_height = (target_size[1], target_size[0])
    if img.size == width_height:
        return img
    methods = _pil_interpolations(image)
    if interpolation not in methods:
        raise ValueError(
            f"Invalid interpolation method {interpolation} specified. Supported methods are {', '.join(methods)}"
        )
    if not keep_aspect_ratio:
        return img.resize(width_height, methods[interpolation])
    width, height = img.size
    target_width, target_height = width_height
    crop_height = min(height, (width * target_height) // target_width)
    crop_width = min(width, (height * target_width) // target_height)
    top, left = (height - crop_height) // 2, (width - crop_width) // 2
    box = [left, top, left + crop_width, top + crop_height]
    return img.resize(width_height, methods[interpolation], box=box)

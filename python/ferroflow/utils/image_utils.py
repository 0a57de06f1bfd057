"""``keras.utils.array_to_img`` / ``img_to_array``: between NumPy image arrays and PIL images, as Keras 3.

PIL is imported only when these are called (as in Keras, it is an optional dependency); without it they
raise Keras's ImportError.
"""

from __future__ import annotations

from typing import Any, Optional

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

"""``tf.image.rgb_to_yuv``/``yuv_to_rgb``/``rgb_to_yiq``/``yiq_to_rgb``: 3x3 color-space matrices applied
to the last axis (a ``tensordot``, so gradients and graphs come with it), TensorFlow's matrices."""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor
from .structure_ops import tensordot

_RGB_TO_YUV = [[0.299, -0.14714119, 0.61497538], [0.587, -0.28886916, -0.51496512], [0.114, 0.43601035, -0.10001026]]
_YUV_TO_RGB = [[1, 1, 1], [0, -0.394642334, 2.03206185], [1.13988303, -0.58062185, 0]]
_RGB_TO_YIQ = [[0.299, 0.59590059, 0.2115], [0.587, -0.27455667, -0.52273617], [0.114, -0.32134392, 0.31119955]]
_YIQ_TO_RGB = [[1, 1, 1], [0.95598634, -0.27201283, -1.10674021], [0.6208248, -0.64720424, 1.70423049]]


def _convert(images: Any, kernel: list) -> Tensor:
    x = convert_to_tensor(images)
    if not x.dtype.is_floating:
        raise TypeError(f"Cannot convert {kernel} to EagerTensor of dtype {x.dtype.name}")
    channels = x.shape.as_list()[-1] if x.shape.rank else None
    if channels is not None and channels != 3:
        from .._core import InvalidArgumentError

        raise InvalidArgumentError(
            f"Matrix size-incompatible: In[0]: {x.shape.as_list()}, In[1]: [3,3]: the last axis must hold 3 channels"
        )
    matrix = convert_to_tensor(np.array(kernel, dtype=x.dtype.as_numpy_dtype))
    return tensordot(x, matrix, axes=[[x.shape.rank - 1], [0]])


def rgb_to_yuv(images: Any) -> Tensor:
    """RGB in ``[0, 1]`` to YUV (Y in ``[0, 1]``, U and V about ``[-0.5, 0.5]``), float images."""
    return _convert(images, _RGB_TO_YUV)


def yuv_to_rgb(images: Any) -> Tensor:
    """YUV back to RGB, float images."""
    return _convert(images, _YUV_TO_RGB)


def rgb_to_yiq(images: Any) -> Tensor:
    """RGB in ``[0, 1]`` to YIQ, float images."""
    return _convert(images, _RGB_TO_YIQ)


def yiq_to_rgb(images: Any, name: Optional[str] = None) -> Tensor:
    """YIQ back to RGB, float images."""
    return _convert(images, _YIQ_TO_RGB)

"""``tf.image.resize`` and ``resize_with_pad`` with TensorFlow 2's half-pixel-centre sampling.

A resize is one native op (``Resize``) that reads the image size when it runs, so decoded images of any size
resize inside ``tf.function`` and ``Dataset.map``. Every interpolating method is separable: the op computes
TensorFlow's weights for each axis (in float32, as its kernels do) and applies them as two passes over short
runs of pixels; its gradient is the transposed passes. Nearest neighbour copies pixels and keeps the dtype.
``apply_separable`` applies dense per-axis matrices (SSIM's Gaussian window).
"""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from .._core import InvalidArgumentError
from ..framework.dtypes import float32
from ..framework.ops import apply
from ..framework.tensor import EagerTensor, Tensor
from .array_ops import cast, reshape
from .image_common import as_image, batched, hwc, static_int, unbatched
from .image_ops import pad_to_bounding_box
from .math_ops import matmul

_F = np.float32


class ResizeMethod:
    """The ``method`` names ``resize`` accepts."""

    BILINEAR = "bilinear"
    NEAREST_NEIGHBOR = "nearest"
    BICUBIC = "bicubic"
    AREA = "area"
    LANCZOS3 = "lanczos3"
    LANCZOS5 = "lanczos5"
    GAUSSIAN = "gaussian"
    MITCHELLCUBIC = "mitchellcubic"


def apply_separable(x4: Tensor, mh: Optional[np.ndarray], mw: Optional[np.ndarray]) -> Tensor:
    """``mh @ image @ mw.T`` for every image and channel of a 4-D batch (a None matrix is the identity)."""
    _, w, c = hwc(x4, "resize")
    dtype = x4.dtype.as_numpy_dtype
    if mh is not None:
        oh = mh.shape[0]
        x4 = reshape(matmul(mh.astype(dtype), reshape(x4, [-1, mh.shape[1], w * c])), [-1, oh, w, c])
    if mw is not None:
        oh, ow = x4.shape.as_list()[1], mw.shape[0]
        x4 = reshape(matmul(mw.astype(dtype), reshape(x4, [-1, w, c])), [-1, oh, ow, c])
    return x4


def _size(size: Any) -> list:
    if isinstance(size, Tensor) and not isinstance(size, EagerTensor):
        raise ValueError("resize needs 'size' known when the graph is built (a Python list or an eager tensor)")
    arr = np.asarray(size.numpy() if isinstance(size, Tensor) else size)
    if arr.dtype.kind not in "iu":
        raise ValueError("'size' must be a 1-D int32 Tensor")
    if arr.shape != (2,):
        raise ValueError("'size' must be a 1-D Tensor of 2 elements: new_height, new_width")
    return [int(v) for v in arr]


_METHODS = {getattr(ResizeMethod, k) for k in vars(ResizeMethod) if k.isupper()}


def resize(
    images: Any,
    size: Any,
    method: str = ResizeMethod.BILINEAR,
    preserve_aspect_ratio: bool = False,
    antialias: bool = False,
    name: Optional[str] = None,
) -> Tensor:
    """Resizes ``[h, w, c]`` or ``[n, h, w, c]`` images to ``size = [new_height, new_width]``.

    The result is float32 except for ``"nearest"``, which keeps the dtype. ``antialias`` widens the kernel
    when downsampling (ignored by ``"nearest"`` and ``"area"``). The images' height and width may be unknown
    until the graph runs; ``preserve_aspect_ratio`` needs them known.
    """
    x = as_image(images)
    if x.shape.rank is None:
        raise ValueError("'images' contains no shape.")
    if x.shape.rank not in (3, 4):
        raise ValueError("'images' must have either 3 or 4 dimensions.")
    x4, was_batch = batched(x, at_least_3=False)
    new_h, new_w = _size(size)
    if preserve_aspect_ratio:
        h, w, _ = hwc(x4, "resize with preserve_aspect_ratio")
        factor = min(_F(new_h) / _F(h), _F(new_w) / _F(w))
        new_h, new_w = int(np.round(factor * _F(h))), int(np.round(factor * _F(w)))
    method = getattr(method, "value", method)
    if method not in _METHODS:
        raise ValueError(f"Resize method is not implemented: {method}")
    if new_h <= 0 or new_w <= 0:
        raise InvalidArgumentError(f"output dimensions must be positive, received size {[new_h, new_w]}")
    if method != ResizeMethod.NEAREST_NEIGHBOR and x4.dtype != float32:
        x4 = cast(x4, float32)
    attrs = {"height": new_h, "width": new_w, "method": method, "antialias": bool(antialias)}
    return unbatched(apply("resize", [x4], attrs, op_name=name), was_batch)


def resize_with_pad(
    image: Any,
    target_height: Any,
    target_width: Any,
    method: str = ResizeMethod.BILINEAR,
    antialias: bool = False,
) -> Tensor:
    """Resizes keeping the aspect ratio so the image fits the target, then pads with zeros to the target."""
    x4, was_batch = batched(as_image(image), at_least_3=False)
    h, w, _ = hwc(x4, "resize_with_pad")
    th, tw = static_int(target_height, "target_height"), static_int(target_width, "target_width")
    if tw <= 0:
        raise ValueError("target_width must be > 0.")
    if th <= 0:
        raise ValueError("target_height must be > 0.")
    ratio = max(_F(w) / _F(tw), _F(h) / _F(th))
    rh, rw = _F(h) / ratio, _F(w) / ratio
    pad_h = max(0, int(np.floor((_F(th) - rh) / _F(2))))
    pad_w = max(0, int(np.floor((_F(tw) - rw) / _F(2))))
    resized = resize(x4, np.array([int(np.floor(rh)), int(np.floor(rw))], dtype=np.int32), method, antialias=antialias)
    return unbatched(pad_to_bounding_box(resized, pad_h, pad_w, th, tw), was_batch)

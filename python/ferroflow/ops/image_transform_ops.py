"""Projective image transforms: TensorFlow's ``ImageProjectiveTransformV3`` and Keras 3's ``affine_transform``.

Each output pixel ``(x, y)`` of image ``b`` reads the input at ``((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k)``
with ``k = c0 x + c1 y + 1``, from that image's 8 parameters ``[a0, a1, a2, b0, b1, b2, c0, c1]`` (one row for
the whole batch, or one per image). Coordinates outside the image are mapped back by ``fill_mode`` exactly as
TensorFlow's kernel does; pixels are read with bilinear or nearest sampling, and a read outside the image gives
``fill_value``. The op is composed from graph ops (a flat gather of the image's pixels), so it runs eagerly and
inside a compiled step, with a batch size known only when the graph runs.
"""

from __future__ import annotations

from typing import Any, Optional, Sequence

import numpy as np

from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor
from . import array_ops, math_ops

INTERPOLATIONS = ("nearest", "bilinear")
FILL_MODES = ("constant", "nearest", "wrap", "reflect")


def _map_coordinate(c: Any, size: int, fill_mode: str) -> Any:
    """Input coordinates ``c`` along an axis of ``size`` pixels, mapped inside it by ``fill_mode`` (as the kernel)."""
    if fill_mode == "constant":
        return c
    top = float(size - 1)
    if fill_mode == "reflect" and size > 1:
        # [abcd] -> [dcba|abcd|dcba]; the reflections are half a pixel outside the edges
        sz2 = float(2 * size)
        low = math_ops.add(math_ops.multiply(math_ops.floor(math_ops.divide(math_ops.negative(c), sz2)), sz2), c)
        low = array_ops.where(math_ops.less(low, float(-size)), math_ops.add(low, sz2), math_ops.subtract(-1.0, low))
        high = math_ops.subtract(c, math_ops.multiply(math_ops.floor(math_ops.divide(c, sz2)), sz2))
        high = array_ops.where(math_ops.greater_equal(high, float(size)), math_ops.subtract(sz2 - 1.0, high), high)
        c = array_ops.where(math_ops.less(c, 0.0), low, array_ops.where(math_ops.greater(c, top), high, c))
    elif fill_mode == "wrap" and size > 1:
        # [abcd] -> [abcd|abcd|abcd], with TensorFlow's period arithmetic (steps of ``size - 1``)
        sz = float(size - 1)
        low = math_ops.add(
            c,
            math_ops.multiply(
                math_ops.add(math_ops.floor(math_ops.divide(math_ops.negative(c), sz)), 1.0), float(size)
            ),
        )
        high = math_ops.subtract(c, math_ops.multiply(math_ops.floor(math_ops.divide(c, sz)), float(size)))
        c = array_ops.where(math_ops.less(c, 0.0), low, array_ops.where(math_ops.greater(c, top), high, c))
    return math_ops.minimum(math_ops.maximum(c, 0.0), top)


def _round_half_away(c: Any) -> Any:
    """``std::round``: halves go away from zero (``tf.round`` would round them to even)."""
    return math_ops.multiply(math_ops.sign(c), math_ops.floor(math_ops.add(math_ops.abs(c), 0.5)))


class _Reader:
    """Reads pixels of a batch of channels-last images at integer (float-valued) coordinates: a flat gather
    of ``[batch * height * width, channels]`` rows, with ``fill_value`` for coordinates outside the image."""

    def __init__(self, images: Any, fill_value: float) -> None:
        _, self.height, self.width, channels = (int(d) if d is not None else None for d in images.shape)
        self.rows = array_ops.reshape(images, [-1, channels])
        batch = array_ops.shape(images)[0]
        first = array_ops.reshape(array_ops.range(batch), [-1, 1])  # each image's first flat row
        self.base = math_ops.multiply(first, self.height * self.width)
        self.fill = float(fill_value)

    def __call__(self, y: Any, x: Any) -> Any:
        inside = math_ops.logical_and(
            math_ops.logical_and(math_ops.greater_equal(y, 0.0), math_ops.less(y, float(self.height))),
            math_ops.logical_and(math_ops.greater_equal(x, 0.0), math_ops.less(x, float(self.width))),
        )
        yi = array_ops.cast(math_ops.minimum(math_ops.maximum(y, 0.0), float(self.height - 1)), "int32")
        xi = array_ops.cast(math_ops.minimum(math_ops.maximum(x, 0.0), float(self.width - 1)), "int32")
        index = math_ops.add(self.base, math_ops.add(math_ops.multiply(yi, self.width), xi))
        values = array_ops.gather(self.rows, index)  # [batch, pixels, channels]
        return array_ops.where(array_ops.expand_dims(inside, -1), values, self.fill)


def image_projective_transform_v3(
    images: Any,
    transforms: Any,
    output_shape: Sequence[int],
    fill_value: Any = 0.0,
    interpolation: str = "NEAREST",
    fill_mode: str = "CONSTANT",
    name: Optional[str] = None,
) -> Tensor:
    """``tf.raw_ops.ImageProjectiveTransformV3``: ``images`` ``[batch, height, width, channels]``, ``transforms``
    ``[1 or batch, 8]``, ``output_shape`` ``(out_height, out_width)``; ``interpolation`` ``NEAREST`` or
    ``BILINEAR``, ``fill_mode`` ``CONSTANT``, ``NEAREST``, ``WRAP`` or ``REFLECT``."""
    images = convert_to_tensor(images)
    interpolation, fill_mode = str(interpolation).lower(), str(fill_mode).lower()
    if interpolation not in INTERPOLATIONS:
        raise ValueError(f"interpolation must be NEAREST or BILINEAR. Received: interpolation={interpolation!r}")
    if fill_mode not in FILL_MODES:
        raise ValueError(
            f"fill_mode must be one of CONSTANT, NEAREST, WRAP or REFLECT. Received: fill_mode={fill_mode!r}"
        )
    if len(images.shape) != 4 or any(d is None for d in images.shape[1:]):
        raise ValueError(
            f"images must be [batch, height, width, channels] with known height, width and channels. "
            f"Received: images.shape={images.shape}"
        )
    out_h, out_w = (int(d) for d in (output_shape.numpy() if isinstance(output_shape, Tensor) else output_shape))
    dtype = images.dtype
    x = images if dtype.name == "float32" else array_ops.cast(images, "float32")
    t = convert_to_tensor(transforms)
    t = t if t.dtype.name == "float32" else array_ops.cast(t, "float32")
    if len(t.shape) != 2 or (t.shape[1] is not None and int(t.shape[1]) != 8):
        raise ValueError(f"transforms must be [1 or batch, 8]. Received: transforms.shape={t.shape}")
    a0, a1, a2, b0, b1, b2, c0, c1 = (t[:, i : i + 1] for i in range(8))  # each [n, 1]
    grid_y, grid_x = np.meshgrid(np.arange(out_h, dtype="float32"), np.arange(out_w, dtype="float32"), indexing="ij")
    gx, gy = grid_x.reshape(1, -1), grid_y.reshape(1, -1)  # [1, pixels]

    def affine(p: Any, q: Any, r: Any) -> Any:
        return math_ops.add(math_ops.add(math_ops.multiply(p, gx), math_ops.multiply(q, gy)), r)

    projection = affine(c0, c1, 1.0)
    infinite = math_ops.equal(projection, 0.0)
    projection = array_ops.where(infinite, 1.0, projection)
    read = _Reader(x, fill_value)
    in_x = _map_coordinate(math_ops.divide(affine(a0, a1, a2), projection), read.width, fill_mode)
    in_y = _map_coordinate(math_ops.divide(affine(b0, b1, b2), projection), read.height, fill_mode)
    if interpolation == "nearest":
        out = read(_round_half_away(in_y), _round_half_away(in_x))
    else:
        y0, x0 = math_ops.floor(in_y), math_ops.floor(in_x)
        y1, x1 = math_ops.add(y0, 1.0), math_ops.add(x0, 1.0)
        wx0, wx1 = (
            array_ops.expand_dims(math_ops.subtract(x1, in_x), -1),
            array_ops.expand_dims(math_ops.subtract(in_x, x0), -1),
        )
        wy0, wy1 = (
            array_ops.expand_dims(math_ops.subtract(y1, in_y), -1),
            array_ops.expand_dims(math_ops.subtract(in_y, y0), -1),
        )
        top = math_ops.add(math_ops.multiply(wx0, read(y0, x0)), math_ops.multiply(wx1, read(y0, x1)))
        bottom = math_ops.add(math_ops.multiply(wx0, read(y1, x0)), math_ops.multiply(wx1, read(y1, x1)))
        out = math_ops.add(math_ops.multiply(wy0, top), math_ops.multiply(wy1, bottom))
    out = array_ops.where(array_ops.expand_dims(infinite, -1), float(fill_value), out)
    out = array_ops.reshape(out, [-1, out_h, out_w, read.rows.shape[-1]])
    return out if dtype.name == "float32" else array_ops.cast(out, dtype)


def affine_transform(
    images: Any,
    transform: Any,
    interpolation: str = "bilinear",
    fill_mode: str = "constant",
    fill_value: Any = 0,
    data_format: Optional[str] = None,
) -> Tensor:
    """Keras 3's ``keras.ops.image.affine_transform``: ``images`` one image (rank 3) or a batch (rank 4),
    ``transform`` 8 parameters (rank 1) or one row per image (rank 2); the output keeps the input's shape."""
    from ..layers._conv_utils import data_format_of

    data_format = data_format_of(data_format)
    if interpolation not in INTERPOLATIONS:
        raise ValueError(
            f"Invalid value for argument `interpolation`. Expected of one {INTERPOLATIONS}. "
            f"Received: interpolation={interpolation}"
        )
    if fill_mode not in FILL_MODES:
        raise ValueError(
            f"Invalid value for argument `fill_mode`. Expected of one {FILL_MODES}. Received: fill_mode={fill_mode}"
        )
    images, transform = convert_to_tensor(images), convert_to_tensor(transform)
    if len(images.shape) not in (3, 4):
        raise ValueError(
            "Invalid images rank: expected rank 3 (single image) or rank 4 (batch of images). "
            f"Received input with shape: images.shape={images.shape}"
        )
    if len(transform.shape) not in (1, 2):
        raise ValueError(
            "Invalid transform rank: expected rank 1 (single transform) or rank 2 (batch of transforms). "
            f"Received input with shape: transform.shape={transform.shape}"
        )
    single = len(images.shape) == 3
    if single:
        images = array_ops.expand_dims(images, 0)
    if len(transform.shape) == 1:
        transform = array_ops.expand_dims(transform, 0)
    if data_format == "channels_first":
        images = array_ops.transpose(images, [0, 2, 3, 1])
    out = image_projective_transform_v3(images, transform, images.shape[1:3], fill_value, interpolation, fill_mode)
    if data_format == "channels_first":
        out = array_ops.transpose(out, [0, 3, 1, 2])
    return array_ops.squeeze(out, [0]) if single else out

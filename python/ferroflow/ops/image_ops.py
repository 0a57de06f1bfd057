"""``tf.image`` geometry: flips, rotations, transposes, crops and pads, composed from strided slices, concats and
gathers (so they run eagerly and in graphs, with gradients). Heights, widths and offsets are static."""

from __future__ import annotations

from typing import Any, Optional

from .._core import InvalidArgumentError
from ..framework.tensor import Tensor
from .array_ops import transpose as _transpose
from .image_common import (
    as_image,
    batched,
    hwc,
    pad_hw,
    require_3d_or_4d,
    require_at_least_3d,
    static_float,
    static_int,
    unbatched,
)

_ALL = slice(None)
_REV = slice(None, None, -1)


def _flip(image: Any, axis: int, op: str) -> Tensor:
    x = as_image(image)
    rank = require_at_least_3d(x)
    if rank not in (3, 4):
        raise ValueError(f"'image' (shape {x.shape})must have either 3 or 4 dimensions.")
    index = [_ALL] * rank
    index[axis + rank - 3] = _REV
    return x[tuple(index)]


def flip_left_right(image: Any) -> Tensor:
    """Reverses the width axis of an image ``[h, w, c]`` or a batch ``[n, h, w, c]``."""
    return _flip(image, 1, "flip_left_right")


def flip_up_down(image: Any) -> Tensor:
    """Reverses the height axis of an image ``[h, w, c]`` or a batch ``[n, h, w, c]``."""
    return _flip(image, 0, "flip_up_down")


def transpose(image: Any, name: Optional[str] = None) -> Tensor:
    """Swaps height and width."""
    x = as_image(image)
    rank = require_3d_or_4d(x)
    return _transpose(x, [1, 0, 2] if rank == 3 else [0, 2, 1, 3], name=name)


def rot90(image: Any, k: Any = 1, name: Optional[str] = None) -> Tensor:
    """Rotates by ``k`` quarter turns counter-clockwise (``k`` must be known when the graph is built)."""
    x = as_image(image)
    require_3d_or_4d(x)
    x4, was_batch = batched(x)
    k = static_int(k, "rot90 k") % 4
    if k == 1:
        x4 = _transpose(x4[:, :, ::-1], [0, 2, 1, 3])
    elif k == 2:
        x4 = x4[:, ::-1, ::-1]
    elif k == 3:
        x4 = _transpose(x4, [0, 2, 1, 3])[:, :, ::-1]
    return unbatched(x4, was_batch)


def crop_to_bounding_box(
    image: Any, offset_height: Any, offset_width: Any, target_height: Any, target_width: Any
) -> Tensor:
    """The ``target_height x target_width`` window whose top-left corner is at the offsets."""
    x4, was_batch = batched(as_image(image), at_least_3=False)
    h, w, _ = hwc(x4, "crop_to_bounding_box")
    oh, ow = static_int(offset_height, "offset_height"), static_int(offset_width, "offset_width")
    th, tw = static_int(target_height, "target_height"), static_int(target_width, "target_width")
    for ok, message in (
        (ow >= 0, "offset_width must be >= 0."),
        (oh >= 0, "offset_height must be >= 0."),
        (tw > 0, "target_width must be > 0."),
        (th > 0, "target_height must be > 0."),
        (w >= tw + ow, "width must be >= target + offset."),
        (h >= th + oh, "height must be >= target + offset."),
    ):
        if not ok:
            raise ValueError(message)
    return unbatched(x4[:, oh : oh + th, ow : ow + tw], was_batch)


def pad_to_bounding_box(
    image: Any, offset_height: Any, offset_width: Any, target_height: Any, target_width: Any
) -> Tensor:
    """The image placed at the offsets on a ``target_height x target_width`` canvas of zeros."""
    x4, was_batch = batched(as_image(image), at_least_3=False)
    h, w, _ = hwc(x4, "pad_to_bounding_box")
    oh, ow = static_int(offset_height, "offset_height"), static_int(offset_width, "offset_width")
    th, tw = static_int(target_height, "target_height"), static_int(target_width, "target_width")
    after_w, after_h = tw - ow - w, th - oh - h
    for ok, message in (
        (oh >= 0, "offset_height must be >= 0"),
        (ow >= 0, "offset_width must be >= 0"),
        (after_w >= 0, "width must be <= target - offset"),
        (after_h >= 0, "height must be <= target - offset"),
    ):
        if not ok:
            raise ValueError(message)
    return unbatched(pad_hw(x4, oh, after_h, ow, after_w), was_batch)


def _check_targets(th: int, tw: int) -> None:
    if tw <= 0:
        raise ValueError("target_width must be > 0.")
    if th <= 0:
        raise ValueError("target_height must be > 0.")


def resize_with_crop_or_pad(image: Any, target_height: Any, target_width: Any) -> Tensor:
    """Centrally crops or zero-pads each of height and width to the target size."""
    x4, was_batch = batched(as_image(image), at_least_3=False)
    h, w, _ = hwc(x4, "resize_with_crop_or_pad")
    th, tw = static_int(target_height, "target_height"), static_int(target_width, "target_width")
    _check_targets(th, tw)
    dw, dh = tw - w, th - h
    cropped = crop_to_bounding_box(x4, max(-dh // 2, 0), max(-dw // 2, 0), min(th, h), min(tw, w))
    return unbatched(pad_to_bounding_box(cropped, max(dh // 2, 0), max(dw // 2, 0), th, tw), was_batch)


def central_crop(image: Any, central_fraction: Any) -> Tensor:
    """The central ``central_fraction`` (in ``(0, 1]``) of height and width."""
    x = as_image(image)
    fraction = static_float(central_fraction, "central_fraction")
    if fraction <= 0.0 or fraction > 1.0:
        raise ValueError("central_fraction must be within (0, 1]")
    if fraction == 1.0:
        return x
    rank = require_at_least_3d(x)
    if rank not in (3, 4):
        raise ValueError(f"`image` should either be a Tensor with rank = 3 or rank = 4. Had rank = {rank}.")
    x4, was_batch = batched(x)
    h, w, _ = hwc(x4, "central_crop")
    top, left = int((h - h * fraction) / 2), int((w - w * fraction) / 2)
    return unbatched(x4[:, top : h - top, left : w - left], was_batch)


def crop_window(value: Tensor, offsets: Tensor, size: list) -> Tensor:
    """The block of ``size`` starting at ``offsets`` (an int tensor, one per axis), gathered axis by axis."""
    from .array_ops import gather
    from .array_ops import range as _range

    dims = value.shape.as_list()
    for axis, n in enumerate(size):
        if n != dims[axis]:
            value = gather(value, offsets[axis] + _range(n), axis=axis)
    return value


def check_crop(value: Tensor, size: Any) -> list:
    dims = value.shape.as_list()
    if any(d is None for d in dims):
        raise ValueError(f"random_crop needs a value of known shape, received shape {value.shape}")
    from .image_common import int_vector

    size = int_vector(size, "random_crop size")
    if len(size) != len(dims):
        raise InvalidArgumentError(f"random_crop size {size} needs one entry per axis of a value of shape {dims}")
    if any(s > d for s, d in zip(size, dims)) or any(s < 0 for s in size):
        raise InvalidArgumentError(f"Need value.shape >= size, got {dims} {size}")
    return size

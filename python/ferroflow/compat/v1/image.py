"""``tf.compat.v1.image``: ``tf.image`` with TF1's resizing (``resize_images`` / ``resize`` with
``ResizeMethod`` codes and ``align_corners``, ``resize_bilinear`` / ``_nearest_neighbor`` / ``_bicubic`` /
``_area``, ``resize_image_with_pad``) and TF1's signatures (``crop_and_resize(box_ind)``,
``draw_bounding_boxes(images, boxes, name, colors)``, ``extract_glimpse(uniform_noise)``,
``sample_distorted_bounding_box(seed2)``). Every other name is ``tf.image``'s."""

from __future__ import annotations

import math
from typing import Any, Optional

from .arg_lookup import lookup
from .image_resize_v1 import (  # noqa: F401
    ResizeMethod,
    resize_area,
    resize_bicubic,
    resize_bilinear,
    resize_images,
    resize_nearest_neighbor,
)

resize = resize_images


def resize_image_with_crop_or_pad(image: Any, target_height: Any, target_width: Any) -> Any:
    from ...ops.image_ops import resize_with_crop_or_pad

    return resize_with_crop_or_pad(image, target_height, target_width)


def resize_image_with_pad(
    image: Any, target_height: int, target_width: int, method: Any = ResizeMethod.BILINEAR, align_corners: bool = False
) -> Any:
    """Resizes keeping the aspect ratio so the image fits, then pads it (centred) to the target size."""
    from ...framework.ops import convert_to_tensor
    from ...ops.image_common import batched, unbatched
    from ...ops.image_ops import pad_to_bounding_box

    x4, was_batch = batched(convert_to_tensor(image), at_least_3=False)
    h, w = x4.shape[1], x4.shape[2]
    if h is None or w is None:
        raise ValueError("resize_image_with_pad needs the image's height and width known when the graph is built")
    ratio = max(w / target_width, h / target_height)
    new_h, new_w = int(math.floor(h / ratio)), int(math.floor(w / ratio))
    resized = resize_images(x4, [new_h, new_w], method=method, align_corners=align_corners)
    top, left = max(0, (target_height - new_h) // 2), max(0, (target_width - new_w) // 2)
    return unbatched(pad_to_bounding_box(resized, top, left, target_height, target_width), was_batch)


def crop_and_resize(
    image: Any,
    boxes: Any,
    box_ind: Any = None,
    crop_size: Any = None,
    method: str = "bilinear",
    extrapolation_value: float = 0.0,
    name: Optional[str] = None,
    box_indices: Any = None,
) -> Any:
    from ...ops.image_crop_ops import crop_and_resize as _crop_and_resize

    box_indices = lookup("box_indices", box_indices, "box_ind", box_ind)
    return _crop_and_resize(
        image, boxes, box_indices, crop_size, method=method, extrapolation_value=extrapolation_value, name=name
    )


def draw_bounding_boxes(images: Any, boxes: Any, name: Optional[str] = None, colors: Any = None) -> Any:
    from ... import image as _image

    return _image.draw_bounding_boxes(images, boxes, colors, name=name)


def extract_glimpse(
    input: Any,
    size: Any,
    offsets: Any,
    centered: bool = True,
    normalized: bool = True,  # noqa: A002
    uniform_noise: bool = True,
    name: Optional[str] = None,
) -> Any:
    """Glimpses of ``size`` at ``offsets``; outside the image: uniform noise, or Gaussian noise when
    ``uniform_noise`` is False."""
    from ... import image as _image

    return _image.extract_glimpse(
        input,
        size,
        offsets,
        centered=centered,
        normalized=normalized,
        noise="uniform" if uniform_noise else "gaussian",
        name=name,
    )


def sample_distorted_bounding_box(
    image_size: Any,
    bounding_boxes: Any,
    seed: Any = None,
    seed2: Any = None,
    min_object_covered: Any = 0.1,
    aspect_ratio_range: Any = None,
    area_range: Any = None,
    max_attempts: Any = None,
    use_image_if_no_bounding_boxes: Any = None,
    name: Optional[str] = None,
) -> tuple:
    from ... import image as _image

    return _image.sample_distorted_bounding_box(
        image_size,
        bounding_boxes,
        seed=seed or 0,
        min_object_covered=min_object_covered,
        aspect_ratio_range=aspect_ratio_range,
        area_range=area_range,
        max_attempts=max_attempts,
        use_image_if_no_bounding_boxes=use_image_if_no_bounding_boxes,
        name=name,
    )


def transpose_image(image: Any, name: Optional[str] = None) -> Any:
    from ... import image as _image

    return _image.transpose(image, name=name)


_OWN = {
    name
    for name, value in list(globals().items())
    if not name.startswith("_") and getattr(value, "__module__", "").startswith("ferroflow.compat.v1.image")
} | {"resize"}


def __getattr__(name: str) -> Any:
    from ... import image as _image

    if name == "extract_image_patches":
        from ...ops.image_patches_ops import extract_image_patches

        return extract_image_patches
    try:
        return getattr(_image, name)
    except AttributeError:
        raise AttributeError(f"module 'ferroflow.compat.v1.image' has no attribute '{name}'") from None


def __dir__() -> list:
    from ... import image as _image

    return sorted(set(dir(_image)) | _OWN | {"extract_image_patches"})

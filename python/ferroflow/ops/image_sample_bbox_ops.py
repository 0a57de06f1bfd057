"""``tf.image.sample_distorted_bounding_box`` and its stateless form: a random crop of an image that keeps
enough of at least one object box.

TensorFlow's ``SampleDistortedBoundingBoxV2`` procedure: each attempt draws an aspect ratio, a height
between those giving the smallest and largest allowed areas (rounded as ``lrintf``, adjusted by one when
rounding the width overshoots), a position, and accepts the crop if at least ``min_object_covered`` of
some object's area lies inside it; after ``max_attempts`` failures the whole image is used. Here all
attempts are drawn at once and the first acceptable one is taken, so the op is whole-tensor ops (also in
graphs). The random numbers are ferroflow's, so the crops are distributed as TensorFlow's but are not the
same crops for the same seed; the stateless form is a fixed function of its seed.
"""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from .._core import InvalidArgumentError
from ..framework.ops import convert_to_tensor
from ..framework.tensor import EagerTensor, Tensor
from .array_ops import cast, concat, expand_dims, gather, reshape, stack, where, zeros_like
from .math_derived_ops import reduce_any
from .math_ops import (
    argmax,
    floor,
    greater,
    greater_equal,
    less,
    less_equal,
    logical_and,
    logical_not,
    logical_or,
    maximum,
    minimum,
    sqrt,
)
from .math_ops import round as _rint  # half to even, as lrintf


def _pair(value: Any, default: tuple, what: str) -> tuple:
    values = [float(v) for v in np.asarray(default if value is None else value, np.float32).reshape(-1)]
    if len(values) != 2:
        raise InvalidArgumentError(f"{what} range field must be specified as 2 dimensional")
    if min(values) <= 0:
        raise InvalidArgumentError(f"{what} range must be non-negative: [{values[0]:g}, {values[1]:g}]")
    return values[0], values[1]


def _inputs(image_size: Any, bounding_boxes: Any, min_object_covered: Any, max_attempts: Any) -> tuple:
    size = convert_to_tensor(image_size)
    if size.shape.rank != 1 or size.shape[0] != 3:
        raise InvalidArgumentError(f"image_size must contain 3 elements{size.shape.as_list()}")
    boxes = convert_to_tensor(bounding_boxes, dtype="float32")
    if boxes.shape.rank != 3 or boxes.shape[2] != 4:
        raise InvalidArgumentError(
            f"input boxes must be 3-dimensional [batch, num_boxes, coords]: {boxes.shape.as_list()}"
        )
    attempts = 100 if max_attempts is None else int(max_attempts)
    if attempts <= 0:
        raise InvalidArgumentError(f"Max attempts must be non-negative: {attempts}")
    covered = min_object_covered
    if not isinstance(covered, Tensor) or isinstance(covered, EagerTensor):
        value = float(np.asarray(covered.numpy() if isinstance(covered, EagerTensor) else covered))
        if value < 0:
            raise InvalidArgumentError(f"Min object covered must be non-negative: {value:g}")
    if isinstance(boxes, EagerTensor):
        flat = boxes.numpy().reshape(-1)
        bad = flat[(flat < 0) | (flat > 1)]
        if bad.size:
            raise InvalidArgumentError(f"All bounding box coordinates must be in [0.0, 1.0]: {bad[0]:g}")
    return size, reshape(boxes, [-1, 4]), cast(convert_to_tensor(covered), "float32"), attempts


def _sample(size: Tensor, boxes: Tensor, covered: Tensor, aspect: tuple, area: tuple, attempts: int,
            use_image: bool, uniforms: Tensor) -> tuple:  # fmt: skip
    """(begin, size, bboxes) from ``uniforms`` ``[attempts, 4]`` in [0, 1)."""
    if boxes.shape[0] == 0 and not use_image:
        raise InvalidArgumentError(
            "No bounding boxes provided as input. One must enable use_image_if_no_bounding_boxes if you wish "
            "to not provide any bounding boxes."
        )
    height_i, width_i = cast(size[0], "int32"), cast(size[1], "int32")
    height, width = cast(height_i, "float32"), cast(width_i, "float32")
    if boxes.shape[0] == 0:
        boxes = convert_to_tensor(np.array([[0, 0, 1, 1]], np.float32))
    # Object rectangles in pixels, truncated as the kernel's float-to-int conversion.
    ymin, xmin = floor(boxes[:, 0] * height), floor(boxes[:, 1] * width)
    ymax, xmax = floor(boxes[:, 2] * height), floor(boxes[:, 3] * width)
    ratio = uniforms[:, 0] * (aspect[1] - aspect[0]) + aspect[0]  # [attempts]
    min_area, max_area = area[0] * width * height, area[1] * width * height
    h = _rint(sqrt(min_area / ratio))
    max_h = _rint(sqrt(max_area / ratio))
    too_wide = greater(_rint(max_h * ratio), width)
    fitted = floor((width + 0.5 - 1e-7) / ratio)
    fitted = where(greater(_rint(fitted * ratio), width), fitted - 1.0, fitted)
    max_h = minimum(where(too_wide, fitted, max_h), height)
    h = minimum(h, max_h)
    h = where(less(h, max_h), h + floor(uniforms[:, 1] * (max_h - h + 1.0)), h)
    w = _rint(h * ratio)
    grow = less(w * h, min_area)
    h = where(grow, h + 1.0, h)
    w = _rint(h * ratio)
    shrink = greater(w * h, max_area)
    h = where(shrink, h - 1.0, h)
    w = _rint(h * ratio)
    crop_area = w * h
    outside = logical_or(
        logical_or(greater(w, width), greater(h, height)), logical_or(less_equal(w, 0.0), less_equal(h, 0.0))
    )
    fits = logical_not(logical_or(logical_or(less(crop_area, min_area), greater(crop_area, max_area)), outside))
    y = where(less(h, height), floor(uniforms[:, 2] * (height - h)), zeros_like(h))
    x = where(less(w, width), floor(uniforms[:, 3] * (width - w)), zeros_like(w))
    # Overlap with every object: [attempts, objects].
    iy = maximum(minimum(expand_dims(y + h, 1), ymax) - maximum(expand_dims(y, 1), ymin), 0.0)
    ix = maximum(minimum(expand_dims(x + w, 1), xmax) - maximum(expand_dims(x, 1), xmin), 0.0)
    object_area = (ymax - ymin) * (xmax - xmin)
    real = greater_equal(object_area, 1.0)
    share = iy * ix / where(real, object_area, zeros_like(object_area) + 1.0)
    kept = reduce_any(logical_and(expand_dims(real, 0), greater_equal(share, covered)), axis=1)
    good = logical_and(logical_and(fits, greater_equal(crop_area, 1.0)), kept)
    first = argmax(cast(good, "int32"))
    found = reduce_any(good)
    pick = [where(found, gather(t, first), default) for t, default in ((y, 0.0), (x, 0.0), (h, height), (w, width))]
    oy, ox, oh, ow = pick
    dtype = size.dtype
    begin = cast(stack([oy, ox, 0.0 * oy]), dtype)
    extent = concat([cast(stack([oh, ow]), dtype), cast(convert_to_tensor([-1]), dtype)], 0)
    bboxes = reshape(stack([oy / height, ox / width, (oy + oh) / height, (ox + ow) / width]), [1, 1, 4])
    return begin, extent, bboxes


def stateless_sample_distorted_bounding_box(
    image_size: Any,
    bounding_boxes: Any,
    seed: Any,
    min_object_covered: Any = 0.1,
    aspect_ratio_range: Any = None,
    area_range: Any = None,
    max_attempts: Optional[int] = None,
    use_image_if_no_bounding_boxes: Optional[bool] = None,
    name: Optional[str] = None,
) -> tuple:
    """(begin ``[3]``, size ``[3]``, bboxes ``[1, 1, 4]``) of a random crop, a fixed function of ``seed``."""
    from .stateless_random_ops import stateless_uniform

    size, boxes, covered, attempts = _inputs(image_size, bounding_boxes, min_object_covered, max_attempts)
    aspect = _pair(aspect_ratio_range, (0.75, 1.33), "Aspect ratio")
    area = _pair(area_range, (0.05, 1.0), "Area")
    uniforms = stateless_uniform([attempts, 4], seed=seed)
    return _sample(size, boxes, covered, aspect, area, attempts, bool(use_image_if_no_bounding_boxes), uniforms)


def sample_distorted_bounding_box(
    image_size: Any,
    bounding_boxes: Any,
    seed: int = 0,
    min_object_covered: Any = 0.1,
    aspect_ratio_range: Any = None,
    area_range: Any = None,
    max_attempts: Optional[int] = None,
    use_image_if_no_bounding_boxes: Optional[bool] = None,
    name: Optional[str] = None,
) -> tuple:
    """(begin ``[3]``, size ``[3]``, bboxes ``[1, 1, 4]``) of a random crop (``tf.slice(image, begin, size)``
    takes it); ``seed`` 0 means no operation seed."""
    from .random_ops import uniform

    size, boxes, covered, attempts = _inputs(image_size, bounding_boxes, min_object_covered, max_attempts)
    aspect = _pair(aspect_ratio_range, (0.75, 1.33), "Aspect ratio")
    area = _pair(area_range, (0.05, 1.0), "Area")
    uniforms = uniform([attempts, 4], seed=None if not seed else int(seed))
    return _sample(size, boxes, covered, aspect, area, attempts, bool(use_image_if_no_bounding_boxes), uniforms)

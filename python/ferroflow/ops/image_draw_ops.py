"""``tf.image.draw_bounding_boxes``: one-pixel box outlines drawn onto a batch of images.

TensorFlow's ``DrawBoundingBoxesV2`` rules: box ``k`` of an image uses color ``k % len(colors)``; its edges
lie at ``int(y1 * (H - 1))`` ... (truncated toward zero), an edge outside the image is not drawn, the other
edges are clipped to it, inverted or wholly outside boxes are skipped, and a later box paints over an
earlier one. Gray images get white boxes. Here every pixel finds the last box whose outline covers it
(a ``[batch, boxes, H, W]`` mask), so the op is a handful of whole-tensor ops, also inside ``tf.function``.
"""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from .._core import InvalidArgumentError
from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor
from .array_ops import cast, expand_dims, gather, range, shape, where, zeros_like
from .math_ops import (
    add,
    ceil,
    equal,
    floor,
    floormod,
    greater,
    greater_equal,
    less,
    less_equal,
    logical_and,
    logical_not,
    logical_or,
    maximum,
    minimum,
    reduce_max,
)

_DEFAULT_COLORS = [
    [1, 1, 0, 1], [0, 0, 1, 1], [1, 0, 0, 1], [0, 1, 0, 1], [0.5, 0, 0.5, 1],
    [0.5, 0.5, 0, 1], [0.5, 0, 0, 1], [0, 0, 0.5, 1], [0, 1, 1, 1], [1, 0, 1, 1],
]  # fmt: skip


def _truncate(x: Tensor) -> Tensor:
    return cast(where(less(x, 0.0), ceil(x), floor(x)), "int32")


def _between(x: Tensor, low: Tensor, high: Tensor) -> Tensor:
    return logical_and(greater_equal(x, low), less_equal(x, high))


def draw_bounding_boxes(images: Any, boxes: Any, colors: Any, name: Optional[str] = None) -> Tensor:
    """``images`` ``[batch, H, W, depth]`` (depth 1, 3 or 4) with the outlines of ``boxes``
    ``[batch, num_boxes, 4]`` (normalized ``y1, x1, y2, x2``) drawn in ``colors`` ``[num_colors, >= depth]``
    (None: TensorFlow's ten default colors)."""
    x = convert_to_tensor(images)
    if not x.dtype.is_floating:
        x = cast(x, "float32")
    if x.shape.rank != 4:
        raise InvalidArgumentError("The rank of the images should be 4")
    depth = x.shape[3]
    if depth not in (1, 3, 4):
        raise InvalidArgumentError("Channel depth should be either 1 (GRY), 3 (RGB), or 4 (RGBA)")
    b = convert_to_tensor(boxes, dtype="float32")
    if b.shape.rank != 3 or b.shape[2] not in (4, None):
        raise InvalidArgumentError(f"The size of the third dimension of the box must be 4. Received: {b.shape[2]}")
    table = np.array(_DEFAULT_COLORS if colors is None else np.asarray(colors, np.float32), np.float32)
    if table.ndim != 2:
        raise InvalidArgumentError(f"colors must be a 2-D matrix, received shape {list(table.shape)}")
    if table.shape[1] < depth:
        raise InvalidArgumentError(
            f"colors must have equal or more channels than the image provided: {list(table.shape)}"
        )
    table = table[:, :depth].copy()
    if depth == 1:
        table[:, 0] = 1.0
    dims = shape(x)
    height, width = dims[1], dims[2]
    hf, wf = cast(height - 1, "float32"), cast(width - 1, "float32")
    top, bottom = _truncate(b[..., 0] * hf), _truncate(b[..., 2] * hf)  # [batch, boxes]
    left, right = _truncate(b[..., 1] * wf), _truncate(b[..., 3] * wf)
    drawn = logical_not(
        logical_or(
            logical_or(greater(top, bottom), greater(left, right)),
            logical_or(logical_or(greater_equal(top, height), less(bottom, 0)),
                       logical_or(greater_equal(left, width), less(right, 0))),
        )
    )  # fmt: skip
    top_c, bottom_c = maximum(top, 0), minimum(bottom, height - 1)
    left_c, right_c = maximum(left, 0), minimum(right, width - 1)

    def per_box(t: Tensor) -> Tensor:  # [batch, boxes] -> [batch, boxes, 1, 1]
        return expand_dims(expand_dims(t, 2), 3)

    rows = expand_dims(expand_dims(expand_dims(range(height), 0), 0), 3)  # [1, 1, H, 1]
    cols = expand_dims(expand_dims(expand_dims(range(width), 0), 0), 0)  # [1, 1, 1, W]
    in_cols = _between(cols, per_box(left_c), per_box(right_c))
    in_rows = _between(rows, per_box(top_c), per_box(bottom_c))
    horizontal = logical_or(
        logical_and(equal(rows, per_box(top)), per_box(greater_equal(top, 0))),
        logical_and(equal(rows, per_box(bottom)), per_box(less(bottom, height))),
    )
    vertical = logical_or(
        logical_and(equal(cols, per_box(left)), per_box(greater_equal(left, 0))),
        logical_and(equal(cols, per_box(right)), per_box(less(right, width))),
    )
    outline = logical_and(
        per_box(drawn), logical_or(logical_and(horizontal, in_cols), logical_and(vertical, in_rows))
    )  # [batch, boxes, H, W]
    box_number = per_box(zeros_like(top) + expand_dims(range(shape(top)[1]), 0))
    last = reduce_max(
        where(outline, add(zeros_like(cast(outline, "int32")), box_number), zeros_like(box_number) - 1), axis=1
    )
    colored = gather(convert_to_tensor(table.astype(x.dtype.as_numpy_dtype)), floormod(maximum(last, 0), len(table)))
    return where(expand_dims(greater_equal(last, 0), 3), colored, x)

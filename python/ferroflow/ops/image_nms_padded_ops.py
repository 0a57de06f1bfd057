"""``tf.image.non_max_suppression_padded``: the greedy selection of ``image_nms_ops`` over a batch of images."""

from __future__ import annotations

import builtins
from typing import Any, Optional

from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor
from .array_ops import expand_dims, gather, range, reshape, shape, stack, where, zeros_like
from .image_nms_ops import _check_boxes, _max_output, _selected_positions, _sorted_candidates, _threshold, greedy_select
from .math_derived_ops import reduce_any
from .math_ops import greater, less, logical_and, maximum, minimum


def _orient_like_first(boxes: Tensor) -> Tensor:
    """TensorFlow's padded NMS orders every box's corners as the very first box has them."""
    y_swap = greater(boxes[0, 0, 0], boxes[0, 0, 2])
    x_swap = greater(boxes[0, 0, 1], boxes[0, 0, 3])
    y0, y1 = where(y_swap, boxes[..., 2], boxes[..., 0]), where(y_swap, boxes[..., 0], boxes[..., 2])
    x0, x1 = where(x_swap, boxes[..., 3], boxes[..., 1]), where(x_swap, boxes[..., 1], boxes[..., 3])
    return stack([y0, x0, y1, x1], axis=-1)


def _padded_iou(boxes: Tensor) -> Tensor:
    """The IoU of TensorFlow's padded NMS: corners taken as given, a 1e-8 guard in the union."""
    y0, x0, y1, x1 = (boxes[..., k] for k in builtins.range(4))
    area = (y1 - y0) * (x1 - x0)

    def pair(t: Tensor) -> tuple:
        return expand_dims(t, -1), expand_dims(t, -2)

    (ay0, by0), (ax0, bx0), (ay1, by1), (ax1, bx1) = pair(y0), pair(x0), pair(y1), pair(x1)
    inter = maximum(minimum(ay1, by1) - maximum(ay0, by0), 0.0) * maximum(minimum(ax1, bx1) - maximum(ax0, bx0), 0.0)
    return inter / (expand_dims(area, -1) + expand_dims(area, -2) - inter + 1e-8)


def non_max_suppression_padded(
    boxes: Any,
    scores: Any,
    max_output_size: Any,
    iou_threshold: float = 0.5,
    score_threshold: float = float("-inf"),
    pad_to_max_output_size: bool = False,
    name: Optional[str] = None,
    sorted_input: bool = False,
    canonicalized_coordinates: bool = False,
    tile_size: int = 512,
) -> tuple:
    """Greedy NMS of ``[..., N, 4]`` boxes: (indices ``[..., max_output_size]`` int32 padded with 0 when
    ``pad_to_max_output_size``, else the kept ones of a single image; the number kept, int32)."""
    b, s = convert_to_tensor(boxes, dtype="float32"), convert_to_tensor(scores, dtype="float32")
    _check_boxes(b, s)
    if not pad_to_max_output_size and b.shape.rank is not None and b.shape.rank > 2:
        raise ValueError(f"'pad_to_max_output_size' (value {pad_to_max_output_size}) must be True for batched input")
    limit = _max_output(max_output_size)
    if not isinstance(limit, int):
        raise ValueError("non_max_suppression_padded needs max_output_size known when the graph is built")
    threshold = _threshold(iou_threshold, "iou_threshold")
    lead = b.shape.as_list()[:-2]
    n = b.shape[-2] if b.shape[-2] is not None else -1
    flat_b, flat_s = reshape(b, [-1, n, 4]), reshape(s, [-1, n])
    if not canonicalized_coordinates:
        flat_b = _orient_like_first(flat_b)
    order, ordered, live = _sorted_candidates(flat_s, float(score_threshold))
    sorted_boxes = gather(flat_b, order, batch_dims=1)
    # TensorFlow's padded NMS treats a box with no positive coordinate as padding.
    live = logical_and(live, reduce_any(greater(sorted_boxes, 0.0), axis=2))
    chosen, count = greedy_select(_padded_iou(sorted_boxes), live, threshold, limit)
    if not pad_to_max_output_size:
        positions = gather(_selected_positions(chosen, None)[0], range(count[0]))
        return gather(order[0], positions), count[0]
    positions = _selected_positions(chosen, limit)
    width = shape(positions)[1]
    picked = gather(order, positions, batch_dims=1)
    valid = less(expand_dims(range(width), 0), expand_dims(count, 1))
    picked = where(valid, picked, zeros_like(picked))
    missing = limit - width  # fewer boxes than max_output_size: pad the rest with 0
    if isinstance(missing, int) and missing == 0:
        padded = picked
    else:
        from .tiling_ops import pad

        padded = pad(picked, [[0, 0], [0, maximum(missing, 0)]])
    return reshape(padded, lead + [limit]), reshape(count, lead)

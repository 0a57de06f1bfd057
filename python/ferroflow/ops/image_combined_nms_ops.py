"""``tf.image.combined_non_max_suppression``: per-class greedy NMS over a batch, then the best detections
of all classes together, padded to a fixed count.

Every (image, class) pair runs the greedy selection of ``image_nms_ops`` at once (a batch of
``batch * classes`` rows); the kept boxes of an image are then ranked by score across classes and the
first ``max_total_size`` (or ``max_output_size_per_class * classes`` with ``pad_per_class``, if smaller)
returned, zeros after ``valid_detections``. Boxes are clipped to ``[0, 1]`` with ``clip_boxes``.
"""

from __future__ import annotations

from typing import Any, Optional

from .._core import InvalidArgumentError
from ..framework.ops import apply, convert_to_tensor
from ..framework.tensor import Tensor
from .array_ops import broadcast_to, cast, expand_dims, gather, range, reshape, transpose, where, zeros_like
from .image_nms_ops import _max_output, _threshold, greedy_select, iou_matrix
from .math_ops import greater, less, maximum, minimum, reduce_sum


def _argsort(x: Tensor, descending: bool) -> Tensor:
    return apply("argsort", [x], {"descending": descending})


def combined_non_max_suppression(
    boxes: Any,
    scores: Any,
    max_output_size_per_class: Any,
    max_total_size: Any,
    iou_threshold: float = 0.5,
    score_threshold: float = float("-inf"),
    pad_per_class: bool = False,
    clip_boxes: bool = True,
    name: Optional[str] = None,
) -> tuple:
    """(nmsed_boxes ``[B, D, 4]``, nmsed_scores ``[B, D]``, nmsed_classes ``[B, D]`` float32,
    valid_detections ``[B]`` int32) for ``boxes`` ``[B, N, q, 4]`` (q 1 or the class count) and
    ``scores`` ``[B, N, classes]``."""
    b = convert_to_tensor(boxes, dtype="float32")
    s = convert_to_tensor(scores, dtype="float32")
    if b.shape.rank != 4 or b.shape[3] != 4:
        raise InvalidArgumentError(f"boxes must be 4-D [batch, num_boxes, q, 4], received {b.shape.as_list()}")
    if s.shape.rank != 3:
        raise InvalidArgumentError(f"scores must be 3-D [batch, num_boxes, num_classes], received {s.shape.as_list()}")
    batch, n, q = b.shape[0], b.shape[1], b.shape[2]
    classes = s.shape[2]
    if None in (batch, n, q, classes):
        raise ValueError("combined_non_max_suppression needs boxes and scores of known shapes")
    if q not in (1, classes):
        raise InvalidArgumentError("third dimension of boxes must be either 1 or num classes")
    per_class = _max_output(max_output_size_per_class)
    total = _max_output(max_total_size)
    if not isinstance(per_class, int) or not isinstance(total, int):
        raise ValueError("combined_non_max_suppression needs the output sizes known when the graph is built")
    if total <= 0:
        raise InvalidArgumentError("max_total_size must be > 0")
    threshold = _threshold(iou_threshold, "iou_threshold")
    detections = min(total, per_class * classes) if pad_per_class else total
    # One row per (image, class): [B * classes, N] scores and [B * classes, N, 4] boxes.
    class_boxes = broadcast_to(transpose(b, [0, 2, 1, 3]), [batch, classes, n, 4])
    rows_boxes = reshape(class_boxes, [batch * classes, n, 4])
    rows_scores = reshape(transpose(s, [0, 2, 1]), [batch * classes, n])
    order = _argsort(rows_scores, True)  # stable: ties keep the lower index first
    ordered = gather(rows_scores, order, batch_dims=1)
    sorted_boxes = gather(rows_boxes, order, batch_dims=1)
    live = greater(ordered, float(score_threshold))
    chosen, _ = greedy_select(iou_matrix(sorted_boxes, sorted_boxes), live, threshold, per_class)
    # All kept boxes of an image, ranked by score across its classes.
    kept = reshape(where(chosen, ordered, zeros_like(ordered) + float("-inf")), [batch, classes * n])
    counts = reduce_sum(cast(reshape(chosen, [batch, classes * n]), "int32"), axis=1)
    rank = _argsort(kept, True)
    width = min(detections, classes * n)
    top = gather(rank, range(width), axis=1)  # [B, width]
    valid = minimum(counts, width)
    used = less(expand_dims(range(width), 0), expand_dims(valid, 1))
    top_scores = gather(kept, top, batch_dims=1)
    top_boxes = gather(reshape(sorted_boxes, [batch, classes * n, 4]), top, batch_dims=1)
    top_classes = cast(top // n, "float32")
    if clip_boxes:
        top_boxes = minimum(maximum(top_boxes, 0.0), 1.0)
    top_scores = where(used, top_scores, zeros_like(top_scores))
    top_classes = where(used, top_classes, zeros_like(top_classes))
    top_boxes = where(expand_dims(used, 2), top_boxes, zeros_like(top_boxes))
    if width < detections:
        from .tiling_ops import pad

        extra = detections - width
        top_boxes = pad(top_boxes, [[0, 0], [0, extra], [0, 0]])
        top_scores = pad(top_scores, [[0, 0], [0, extra]])
        top_classes = pad(top_classes, [[0, 0], [0, extra]])
    return top_boxes, top_scores, top_classes, valid

"""``tf.image.non_max_suppression`` and its ``_with_scores``, ``_padded`` and ``_overlaps`` forms.

TensorFlow's greedy rule: candidates (score above ``score_threshold``) are taken by descending score, ties
by lower index, and one is selected unless its IoU with an already selected box exceeds the threshold,
until ``max_output_size`` are selected. IoU is TensorFlow's (corners canonicalized; 0 when either box has
no area). Here the candidates are sorted once and each step selects the first live one and kills every
later one it overlaps too much (a ``tf.while_loop`` of at most ``max_output_size`` steps, batched for the
padded form). Soft-NMS (``soft_nms_sigma > 0``) replays TensorFlow's priority queue: the best candidate is
re-scored by ``exp(-iou^2 / (2 sigma))`` for each box selected since it was last scored, and is selected
if unchanged, queued again if still above the threshold, dropped otherwise.
"""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from .._core import InvalidArgumentError
from ..framework.ops import apply, convert_to_tensor
from ..framework.tensor import EagerTensor, Tensor
from .array_ops import cast, expand_dims, gather, range, reshape, shape, transpose, where, zeros_like
from .control_flow_ops import while_loop
from .math_derived_ops import reduce_any
from .math_ops import (
    argmax,
    equal,
    exp,
    greater,
    greater_equal,
    less,
    less_equal,
    logical_and,
    logical_not,
    logical_or,
    maximum,
    minimum,
    reduce_prod,
)


def _argsort(x: Tensor, descending: bool = False) -> Tensor:
    return apply("argsort", [x], {"descending": descending})


def iou_matrix(a: Tensor, b: Tensor) -> Tensor:
    """TensorFlow's IoU of every box of ``a`` ``[..., N, 4]`` with every box of ``b`` ``[..., M, 4]``."""

    def corners(x: Tensor) -> tuple:
        return (minimum(x[..., 0], x[..., 2]), minimum(x[..., 1], x[..., 3]),
                maximum(x[..., 0], x[..., 2]), maximum(x[..., 1], x[..., 3]))  # fmt: skip

    ay0, ax0, ay1, ax1 = (expand_dims(t, -1) for t in corners(a))
    by0, bx0, by1, bx1 = (expand_dims(t, -2) for t in corners(b))
    area_a, area_b = (ay1 - ay0) * (ax1 - ax0), (by1 - by0) * (bx1 - bx0)
    inter = maximum(minimum(ay1, by1) - maximum(ay0, by0), 0.0) * maximum(minimum(ax1, bx1) - maximum(ax0, bx0), 0.0)
    union = area_a + area_b - inter
    empty = logical_or(less_equal(area_a, 0.0), less_equal(area_b, 0.0))
    return where(empty, zeros_like(inter), inter / where(empty, zeros_like(union) + 1.0, union))


def _max_output(max_output_size: Any) -> Any:
    if isinstance(max_output_size, EagerTensor) or not isinstance(max_output_size, Tensor):
        value = int(
            np.asarray(max_output_size.numpy() if isinstance(max_output_size, EagerTensor) else max_output_size)
        )
        if value < 0:
            raise InvalidArgumentError("output size must be non-negative")
        return value
    return cast(max_output_size, "int32")


def _threshold(value: Any, what: str) -> float:
    value = float(np.asarray(value.numpy() if isinstance(value, EagerTensor) else value))
    if not 0.0 <= value <= 1.0:
        raise InvalidArgumentError(f"{what} must be in [0, 1]")
    return value


def _check_boxes(boxes: Tensor, scores: Tensor) -> None:
    if boxes.shape.rank is not None and boxes.shape[-1] not in (4, None):
        raise InvalidArgumentError(f"boxes must have 4 columns (Dimension must be 4 but is {boxes.shape[-1]})")
    n, m = boxes.shape[-2], scores.shape[-1]
    if n is not None and m is not None and n != m:
        raise InvalidArgumentError(f"scores has incompatible shape (Dimensions must be equal, but are {n} and {m})")


def greedy_select(similarity: Tensor, live: Tensor, threshold: Any, limit: Any) -> tuple:
    """Hard NMS over candidates already in selection order: ``similarity`` ``[B, N, N]``, ``live`` ``[B, N]``.
    Returns (``[B, N]`` which were selected, ``[B]`` how many)."""
    n = shape(live)[1]
    positions = expand_dims(range(n), 0)
    rows = reshape(similarity, [-1, similarity.shape[-1] if similarity.shape[-1] is not None else -1])
    row_base = range(shape(live)[0]) * n

    def body(live: Tensor, chosen: Tensor, count: Tensor) -> tuple:
        take = logical_and(reduce_any(live, axis=1), less(count, limit))  # [B]
        first = cast(argmax(cast(live, "int32"), axis=1), "int32")
        pick = logical_and(equal(positions, expand_dims(first, 1)), expand_dims(take, 1))
        overlap = greater(gather(rows, row_base + first), threshold)
        killed = logical_or(logical_and(overlap, expand_dims(take, 1)), pick)
        return logical_and(live, logical_not(killed)), logical_or(chosen, pick), count + cast(take, "int32")

    def cond(live: Tensor, chosen: Tensor, count: Tensor) -> Tensor:
        return reduce_any(logical_and(reduce_any(live, axis=1), less(count, limit)))

    start = (live, logical_and(live, logical_not(live)), zeros_like(live[:, 0], dtype="int32"))
    _, chosen, count = while_loop(cond, body, start)
    return chosen, count


def _selected_positions(chosen: Tensor, width: Optional[int]) -> Tensor:
    """Per row, the positions of ``chosen`` in order, then the others: ``[B, width or N]``."""
    n = shape(chosen)[1]
    key = where(chosen, zeros_like(cast(chosen, "int32")), zeros_like(cast(chosen, "int32")) + 1)
    order = _argsort(key)  # stable: chosen positions first, in order
    return order if width is None else gather(order, range(minimum(width, n)), axis=1)


def _sorted_candidates(scores: Tensor, score_threshold: float) -> tuple:
    order = _argsort(scores, descending=True)  # stable: ties keep the lower index first
    ordered = gather(scores, order, batch_dims=1) if scores.shape.rank == 2 else gather(scores, order)
    return order, ordered, greater(ordered, score_threshold)


def _hard(boxes_or_overlaps: Tensor, scores: Tensor, limit: Any, threshold: float, score_threshold: float,
          overlaps: bool) -> tuple:  # fmt: skip
    """Single-image hard NMS: (selected indices int32, their scores)."""
    order, ordered, live = _sorted_candidates(scores, score_threshold)
    if overlaps:
        # TensorFlow compares overlaps[candidate, selected]; the loop reads the selected box's row.
        sim = transpose(gather(gather(boxes_or_overlaps, order), order, axis=1))
    else:
        sorted_boxes = gather(boxes_or_overlaps, order)
        sim = iou_matrix(sorted_boxes, sorted_boxes)
    chosen, count = greedy_select(expand_dims(sim, 0), expand_dims(live, 0), threshold, limit)
    positions = gather(_selected_positions(chosen, None)[0], range(count[0]))
    return gather(order, positions), gather(ordered, positions)


def non_max_suppression(
    boxes: Any,
    scores: Any,
    max_output_size: Any,
    iou_threshold: float = 0.5,
    score_threshold: float = float("-inf"),
    name: Optional[str] = None,
) -> Tensor:
    """Indices (int32) of the boxes ``[N, 4]`` kept by greedy NMS, in selection order."""
    b, s = convert_to_tensor(boxes, dtype="float32"), convert_to_tensor(scores, dtype="float32")
    _check_boxes(b, s)
    limit = _max_output(max_output_size)
    return _hard(b, s, limit, _threshold(iou_threshold, "iou_threshold"), float(score_threshold), False)[0]


def non_max_suppression_overlaps(
    overlaps: Any,
    scores: Any,
    max_output_size: Any,
    overlap_threshold: float = 0.5,
    score_threshold: float = float("-inf"),
    name: Optional[str] = None,
) -> Tensor:
    """Greedy NMS with a given ``[N, N]`` overlap matrix in place of IoU: the kept indices (int32)."""
    o, s = convert_to_tensor(overlaps, dtype="float32"), convert_to_tensor(scores, dtype="float32")
    if o.shape.rank != 2:
        raise InvalidArgumentError(f"overlaps must be 2-D, received shape {o.shape.as_list()}")
    limit = _max_output(max_output_size)
    return _hard(o, s, limit, float(overlap_threshold), float(score_threshold), True)[0]


def _soft(boxes: Tensor, scores: Tensor, limit: Any, score_threshold: float, sigma: float) -> tuple:
    """TensorFlow's soft-NMS priority queue, one pop per loop step."""
    n = shape(scores)[0]
    scale = -0.5 / sigma
    slots = range(n)
    neg_inf = float("-inf")

    def body(current: Tensor, active: Tensor, begin: Tensor, chosen: Tensor, kept: Tensor, count: Tensor) -> tuple:
        top = cast(argmax(where(active, current, zeros_like(current) + neg_inf)), "int32")
        original = gather(current, top)
        sims = gather(iou_matrix(expand_dims(gather(boxes, top), 0), boxes)[0], chosen)
        since = logical_and(greater_equal(slots, gather(begin, top)), less(slots, count))
        score = original * reduce_prod(where(since, exp(scale * sims * sims), zeros_like(sims) + 1.0))
        here = equal(slots, top)
        select = equal(score, original)
        requeue = logical_and(logical_not(select), greater(score, score_threshold))
        at_count = equal(slots, count)
        chosen = where(logical_and(at_count, select), zeros_like(chosen) + top, chosen)
        kept = where(logical_and(at_count, select), zeros_like(kept) + score, kept)
        return (
            where(here, zeros_like(current) + score, current),
            logical_and(active, logical_not(logical_and(here, logical_not(requeue)))),
            where(here, zeros_like(begin) + count, begin),
            chosen,
            kept,
            count + cast(select, "int32"),
        )

    def cond(current: Tensor, active: Tensor, begin: Tensor, chosen: Tensor, kept: Tensor, count: Tensor) -> Tensor:
        return logical_and(less(count, limit), reduce_any(active))

    active = greater(scores, score_threshold)
    zeros = zeros_like(slots)
    start = (scores, active, zeros, zeros, zeros_like(scores), convert_to_tensor(np.int32(0)))
    _, _, _, chosen, kept, count = while_loop(cond, body, start)
    return gather(chosen, range(count)), gather(kept, range(count))


def non_max_suppression_with_scores(
    boxes: Any,
    scores: Any,
    max_output_size: Any,
    iou_threshold: float = 0.5,
    score_threshold: float = float("-inf"),
    soft_nms_sigma: float = 0.0,
    name: Optional[str] = None,
) -> tuple:
    """(kept indices int32, their scores float32); with ``soft_nms_sigma > 0`` scores decay instead of boxes
    being removed (Soft-NMS), and the returned scores are the decayed ones."""
    b, s = convert_to_tensor(boxes, dtype="float32"), convert_to_tensor(scores, dtype="float32")
    _check_boxes(b, s)
    limit = _max_output(max_output_size)
    threshold = _threshold(iou_threshold, "iou_threshold")
    if float(soft_nms_sigma) < 0:
        raise InvalidArgumentError("soft_nms_sigma must be non-negative")
    if float(soft_nms_sigma) > 0:
        return _soft(b, s, limit, float(score_threshold), float(soft_nms_sigma))
    return _hard(b, s, limit, threshold, float(score_threshold), False)


def __getattr__(name: str) -> Any:
    if name == "non_max_suppression_padded":  # in its own module, which imports this one
        from .image_nms_padded_ops import non_max_suppression_padded

        return non_max_suppression_padded
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

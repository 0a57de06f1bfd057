"""tf.image non-max suppression: the plain, _with_scores (hard and soft), _padded, _overlaps and combined forms
against Python versions of TensorFlow's kernels (and TensorFlow 2.21's numbers), 1000 boxes, tf.function."""

import heapq

import numpy as np
import pytest

import ferroflow as tf


def iou(a, b):
    """TensorFlow's IOU (corners canonicalized, 0 for boxes without area), float32."""
    a, b = a.astype(np.float32), b.astype(np.float32)
    ay0, ax0, ay1, ax1 = min(a[0], a[2]), min(a[1], a[3]), max(a[0], a[2]), max(a[1], a[3])
    by0, bx0, by1, bx1 = min(b[0], b[2]), min(b[1], b[3]), max(b[0], b[2]), max(b[1], b[3])
    area_a, area_b = (ay1 - ay0) * (ax1 - ax0), (by1 - by0) * (bx1 - bx0)
    if area_a <= 0 or area_b <= 0:
        return np.float32(0)
    inter = max(min(ay1, by1) - max(ay0, by0), np.float32(0)) * max(min(ax1, bx1) - max(ax0, bx0), np.float32(0))
    return inter / (area_a + area_b - inter)


def nms_reference(sim, scores, max_out, threshold, score_threshold=-np.inf, sigma=0.0):
    """TensorFlow's DoNonMaxSuppressionOp with its priority queue; ``sim(i, j)`` is the similarity of
    candidate ``i`` and selected box ``j``."""
    queue = [(-s, i, 0, s) for i, s in enumerate(scores.astype(np.float32)) if s > score_threshold]
    heapq.heapify(queue)
    scale = np.float32(-0.5 / sigma) if sigma > 0 else np.float32(0)
    selected, kept = [], []
    while len(selected) < max_out and queue:
        _, i, begin, score = heapq.heappop(queue)
        original, hard = score, False
        for j in range(len(selected) - 1, begin - 1, -1):
            s = sim(i, selected[j])
            if sigma > 0:
                score = np.float32(score * np.exp(scale * s * s))
            elif s > threshold:
                hard = True
                break
            if score <= score_threshold:
                break
        if hard:
            continue
        if score == original:
            selected.append(i)
            kept.append(score)
        elif score > score_threshold:
            heapq.heappush(queue, (-score, i, len(selected), score))
    return np.array(selected, np.int32), np.array(kept, np.float32)


def random_boxes(rng, n):
    centre = rng.random((n, 2)) * 0.8 + 0.1
    half = (rng.random((n, 2)) * 0.3 + 0.02) / 2
    boxes = np.concatenate([centre - half, centre + half], 1).astype(np.float32)
    flip = rng.random(n) < 0.3
    boxes[flip] = boxes[flip][:, [2, 3, 0, 1]]  # corners in the other order
    return boxes


SMALL_BOXES = [[0, 0, 1, 1], [0, 0.1, 1, 1.1], [0, -0.1, 1, 0.9], [0, 10, 1, 11], [0, 10.1, 1, 11.1], [0, 100, 1, 101]]
SMALL_SCORES = [0.9, 0.75, 0.6, 0.95, 0.5, 0.3]


def test_tensorflow_examples():
    # TensorFlow 2.21's results.
    assert tf.image.non_max_suppression(SMALL_BOXES, SMALL_SCORES, 3, 0.5).numpy().tolist() == [3, 0, 5]
    idx, scores = tf.image.non_max_suppression_with_scores(SMALL_BOXES, SMALL_SCORES, 6, 1.0, soft_nms_sigma=0.5)
    assert idx.numpy().tolist() == [3, 0, 1, 5, 4, 2]
    np.testing.assert_allclose(scores.numpy(), [0.95, 0.9, 0.38400355, 0.3, 0.2560026, 0.19697244], rtol=1e-6)
    same = [[0, 0, 1, 1]] * 3
    assert tf.image.non_max_suppression(same, [0.5, 0.5, 0.5], 3, 1.0).numpy().tolist() == [0, 1, 2]
    empty_box = [[0, 0, 1, 1], [0, 0, 0, 0], [0, 0, 1, 1]]
    assert tf.image.non_max_suppression(empty_box, [0.5, 0.6, 0.5], 3, 0.0).numpy().tolist() == [1, 0]


@pytest.mark.parametrize("threshold,score_threshold,max_out", [(0.5, -np.inf, 300), (0.3, 0.4, 1000), (0.7, 0.0, 50)])
def test_hard_nms_on_1000_boxes(threshold, score_threshold, max_out):
    rng = np.random.default_rng(0)
    boxes, scores = random_boxes(rng, 1000), rng.random(1000).astype(np.float32)
    scores[::50] = 0.5  # ties: the lower index first
    want, want_scores = nms_reference(lambda i, j: iou(boxes[i], boxes[j]), scores, max_out, threshold, score_threshold)
    got = tf.image.non_max_suppression(boxes, scores, max_out, threshold, score_threshold)
    assert got.dtype == tf.int32
    np.testing.assert_array_equal(got.numpy(), want)
    idx, kept = tf.image.non_max_suppression_with_scores(boxes, scores, max_out, threshold, score_threshold)
    np.testing.assert_array_equal(idx.numpy(), want)
    np.testing.assert_array_equal(kept.numpy(), want_scores)
    fn = tf.function(lambda b, s: tf.image.non_max_suppression(b, s, max_out, threshold, score_threshold))
    np.testing.assert_array_equal(fn(tf.constant(boxes), tf.constant(scores)).numpy(), want)


@pytest.mark.parametrize("sigma,score_threshold", [(0.5, -np.inf), (0.3, 0.2)])
def test_soft_nms(sigma, score_threshold):
    rng = np.random.default_rng(1)
    boxes, scores = random_boxes(rng, 300), rng.random(300).astype(np.float32)
    want, want_scores = nms_reference(lambda i, j: iou(boxes[i], boxes[j]), scores, 100, 0.5, score_threshold, sigma)
    idx, kept = tf.image.non_max_suppression_with_scores(boxes, scores, 100, 0.5, score_threshold, sigma)
    np.testing.assert_array_equal(idx.numpy(), want)
    np.testing.assert_allclose(kept.numpy(), want_scores, rtol=1e-6)
    fn = tf.function(lambda b, s: tf.image.non_max_suppression_with_scores(b, s, 100, 0.5, score_threshold, sigma))
    np.testing.assert_array_equal(fn(tf.constant(boxes), tf.constant(scores))[0].numpy(), want)


def test_overlaps():
    rng = np.random.default_rng(2)
    overlaps, scores = rng.random((300, 300)).astype(np.float32), rng.random(300).astype(np.float32)
    want, _ = nms_reference(lambda i, j: overlaps[i, j], scores, 100, 0.7, 0.1)
    got = tf.image.non_max_suppression_overlaps(overlaps, scores, 100, overlap_threshold=0.7, score_threshold=0.1)
    np.testing.assert_array_equal(got.numpy(), want)


def test_padded_single_and_batched():
    rng = np.random.default_rng(3)
    # Corners in one consistent order: the padded form orients every box as the first one.
    boxes = np.abs(random_boxes(rng, 500)[:, [0, 1, 2, 3]])
    boxes = np.concatenate([np.minimum(boxes[:, :2], boxes[:, 2:]), np.maximum(boxes[:, :2], boxes[:, 2:])], 1)
    scores = rng.random(500).astype(np.float32)
    want, _ = nms_reference(lambda i, j: iou(boxes[i], boxes[j]), scores, 400, 0.5)
    idx, valid = tf.image.non_max_suppression_padded(boxes, scores, 400, 0.5, pad_to_max_output_size=True)
    assert idx.shape == (400,) and int(valid) == len(want)
    np.testing.assert_array_equal(idx.numpy()[: len(want)], want)
    assert not idx.numpy()[len(want) :].any()
    idx, valid = tf.image.non_max_suppression_padded(boxes, scores, 400, 0.5)
    np.testing.assert_array_equal(idx.numpy(), want)
    batch_boxes = np.stack([boxes[:200], boxes[200:400], boxes[300:]])
    batch_scores = np.stack([scores[:200], scores[200:400], scores[300:]])
    idx, valid = tf.image.non_max_suppression_padded(
        batch_boxes, batch_scores, 50, 0.5, score_threshold=0.1, pad_to_max_output_size=True
    )
    assert idx.shape == (3, 50) and valid.shape == (3,)
    for k in range(3):
        want, _ = nms_reference(
            lambda i, j, k=k: iou(batch_boxes[k, i], batch_boxes[k, j]), batch_scores[k], 50, 0.5, 0.1
        )
        np.testing.assert_array_equal(idx.numpy()[k, : len(want)], want)
        assert int(valid[k]) == len(want)


def combined_reference(boxes, scores, per_class, total, threshold, score_threshold, pad_per_class, clip):
    batch, n, q, _ = boxes.shape
    classes = scores.shape[2]
    size = min(total, per_class * classes) if pad_per_class else total
    out_boxes, out_scores = np.zeros((batch, size, 4), np.float32), np.zeros((batch, size), np.float32)
    out_classes, valid = np.zeros((batch, size), np.float32), np.zeros(batch, np.int32)
    for b in range(batch):
        found = []
        for c in range(classes):
            bx = boxes[b, :, 0 if q == 1 else c]
            idx, kept = nms_reference(
                lambda i, j, bx=bx: iou(bx[i], bx[j]), scores[b, :, c], per_class, threshold, score_threshold
            )
            found += [(-s, c, k, bx[i]) for k, (i, s) in enumerate(zip(idx, kept))]
        found.sort(key=lambda t: (t[0], t[1], t[2]))
        found = found[:size]
        valid[b] = len(found)
        for k, (s, c, _, box) in enumerate(found):
            out_boxes[b, k] = np.clip(box, 0, 1) if clip else box
            out_scores[b, k], out_classes[b, k] = -s, c
    return out_boxes, out_scores, out_classes, valid


@pytest.mark.parametrize(
    "q,per_class,total,pad_per_class,clip",
    [(1, 10, 30, False, True), (1, 4, 100, True, False), (3, 8, 20, False, True)],
)
def test_combined(q, per_class, total, pad_per_class, clip):
    rng = np.random.default_rng(4)
    classes = 3 if q == 3 else 5
    boxes = np.stack([np.stack([random_boxes(rng, 100) * 1.4 - 0.2 for _ in range(q)], 1) for _ in range(2)])
    scores = rng.random((2, 100, classes)).astype(np.float32)
    want = combined_reference(boxes, scores, per_class, total, 0.5, 0.3, pad_per_class, clip)
    got = tf.image.combined_non_max_suppression(
        boxes, scores, per_class, total, 0.5, 0.3, pad_per_class=pad_per_class, clip_boxes=clip
    )
    for g, w in zip(got, want):
        np.testing.assert_array_equal(g.numpy(), w)
    fn = tf.function(
        lambda b, s: tf.image.combined_non_max_suppression(b, s, per_class, total, 0.5, 0.3, pad_per_class, clip)
    )
    np.testing.assert_array_equal(fn(tf.constant(boxes), tf.constant(scores))[1].numpy(), want[1])


def test_errors():
    boxes, scores = np.zeros((5, 4), np.float32), np.zeros(5, np.float32)
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"iou_threshold must be in \[0, 1\]"):
        tf.image.non_max_suppression(boxes, scores, 3, 1.5)
    with pytest.raises(tf.errors.InvalidArgumentError, match="scores has incompatible shape"):
        tf.image.non_max_suppression(boxes, scores[:3], 3)
    with pytest.raises(tf.errors.InvalidArgumentError, match="boxes must have 4 columns"):
        tf.image.non_max_suppression(boxes[:, :3], scores, 3)
    with pytest.raises(tf.errors.InvalidArgumentError, match="output size must be non-negative"):
        tf.image.non_max_suppression(boxes, scores, -1)
    with pytest.raises(ValueError, match="must be True for batched input"):
        tf.image.non_max_suppression_padded(boxes[None], scores[None], 3)
    with pytest.raises(tf.errors.InvalidArgumentError, match="either 1 or num classes"):
        tf.image.combined_non_max_suppression(np.zeros((1, 5, 2, 4)), np.zeros((1, 5, 3)), 2, 4)

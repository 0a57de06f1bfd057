"""tf.image.sample_distorted_bounding_box and its stateless form: TensorFlow's crop procedure checked against a
Python version fed the same random numbers, the constraints on many seeds, determinism, tf.function, errors."""

import numpy as np
import pytest

import ferroflow as tf
from ferroflow.ops.image_sample_bbox_ops import _sample


def rint(v):
    return float(np.rint(np.float32(v)))


def crop_reference(height, width, boxes, covered, aspect, area, uniforms):
    """TensorFlow's GenerateRandomCrop + SatisfiesOverlapConstraints, with ``uniforms`` as its randomness."""
    f = np.float32
    rects = [
        (int(f(b[1]) * f(width)), int(f(b[0]) * f(height)), int(f(b[3]) * f(width)), int(f(b[2]) * f(height)))
        for b in boxes
    ]
    min_area, max_area = f(area[0]) * f(width) * f(height), f(area[1]) * f(width) * f(height)
    for u in uniforms.astype(np.float32):
        ratio = u[0] * f(aspect[1] - aspect[0]) + f(aspect[0])
        h, max_h = rint(np.sqrt(min_area / ratio)), rint(np.sqrt(max_area / ratio))
        if rint(max_h * ratio) > width:
            max_h = float(np.floor((f(width) + f(0.5) - f(1e-7)) / ratio))
            if rint(max_h * ratio) > width:
                max_h -= 1
        max_h = min(max_h, height)
        h = min(h, max_h)
        if h < max_h:
            h += float(np.floor(u[1] * f(max_h - h + 1)))
        w = rint(h * ratio)
        if w * h < min_area:
            h += 1
            w = rint(h * ratio)
        if w * h > max_area:
            h -= 1
            w = rint(h * ratio)
        if w * h < min_area or w * h > max_area or w > width or h > height or w <= 0 or h <= 0:
            continue
        y = float(np.floor(u[2] * f(height - h))) if h < height else 0.0
        x = float(np.floor(u[3] * f(width - w))) if w < width else 0.0
        for x0, y0, x1, y1 in rects:
            obj = (x1 - x0) * (y1 - y0)
            if obj < 1:
                continue
            inter = max(min(x + w, x1) - max(x, x0), 0) * max(min(y + h, y1) - max(y, y0), 0)
            if inter / obj >= covered:
                return [int(y), int(x), 0], [int(h), int(w), -1]
    return [0, 0, 0], [height, width, -1]


@pytest.mark.parametrize("covered,area", [(0.1, (0.05, 1.0)), (0.5, (0.1, 0.6)), (0.9, (0.01, 0.3))])
def test_procedure_matches_python_version(covered, area):
    rng = np.random.default_rng(int(covered * 10))
    for _ in range(20):
        height, width = int(rng.integers(20, 300)), int(rng.integers(20, 300))
        start = rng.random((3, 2)) * 0.6
        boxes = np.concatenate([start, start + rng.random((3, 2)) * 0.4], 1).astype(np.float32)
        uniforms = rng.random((30, 4)).astype(np.float32)
        begin, size, bboxes = _sample(
            tf.constant([height, width, 3]), tf.constant(boxes), tf.constant(np.float32(covered)),
            (0.75, 1.33), area, 30, False, tf.constant(uniforms),
        )  # fmt: skip
        want_begin, want_size = crop_reference(height, width, boxes, covered, (0.75, 1.33), area, uniforms)
        assert begin.numpy().tolist() == want_begin and size.numpy().tolist() == want_size
        y, x, h, w = want_begin[0], want_begin[1], want_size[0], want_size[1]
        np.testing.assert_allclose(
            bboxes.numpy(), [[[y / height, x / width, (y + h) / height, (x + w) / width]]], rtol=1e-6
        )


def test_constraints_over_many_seeds_and_determinism():
    boxes = tf.constant([[[0.1, 0.2, 0.5, 0.7], [0.6, 0.6, 0.9, 0.95]]], tf.float32)
    seen = set()
    for s in range(40):
        begin, size, bboxes = tf.image.stateless_sample_distorted_bounding_box(
            tf.constant([120, 160, 3]), boxes, seed=[s, 7], min_object_covered=0.3, area_range=(0.1, 0.8)
        )
        (y, x, _), (h, w, last) = begin.numpy().tolist(), size.numpy().tolist()
        assert last == -1 and 0 <= y and y + h <= 120 and 0 <= x and x + w <= 160
        assert 0.1 * 120 * 160 <= h * w <= 0.8 * 120 * 160
        assert bboxes.shape == (1, 1, 4)
        seen.add((y, x, h, w))
        again = tf.image.stateless_sample_distorted_bounding_box(
            tf.constant([120, 160, 3]), boxes, seed=[s, 7], min_object_covered=0.3, area_range=(0.1, 0.8)
        )
        assert again[0].numpy().tolist() == begin.numpy().tolist()
    assert len(seen) > 30
    begin, size, _ = tf.image.sample_distorted_bounding_box([100, 200, 3], boxes, seed=3)
    image = tf.zeros([100, 200, 3])
    assert tf.slice(image, begin, size).shape[2] == 3


def test_fallback_dtypes_graph_and_errors():
    boxes = tf.constant([[[0.1, 0.2, 0.5, 0.7]]], tf.float32)
    begin, size, bboxes = tf.image.stateless_sample_distorted_bounding_box(
        tf.constant([100, 200, 3]), boxes, seed=[1, 2], min_object_covered=1.0, area_range=[0.01, 0.02]
    )  # TensorFlow 2.21 also falls back to the whole image here
    assert begin.numpy().tolist() == [0, 0, 0] and size.numpy().tolist() == [100, 200, -1]
    assert bboxes.numpy().tolist() == [[[0.0, 0.0, 1.0, 1.0]]]
    _, size, _ = tf.image.stateless_sample_distorted_bounding_box(
        tf.constant([100, 200, 3], tf.uint8), tf.zeros([1, 0, 4]), seed=[1, 2], use_image_if_no_bounding_boxes=True
    )
    assert size.dtype == tf.uint8 and size.numpy()[2] == 255
    fn = tf.function(lambda s, b: tf.image.stateless_sample_distorted_bounding_box(s, b, seed=[4, 5]))
    eager = tf.image.stateless_sample_distorted_bounding_box(tf.constant([100, 200, 3]), boxes, seed=[4, 5])
    assert fn(tf.constant([100, 200, 3]), boxes)[1].numpy().tolist() == eager[1].numpy().tolist()
    cases = [
        (dict(bounding_boxes=tf.zeros([1, 0, 4])), "No bounding boxes provided"),
        (dict(bounding_boxes=tf.constant([[[0.1, 0.2, 1.5, 0.7]]])), r"must be in \[0.0, 1.0\]: 1.5"),
        (dict(area_range=[0.0, 1.0]), "Area range must be non-negative"),
        (dict(aspect_ratio_range=[0.0, 1.0]), "Aspect ratio range must be non-negative"),
        (dict(image_size=tf.constant([100, 200])), "image_size must contain 3 elements"),
        (dict(bounding_boxes=boxes[0]), "input boxes must be 3-dimensional"),
        (dict(max_attempts=0), "Max attempts must be non-negative"),
        (dict(min_object_covered=-0.1), "Min object covered must be non-negative"),
    ]
    for change, message in cases:
        args = dict(image_size=tf.constant([100, 200, 3]), bounding_boxes=boxes, seed=[1, 2])
        args.update(change)
        with pytest.raises(tf.errors.InvalidArgumentError, match=message):
            tf.image.stateless_sample_distorted_bounding_box(**args)

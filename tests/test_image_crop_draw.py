"""tf.image.crop_and_resize, extract_glimpse and draw_bounding_boxes: TensorFlow 2.21's numbers, NumPy
versions of TensorFlow's kernels, gradients by finite differences, realistic sizes, tf.function."""

import numpy as np
import pytest

import ferroflow as tf


def crop_reference(image, boxes, box_indices, size, method="bilinear", extrapolation=0.0):
    """TensorFlow's CropAndResize kernel, loop for loop (float32 arithmetic as the kernel)."""
    _, h, w, d = image.shape
    ch, cw = size
    f = np.float32
    out = np.zeros((len(boxes), ch, cw, d), np.float32)
    for k, (y1, x1, y2, x2) in enumerate(boxes.astype(np.float32)):
        img = image[box_indices[k]].astype(np.float32)
        hs = (y2 - y1) * f(h - 1) / f(ch - 1) if ch > 1 else f(0)
        ws = (x2 - x1) * f(w - 1) / f(cw - 1) if cw > 1 else f(0)
        for i in range(ch):
            iy = y1 * f(h - 1) + f(i) * hs if ch > 1 else f(0.5) * (y1 + y2) * f(h - 1)
            for j in range(cw):
                ix = x1 * f(w - 1) + f(j) * ws if cw > 1 else f(0.5) * (x1 + x2) * f(w - 1)
                if iy < 0 or iy > h - 1 or ix < 0 or ix > w - 1:
                    out[k, i, j] = extrapolation
                elif method == "nearest":
                    out[k, i, j] = img[int(np.floor(iy + 0.5)), int(np.floor(ix + 0.5))]
                else:
                    t, b, left, r = int(np.floor(iy)), int(np.ceil(iy)), int(np.floor(ix)), int(np.ceil(ix))
                    yl, xl = iy - t, ix - left
                    top = img[t, left] + (img[t, r] - img[t, left]) * xl
                    bottom = img[b, left] + (img[b, r] - img[b, left]) * xl
                    out[k, i, j] = top + (bottom - top) * yl
    return out


def test_crop_and_resize_matches_tensorflow():
    image = np.arange(20, dtype=np.float32).reshape(1, 4, 5, 1)
    boxes = np.array([[0.1, 0.2, 0.8, 0.9], [-0.2, -0.1, 1.3, 1.2], [0.5, 0.5, 0.5, 0.5]], np.float32)
    got = tf.image.crop_and_resize(image, boxes, [0, 0, 0], [2, 3]).numpy()[..., 0]
    # TensorFlow 2.21's crops.
    want = [[[2.3, 3.7, 5.1], [12.8, 14.2, 15.6]], [[0.0] * 3] * 2, [[9.5] * 3] * 2]
    np.testing.assert_allclose(got, want, rtol=1e-6)
    got = tf.image.crop_and_resize(image, boxes, [0, 0, 0], [2, 3], method="nearest", extrapolation_value=-1)
    assert got.numpy()[..., 0].tolist() == [[[1, 2, 4], [11, 12, 14]], [[-1] * 3] * 2, [[12] * 3] * 2]


def test_crop_and_resize_realistic_batch_and_graph():
    rng = np.random.default_rng(0)
    images = rng.random((8, 224, 224, 3)).astype(np.float32)
    start = rng.random((32, 2)) * 0.7 - 0.1
    boxes = np.concatenate([start, start + rng.random((32, 2)) * 0.6 + 0.05], 1).astype(np.float32)
    boxes[::7] = boxes[::7][:, [2, 3, 0, 1]]  # flipped boxes give flipped crops
    indices = rng.integers(0, 8, size=32).astype(np.int32)
    want = crop_reference(images, boxes, indices, (24, 20))
    got = tf.image.crop_and_resize(images, boxes, indices, [24, 20])
    assert got.dtype == tf.float32 and got.shape == (32, 24, 20, 3)
    np.testing.assert_allclose(got.numpy(), want, rtol=1e-5, atol=1e-5)
    fn = tf.function(lambda i, b, k: tf.image.crop_and_resize(i, b, k, [24, 20], method="nearest"))
    near = crop_reference(images, boxes, indices, (24, 20), "nearest")
    np.testing.assert_allclose(fn(tf.constant(images), tf.constant(boxes), tf.constant(indices)).numpy(), near)
    small = crop_reference((images[:2] * 255).astype(np.uint8), boxes[:5], indices[:5] % 2, (1, 7))
    got = tf.image.crop_and_resize((images[:2] * 255).astype(np.uint8), boxes[:5], indices[:5] % 2, (1, 7))
    np.testing.assert_allclose(got.numpy(), small, rtol=1e-5, atol=1e-4)


def test_crop_and_resize_gradients():
    # The crops are linear in the image (float32 as TensorFlow's), so differences with a large step are exact.
    rng = np.random.default_rng(1)
    image = rng.random((2, 6, 7, 2)).astype(np.float32)
    boxes = np.array([[0.1, 0.15, 0.73, 0.81], [0.27, -0.2, 0.9, 0.55], [0.8, 0.7, 0.2, 0.1]], np.float32)
    weights = rng.standard_normal((3, 4, 3, 2)).astype(np.float32)

    def total(im):
        return tf.reduce_sum(tf.image.crop_and_resize(im, boxes, [0, 1, 1], [4, 3]) * weights)

    x = tf.constant(image)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = total(x)
    got = tape.gradient(y, x).numpy()
    want = np.zeros_like(image)
    for i in np.ndindex(image.shape):
        up, down = image.copy(), image.copy()
        up[i] += 0.5
        down[i] -= 0.5
        want[i] = float(total(up)) - float(total(down))
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-4)


def test_crop_and_resize_errors():
    image = np.zeros((2, 4, 4, 1), np.float32)
    boxes = np.zeros((2, 4), np.float32)
    with pytest.raises(tf.errors.OutOfRangeError, match="box_index has values outside"):
        tf.image.crop_and_resize(image, boxes, [0, 2], [2, 2])
    with pytest.raises(tf.errors.InvalidArgumentError, match="crop dimensions must be positive"):
        tf.image.crop_and_resize(image, boxes, [0, 1], [0, 2])
    with pytest.raises(tf.errors.InvalidArgumentError, match='"bicubic"'):
        tf.image.crop_and_resize(image, boxes, [0, 1], [2, 2], method="bicubic")
    with pytest.raises(tf.errors.InvalidArgumentError, match="must be 4-D"):
        tf.image.crop_and_resize(image[0], boxes, [0, 1], [2, 2])
    with pytest.raises(tf.errors.InvalidArgumentError, match="incompatible shape"):
        tf.image.crop_and_resize(image, boxes, [0, 1, 1], [2, 2])


def glimpse_reference(image, size, offsets, centered, normalized):
    """TensorFlow's ExtractGlimpseV2 positions, out-of-image pixels zero."""
    b, h, w, d = image.shape
    out = np.zeros((b, size[0], size[1], d), np.float32)
    for k, (y, x) in enumerate(offsets.astype(np.float32)):
        if normalized:
            y, x = y * h, x * w
            if centered:
                y, x = y / 2 + h / 2 - size[0] / 2, x / 2 + w / 2 - size[1] / 2
        elif centered:
            y, x = y + h / 2, x + w / 2
        top, left = int(y), int(x)  # C++ truncation
        for i in range(size[0]):
            for j in range(size[1]):
                if 0 <= top + i < h and 0 <= left + j < w:
                    out[k, i, j] = image[k, top + i, left + j]
    return out


def test_extract_glimpse():
    x = np.arange(42, dtype=np.float32).reshape(1, 6, 7, 1)
    # TensorFlow 2.21, noise="zero".
    got = tf.image.extract_glimpse(x, [3, 4], [[-0.9, 0.95]], noise="zero")
    assert got.numpy()[0, :, :, 0].tolist() == [[0, 0, 0, 0], [4, 5, 6, 0], [11, 12, 13, 0]]
    got = tf.image.extract_glimpse(x, [3, 4], [[-1.6, -1.5]], centered=False, normalized=False, noise="zero")
    assert got.numpy()[0, :, :, 0].tolist() == [[0, 0, 0, 0], [0, 0, 1, 2], [0, 7, 8, 9]]
    rng = np.random.default_rng(2)
    images = rng.random((16, 28, 30, 3)).astype(np.float32)
    for centered in (True, False):
        for normalized in (True, False):
            scale = 1.2 if normalized else 30
            offsets = ((rng.random((16, 2)) - 0.5) * 2 * scale).astype(np.float32)
            want = glimpse_reference(images, (9, 11), offsets, centered, normalized)
            got = tf.image.extract_glimpse(images, [9, 11], offsets, centered, normalized, noise="zero")
            np.testing.assert_array_equal(got.numpy(), want)
    fn = tf.function(lambda i, o: tf.image.extract_glimpse(i, [9, 11], o, noise="zero"))
    np.testing.assert_array_equal(fn(tf.constant(images), tf.constant(offsets)).numpy(), glimpse_reference(
        images, (9, 11), offsets, True, True))  # fmt: skip


def test_extract_glimpse_noise_fills_only_outside():
    x = np.arange(42, dtype=np.float32).reshape(1, 6, 7, 1)
    got = tf.image.extract_glimpse(x, [3, 4], [[5.0, 5.0]], centered=False, normalized=False).numpy()[0, :, :, 0]
    assert got[0, :2].tolist() == [40, 41]
    outside = np.delete(got.ravel(), [0, 1])
    assert np.all((outside >= 0) & (outside <= 41)) and len(np.unique(outside)) > 1
    gauss = tf.image.extract_glimpse(x, [3, 4], [[5.0, 5.0]], centered=False, normalized=False, noise="gaussian")
    assert gauss.numpy()[0, 0, :2, 0].tolist() == [40, 41]
    with pytest.raises(tf.errors.InvalidArgumentError, match="noise"):
        tf.image.extract_glimpse(x, [3, 4], [[0.0, 0.0]], noise="pink")


def draw_reference(images, boxes, colors):
    """TensorFlow's DrawBoundingBoxesV2 kernel."""
    out = images.copy()
    b, h, w, d = images.shape
    table = np.array(colors, np.float32)[:, :d].copy()
    if d == 1:
        table[:, 0] = 1
    for n in range(b):
        for k, (y1, x1, y2, x2) in enumerate(boxes[n].astype(np.float32)):
            color = table[k % len(table)]
            top, left = int(y1 * np.float32(h - 1)), int(x1 * np.float32(w - 1))
            bottom, right = int(y2 * np.float32(h - 1)), int(x2 * np.float32(w - 1))
            if top > bottom or left > right or top >= h or bottom < 0 or left >= w or right < 0:
                continue
            tc, bc, lc, rc = max(top, 0), min(bottom, h - 1), max(left, 0), min(right, w - 1)
            if top >= 0:
                out[n, top, lc : rc + 1] = color
            if bottom < h:
                out[n, bottom, lc : rc + 1] = color
            if left >= 0:
                out[n, tc : bc + 1, left] = color
            if right < w:
                out[n, tc : bc + 1, right] = color
    return out


DEFAULT_COLORS = [[1, 1, 0, 1], [0, 0, 1, 1], [1, 0, 0, 1], [0, 1, 0, 1], [0.5, 0, 0.5, 1],
                  [0.5, 0.5, 0, 1], [0.5, 0, 0, 1], [0, 0, 0.5, 1], [0, 1, 1, 1], [1, 0, 1, 1]]  # fmt: skip


def test_draw_bounding_boxes():
    image = np.zeros((1, 5, 6, 3), np.float32)
    boxes = np.array([[[0.1, 0.1, 0.7, 0.9], [0.5, -0.2, 1.4, 0.5]]], np.float32)
    # TensorFlow 2.21: the red channel of the drawing.
    want = [[1, 1, 1, 1, 1, 0], [1, 0, 0, 0, 1, 0], [0, 0, 0, 1, 1, 0], [0] * 6, [0] * 6]
    assert tf.image.draw_bounding_boxes(image, boxes, None).numpy()[0, :, :, 0].tolist() == want
    rng = np.random.default_rng(3)
    images = rng.random((4, 64, 48, 3)).astype(np.float32)
    boxes = (rng.random((4, 12, 4)) * 1.6 - 0.3).astype(np.float32)
    colors = rng.random((5, 4)).astype(np.float32)
    np.testing.assert_array_equal(
        tf.image.draw_bounding_boxes(images, boxes, None).numpy(), draw_reference(images, boxes, DEFAULT_COLORS)
    )
    fn = tf.function(lambda i, b: tf.image.draw_bounding_boxes(i, b, colors))
    np.testing.assert_array_equal(
        fn(tf.constant(images), tf.constant(boxes)).numpy(), draw_reference(images, boxes, colors)
    )
    gray = images[..., :1]
    np.testing.assert_array_equal(
        tf.image.draw_bounding_boxes(gray, boxes, colors).numpy(), draw_reference(gray, boxes, colors)
    )


def test_draw_bounding_boxes_errors():
    image = np.zeros((1, 5, 6, 3), np.float32)
    boxes = np.zeros((1, 2, 4), np.float32)
    with pytest.raises(tf.errors.InvalidArgumentError, match="rank of the images should be 4"):
        tf.image.draw_bounding_boxes(image[0], boxes, None)
    with pytest.raises(tf.errors.InvalidArgumentError, match="Channel depth"):
        tf.image.draw_bounding_boxes(image[..., :2], boxes, None)
    with pytest.raises(tf.errors.InvalidArgumentError, match="equal or more channels"):
        tf.image.draw_bounding_boxes(image, boxes, np.zeros((3, 2), np.float32))
    with pytest.raises(tf.errors.InvalidArgumentError, match="third dimension of the box must be 4"):
        tf.image.draw_bounding_boxes(image, boxes[:, :, :3], None)

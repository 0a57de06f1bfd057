"""The projective image transform (``keras.ops.image.affine_transform`` and the
``ImageProjectiveTransformV3`` op under it) against a NumPy reference written from the kernel's definition:
both interpolations, the four fill modes, per-image and shared transforms, graphs with a dynamic batch."""

import numpy as np
import pytest

import ferroflow as tf
from ferroflow.ops.image_transform_ops import image_projective_transform_v3

RNG = np.random.default_rng(12)
FILL_MODES = ["constant", "nearest", "wrap", "reflect"]


# -- a NumPy reference of the transform, written from the kernel's definition ------------------------------
def _map(c, size, mode):
    """Out-of-image input coordinates mapped back inside, per fill mode (then clamped, except constant)."""
    if mode == "constant":
        return c
    if size > 1 and mode == "reflect":
        period = np.float32(2 * size)
        low = np.floor(-c / period) * period + c
        low = np.where(low < -size, low + period, -low - 1)
        high = c - np.floor(c / period) * period
        high = np.where(high >= size, period - high - 1, high)
        c = np.where(c < 0, low, np.where(c > size - 1, high, c))
    elif size > 1 and mode == "wrap":
        step = np.float32(size - 1)
        low = c + (np.floor(-c / step) + 1) * size
        high = c - np.floor(c / step) * size
        c = np.where(c < 0, low, np.where(c > size - 1, high, c))
    return np.clip(c, 0, size - 1).astype("float32")


def reference_transform(images, transforms, out_shape, interpolation, fill_mode, fill_value=0.0):
    batch, h, w, channels = images.shape
    t = np.broadcast_to(np.asarray(transforms, "float32"), (batch, 8))
    ys, xs = np.meshgrid(np.arange(out_shape[0]), np.arange(out_shape[1]), indexing="ij")
    ys, xs = ys.astype("float32"), xs.astype("float32")
    out = np.empty((batch,) + tuple(out_shape) + (channels,), "float32")
    for b in range(batch):
        a0, a1, a2, b0, b1, b2, c0, c1 = t[b]
        k = c0 * xs + c1 * ys + np.float32(1)
        infinite = k == 0
        k = np.where(infinite, np.float32(1), k)
        x = _map((a0 * xs + a1 * ys + a2) / k, w, fill_mode)
        y = _map((b0 * xs + b1 * ys + b2) / k, h, fill_mode)

        def read(yy, xx, b=b):
            inside = (yy >= 0) & (yy < h) & (xx >= 0) & (xx < w)
            yi, xi = np.clip(yy, 0, h - 1).astype(int), np.clip(xx, 0, w - 1).astype(int)
            return np.where(inside[..., None], images[b, yi, xi], np.float32(fill_value))

        if interpolation == "nearest":  # halves round away from zero
            value = read(np.sign(y) * np.floor(np.abs(y) + 0.5), np.sign(x) * np.floor(np.abs(x) + 0.5))
        else:
            y0, x0 = np.floor(y), np.floor(x)
            wx0, wx1, wy0, wy1 = (
                (x0 + 1 - x)[..., None],
                (x - x0)[..., None],
                (y0 + 1 - y)[..., None],
                (y - y0)[..., None],
            )
            top = wx0 * read(y0, x0) + wx1 * read(y0, x0 + 1)
            bottom = wx0 * read(y0 + 1, x0) + wx1 * read(y0 + 1, x0 + 1)
            value = wy0 * top + wy1 * bottom
        out[b] = np.where(infinite[..., None], np.float32(fill_value), value)
    return out


def random_transforms(batch, projective=False):
    """Per-image rotation, scale, shear and translation (and a perspective part) reaching well outside."""
    angle, scale = RNG.uniform(-np.pi, np.pi, batch), RNG.uniform(0.5, 2.0, batch)
    shear = RNG.uniform(-0.3, 0.3, batch)
    t = np.zeros((batch, 8), "float32")
    t[:, 0], t[:, 1] = scale * np.cos(angle), -scale * np.sin(angle) + shear
    t[:, 3], t[:, 4] = scale * np.sin(angle), scale * np.cos(angle)
    t[:, 2], t[:, 5] = RNG.uniform(-40, 40, batch), RNG.uniform(-40, 40, batch)
    if projective:
        t[:, 6:] = RNG.uniform(-0.03, 0.03, (batch, 2))
    return t


@pytest.mark.parametrize("interpolation", ["bilinear", "nearest"])
@pytest.mark.parametrize("fill_mode", FILL_MODES)
def test_affine_transform_matches_the_reference(interpolation, fill_mode):
    images = RNG.random((8, 32, 32, 3)).astype("float32") * 255
    transforms = random_transforms(8)
    got = tf.keras.ops.image.affine_transform(images, transforms, interpolation, fill_mode, fill_value=-7.0)
    want = reference_transform(images, transforms, (32, 32), interpolation, fill_mode, -7.0)
    assert got.shape == (8, 32, 32, 3)
    np.testing.assert_allclose(got.numpy(), want, rtol=1e-5, atol=1e-3)
    if fill_mode == "constant":
        assert (got.numpy() == -7.0).mean() > 0.05  # the fill is reached


@pytest.mark.parametrize("fill_mode", FILL_MODES)
def test_projective_transform_with_an_output_shape_and_one_shared_row(fill_mode):
    images = RNG.random((4, 20, 28, 2)).astype("float32")
    for transforms in (random_transforms(4, projective=True), random_transforms(1, projective=True)):
        for interpolation in ("BILINEAR", "NEAREST"):
            got = image_projective_transform_v3(images, transforms, (24, 16), 0.5, interpolation, fill_mode.upper())
            want = reference_transform(images, transforms, (24, 16), interpolation.lower(), fill_mode, 0.5)
            np.testing.assert_allclose(got.numpy(), want, rtol=1e-5, atol=1e-4)


def test_affine_transform_in_a_graph_with_a_dynamic_batch_single_images_and_channels_first():
    images = RNG.random((5, 12, 10, 3)).astype("float32")
    transforms = random_transforms(5)
    eager = tf.keras.ops.image.affine_transform(images, transforms, fill_mode="reflect").numpy()

    @tf.function(input_signature=[tf.TensorSpec([None, 12, 10, 3]), tf.TensorSpec([None, 8])])
    def traced(x, t):
        return tf.keras.ops.image.affine_transform(x, t, fill_mode="reflect")

    np.testing.assert_allclose(traced(images, transforms).numpy(), eager, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(traced(images[:2], transforms[:2]).numpy(), eager[:2], rtol=1e-6, atol=1e-6)
    single = tf.keras.ops.image.affine_transform(images[1], transforms[1], fill_mode="reflect")
    np.testing.assert_allclose(single.numpy(), eager[1], rtol=1e-6, atol=1e-6)
    first = tf.keras.ops.image.affine_transform(
        images.transpose(0, 3, 1, 2), transforms, fill_mode="reflect", data_format="channels_first"
    )
    np.testing.assert_allclose(first.numpy(), eager.transpose(0, 3, 1, 2), rtol=1e-6, atol=1e-6)
    integers = tf.keras.ops.image.affine_transform(images.astype("int32"), transforms, interpolation="nearest")
    assert integers.dtype == tf.int32
    with pytest.raises(ValueError, match="fill_mode.*Received: fill_mode=mirror"):
        tf.keras.ops.image.affine_transform(images, transforms, fill_mode="mirror")
    with pytest.raises(ValueError, match="interpolation.*Received: interpolation=bicubic"):
        tf.keras.ops.image.affine_transform(images, transforms, interpolation="bicubic")


def test_the_gradient_reaches_the_images():
    x = tf.Variable(RNG.random((2, 5, 5, 1)).astype("float32"))
    quarter_turn = np.array([[0, -1, 4, 1, 0, 0, 0, 0]] * 2, "float32")
    weights = np.arange(50, dtype="float32").reshape(2, 5, 5, 1)
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(tf.keras.ops.image.affine_transform(x, quarter_turn, "nearest") * weights)
    np.testing.assert_array_equal(tape.gradient(loss, x).numpy(), np.rot90(weights, k=-1, axes=(1, 2)))

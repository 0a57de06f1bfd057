"""tf.image.ssim_multiscale: TensorFlow 2.21's values (odd sizes, uint8, custom factors), its relation to
tf.image.ssim, a gradient, tf.function and errors."""

import numpy as np
import pytest

import ferroflow as tf


def pair(shape, seed=0):
    rng = np.random.default_rng(seed)
    a = rng.random(shape).astype(np.float32)
    return a, np.clip(a + rng.normal(0, 0.1, shape), 0, 1).astype(np.float32)


def test_matches_tensorflow():
    a, b = pair((2, 181, 199, 3))  # odd sizes: symmetric padding before halving
    # TensorFlow 2.21's values for these images.
    np.testing.assert_allclose(tf.image.ssim_multiscale(a, b, 1.0).numpy(), [0.9551044, 0.9530997], rtol=2e-5)
    got = tf.image.ssim_multiscale(a[0], b[0], 1.0, power_factors=(0.3, 0.7), filter_size=7, filter_sigma=1.0)
    np.testing.assert_allclose(got.numpy(), 0.94216967, rtol=2e-5)
    u, v = (a * 255).astype(np.uint8), (b * 255).astype(np.uint8)
    np.testing.assert_allclose(tf.image.ssim_multiscale(u, v, 255).numpy(), [0.95504886, 0.95312768], rtol=2e-5)
    got = tf.image.ssim_multiscale(a[:, :100, :100], b[:, :100, :100], 1.0, power_factors=(0.5, 0.5))
    np.testing.assert_allclose(got.numpy(), [0.94553518, 0.94623858], rtol=2e-5)


def test_one_scale_is_ssim_and_identical_images_give_one():
    a, b = pair((4, 32, 32, 3), seed=1)
    one = tf.image.ssim_multiscale(a, b, 1.0, power_factors=(1.0,))
    np.testing.assert_allclose(one.numpy(), tf.image.ssim(a, b, 1.0).numpy(), rtol=1e-5)
    np.testing.assert_allclose(tf.image.ssim_multiscale(a, a, 1.0, power_factors=(0.5, 0.5)).numpy(), 1.0, rtol=1e-5)


def test_gradient_and_graph():
    a, b = pair((2, 24, 24, 1), seed=2)
    factors = (0.4, 0.6)
    x = tf.constant(a)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(tf.image.ssim_multiscale(x, b, 1.0, power_factors=factors, filter_size=5))
    grad = tape.gradient(y, x).numpy()
    rng = np.random.default_rng(3)
    for _ in range(5):
        i = tuple(rng.integers(0, s) for s in a.shape)
        up, down = a.copy(), a.copy()
        up[i] += 1e-2
        down[i] -= 1e-2
        f = [
            float(tf.reduce_sum(tf.image.ssim_multiscale(t, b, 1.0, power_factors=factors, filter_size=5)))
            for t in (up, down)
        ]
        np.testing.assert_allclose(grad[i], (f[0] - f[1]) / 2e-2, rtol=2e-2, atol=2e-3)
    fn = tf.function(lambda p, q: tf.image.ssim_multiscale(p, q, 1.0, power_factors=factors, filter_size=5))
    np.testing.assert_allclose(
        fn(tf.constant(a), tf.constant(b)).numpy(),
        tf.image.ssim_multiscale(a, b, 1.0, power_factors=factors, filter_size=5).numpy(),
        rtol=1e-6,
    )


def test_too_small_images():
    a, b = pair((1, 100, 100, 3))
    with pytest.raises(tf.errors.InvalidArgumentError, match="smaller than the 11x11 filter"):
        tf.image.ssim_multiscale(a, b, 1.0)

"""tf.image pixel ops, random augmentations and measures: NumPy and colorsys references, golden values from
TensorFlow 2.21, TensorFlow's error types, seeded determinism, gradients against finite differences."""

import colorsys

import numpy as np
import pytest

import ferroflow as tf
from gradcheck import check_gradient
from test_image_ops import linear_gradient_check

RNG = np.random.default_rng(99)


def images(*shape, scale=1.0, dtype=np.float32):
    return (RNG.random(shape) * scale).astype(dtype)


# ------------------------------------------------------------------------------------ convert_image_dtype

INT32_MAX = 2**31 - 1


@pytest.mark.parametrize(
    "values,src,dst,saturate,want",
    [
        # Golden values from TensorFlow 2.21.
        ([0.5, 1.0, 0.0, 0.25], np.float32, tf.int32, False, [1073741824, 2147483520, 0, 536870912]),
        ([0.5, 1.2, -0.1, 1.0], np.float32, tf.int32, True, [1073741824, 2147483520, -214748368, 2147483520]),
        ([0, 7, INT32_MAX], np.int32, tf.float32, False, [0.0, 3.259629e-09, 1.0]),
        ([0, 7, INT32_MAX], np.int32, tf.int64, False, [0, 30064771072, 9223372032559808512]),
        ([0, 7, 2**63 - 1], np.int64, tf.int32, False, [0, 0, INT32_MAX]),
        ([0.25, 0.75], np.float32, tf.float64, False, [0.25, 0.75]),
    ],
)
def test_convert_image_dtype(values, src, dst, saturate, want):
    got = tf.image.convert_image_dtype(np.array(values, src), dst, saturate=saturate)
    assert got.dtype == dst
    np.testing.assert_allclose(got.numpy(), np.array(want, got.dtype.as_numpy_dtype), rtol=1e-6)


def test_convert_image_dtype_errors_and_identity():
    with pytest.raises(AttributeError, match="dtype must be either floating point or integer"):
        tf.image.convert_image_dtype(np.zeros((2, 1), np.float32), tf.bool)
    with pytest.raises(AttributeError, match="image dtype must be either floating point or integer"):
        tf.image.convert_image_dtype(np.zeros((2, 1), bool), tf.float32)
    x = images(3, 3, 1)
    np.testing.assert_array_equal(tf.image.convert_image_dtype(x, tf.float32).numpy(), x)


@pytest.mark.skipif(not hasattr(tf, "uint8"), reason="the core has no uint8 dtype yet")
def test_convert_image_dtype_uint8():
    # Golden values from TensorFlow 2.21.
    got = tf.image.convert_image_dtype(np.array([0.5, 1.2, -0.1, 1.0], np.float32), tf.uint8, saturate=True)
    assert got.dtype == tf.uint8
    np.testing.assert_array_equal(got.numpy(), [127, 255, 0, 255])
    back = tf.image.convert_image_dtype(tf.constant(np.array([0, 255, 51], np.uint8)), tf.float32)
    np.testing.assert_allclose(back.numpy(), [0.0, 1.0, 0.2], rtol=1e-6)
    down = tf.image.convert_image_dtype(np.array([0, INT32_MAX, 2**24], np.int32), tf.uint8)
    np.testing.assert_array_equal(down.numpy(), [0, 255, 2])
    up = tf.image.convert_image_dtype(tf.constant(np.array([0, 255, 7], np.uint8)), tf.int32)
    np.testing.assert_array_equal(up.numpy(), [0, 2139095040, 58720256])
    bright = tf.image.adjust_brightness(tf.constant(np.array([[[10, 250]]], np.uint8)), 0.1)
    assert bright.dtype == tf.uint8
    np.testing.assert_array_equal(bright.numpy(), [[[35, 255]]])


# ---------------------------------------------------------------------------------- brightness, contrast


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_brightness_contrast_gamma(dtype):
    x = images(2, 5, 6, 3, dtype=dtype)
    bright = tf.image.adjust_brightness(x, 0.3)
    assert bright.dtype == tf.as_dtype(dtype)
    np.testing.assert_allclose(bright.numpy(), x + 0.3, rtol=1e-6)
    mean = x.mean(axis=(1, 2), keepdims=True)
    contrast = tf.image.adjust_contrast(x, 1.8)
    assert contrast.dtype == tf.as_dtype(dtype)
    np.testing.assert_allclose(contrast.numpy(), (x - mean) * 1.8 + mean, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(tf.image.adjust_gamma(x, 2.2, 1.1).numpy(), 1.1 * x**2.2, rtol=1e-5, atol=1e-6)


def test_brightness_and_contrast_of_integer_images_saturate():
    x = np.array([[[100, INT32_MAX - 5]], [[3, 2**30]]], np.int32)
    bright = tf.image.adjust_brightness(x, 0.25)
    assert bright.dtype == tf.int32
    want = np.minimum(x / INT32_MAX + 0.25, 1.0) * (INT32_MAX + 0.5)
    np.testing.assert_allclose(bright.numpy(), want, rtol=1e-6)
    with pytest.raises(tf.errors.InvalidArgumentError, match="at least 3-D"):
        tf.image.adjust_contrast(np.zeros((4, 4), np.float32), 2.0)
    with pytest.raises(ValueError, match="Gamma should be a non-negative real number."):
        tf.image.adjust_gamma(x, -1.0)


def test_brightness_and_contrast_gradients():
    x = RNG.random((2, 3, 4, 3))
    linear_gradient_check(lambda v: tf.image.adjust_contrast(v, 1.7), x)
    linear_gradient_check(lambda v: tf.image.adjust_brightness(v, -0.2), x)


# --------------------------------------------------------------------------------------- HSV and grayscale


def colorsys_map(x, fn):
    flat = x.reshape(-1, 3).astype(np.float64)
    return np.array([fn(*p) for p in flat]).reshape(x.shape)


def test_rgb_hsv_round_trip_matches_colorsys():
    x = images(2, 4, 5, 3)
    hsv = tf.image.rgb_to_hsv(x)
    np.testing.assert_allclose(hsv.numpy(), colorsys_map(x, colorsys.rgb_to_hsv), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(tf.image.hsv_to_rgb(hsv).numpy(), x, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(tf.image.hsv_to_rgb(x).numpy(), colorsys_map(x, colorsys.hsv_to_rgb), atol=1e-6)


@pytest.mark.parametrize("factor", [0.3, 1.7])
def test_adjust_saturation(factor):
    x = images(2, 4, 5, 3)

    def change(r, g, b):
        h, s, v = colorsys.rgb_to_hsv(r, g, b)
        return colorsys.hsv_to_rgb(h, min(max(s * factor, 0.0), 1.0), v)

    np.testing.assert_allclose(tf.image.adjust_saturation(x, factor).numpy(), colorsys_map(x, change), atol=1e-5)


@pytest.mark.parametrize("delta", [0.37, -0.81, 1.0])
def test_adjust_hue(delta):
    x = images(3, 4, 2, 3)

    def change(r, g, b):
        h, s, v = colorsys.rgb_to_hsv(r, g, b)
        return colorsys.hsv_to_rgb((h + delta) % 1.0, s, v)

    np.testing.assert_allclose(tf.image.adjust_hue(x, delta).numpy(), colorsys_map(x, change), atol=1e-5)


def test_hsv_errors():
    with pytest.raises(tf.errors.InvalidArgumentError, match="3 channels but instead has 2"):
        tf.image.adjust_saturation(np.zeros((2, 2, 2), np.float32), 2.0)
    with pytest.raises(ValueError, match="delta must be in the interval \\[-1, 1\\]"):
        tf.image.adjust_hue(np.zeros((2, 2, 3), np.float32), 2.0)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_grayscale(dtype):
    x = images(2, 3, 4, 3, dtype=dtype)
    gray = tf.image.rgb_to_grayscale(x)
    assert gray.dtype == tf.as_dtype(dtype) and gray.shape == (2, 3, 4, 1)
    np.testing.assert_allclose(gray.numpy(), x @ np.array([[0.2989], [0.5870], [0.1140]]), rtol=1e-5)
    rgb = tf.image.grayscale_to_rgb(gray)
    np.testing.assert_array_equal(rgb.numpy(), np.repeat(gray.numpy(), 3, axis=-1))
    with pytest.raises(ValueError, match="Last dimension of a grayscale image should be size 1."):
        tf.image.grayscale_to_rgb(x)
    with pytest.raises(ValueError, match="must be at least two-dimensional"):
        tf.image.grayscale_to_rgb(np.zeros((1,), dtype))


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int32])
def test_per_image_standardization(dtype):
    x = images(2, 5, 4, 3, scale=255.0).astype(dtype)
    x[1] = 7  # constant image: the stddev floor 1 / sqrt(num_pixels) applies
    got = tf.image.per_image_standardization(x)
    assert got.dtype == tf.float32
    f = x.astype(np.float64)
    mean = f.mean(axis=(1, 2, 3), keepdims=True)
    std = np.maximum(f.std(axis=(1, 2, 3), keepdims=True), 1 / np.sqrt(60))
    np.testing.assert_allclose(got.numpy(), (f - mean) / std, rtol=1e-4, atol=1e-5)
    with pytest.raises(ValueError, match="must be at least three-dimensional"):
        tf.image.per_image_standardization(np.zeros((4, 4), dtype))


# ------------------------------------------------------------------------------------- random augmentation


def test_random_flips_flip_whole_images_and_follow_seeds():
    x = images(64, 3, 4, 2)
    tf.random.set_seed(5)
    first = [tf.image.random_flip_left_right(x, seed=3).numpy() for _ in range(2)]
    tf.random.set_seed(5)
    again = [tf.image.random_flip_left_right(x, seed=3).numpy() for _ in range(2)]
    np.testing.assert_array_equal(first[0], again[0])
    np.testing.assert_array_equal(first[1], again[1])
    flipped = np.array([np.array_equal(o, np.flip(i, 1)) for o, i in zip(first[0], x)])
    kept = np.array([np.array_equal(o, i) for o, i in zip(first[0], x)])
    assert np.all(flipped ^ kept) and 10 < flipped.sum() < 54
    single = tf.image.random_flip_up_down(x[0], seed=1).numpy()
    assert np.array_equal(single, x[0]) or np.array_equal(single, np.flip(x[0], 0))
    a = tf.image.stateless_random_flip_up_down(x, seed=[1, 2]).numpy()
    np.testing.assert_array_equal(a, tf.image.stateless_random_flip_up_down(x, seed=[1, 2]).numpy())


def test_random_flip_in_function_with_unknown_batch():
    x = images(16, 3, 4, 2)
    spec = tf.TensorSpec([None, 3, 4, 2], tf.float32)
    out = tf.function(lambda v: tf.image.random_flip_up_down(v, seed=4), input_signature=[spec])(x).numpy()
    for o, i in zip(out, x):
        assert np.array_equal(o, i) or np.array_equal(o, np.flip(i, 0))


def test_random_crop_is_a_window_and_seeded():
    x = np.arange(2 * 9 * 8 * 3, dtype=np.float32).reshape(2, 9, 8, 3)
    tf.random.set_seed(11)
    crops = [tf.image.random_crop(x, [2, 4, 5, 3], seed=2).numpy() for _ in range(6)]
    tf.random.set_seed(11)
    np.testing.assert_array_equal(crops[0], tf.image.random_crop(x, [2, 4, 5, 3], seed=2).numpy())
    corners = set()
    for c in crops:
        top, left = np.argwhere(x[0, :, :, 0] == c[0, 0, 0, 0])[0]
        np.testing.assert_array_equal(c, x[:, top : top + 4, left : left + 5])
        corners.add((top, left))
    assert len(corners) > 1
    s = tf.image.stateless_random_crop(x, [1, 9, 3, 2], seed=[3, 4]).numpy()
    np.testing.assert_array_equal(s, tf.image.stateless_random_crop(x, [1, 9, 3, 2], seed=[3, 4]).numpy())
    with pytest.raises(tf.errors.InvalidArgumentError, match="Need value.shape >= size"):
        tf.image.random_crop(x, [3, 4, 5, 3])


def test_random_colour_ops_stay_in_range_and_check_arguments():
    x = images(2, 4, 4, 3)
    tf.random.set_seed(0)
    b = tf.image.random_brightness(x, 0.2, seed=1).numpy()
    delta = b - x
    assert np.allclose(delta, delta.flat[0], atol=1e-6) and abs(delta.flat[0]) <= 0.2
    c = tf.image.random_contrast(x, 0.5, 1.5, seed=1).numpy()
    mean = x.mean(axis=(1, 2), keepdims=True)
    factor = ((c - mean) / (x - mean)).ravel()
    assert np.allclose(factor, factor[0], rtol=1e-3) and 0.5 <= factor[0] < 1.5
    s1 = tf.image.stateless_random_contrast(x, 0.2, 0.9, seed=[1, 2]).numpy()
    np.testing.assert_array_equal(s1, tf.image.stateless_random_contrast(x, 0.2, 0.9, seed=[1, 2]).numpy())
    assert tf.image.random_hue(x, 0.3, seed=2).shape == x.shape
    assert tf.image.random_saturation(x, 0.3, 1.2, seed=2).shape == x.shape
    with pytest.raises(ValueError, match="max_delta must be non-negative."):
        tf.image.random_brightness(x, -1.0)
    with pytest.raises(ValueError, match="upper must be > lower."):
        tf.image.random_contrast(x, 0.5, 0.2)
    with pytest.raises(ValueError, match="lower must be non-negative."):
        tf.image.random_saturation(x, -0.5, 0.2)
    with pytest.raises(ValueError, match="max_delta must be <= 0.5."):
        tf.image.random_hue(x, 0.7)


# --------------------------------------------------------------------------------------------- measures


def test_image_gradients_and_total_variation():
    x = images(2, 4, 5, 3, dtype=np.float64)
    dy, dx = tf.image.image_gradients(x)
    want_dy = np.concatenate([x[:, 1:] - x[:, :-1], np.zeros((2, 1, 5, 3))], 1)
    want_dx = np.concatenate([x[:, :, 1:] - x[:, :, :-1], np.zeros((2, 4, 1, 3))], 2)
    np.testing.assert_allclose(dy.numpy(), want_dy)
    np.testing.assert_allclose(dx.numpy(), want_dx)
    tv = np.abs(x[:, 1:] - x[:, :-1]).sum((1, 2, 3)) + np.abs(x[:, :, 1:] - x[:, :, :-1]).sum((1, 2, 3))
    np.testing.assert_allclose(tf.image.total_variation(x).numpy(), tv)
    np.testing.assert_allclose(tf.image.total_variation(x[1]).numpy(), tv[1])
    with pytest.raises(ValueError, match="image_gradients expects a 4D tensor"):
        tf.image.image_gradients(x[0])
    with pytest.raises(ValueError, match="'images' must be either 3 or 4-dimensional."):
        tf.image.total_variation(x[0, 0])
    check_gradient(lambda v: tf.image.total_variation(v), x)
    check_gradient(lambda v: tf.image.image_gradients(v)[1] * 2 + tf.image.image_gradients(v)[0], x)
    spec = tf.TensorSpec([None, 4, 5, 3], tf.float64)
    traced = tf.function(lambda v: tf.image.image_gradients(v)[0], input_signature=[spec])(x)
    np.testing.assert_allclose(traced.numpy(), want_dy)


def ssim_inputs():
    r = np.random.default_rng(7)
    a = r.random((2, 16, 18, 3)).astype(np.float32)
    return a, np.clip(a + r.normal(0, 0.1, a.shape).astype(np.float32), 0, 1)


def test_psnr_and_ssim_match_tensorflow():
    a, b = ssim_inputs()
    # Golden values from TensorFlow 2.21.
    np.testing.assert_allclose(tf.image.psnr(a, b, 1.0).numpy(), [20.427519, 20.484129], rtol=1e-5)
    np.testing.assert_allclose(tf.image.ssim(a, b, 1.0).numpy(), [0.9381273, 0.9449346], rtol=1e-5)
    got = tf.image.ssim(a, b, 1.0, filter_size=7, filter_sigma=1.0, k1=0.02)
    np.testing.assert_allclose(got.numpy(), [0.9377353, 0.939215], rtol=1e-5)
    mse = ((a.astype(np.float64) - b) ** 2).mean((1, 2, 3))
    np.testing.assert_allclose(tf.image.psnr(a, b, 1.0).numpy(), 10 * np.log10(1 / mse), rtol=1e-5)
    np.testing.assert_allclose(tf.image.ssim(a, a, 1.0).numpy(), [1.0, 1.0], rtol=1e-6)
    index_map = tf.image.ssim(a, b, 1.0, filter_size=5, return_index_map=True)
    assert index_map.shape == (2, 12, 14)
    np.testing.assert_allclose(
        index_map.numpy().mean((1, 2)), tf.image.ssim(a, b, 1.0, filter_size=5).numpy(), rtol=1e-5
    )


def test_ssim_errors_and_gradient():
    a, b = ssim_inputs()
    with pytest.raises(tf.errors.InvalidArgumentError):
        tf.image.ssim(a[:, :4, :4], b[:, :4, :4], 1.0)
    with pytest.raises(tf.errors.InvalidArgumentError):
        tf.image.psnr(a, b[:, :, :5], 1.0)
    x, y = a[:1, :7, :6, :2].astype(np.float64), b[:1, :7, :6, :2].astype(np.float64)
    linear_gradient_check(lambda v: tf.image.ssim(v, y, 1.0, filter_size=3) * 100.0, x, rtol=2e-2, atol=2e-3)


def test_dir_lists_only_the_public_api():
    names = dir(tf.image)
    assert "resize" in names and "ssim" in names and "ResizeMethod" in names
    assert not any(n.startswith("_") or n in ("np", "Any", "annotations") for n in names)

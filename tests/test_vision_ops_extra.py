"""``tf.nn.local_response_normalization``, ``depth_to_space``, ``space_to_depth`` and
``tf.image.extract_patches`` against NumPy references written from TensorFlow's definitions."""

import numpy as np
import pytest

import ferroflow as tf
from gradcheck import check_gradient

RNG = np.random.default_rng(7)


def np_lrn(x, depth_radius=5, bias=1.0, alpha=1.0, beta=0.5):
    out = np.empty_like(x)
    channels = x.shape[-1]
    for d in range(channels):
        lo, hi = max(d - depth_radius, 0), min(d + depth_radius + 1, channels)
        sqr_sum = np.sum(x[..., lo:hi] ** 2, axis=-1)
        out[..., d] = x[..., d] / (bias + alpha * sqr_sum) ** beta
    return out


def np_depth_to_space(x, k):
    n, h, w, c = x.shape
    out = np.empty((n, h * k, w * k, c // (k * k)), x.dtype)
    for i in range(h * k):
        for j in range(w * k):
            start = ((i % k) * k + j % k) * out.shape[-1]
            out[:, i, j] = x[:, i // k, j // k, start : start + out.shape[-1]]
    return out


def np_extract_patches(x, sizes, strides, rates, padding):
    n, h, w, c = x.shape
    (kr, kc), (sr, sc), (rr, rc) = sizes, strides, rates
    span_r, span_c = (kr - 1) * rr + 1, (kc - 1) * rc + 1
    if padding == "SAME":
        out_r, out_c = -(-h // sr), -(-w // sc)
        top = max((out_r - 1) * sr + span_r - h, 0) // 2
        left = max((out_c - 1) * sc + span_c - w, 0) // 2
    else:
        out_r, out_c, top, left = (h - span_r) // sr + 1, (w - span_c) // sc + 1, 0, 0
    out = np.zeros((n, out_r, out_c, kr * kc * c), x.dtype)
    for r in range(out_r):
        for q in range(out_c):
            for i in range(kr):
                for j in range(kc):
                    y, z = r * sr + i * rr - top, q * sc + j * rc - left
                    if 0 <= y < h and 0 <= z < w:
                        out[:, r, q, (i * kc + j) * c : (i * kc + j + 1) * c] = x[:, y, z]
    return out


@pytest.mark.parametrize(
    "shape, args",
    [
        ((2, 3, 4, 7), {}),
        ((1, 4, 5, 12), dict(depth_radius=2, bias=1.5, alpha=0.3, beta=0.75)),
        ((2, 2, 2, 3), dict(depth_radius=0)),
    ],
)
def test_local_response_normalization(shape, args):
    x = RNG.standard_normal(shape)
    np.testing.assert_allclose(tf.nn.local_response_normalization(x, **args).numpy(), np_lrn(x, **args), rtol=1e-12)
    assert tf.nn.lrn is tf.nn.local_response_normalization
    got32 = tf.nn.lrn(x.astype(np.float32), **args)
    assert got32.dtype == tf.float32
    np.testing.assert_allclose(got32.numpy(), np_lrn(x, **args), rtol=1e-5, atol=1e-6)
    check_gradient(lambda a: tf.nn.lrn(a, **args), x[:, :2, :2], wrt=0)


def test_lrn_on_realistic_feature_maps():
    x = RNG.standard_normal((8, 13, 13, 96)).astype(np.float32)
    got = tf.nn.local_response_normalization(x, depth_radius=2, bias=2.0, alpha=1e-4, beta=0.75)
    np.testing.assert_allclose(got.numpy(), np_lrn(x.astype(np.float64), 2, 2.0, 1e-4, 0.75), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("shape, k", [((2, 3, 4, 12), 2), ((1, 2, 3, 18), 3), ((2, 1, 1, 4), 2)])
def test_depth_to_space_and_space_to_depth(shape, k):
    x = RNG.standard_normal(shape)
    up = tf.nn.depth_to_space(x, k)
    np.testing.assert_array_equal(up.numpy(), np_depth_to_space(x, k))
    np.testing.assert_array_equal(tf.nn.space_to_depth(up, k).numpy(), x)  # the exact inverse
    ints = np.arange(np.prod(shape), dtype=np.int32).reshape(shape)  # any dtype: only moves elements
    np.testing.assert_array_equal(tf.nn.depth_to_space(ints, k).numpy(), np_depth_to_space(ints, k))
    first = tf.nn.depth_to_space(np.moveaxis(x, -1, 1), k, data_format="NCHW")
    np.testing.assert_array_equal(np.moveaxis(first.numpy(), 1, -1), np_depth_to_space(x, k))
    np.testing.assert_array_equal(tf.compat.v1.depth_to_space(x, k, None, "NHWC").numpy(), up.numpy())
    np.testing.assert_array_equal(tf.compat.v1.space_to_depth(up, k).numpy(), x)
    check_gradient(lambda a: tf.nn.depth_to_space(a, k), x, wrt=0)
    check_gradient(lambda a: tf.nn.space_to_depth(a, k), up.numpy(), wrt=0)


def test_space_to_depth_in_a_model_with_an_unknown_batch():
    inputs = tf.keras.Input((4, 6, 3))
    outputs = tf.keras.layers.Lambda(lambda t: tf.nn.depth_to_space(tf.nn.space_to_depth(t, 2), 2))(inputs)
    model = tf.keras.Model(inputs, outputs)
    x = RNG.standard_normal((5, 4, 6, 3)).astype(np.float32)
    np.testing.assert_array_equal(model.predict(x, verbose=0), x)


PATCH_CASES = [
    ((2, 7, 8, 3), (3, 2), (2, 3), (2, 1), "SAME"),
    ((2, 7, 8, 3), (2, 3), (1, 2), (1, 2), "VALID"),
    ((1, 5, 5, 2), (3, 3), (1, 1), (1, 1), "SAME"),
    ((1, 6, 6, 1), (2, 2), (2, 2), (1, 1), "VALID"),
]


@pytest.mark.parametrize("shape, sizes, strides, rates, padding", PATCH_CASES)
def test_extract_patches(shape, sizes, strides, rates, padding):
    x = RNG.standard_normal(shape)
    args = ([1, *sizes, 1], [1, *strides, 1], [1, *rates, 1], padding)
    got = tf.image.extract_patches(x, *args)
    np.testing.assert_array_equal(got.numpy(), np_extract_patches(x, sizes, strides, rates, padding))
    old = tf.compat.v1.extract_image_patches(x, ksizes=args[0], strides=args[1], rates=args[2], padding=padding)
    np.testing.assert_array_equal(old.numpy(), got.numpy())
    check_gradient(lambda a: tf.image.extract_patches(a, *args), x[:1], wrt=0)


def test_extract_patches_on_a_realistic_batch_and_in_a_function():
    x = RNG.integers(0, 255, (4, 32, 32, 3)).astype(np.uint8)
    fn = tf.function(lambda a: tf.image.extract_patches(a, [1, 4, 4, 1], [1, 4, 4, 1], [1, 1, 1, 1], "VALID"))
    got = fn(x)
    assert got.dtype == tf.uint8 and got.shape == (4, 8, 8, 48)
    want = x.reshape(4, 8, 4, 8, 4, 3).transpose(0, 1, 3, 2, 4, 5).reshape(4, 8, 8, 48)  # non-overlapping tiles
    np.testing.assert_array_equal(got.numpy(), want)


def test_bad_input_gets_clear_errors():
    with pytest.raises(
        tf.errors.InvalidArgumentError, match="depth 3 must be divisible by block_size \\* block_size = 4"
    ):
        tf.nn.depth_to_space(np.zeros((1, 4, 4, 3)), 2)
    with pytest.raises(tf.errors.InvalidArgumentError, match="block_size must be at least 2, received 1"):
        tf.nn.depth_to_space(np.zeros((1, 4, 4, 4)), 1)
    with pytest.raises(tf.errors.InvalidArgumentError, match="expects a 4-D input, received rank 3"):
        tf.nn.space_to_depth(np.zeros((4, 4, 4)), 2)
    with pytest.raises(tf.errors.InvalidArgumentError, match="height 5 and width 4 must be divisible by block_size 2"):
        tf.nn.space_to_depth(np.zeros((1, 5, 4, 4)), 2)
    with pytest.raises(ValueError, match="data_format must be 'NHWC' or 'NCHW'"):
        tf.nn.space_to_depth(np.zeros((1, 4, 4, 4)), 2, data_format="NDHWC")
    with pytest.raises(tf.errors.InvalidArgumentError, match="expects a 4-D input, received rank 3"):
        tf.nn.lrn(np.zeros((4, 4, 4)))
    with pytest.raises(TypeError, match="floating-point"):
        tf.nn.lrn(np.zeros((1, 4, 4, 4), np.int32))
    with pytest.raises(tf.errors.InvalidArgumentError, match="4-D images .* received rank 3"):
        tf.image.extract_patches(np.zeros((4, 4, 4)), [1, 2, 2, 1], [1, 1, 1, 1], [1, 1, 1, 1], "VALID")
    with pytest.raises(
        tf.errors.InvalidArgumentError, match=r"sizes must have 4 elements \[1, rows, cols, 1\], received \[1, 2, 2\]"
    ):
        tf.image.extract_patches(np.zeros((1, 4, 4, 4)), [1, 2, 2], [1, 1, 1, 1], [1, 1, 1, 1], "VALID")
    with pytest.raises(tf.errors.InvalidArgumentError, match="only supports sizes across space"):
        tf.image.extract_patches(np.zeros((1, 4, 4, 4)), [2, 2, 2, 1], [1, 1, 1, 1], [1, 1, 1, 1], "VALID")
    with pytest.raises(ValueError, match="padding must be 'VALID' or 'SAME'"):
        tf.image.extract_patches(np.zeros((1, 4, 4, 4)), [1, 2, 2, 1], [1, 1, 1, 1], [1, 1, 1, 1], "FULL")

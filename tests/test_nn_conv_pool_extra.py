"""tf.nn atrous/transposed/depthwise-gradient convolutions, tf.conv2d_backprop_*_v2, max_pool_with_argmax,
dilation2d/erosion2d and isotonic_regression: NumPy references, adjoint identities, TensorFlow 2.21 outputs
(pasted), float64 finite differences, tf.function, errors."""

import numpy as np
import pytest

import ferroflow as tf
from gradcheck import check_gradient

RNG = np.random.default_rng(0)


def _conv_ref(x, f, rate=1):
    """NumPy 'VALID' dilated convolution, stride 1, NHWC."""
    kh, kw, _, out = f.shape
    eh, ew = (kh - 1) * rate + 1, (kw - 1) * rate + 1
    n, h, w, _ = x.shape
    y = np.zeros((n, h - eh + 1, w - ew + 1, out))
    for i in range(kh):
        for j in range(kw):
            y += np.einsum(
                "nhwc,co->nhwo", x[:, i * rate : i * rate + h - eh + 1, j * rate : j * rate + w - ew + 1], f[i, j]
            )
    return y


def test_atrous_conv2d_is_a_dilated_convolution():
    x, f = RNG.standard_normal((2, 12, 11, 3)), RNG.standard_normal((3, 3, 3, 4))
    np.testing.assert_allclose(tf.nn.atrous_conv2d(x, f, 2, "VALID").numpy(), _conv_ref(x, f, 2), rtol=1e-10)
    same = tf.nn.atrous_conv2d(x, f, 3, "SAME").numpy()
    padded = np.pad(x, [(0, 0), (3, 3), (3, 3), (0, 0)])
    np.testing.assert_allclose(same, _conv_ref(padded, f, 3), rtol=1e-10)
    check_gradient(lambda a, b: tf.nn.atrous_conv2d(a, b, 2, "SAME"), x[:1, :7, :6], f, wrt=1)
    with pytest.raises(ValueError, match="cannot be less than one"):
        tf.nn.atrous_conv2d(x, f, 0, "SAME")


@pytest.mark.parametrize("padding", ["SAME", "VALID"])
def test_transposes_are_adjoint_to_their_convolutions(padding):
    x, f = RNG.standard_normal((2, 9, 8, 3)), RNG.standard_normal((3, 3, 3, 4))
    y = tf.nn.atrous_conv2d(x, f, 2, padding).numpy()
    dy = RNG.standard_normal(y.shape)
    back = tf.nn.atrous_conv2d_transpose(dy, f, x.shape, 2, padding).numpy()
    np.testing.assert_allclose(np.sum(y * dy), np.sum(x * back), rtol=1e-10)
    # conv1d_transpose / conv_transpose against conv1d
    x1, f1 = RNG.standard_normal((2, 10, 3)), RNG.standard_normal((3, 3, 5))
    y1 = tf.nn.conv1d(x1, f1, 2, padding).numpy()
    dy1 = RNG.standard_normal(y1.shape)
    for back1 in (
        tf.nn.conv1d_transpose(dy1, f1, x1.shape, 2, padding),
        tf.nn.conv_transpose(dy1, f1, x1.shape, 2, padding),
    ):
        np.testing.assert_allclose(np.sum(y1 * dy1), np.sum(x1 * back1.numpy()), rtol=1e-10)
    ncw = tf.nn.conv1d_transpose(dy1.transpose(0, 2, 1), f1, [2, 3, 10], 2, padding, data_format="NCW")
    np.testing.assert_allclose(ncw.numpy().transpose(0, 2, 1), back1.numpy(), rtol=1e-10)


def test_atrous_transpose_errors():
    with pytest.raises(ValueError, match="channel count"):
        tf.nn.atrous_conv2d_transpose(np.zeros((1, 4, 4, 3)), np.zeros((3, 3, 2, 4)), [1, 4, 4, 2], 2, "SAME")
    with pytest.raises(ValueError, match="cannot be less than one"):
        tf.nn.atrous_conv2d_transpose(np.zeros((1, 4, 4, 4)), np.zeros((3, 3, 2, 4)), [1, 4, 4, 2], 0, "SAME")


@pytest.mark.parametrize("stride, padding", [(1, "SAME"), (2, "SAME"), (2, "VALID")])
def test_backprop_ops_equal_the_tape_gradients(stride, padding):
    x, f = RNG.standard_normal((2, 9, 10, 3)), RNG.standard_normal((3, 3, 3, 4))
    fd = RNG.standard_normal((3, 3, 3, 2))
    xt, ft, fdt = tf.constant(x), tf.constant(f), tf.constant(fd)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([xt, ft, fdt])
        y = tf.nn.conv2d(xt, ft, stride, padding)
        z = tf.nn.depthwise_conv2d(xt, fdt, [1, stride, stride, 1], padding)
        dy, dz = RNG.standard_normal(y.shape), RNG.standard_normal(z.shape)
        s, t = tf.reduce_sum(y * dy), tf.reduce_sum(z * dz)
    gx, gf = tape.gradient(s, [xt, ft])
    hx, hf = tape.gradient(t, [xt, fdt])
    strides4 = [1, stride, stride, 1]
    np.testing.assert_allclose(tf.conv2d_backprop_input_v2(x, f, dy, strides4, padding).numpy(), gx.numpy(), rtol=1e-12)
    np.testing.assert_allclose(
        tf.conv2d_backprop_filter_v2(x, f, dy, strides4, padding).numpy(), gf.numpy(), rtol=1e-12
    )
    got = tf.nn.depthwise_conv2d_backprop_input([2, 9, 10, 3], fd, dz, strides4, padding)
    np.testing.assert_allclose(got.numpy(), hx.numpy(), rtol=1e-12)
    got = tf.nn.depthwise_conv2d_backprop_filter(x, [3, 3, 3, 2], dz, strides4, padding)
    np.testing.assert_allclose(got.numpy(), hf.numpy(), rtol=1e-12)
    nchw = tf.conv2d_backprop_input_v2(
        x.transpose(0, 3, 1, 2),
        f,
        dy.transpose(0, 3, 1, 2),
        strides4[:1] + strides4[3:] + strides4[1:3],
        padding,
        "NCHW",
    )
    np.testing.assert_allclose(nchw.numpy().transpose(0, 2, 3, 1), gx.numpy(), rtol=1e-12)


X = np.round(np.random.default_rng(7).standard_normal((2, 5, 6, 2)), 1).astype(np.float32)
F = np.round(np.random.default_rng(8).standard_normal((2, 3, 2)), 1).astype(np.float32)


def test_max_pool_with_argmax_matches_tensorflow():
    out, argmax = tf.nn.max_pool_with_argmax(X, 3, 2, "SAME")
    # TensorFlow 2.21, first image
    assert argmax.numpy().tolist()[0] == [
        [[12, 15], [6, 7], [10, 11]],
        [[24, 37], [44, 29], [44, 23]],
        [[50, 49], [44, 55], [44, 57]],
    ]
    assert argmax.dtype == tf.int64
    np.testing.assert_array_equal(out.numpy(), tf.nn.max_pool2d(X, 3, 2, "SAME").numpy())
    for b in range(2):  # indices within each image
        np.testing.assert_array_equal(X[b].reshape(-1)[argmax.numpy()[b]], out.numpy()[b])
    _, argmax = tf.nn.max_pool_with_argmax(
        X, [2, 3], [1, 2], "VALID", output_dtype=tf.int32, include_batch_in_index=True
    )
    assert argmax.dtype == tf.int32
    assert argmax.numpy().tolist()[1] == [
        [[74, 75], [66, 79]],
        [[74, 75], [88, 79]],
        [[88, 89], [88, 103]],
        [[110, 111], [116, 103]],
    ]
    np.testing.assert_array_equal(X.reshape(-1)[argmax.numpy()], tf.nn.max_pool2d(X, [2, 3], [1, 2], "VALID").numpy())
    f = tf.function(lambda t: tf.nn.max_pool_with_argmax(t, 2, 2, "SAME", include_batch_in_index=True).argmax)
    big = RNG.standard_normal((32, 28, 28, 16)).astype(np.float32)
    idx = f(big).numpy()
    np.testing.assert_array_equal(big.reshape(-1)[idx], tf.nn.max_pool2d(big, 2, 2, "SAME").numpy())
    with pytest.raises(ValueError, match="NHWC"):
        tf.nn.max_pool_with_argmax(X, 2, 2, "SAME", data_format="NCHW")


def test_dilation_and_erosion_match_tensorflow():
    d = tf.nn.dilation2d(X, F, [1, 1, 2, 1], "SAME", "NHWC", [1, 2, 1, 1])
    assert d.shape == (2, 5, 3, 2)
    # TensorFlow 2.21, first row of the first image
    np.testing.assert_allclose(d.numpy()[0, 0], [[1.0, 2.1], [-0.9, 0.4], [-0.3, 1.7]], rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(d.numpy()[1, 4], [[-2.6, -1.0], [-1.2, 1.8], [-1.2, 0.1]], rtol=1e-6, atol=1e-6)
    e = tf.nn.erosion2d(X, F, [1, 1, 2, 1], "SAME", "NHWC", [1, 2, 1, 1])
    np.testing.assert_allclose(e.numpy()[0, 0], [[0.4, -0.7], [-0.5, -0.9], [0.1, 0.0]], rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(e.numpy()[1, 4], [[-2.7, -3.4], [-1.1, -1.5], [-1.6, -0.9]], rtol=1e-6, atol=1e-6)
    # NumPy: VALID, stride 1
    x, f = RNG.standard_normal((2, 6, 7, 3)), RNG.standard_normal((2, 3, 3))
    want = np.full((2, 5, 5, 3), -np.inf)
    for i in range(2):
        for j in range(3):
            want = np.maximum(want, x[:, i : i + 5, j : j + 5] + f[i, j])
    got = tf.function(lambda a, b: tf.nn.dilation2d(a, b, [1, 1, 1, 1], "VALID", "NHWC", [1, 1, 1, 1]))(x, f)
    np.testing.assert_allclose(got.numpy(), want, rtol=1e-12)
    dil = lambda a, b: tf.nn.dilation2d(a, b, [1, 1, 1, 1], "SAME", "NHWC", [1, 1, 1, 1])  # noqa: E731
    check_gradient(dil, x[:1, :4, :4], f, wrt=0)
    check_gradient(dil, x[:1, :4, :4], f, wrt=1)
    with pytest.raises(ValueError, match="NHWC"):
        tf.nn.dilation2d(X, F, [1, 1, 1, 1], "SAME", "NCHW", [1, 1, 1, 1])


def test_isotonic_regression_matches_tensorflow():
    rows = [[1.0, 3.0, 2.0, 4.0, 0.5], [5.0, 4.0, 6.0, 1.0, 1.0]]
    out, seg = tf.nn.isotonic_regression(rows)
    np.testing.assert_allclose(out.numpy(), [[2.5, 2.5, 2.5, 2.5, 0.5], [5, 5, 5, 1, 1]])
    np.testing.assert_array_equal(seg.numpy(), [[0, 0, 0, 0, 1], [0, 1, 1, 2, 3]])
    out, seg = tf.nn.isotonic_regression(rows, decreasing=False)
    np.testing.assert_allclose(out.numpy(), [[1, 2.375, 2.375, 2.375, 2.375], [3.4] * 5])
    np.testing.assert_array_equal(seg.numpy(), [[0, 1, 1, 1, 1], [0, 0, 0, 0, 0]])
    out, seg = tf.nn.isotonic_regression(tf.constant([[1.0, 3.0], [2.0, 4.0], [0.5, 5.0]], tf.float64), axis=0)
    np.testing.assert_allclose(out.numpy(), [[1.5, 4.0], [1.5, 4.0], [0.5, 4.0]])
    np.testing.assert_array_equal(seg.numpy(), [[0, 0], [0, 0], [1, 0]])
    ints = tf.nn.isotonic_regression([[1, 3, 2]])
    assert ints.output.dtype == tf.float64 and ints.segments.dtype == tf.int32
    x = tf.constant([[1.0, 3.0, 2.0, 4.0, 0.5]])
    with tf.GradientTape() as tape:
        tape.watch(x)
        s = tf.reduce_sum(tf.nn.isotonic_regression(x)[0] * [1.0, 2.0, 3.0, 4.0, 5.0])
    np.testing.assert_allclose(tape.gradient(s, x).numpy(), [[2.5, 2.5, 2.5, 2.5, 5.0]])  # TensorFlow 2.21
    data = RNG.standard_normal((32, 50))
    fitted = tf.nn.isotonic_regression(data).output.numpy()
    assert np.all(np.diff(fitted, axis=1) <= 1e-12)
    # the projection: no non-increasing sequence is closer (a perturbed fit is never better)
    for _ in range(20):
        other = np.sort(fitted + 0.01 * RNG.standard_normal(fitted.shape), axis=1)[:, ::-1]
        assert np.all(((other - data) ** 2).sum(1) >= ((fitted - data) ** 2).sum(1) - 1e-12)

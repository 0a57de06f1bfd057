"""``tf.nn`` convolutions and pooling against NumPy references, gradients against finite differences."""

import numpy as np
import pytest

import ferroflow as tf
from gradcheck import check_gradient

RNG = np.random.default_rng(0)


def same_pads(size, kernel, stride, dilation):
    out = -(-size // stride)
    total = max((out - 1) * stride + (kernel - 1) * dilation + 1 - size, 0)
    return (total // 2, total - total // 2)


def np_conv2d(x, f, strides=(1, 1), dilations=(1, 1), padding="VALID"):
    """NHWC convolution by its definition: a sum over taps of shifted, strided slices times the filter."""
    n, h, w, c = x.shape
    kh, kw, cin, cout = f.shape
    groups, cpg = c // cin, cout // (c // cin)
    if padding == "SAME":
        pads = [same_pads(h, kh, strides[0], dilations[0]), same_pads(w, kw, strides[1], dilations[1])]
    elif padding == "VALID":
        pads = [(0, 0), (0, 0)]
    else:
        pads = padding
    xp = np.pad(x, [(0, 0), pads[0], pads[1], (0, 0)])
    oh = (xp.shape[1] - (kh - 1) * dilations[0] - 1) // strides[0] + 1
    ow = (xp.shape[2] - (kw - 1) * dilations[1] - 1) // strides[1] + 1
    out = np.zeros((n, oh, ow, cout), dtype=np.float64)
    for g in range(groups):
        for ky in range(kh):
            for kx in range(kw):
                y0, x0 = ky * dilations[0], kx * dilations[1]
                rows = slice(y0, y0 + (oh - 1) * strides[0] + 1, strides[0])
                cols = slice(x0, x0 + (ow - 1) * strides[1] + 1, strides[1])
                patch = xp[:, rows, cols, g * cin : (g + 1) * cin]
                out[..., g * cpg : (g + 1) * cpg] += patch @ f[ky, kx, :, g * cpg : (g + 1) * cpg]
    return out


def np_pool(x, size, strides, padding, kind):
    n, h, w, c = x.shape
    if padding == "SAME":
        pads = [same_pads(h, size[0], strides[0], 1), same_pads(w, size[1], strides[1], 1)]
    else:
        pads = [(0, 0), (0, 0)]
    oh = (h + sum(pads[0]) - size[0]) // strides[0] + 1
    ow = (w + sum(pads[1]) - size[1]) // strides[1] + 1
    out = np.zeros((n, oh, ow, c))
    for oy in range(oh):
        for ox in range(ow):
            y0, x0 = oy * strides[0] - pads[0][0], ox * strides[1] - pads[1][0]
            window = x[:, max(y0, 0) : y0 + size[0], max(x0, 0) : x0 + size[1]]
            out[:, oy, ox] = window.max(axis=(1, 2)) if kind == "max" else window.mean(axis=(1, 2))
    return out


CONV_CASES = [
    # (input shape, filter shape, strides, dilations, padding)
    ((2, 7, 7, 3), (3, 3, 3, 4), (1, 1), (1, 1), "VALID"),
    ((2, 7, 6, 2), (3, 3, 2, 5), (2, 2), (1, 1), "SAME"),
    ((1, 9, 8, 3), (3, 2, 3, 2), (1, 1), (2, 2), "SAME"),
    ((2, 6, 5, 2), (2, 3, 2, 3), (1, 2), (1, 1), [(2, 1), (0, 3)]),
    ((2, 6, 6, 4), (3, 3, 2, 6), (1, 1), (1, 1), "SAME"),  # 2 groups
    ((1, 5, 5, 3), (1, 1, 3, 4), (1, 1), (1, 1), "VALID"),
]


def tf_padding(padding):
    return padding if isinstance(padding, str) else [[0, 0], list(padding[0]), list(padding[1]), [0, 0]]


@pytest.mark.parametrize("xs, fs, strides, dilations, padding", CONV_CASES)
def test_conv2d_matches_the_definition(xs, fs, strides, dilations, padding):
    x, f = RNG.standard_normal(xs), RNG.standard_normal(fs)
    want = np_conv2d(x, f, strides, dilations, padding)
    got = tf.nn.conv2d(x, f, strides=strides, padding=tf_padding(padding), dilations=dilations)
    np.testing.assert_allclose(got.numpy(), want, rtol=1e-10, atol=1e-10)
    traced = tf.function(lambda a, b: tf.nn.conv2d(a, b, strides, tf_padding(padding), dilations=dilations))
    got32 = traced(x.astype("float32"), f.astype("float32"))
    assert got32.dtype == tf.float32
    np.testing.assert_allclose(got32.numpy(), want, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("xs, fs, strides, dilations, padding", CONV_CASES)
def test_conv2d_gradients_match_finite_differences(xs, fs, strides, dilations, padding):
    x, f = RNG.standard_normal(xs), RNG.standard_normal(fs)

    def conv(a, b):
        return tf.nn.conv2d(a, b, strides=strides, padding=tf_padding(padding), dilations=dilations)

    check_gradient(conv, x, f, wrt=0)
    check_gradient(conv, x, f, wrt=1)


def test_the_convnet_shapes_take_the_parallel_paths_and_match():
    # Keras's MNIST convnet at batch 128: patch matrices of 128*26*26 rows, above the parallel threshold.
    x = RNG.standard_normal((128, 28, 28, 1)).astype("float32")
    f1 = RNG.standard_normal((3, 3, 1, 32)).astype("float32")
    y = tf.nn.conv2d(x, f1, 1, "VALID")
    np.testing.assert_allclose(y.numpy(), np_conv2d(x.astype("float64"), f1.astype("float64")), rtol=1e-4, atol=1e-4)
    pooled = tf.nn.max_pool2d(y, 2, 2, "VALID")
    np.testing.assert_allclose(pooled.numpy(), np_pool(y.numpy(), (2, 2), (2, 2), "VALID", "max"), rtol=0, atol=0)
    f2 = RNG.standard_normal((3, 3, 32, 64)).astype("float32")
    y2 = tf.nn.conv2d(pooled, f2, 1, "VALID")
    want = np_conv2d(pooled.numpy().astype("float64"), f2.astype("float64"))
    np.testing.assert_allclose(y2.numpy(), want, rtol=1e-3, atol=1e-3)
    # the gradients of the big case are the adjoints: <conv(x, f), g> = <x, dx> = <f, df>
    g = RNG.standard_normal(y2.shape).astype("float64")
    xv, fv = tf.constant(pooled.numpy().astype("float64")), tf.constant(f2.astype("float64"))
    with tf.GradientTape() as tape:
        tape.watch([xv, fv])
        out = tf.reduce_sum(tf.nn.conv2d(xv, fv, 1, "VALID") * g)
    dx, df = tape.gradient(out, [xv, fv])
    total = float(out.numpy())
    assert np.isclose(np.sum(dx.numpy() * xv.numpy()), total, rtol=1e-9)
    assert np.isclose(np.sum(df.numpy() * fv.numpy()), total, rtol=1e-9)


def test_nchw_conv1d_depthwise_and_transpose():
    x, f = RNG.standard_normal((2, 8, 7, 3)), RNG.standard_normal((3, 3, 3, 4))
    nchw = tf.nn.conv2d(np.transpose(x, (0, 3, 1, 2)), f, [1, 1, 2, 2], "SAME", data_format="NCHW")
    np.testing.assert_allclose(
        np.transpose(nchw.numpy(), (0, 2, 3, 1)), np_conv2d(x, f, (2, 2), padding="SAME"), rtol=1e-10, atol=1e-10
    )
    seq, f1 = RNG.standard_normal((2, 10, 3)), RNG.standard_normal((3, 3, 5))
    got = tf.nn.conv1d(seq, f1, stride=2, padding="SAME")
    want = np_conv2d(seq[:, None], f1[None], (1, 2), padding="SAME")[:, 0]
    np.testing.assert_allclose(got.numpy(), want, rtol=1e-10, atol=1e-10)
    depth = RNG.standard_normal((3, 3, 3, 2))
    got = tf.nn.depthwise_conv2d(x, depth, [1, 1, 1, 1], "VALID")
    want = np.concatenate(
        [np_conv2d(x[..., c : c + 1], depth[:, :, c : c + 1, :]) for c in range(3)], axis=-1
    )  # channel c's outputs are c * multiplier + m
    np.testing.assert_allclose(got.numpy(), want, rtol=1e-10, atol=1e-10)
    # conv2d_transpose is conv2d's adjoint: <conv2d_transpose(y, f), x> = <y, conv2d(x, f)>
    y = RNG.standard_normal((2, 4, 4, 4))
    up = tf.nn.conv2d_transpose(y, f, output_shape=[2, 8, 7, 3], strides=2, padding="SAME")
    assert up.shape == (2, 8, 7, 3)
    lhs = np.sum(up.numpy() * x)
    rhs = np.sum(y * np_conv2d(x, f, (2, 2), padding="SAME"))
    assert np.isclose(lhs, rhs, rtol=1e-10)


@pytest.mark.parametrize("kind", ["max", "avg"])
@pytest.mark.parametrize(
    "shape, size, strides, padding",
    [
        ((2, 7, 6, 3), (3, 3), (2, 2), "SAME"),
        ((1, 8, 8, 2), (2, 2), (2, 2), "VALID"),
        ((2, 5, 8, 1), (2, 3), (1, 2), "SAME"),
    ],
)
def test_pooling_values_and_gradients(kind, shape, size, strides, padding):
    x = RNG.permutation(np.prod(shape)).reshape(shape) / 10.0  # distinct values: one maximum per window
    pool = tf.nn.max_pool2d if kind == "max" else tf.nn.avg_pool2d
    got = pool(x, size, strides, padding)
    np.testing.assert_allclose(got.numpy(), np_pool(x, size, strides, padding, kind), rtol=1e-12)
    check_gradient(lambda a: pool(a, size, strides, padding), x, wrt=0)


def test_pool1d_and_rank_dispatch():
    seq = RNG.standard_normal((2, 9, 3))
    got = tf.nn.max_pool1d(seq, 3, 2, "SAME")
    want = np_pool(seq[:, None], (1, 3), (1, 2), "SAME", "max")[:, 0]
    np.testing.assert_allclose(got.numpy(), want)
    np.testing.assert_allclose(tf.nn.avg_pool(seq, 2, 2, "VALID").numpy(), (seq[:, 0:8:2] + seq[:, 1:9:2]) / 2)


def test_bad_input_gets_clear_errors():
    x = np.zeros((1, 5, 5, 3))
    with pytest.raises(tf.errors.InvalidArgumentError, match="depth"):
        tf.nn.conv2d(x, np.zeros((3, 3, 2, 4)), 1, "VALID")
    with pytest.raises(tf.errors.InvalidArgumentError, match="negative"):
        tf.nn.conv2d(x, np.zeros((7, 7, 3, 1)), 1, "VALID")
    with pytest.raises(TypeError, match="float32 or float64"):
        tf.nn.conv2d(np.zeros((1, 5, 5, 3), "int32"), np.zeros((3, 3, 3, 1), "int32"), 1, "VALID")
    with pytest.raises(ValueError, match="padding"):
        tf.nn.conv2d(x, np.zeros((3, 3, 3, 1)), 1, "FULL")
    with pytest.raises(ValueError, match="strides"):
        tf.nn.conv2d(x, np.zeros((3, 3, 3, 1)), [2, 1, 1, 1], "VALID")
    with pytest.raises(tf.errors.InvalidArgumentError, match="4-dimensional"):
        tf.nn.conv2d(np.zeros((5, 5, 3)), np.zeros((3, 3, 3, 1)), 1, "VALID")

"""``tf.nn.conv3d``, ``conv3d_transpose``, ``max_pool3d`` and ``avg_pool3d`` against NumPy references written
from their definitions, gradients against finite differences."""

import itertools

import numpy as np
import pytest

import ferroflow as tf
from gradcheck import check_gradient

RNG = np.random.default_rng(3)


def same_pads(size, kernel, stride, dilation=1):
    out = -(-size // stride)
    total = max((out - 1) * stride + (kernel - 1) * dilation + 1 - size, 0)
    return (total // 2, total - total // 2)


def pads_of(spatial, kernel, strides, dilations, padding):
    if padding == "SAME":
        return [same_pads(n, k, s, d) for n, k, s, d in zip(spatial, kernel, strides, dilations)]
    return [(0, 0)] * 3


def np_conv3d(x, f, strides=(1, 1, 1), dilations=(1, 1, 1), padding="VALID"):
    """NDHWC convolution: a sum over the kernel's taps of strided slices of the padded input times the filter."""
    n, c = x.shape[0], x.shape[-1]
    kernel, cin, cout = f.shape[:3], f.shape[3], f.shape[4]
    groups = c // cin
    pads = pads_of(x.shape[1:4], kernel, strides, dilations, padding)
    xp = np.pad(x, [(0, 0), *pads, (0, 0)])
    out_sizes = [(xp.shape[1 + a] - (kernel[a] - 1) * dilations[a] - 1) // strides[a] + 1 for a in range(3)]
    out = np.zeros((n, *out_sizes, cout))
    per = cout // groups
    for tap in itertools.product(*[range(k) for k in kernel]):
        window = tuple(
            slice(t * d, t * d + (o - 1) * s + 1, s) for t, d, o, s in zip(tap, dilations, out_sizes, strides)
        )
        patch = xp[(slice(None), *window)]
        for g in range(groups):
            out[..., g * per : (g + 1) * per] += (
                patch[..., g * cin : (g + 1) * cin] @ f[tap][:, g * per : (g + 1) * per]
            )
    return out


def np_conv3d_transpose(y, f, out_spatial, strides, dilations=(1, 1, 1), padding="SAME"):
    """Each input voxel's values spread through the filter onto the (padded) output, then the padding cut."""
    kernel = f.shape[:3]
    pads = pads_of(out_spatial, kernel, strides, dilations, padding)
    padded = [o + a + b for o, (a, b) in zip(out_spatial, pads)]
    out = np.zeros((y.shape[0], *padded, f.shape[3]))
    for tap in itertools.product(*[range(k) for k in kernel]):
        window = tuple(
            slice(t * d, t * d + (i - 1) * s + 1, s) for t, d, i, s in zip(tap, dilations, y.shape[1:4], strides)
        )
        out[(slice(None), *window)] += y @ f[tap].T
    crop = tuple(slice(a, a + o) for (a, _), o in zip(pads, out_spatial))
    return out[(slice(None), *crop)]


def np_pool3d(x, size, strides, padding, kind):
    pads = pads_of(x.shape[1:4], size, strides, (1, 1, 1), padding)
    outs = [(n + a + b - k) // s + 1 for n, (a, b), k, s in zip(x.shape[1:4], pads, size, strides)]
    out = np.zeros((x.shape[0], *outs, x.shape[-1]))
    for pos in itertools.product(*[range(o) for o in outs]):
        starts = [p * s - a for p, s, (a, _) in zip(pos, strides, pads)]
        window = x[(slice(None), *[slice(max(b, 0), b + k) for b, k in zip(starts, size)])]
        out[(slice(None), *pos)] = window.max(axis=(1, 2, 3)) if kind == "max" else window.mean(axis=(1, 2, 3))
    return out


CONV_CASES = [
    # (input shape, filter shape, strides, dilations, padding)
    ((2, 5, 6, 5, 3), (3, 3, 3, 3, 4), (1, 1, 1), (1, 1, 1), "VALID"),
    ((2, 5, 7, 6, 2), (3, 2, 3, 2, 3), (2, 1, 2), (1, 1, 1), "SAME"),
    ((1, 7, 6, 5, 2), (2, 3, 2, 2, 2), (1, 1, 1), (2, 1, 2), "SAME"),
    ((1, 6, 5, 5, 2), (2, 2, 2, 2, 3), (1, 1, 1), (3, 2, 1), "VALID"),
    ((2, 4, 4, 4, 4), (3, 1, 3, 2, 6), (1, 1, 1), (1, 1, 1), "SAME"),  # 2 groups
    ((1, 3, 4, 4, 3), (1, 1, 1, 3, 2), (3, 2, 1), (1, 1, 1), "VALID"),
]


@pytest.mark.parametrize("xs, fs, strides, dilations, padding", CONV_CASES)
def test_conv3d_matches_the_definition(xs, fs, strides, dilations, padding):
    x, f = RNG.standard_normal(xs), RNG.standard_normal(fs)
    got = tf.nn.conv3d(x, f, strides=[1, *strides, 1], padding=padding, dilations=dilations)
    np.testing.assert_allclose(got.numpy(), np_conv3d(x, f, strides, dilations, padding), rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("xs, fs, strides, dilations, padding", CONV_CASES[1:3])
def test_conv3d_gradients_match_finite_differences(xs, fs, strides, dilations, padding):
    xs, fs = (1, 4, 4, 3, xs[-1]), (2, 2, 2) + fs[3:]
    x, f = RNG.standard_normal(xs), RNG.standard_normal(fs)

    def conv(a, b):
        return tf.nn.conv3d(a, b, [1, *strides, 1], padding, dilations=[1, *dilations, 1])

    check_gradient(conv, x, f, wrt=0)
    check_gradient(conv, x, f, wrt=1)


def test_grouped_and_channels_first_conv3d_gradients():
    x, f = RNG.standard_normal((1, 3, 4, 3, 4)), RNG.standard_normal((2, 2, 2, 2, 4))  # 2 groups

    def grouped(a, b):
        return tf.nn.conv3d(a, b, [1, 1, 2, 1, 1], "SAME")

    check_gradient(grouped, x, f, wrt=0)
    check_gradient(grouped, x, f, wrt=1)

    def first(a, b):
        return tf.nn.conv3d(a, b, [1, 1, 2, 1, 2], "VALID", data_format="NCDHW")

    check_gradient(first, np.moveaxis(x, -1, 1), f, wrt=0)
    check_gradient(first, np.moveaxis(x, -1, 1), f, wrt=1)


def test_a_realistic_conv3d_in_float32_and_in_a_function():
    x = RNG.standard_normal((2, 8, 16, 16, 4)).astype(np.float32)
    f = (RNG.standard_normal((3, 3, 3, 4, 8)) / 6).astype(np.float32)
    want = np_conv3d(x.astype(np.float64), f.astype(np.float64), padding="SAME")
    got = tf.nn.conv3d(x, f, [1, 1, 1, 1, 1], "SAME")
    assert got.dtype == tf.float32 and got.shape == (2, 8, 16, 16, 8)
    np.testing.assert_allclose(got.numpy(), want, rtol=1e-4, atol=1e-4)
    traced = tf.function(lambda a, b: tf.nn.conv3d(a, b, 2, "SAME"))(x, f)
    np.testing.assert_allclose(traced.numpy(), np_conv3d(x, f, (2, 2, 2), padding="SAME"), rtol=1e-4, atol=1e-4)
    # tf.nn.convolution takes rank 5 to conv3d
    np.testing.assert_allclose(tf.nn.convolution(x, f, padding="SAME").numpy(), want, rtol=1e-4, atol=1e-4)


def test_ncdhw_matches_ndhwc():
    x, f = RNG.standard_normal((2, 5, 6, 4, 3)), RNG.standard_normal((2, 3, 2, 3, 4))
    want = np_conv3d(x, f, (2, 1, 2), padding="SAME")
    got = tf.nn.conv3d(np.moveaxis(x, -1, 1), f, [1, 1, 2, 1, 2], "SAME", data_format="NCDHW")
    np.testing.assert_allclose(np.moveaxis(got.numpy(), 1, -1), want, rtol=1e-10, atol=1e-10)
    y = RNG.standard_normal(want.shape)
    up = tf.nn.conv3d_transpose(np.moveaxis(y, -1, 1), f, [2, 3, 5, 6, 4], [1, 1, 2, 1, 2], data_format="NCDHW")
    np.testing.assert_allclose(
        np.moveaxis(up.numpy(), 1, -1), np_conv3d_transpose(y, f, (5, 6, 4), (2, 1, 2)), rtol=1e-10, atol=1e-10
    )


TRANSPOSE_CASES = [
    # (input shape, filter shape, output spatial, strides, dilations, padding)
    ((2, 3, 4, 3, 4), (3, 3, 3, 2, 4), (5, 7, 6), (2, 2, 2), (1, 1, 1), "SAME"),
    ((1, 3, 3, 4, 2), (2, 3, 2, 3, 2), (7, 5, 8), (2, 1, 2), (1, 1, 1), "VALID"),
    ((1, 4, 3, 3, 2), (2, 2, 3, 2, 2), (6, 5, 5), (1, 1, 1), (2, 2, 1), "VALID"),
    ((2, 2, 3, 2, 3), (3, 2, 2, 2, 3), (6, 8, 5), (3, 3, 3), (1, 1, 1), "SAME"),
]


@pytest.mark.parametrize("ys, fs, out, strides, dilations, padding", TRANSPOSE_CASES)
def test_conv3d_transpose_matches_the_definition_and_is_the_adjoint(ys, fs, out, strides, dilations, padding):
    y, f = RNG.standard_normal(ys), RNG.standard_normal(fs)
    shape = [ys[0], *out, fs[3]]
    got = tf.nn.conv3d_transpose(y, f, shape, [1, *strides, 1], padding, dilations=dilations)
    assert got.shape == tuple(shape)
    np.testing.assert_allclose(
        got.numpy(), np_conv3d_transpose(y, f, out, strides, dilations, padding), rtol=1e-10, atol=1e-10
    )
    x = RNG.standard_normal(shape)  # <conv3d_transpose(y, f), x> = <y, conv3d(x, f)>
    forward = tf.nn.conv3d(x, f, [1, *strides, 1], padding, dilations=dilations).numpy()
    assert np.isclose(np.sum(got.numpy() * x), np.sum(y * forward), rtol=1e-10)


def test_conv3d_transpose_gradients():
    y, f = RNG.standard_normal((1, 2, 3, 2, 2)), RNG.standard_normal((2, 3, 2, 3, 2))

    def up(a, b):
        return tf.nn.conv3d_transpose(a, b, tf.constant([1, 4, 5, 4, 3]), [1, 2, 2, 2, 1], "SAME")

    check_gradient(up, y, f, wrt=0)
    check_gradient(up, y, f, wrt=1)


POOL_CASES = [
    ((2, 5, 6, 7, 2), (2, 3, 2), (2, 2, 1), "SAME"),
    ((1, 4, 4, 6, 3), (2, 2, 2), (2, 2, 2), "VALID"),
    ((2, 7, 3, 5, 1), (3, 1, 2), (2, 1, 2), "SAME"),
    ((1, 3, 5, 5, 2), (1, 3, 3), (1, 2, 2), "VALID"),
]


@pytest.mark.parametrize("kind", ["max", "avg"])
@pytest.mark.parametrize("shape, size, strides, padding", POOL_CASES)
def test_pool3d_values(kind, shape, size, strides, padding):
    x = RNG.permutation(np.prod(shape)).reshape(shape) / 10.0  # distinct values: one maximum per window
    pool = tf.nn.max_pool3d if kind == "max" else tf.nn.avg_pool3d
    want = np_pool3d(x, size, strides, padding, kind)
    np.testing.assert_allclose(pool(x, size, strides, padding).numpy(), want, rtol=1e-12)
    by_rank = tf.nn.max_pool if kind == "max" else tf.nn.avg_pool
    np.testing.assert_allclose(by_rank(x, size, strides, padding).numpy(), want, rtol=1e-12)
    first = pool(np.moveaxis(x, -1, 1), [1, 1, *size], [1, 1, *strides], padding, data_format="NCDHW")
    np.testing.assert_allclose(np.moveaxis(first.numpy(), 1, -1), want, rtol=1e-12)


@pytest.mark.parametrize("kind", ["max", "avg"])
def test_pool3d_gradients(kind):
    shape = (1, 5, 4, 3, 2)
    x = RNG.permutation(np.prod(shape)).reshape(shape) / 10.0
    pool = tf.nn.max_pool3d if kind == "max" else tf.nn.avg_pool3d
    check_gradient(lambda a: pool(a, [3, 2, 2], [2, 1, 2], "SAME"), x, wrt=0)


def test_bad_input_gets_clear_errors():
    x, f = np.zeros((1, 4, 4, 4, 3)), np.zeros((2, 2, 2, 3, 4))
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"input to be 5-dimensional, received rank 4"):
        tf.nn.conv3d(np.zeros((1, 4, 4, 3)), f, 1, "VALID")
    with pytest.raises(tf.errors.InvalidArgumentError, match="filters to be 5-dimensional"):
        tf.nn.conv3d(x, np.zeros((2, 2, 3, 4)), 1, "VALID")
    with pytest.raises(tf.errors.InvalidArgumentError, match="3 channels must be a multiple of the filters' 2"):
        tf.nn.conv3d(x, np.zeros((2, 2, 2, 2, 4)), 1, "VALID")
    with pytest.raises(tf.errors.InvalidArgumentError, match="negative output"):
        tf.nn.conv3d(x, np.zeros((5, 2, 2, 3, 4)), 1, "VALID")
    with pytest.raises(ValueError, match="strides must be an int or a list of 3 or 5"):
        tf.nn.conv3d(x, f, [1, 2, 2, 2], "VALID")
    with pytest.raises(ValueError, match="padding must be 'SAME' or 'VALID'"):
        tf.nn.conv3d(x, f, 1, "FULL")
    with pytest.raises(ValueError, match="data_format must be 'NDHWC' or 'NCDHW'"):
        tf.nn.conv3d(x, f, 1, "VALID", data_format="NHWC")
    with pytest.raises(TypeError, match="float32 or float64"):
        tf.nn.conv3d(x.astype(np.int32), f.astype(np.int32), 1, "VALID")
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"gives \[1, 2, 2, 2, 4\], but the input has shape"):
        tf.nn.conv3d_transpose(np.zeros((1, 3, 3, 3, 4)), f, [1, 4, 4, 4, 3], 2, "SAME")
    with pytest.raises(tf.errors.InvalidArgumentError, match="map 3 channels to 4, but the input has 2"):
        tf.nn.conv3d_transpose(np.zeros((1, 2, 2, 2, 2)), f, [1, 4, 4, 4, 3], 2, "SAME")
    with pytest.raises(tf.errors.InvalidArgumentError, match="5-dimensional"):
        tf.nn.max_pool3d(np.zeros((1, 4, 4, 3)), 2, 2, "VALID")

"""``tf.nn.separable_conv2d`` against a NumPy depthwise-then-pointwise convolution by definition: strides,
dilations, SAME/VALID/explicit padding, NCHW, float64, inside ``tf.function``, gradients of all three
operands against finite differences, and TensorFlow's argument errors."""

import numpy as np
import pytest

import ferroflow as tf
from gradcheck import check_gradient

RNG = np.random.default_rng(21)


def same_pads(length, k, stride, dilation):
    span = (k - 1) * dilation + 1
    total = max((-(-length // stride) - 1) * stride + span - length, 0)
    return total // 2, total - total // 2


def np_separable(x, dw, pw, strides=(1, 1), dilations=(1, 1), padding="VALID"):
    """NHWC: each channel c convolved with dw[..., c, m] into channel c * M + m, then ``@ pw[0, 0]``."""
    n, h, w, c = x.shape
    kh, kw, _, m = dw.shape
    if padding == "SAME":
        pads = [same_pads(h, kh, strides[0], dilations[0]), same_pads(w, kw, strides[1], dilations[1])]
    elif padding == "VALID":
        pads = [(0, 0), (0, 0)]
    else:
        pads = padding
    xp = np.pad(x.astype("float64"), [(0, 0), pads[0], pads[1], (0, 0)])
    oh = (xp.shape[1] - (kh - 1) * dilations[0] - 1) // strides[0] + 1
    ow = (xp.shape[2] - (kw - 1) * dilations[1] - 1) // strides[1] + 1
    out = np.zeros((n, oh, ow, c, m))
    for i in range(kh):
        for j in range(kw):
            r0, c0 = i * dilations[0], j * dilations[1]
            patch = xp[
                :, r0 : r0 + (oh - 1) * strides[0] + 1 : strides[0], c0 : c0 + (ow - 1) * strides[1] + 1 : strides[1]
            ]
            out += patch[..., None] * dw[i, j]
    return out.reshape(n, oh, ow, c * m) @ pw[0, 0]


def operands(n=2, h=9, w=8, c=3, k=(3, 3), m=2, out=4, dtype="float32"):
    x = RNG.standard_normal((n, h, w, c)).astype(dtype)
    dw = RNG.standard_normal(k + (c, m)).astype(dtype)
    pw = RNG.standard_normal((1, 1, c * m, out)).astype(dtype)
    return x, dw, pw


@pytest.mark.parametrize(
    "strides, dilations, padding",
    [
        ((1, 1), None, "VALID"),
        ((1, 1), None, "SAME"),
        ((2, 2), None, "SAME"),
        ((2, 3), None, "VALID"),
        ((1, 1), (2, 2), "SAME"),
        ((1, 1), (2, 1), "VALID"),
    ],
)
def test_values_match_the_definition(strides, dilations, padding):
    x, dw, pw = operands()
    got = tf.nn.separable_conv2d(x, dw, pw, [1, *strides, 1], padding, dilations=dilations)
    want = np_separable(x, dw, pw, strides, dilations or (1, 1), padding)
    assert got.shape == want.shape and got.dtype == tf.float32
    np.testing.assert_allclose(got.numpy(), want, rtol=1e-4, atol=1e-4)


def test_realistic_shapes_nchw_explicit_padding_float64_and_tf_function():
    x, dw, pw = operands(n=8, h=28, w=28, c=16, m=2, out=32)
    want = np_separable(x, dw, pw, (2, 2), padding="SAME")
    got = tf.nn.separable_conv2d(x, dw, pw, [1, 2, 2, 1], "SAME")
    assert got.shape == (8, 14, 14, 32)
    np.testing.assert_allclose(got.numpy(), want, rtol=1e-4, atol=1e-4)
    first = tf.nn.separable_conv2d(x.transpose(0, 3, 1, 2), dw, pw, [1, 1, 2, 2], "SAME", data_format="NCHW")
    np.testing.assert_allclose(first.numpy().transpose(0, 2, 3, 1), want, rtol=1e-4, atol=1e-4)

    pads = [[0, 0], [1, 2], [0, 1], [0, 0]]
    x64, dw64, pw64 = operands(dtype="float64")
    got = tf.nn.separable_conv2d(x64, dw64, pw64, [1, 1, 1, 1], pads)
    assert got.dtype == tf.float64
    np.testing.assert_allclose(got.numpy(), np_separable(x64, dw64, pw64, padding=[(1, 2), (0, 1)]), rtol=1e-12)

    traced = tf.function(lambda a, b, c: tf.nn.separable_conv2d(a, b, c, [1, 1, 1, 1], "VALID", dilations=[1, 2]))
    np.testing.assert_allclose(
        traced(x64, dw64, pw64).numpy(), np_separable(x64, dw64, pw64, dilations=(1, 2)), rtol=1e-12
    )


@pytest.mark.parametrize("wrt", [0, 1, 2])
@pytest.mark.parametrize("strides, dilations, padding", [((1, 1), (2, 2), "SAME"), ((2, 1), None, "VALID")])
def test_gradients_match_finite_differences(wrt, strides, dilations, padding):
    x, dw, pw = operands(n=2, h=6, w=5, c=2, m=2, out=3, dtype="float64")

    def fn(a, b, c):
        return tf.nn.separable_conv2d(a, b, c, [1, *strides, 1], padding, dilations=dilations)

    check_gradient(fn, x, dw, pw, wrt=wrt, rtol=1e-5, atol=1e-7)


def test_tensorflows_argument_errors():
    x, dw, pw = operands()
    sep = tf.nn.separable_conv2d
    with pytest.raises(ValueError, match="must have rank 4"):
        sep(x, dw, pw[0, 0], [1, 1, 1, 1], "VALID")
    with pytest.raises(ValueError, match="Dimensions 3 and 1 are not compatible"):
        sep(x, dw, RNG.standard_normal((3, 3, 6, 4)).astype("float32"), [1, 1, 1, 1], "VALID")
    with pytest.raises(tf.errors.InvalidArgumentError, match="3 channels .* expects 4"):
        sep(x, RNG.standard_normal((3, 3, 4, 2)).astype("float32"), pw, [1, 1, 1, 1], "VALID")
    with pytest.raises(tf.errors.InvalidArgumentError, match="gives 6 channels .* expects 5"):
        sep(x, dw, RNG.standard_normal((1, 1, 5, 4)).astype("float32"), [1, 1, 1, 1], "VALID")
    with pytest.raises(tf.errors.InvalidArgumentError, match="strides must be a list of 4 ints"):
        sep(x, dw, pw, [2, 2], "SAME")
    with pytest.raises(tf.errors.InvalidArgumentError, match="batch and depth"):
        sep(x, dw, pw, [2, 1, 1, 1], "SAME")
    with pytest.raises(ValueError, match="all values of strides must be 1"):
        sep(x, dw, pw, [1, 2, 2, 1], "SAME", dilations=[2, 2])
    with pytest.raises(tf.errors.InvalidArgumentError, match="padding must be"):
        sep(x, dw, pw, [1, 1, 1, 1], "FULL")
    with pytest.raises(tf.errors.InvalidArgumentError, match="data_format"):
        sep(x, dw, pw, [1, 1, 1, 1], "VALID", data_format="NHCW")
    with pytest.raises(tf.errors.InvalidArgumentError, match="float32 or float64 input, received int32"):
        sep(x.astype("int32"), dw.astype("int32"), pw.astype("int32"), [1, 1, 1, 1], "VALID")
    with pytest.raises(tf.errors.InvalidArgumentError, match="depthwise_filter is float64"):
        sep(x, dw.astype("float64"), pw, [1, 1, 1, 1], "VALID")
    with pytest.raises(ValueError, match="dilations must be 2 positive ints"):
        sep(x, dw, pw, [1, 1, 1, 1], "VALID", dilations=[1, 2, 2, 1])

"""``tf.nn.conv3d`` and ``Conv3D`` on volumes whose depth is known only when the graph runs (a video's time
axis, ``Input(shape=(None, h, w, c))``): values against the NumPy reference for several depths under one
trace (padding, depth stride and dilation, groups, NCDHW), gradients against finite differences in float64."""

import numpy as np
import pytest

import ferroflow as tf
from gradcheck import numeric_gradient
from test_conv3d_ops import np_conv3d

RNG = np.random.default_rng(21)

CASES = [
    ("SAME", 1, 1, 1),
    ("SAME", 1, 2, 1),
    ("VALID", 1, 1, 1),
    ("VALID", 2, 1, 1),
    ("VALID", 1, 2, 2),
    ("SAME", 1, 1, 2),
]


@pytest.mark.parametrize("padding,stride,dilation,groups", CASES)
def test_values_for_several_depths_under_one_trace(padding, stride, dilation, groups):
    f = RNG.standard_normal((3, 2, 2, 4 // groups, 6)).astype("float32")
    strides, dilations = [1, stride, 1, 1, 1], [1, dilation, 1, 1, 1]

    @tf.function(input_signature=[tf.TensorSpec([None, None, 5, 4, 4])])
    def run(x):
        return tf.nn.conv3d(x, f, strides, padding, dilations=dilations)

    for depth in (7, 6, 9):
        x = RNG.standard_normal((2, depth, 5, 4, 4)).astype("float32")
        want = np_conv3d(x, f, (stride, 1, 1), (dilation, 1, 1), padding)
        got = run(x).numpy()
        assert got.shape == want.shape
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)
    assert run.experimental_get_tracing_count() == 1


def test_channels_first():
    f = RNG.standard_normal((2, 3, 3, 2, 3)).astype("float32")
    run = tf.function(
        lambda x: tf.nn.conv3d(x, f, [1, 1, 1, 1, 1], "SAME", data_format="NCDHW"),
        input_signature=[tf.TensorSpec([None, 2, None, 6, 5])],
    )
    x = RNG.standard_normal((3, 2, 4, 6, 5)).astype("float32")
    want = np.moveaxis(np_conv3d(np.moveaxis(x, 1, -1), f, padding="SAME"), -1, 1)
    np.testing.assert_allclose(run(x).numpy(), want, rtol=1e-5, atol=1e-5)


def test_gradients_in_float64_inside_tf_function():
    x = RNG.standard_normal((2, 4, 3, 3, 2))
    f = RNG.standard_normal((3, 2, 2, 2, 3))
    w = RNG.standard_normal((2, 4, 3, 3, 3))

    @tf.function(input_signature=[tf.TensorSpec([None, None, 3, 3, 2], tf.float64), tf.TensorSpec(f.shape, tf.float64)])
    def grads(xv, fv):
        with tf.GradientTape() as tape:
            tape.watch([xv, fv])
            y = tf.reduce_sum(tf.nn.conv3d(xv, fv, [1, 1, 1, 1, 1], "SAME") * w)
        return tape.gradient(y, [xv, fv])

    gx, gf = grads(x, f)

    def loss(xv, fv):
        return np.sum(np_conv3d(xv, fv, padding="SAME") * w)

    np.testing.assert_allclose(gx.numpy(), numeric_gradient(lambda v: loss(v, f), x.copy()), rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(gf.numpy(), numeric_gradient(lambda v: loss(x, v), f.copy()), rtol=1e-6, atol=1e-8)


def test_conv3d_layer_on_an_unknown_time_axis_and_errors():
    model = tf.keras.Sequential([tf.keras.Input((None, 6, 6, 2)), tf.keras.layers.Conv3D(3, 3, padding="same")])
    assert model.output_shape == (None, None, 6, 6, 3)
    kernel, bias = (w.numpy() for w in model.layers[0].weights)
    for depth in (2, 5):
        x = RNG.standard_normal((2, depth, 6, 6, 2)).astype("float32")
        want = np_conv3d(x, kernel, padding="SAME") + bias
        np.testing.assert_allclose(model.predict(x, verbose=0), want, rtol=1e-5, atol=1e-5)
    f = np.zeros((3, 1, 1, 2, 1), "float32")
    run = tf.function(
        lambda x: tf.nn.conv3d(x, f, [1, 2, 1, 1, 1], "SAME"), input_signature=[tf.TensorSpec([1, None, 2, 2, 2])]
    )
    with pytest.raises(ValueError, match="depth stride of 2 needs the depth known"):
        run(np.zeros((1, 4, 2, 2, 2), "float32"))
    run = tf.function(lambda x: tf.nn.conv3d(x, f, 1, "SAME"), input_signature=[tf.TensorSpec([1, 3, None, 2, 2])])
    with pytest.raises(ValueError, match="needs the depth, height, width and channels known"):
        run(np.zeros((1, 3, 2, 2, 2), "float32"))

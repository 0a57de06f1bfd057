"""``tf.pad`` of tensors whose lengths are known only when a graph runs (``None`` dims of an
``input_signature`` or a TF1 placeholder): every mode, values against ``np.pad`` on inputs of several sizes fed to
the same graph, gradients against finite differences, and TensorFlow's run-time error for mirror paddings longer
than the fed axis."""

import numpy as np
import pytest

import ferroflow as tf
from gradcheck import numeric_gradient

v1 = tf.compat.v1
PADS = [[1, 2], [0, 2], [2, 0]]
SHAPES = [(3, 4, 4), (5, 3, 4), (4, 6, 4)]


def _np_pad(x, mode, value=0.0):
    if mode == "CONSTANT":
        return np.pad(x, PADS, mode="constant", constant_values=value)
    return np.pad(x, PADS, mode=mode.lower())


@pytest.mark.parametrize("mode", ["CONSTANT", "REFLECT", "SYMMETRIC"])
def test_function_with_none_dims_pads_every_fed_size(mode):
    value = 1.5 if mode == "CONSTANT" else 0

    @tf.function(input_signature=[tf.TensorSpec([None, None, 4], tf.float32)])
    def f(x):
        return tf.pad(x, PADS, mode=mode, constant_values=value)

    out_spec = f.get_concrete_function().structured_outputs
    assert out_spec.shape.as_list() == [None, None, 6]
    rng = np.random.default_rng(1)
    for shape in SHAPES:
        x = rng.standard_normal(shape).astype(np.float32)
        np.testing.assert_array_equal(f(x).numpy(), _np_pad(x, mode, value))


@pytest.mark.parametrize("mode", ["CONSTANT", "REFLECT", "SYMMETRIC"])
def test_tf1_placeholder_with_none_dims(mode):
    g = tf.Graph()
    with g.as_default():
        x = v1.placeholder(tf.float64, [None, None, 4])
        y = tf.pad(x, PADS, mode=mode)
        assert y.shape.as_list() == [None, None, 6]
        with v1.Session() as sess:
            for shape in SHAPES:
                value = np.random.default_rng(2).standard_normal(shape)
                np.testing.assert_array_equal(sess.run(y, {x: value}), _np_pad(value, mode))


def test_constant_padding_of_an_axis_fed_empty():
    @tf.function(input_signature=[tf.TensorSpec([None, 2], tf.int32)])
    def f(x):
        return tf.pad(x, [[1, 2], [0, 1]], constant_values=7)

    np.testing.assert_array_equal(f(np.zeros((0, 2), np.int32)).numpy(), np.full((3, 3), 7))
    x = np.arange(4, dtype=np.int32).reshape(2, 2)
    np.testing.assert_array_equal(f(x).numpy(), np.pad(x, [[1, 2], [0, 1]], constant_values=7))


def test_bool_constant_padding_with_unknown_dims():
    @tf.function(input_signature=[tf.TensorSpec([None], tf.bool)])
    def f(x):
        return tf.pad(x, [[2, 1]])

    np.testing.assert_array_equal(f(np.array([True, True])).numpy(), [False, False, True, True, False])


@pytest.mark.parametrize("mode,message", [("REFLECT", "less than"), ("SYMMETRIC", "no greater than")])
def test_mirror_padding_longer_than_the_fed_axis_fails_at_run_time(mode, message):
    @tf.function(input_signature=[tf.TensorSpec([None, 4], tf.float32)])
    def f(x):
        return tf.pad(x, [[0, 3], [1, 1]], mode=mode)

    short = 3 if mode == "REFLECT" else 2
    with pytest.raises(tf.errors.InvalidArgumentError, match=message):
        f(np.zeros((short, 4), np.float32))
    x = np.arange(16, dtype=np.float32).reshape(4, 4)
    np.testing.assert_array_equal(f(x).numpy(), np.pad(x, [[0, 3], [1, 1]], mode=mode.lower()))


def test_mirror_padding_longer_than_a_fed_placeholder_fails_in_the_session():
    g = tf.Graph()
    with g.as_default():
        x = v1.placeholder(tf.float32, [None])
        y = tf.pad(x, [[2, 0]], mode="REFLECT")
        with v1.Session() as sess:
            with pytest.raises(tf.errors.InvalidArgumentError):
                sess.run(y, {x: np.zeros(2, np.float32)})
            np.testing.assert_array_equal(sess.run(y, {x: np.array([1.0, 2.0, 3.0], np.float32)}), [3, 2, 1, 2, 3])


@pytest.mark.parametrize("mode", ["CONSTANT", "REFLECT", "SYMMETRIC"])
def test_gradient_through_unknown_dims_matches_finite_differences(mode):
    w = np.random.default_rng(3).standard_normal((7, 7, 6))

    @tf.function(input_signature=[tf.TensorSpec([None, None, 4], tf.float64)])
    def grad(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.reduce_sum(tf.pad(x, PADS, mode=mode, constant_values=2.0) * w)
        return tape.gradient(y, x)

    x = np.random.default_rng(4).standard_normal((4, 5, 4))
    want = numeric_gradient(lambda v: np.sum(_np_pad(v, mode, 2.0) * w), x)
    np.testing.assert_allclose(grad(x).numpy(), want, rtol=1e-6, atol=1e-8)


def test_keras_zero_padding_on_variable_image_sizes():
    inputs = tf.keras.Input((None, None, 3))
    model = tf.keras.Model(inputs, tf.keras.layers.ZeroPadding2D(((1, 2), (3, 0)))(inputs))
    assert model.output_shape == (None, None, None, 3)
    for size in [(5, 6), (8, 3)]:
        x = np.random.default_rng(5).standard_normal((2, *size, 3)).astype(np.float32)
        out = model.predict(x, verbose=0)
        np.testing.assert_array_equal(out, np.pad(x, [[0, 0], [1, 2], [3, 0], [0, 0]]))

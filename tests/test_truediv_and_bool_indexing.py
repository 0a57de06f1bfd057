"""``a / b`` on integer tensors and ``x[bool_mask]``, as the Core APIs guides use them (``uint8_images / 255``,
``test_classes[y_test == label]``). Expected dtypes and errors are TensorFlow 2.21's."""

import numpy as np
import pytest

import ferroflow as tf

# TensorFlow divides 8- and 16-bit integers as float32 and 32- and 64-bit ones as float64.
WIDENED = {
    "int8": np.float32,
    "uint8": np.float32,
    "int16": np.float32,
    "uint16": np.float32,
    "int32": np.float64,
    "uint32": np.float64,
    "int64": np.float64,
    "uint64": np.float64,
}


@pytest.mark.parametrize("name", sorted(WIDENED))
def test_integer_true_division_widens_as_tensorflow(name):
    a = np.array([7, 2, 255 if name.startswith("u") else -5], dtype=name)
    b = np.array([2, 3, 4], dtype=name)
    want = a.astype(np.float64) / b.astype(np.float64)
    for got in (tf.constant(a) / tf.constant(b), tf.math.truediv(a, tf.constant(b)), tf.math.divide(tf.constant(a), b)):
        assert got.dtype == WIDENED[name]
        np.testing.assert_allclose(got.numpy(), want.astype(WIDENED[name]), rtol=1e-7)
    assert (tf.constant(a) / 2).dtype == WIDENED[name]


def test_uint8_images_scale_to_float32_inside_a_function():
    @tf.function(input_signature=[tf.TensorSpec([None, 28, 28, 1], tf.uint8)])
    def prep(x):
        return tf.reshape(x, [-1, 784]) / 255

    x = np.arange(2 * 784, dtype=np.uint8).reshape(2, 28, 28, 1)
    got = prep(x)
    assert got.dtype == tf.float32
    np.testing.assert_allclose(got.numpy(), x.reshape(2, 784) / np.float32(255), rtol=1e-7)


def test_integer_division_of_different_dtypes_is_a_type_error():
    with pytest.raises(TypeError, match="must have the same dtype"):
        tf.constant([1], tf.int32) / tf.constant([1], tf.int64)


def test_bool_tensor_key_selects_like_numpy():
    x = np.array([[5, 1], [2, 7], [0, 3]], dtype=np.int32)
    t = tf.constant(x)
    np.testing.assert_array_equal(t[t > 2].numpy(), x[x > 2])
    rows = np.array([True, False, True])
    np.testing.assert_array_equal(t[tf.constant(rows)].numpy(), x[rows])
    np.testing.assert_array_equal(t[rows].numpy(), x[rows])
    np.testing.assert_array_equal(tf.Variable(x)[rows].numpy(), x[rows])


def test_bool_key_in_a_function_and_its_gradient():
    @tf.function
    def positive_sum(v):
        return tf.reduce_sum(v[v > 0.0] ** 2)

    x = tf.constant([1.5, -2.0, 3.0, -0.5], dtype=tf.float64)
    assert float(positive_sum(x)) == 1.5**2 + 3.0**2
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(x[x > 0.0] ** 2)
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), [3.0, 0.0, 6.0, 0.0])


def test_bool_key_of_the_wrong_length_is_a_value_error():
    with pytest.raises(ValueError):
        tf.constant([5, 1, 2, 7])[tf.constant([True, False])]

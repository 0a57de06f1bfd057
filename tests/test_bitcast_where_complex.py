"""tf.bitcast, tf.where with complex operands and tf.math.nextafter in graphs (expected values from NumPy and
TensorFlow 2.21's results, messages and gradients)."""

import numpy as np
import pytest

import ferroflow as tf


def test_bitcast_same_size_keeps_shape():
    out = tf.bitcast(tf.constant([1.0, -2.5], tf.float32), tf.int32)
    assert out.dtype == tf.int32
    np.testing.assert_array_equal(out.numpy(), [1065353216, -1071644672])  # TensorFlow 2.21


def test_bitcast_to_smaller_adds_last_axis():
    out = tf.bitcast(tf.constant([1.0, -2.5], tf.float32), tf.uint8)
    np.testing.assert_array_equal(out.numpy(), [[0, 0, 128, 63], [0, 0, 32, 192]])
    out = tf.bitcast(tf.constant([1 + 2j], tf.complex128), tf.float32)
    np.testing.assert_array_equal(out.numpy(), [[0.0, 1.875, 0.0, 2.0]])


def test_bitcast_to_larger_removes_last_axis():
    data = np.arange(8, dtype=np.uint8).reshape(2, 4)
    out = tf.bitcast(tf.constant(data), tf.float32)
    assert out.shape == (2,)
    np.testing.assert_array_equal(out.numpy(), data.view(np.float32).reshape(2))
    out = tf.bitcast(tf.constant([1 + 2j], tf.complex64), tf.float64)
    np.testing.assert_allclose(out.numpy(), [2.00000047], rtol=1e-7)


@pytest.mark.parametrize(
    ("value", "dtype", "message"),
    [
        (np.array([1, 2, 3], np.uint8), tf.int32, "Cannot bitcast from 4 to 3"),
        (np.uint8(3), tf.int16, "Cannot bitcast from 4 to 5"),
    ],
)
def test_bitcast_shape_errors(value, dtype, message):
    with pytest.raises(tf.errors.InvalidArgumentError, match=message):
        tf.bitcast(tf.constant(value), dtype)


@pytest.mark.parametrize(("value", "dtype", "attr"), [([True], tf.int8, "T"), ([1], tf.bool, "type")])
def test_bitcast_bool_is_not_allowed(value, dtype, attr):
    x = tf.constant(value, tf.int8 if dtype == tf.bool else None)
    with pytest.raises(tf.errors.InvalidArgumentError, match=f"Value for attr '{attr}' of bool is not in the list"):
        tf.bitcast(x, dtype)


def test_bitcast_in_function_with_unknown_dimensions():
    shapes = []

    @tf.function(input_signature=[tf.TensorSpec([None, 4], tf.uint8)])
    def f(x):
        out = tf.bitcast(x, tf.int32)
        shapes.append(out.shape.as_list())
        return out

    data = np.arange(12, dtype=np.uint8).reshape(3, 4)
    np.testing.assert_array_equal(f(tf.constant(data)).numpy(), data.view(np.int32).reshape(3))
    assert shapes == [[None]]

    @tf.function(input_signature=[tf.TensorSpec([None, None], tf.uint8)])
    def g(x):
        return tf.bitcast(x, tf.int32)

    with pytest.raises(tf.errors.InvalidArgumentError, match="Cannot bitcast from 4 to 3"):
        g(tf.constant(np.zeros((2, 3), np.uint8)))


def test_bitcast_has_no_gradient():
    x = tf.Variable([1.0, 2.0])
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(tf.cast(tf.bitcast(x, tf.int32), tf.float32))
    assert tape.gradient(y, x) is None


def test_where_complex_values_and_broadcasting():
    a, b = np.array([1 + 2j, 3 - 1j]), np.array([0j, 5 + 5j])
    out = tf.where([True, False], tf.constant(a), tf.constant(b))
    assert out.dtype == tf.complex128
    np.testing.assert_array_equal(out.numpy(), [1 + 2j, 5 + 5j])
    out = tf.where([[True], [False]], tf.constant(a, tf.complex64), tf.constant(0j, tf.complex64))
    assert out.dtype == tf.complex64
    np.testing.assert_array_equal(out.numpy(), [[1 + 2j, 3 - 1j], [0, 0]])


def test_where_complex_in_function_and_gradient():
    x = tf.Variable([1 + 2j, 3 - 1j])
    b = tf.constant([0j, 5 + 5j])

    @tf.function(input_signature=[tf.TensorSpec([None], tf.bool), tf.TensorSpec([None], tf.complex128)])
    def f(c, v):
        return tf.reduce_sum(tf.abs(tf.where(c, v, b) * (2 + 1j)) ** 2)

    with tf.GradientTape() as tape:
        y = f(tf.constant([True, False]), x)
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), [10 + 20j, 0])  # TensorFlow 2.21


def test_nextafter_in_function_with_unknown_shape():
    shapes = []

    @tf.function(input_signature=[tf.TensorSpec([None], tf.float32)] * 2)
    def f(a, b):
        out = tf.math.nextafter(a, b)
        shapes.append(out.shape.as_list())
        return out

    a, b = np.array([1.0, 0.0, np.inf], np.float32), np.array([2.0, -1.0, 0.0], np.float32)
    out = f(tf.constant(a), tf.constant(b))
    assert out.dtype == tf.float32
    np.testing.assert_array_equal(out.numpy(), np.nextafter(a, b))
    assert shapes == [[None]]


def test_nextafter_broadcasts_in_graph():
    @tf.function
    def f(a, b):
        return tf.math.nextafter(a, b)

    a, b = np.array([[1.0], [2.0]]), np.array([0.0, 3.0])
    np.testing.assert_array_equal(f(tf.constant(a), tf.constant(b)).numpy(), np.nextafter(a, b))


def test_nextafter_gradient_is_upstream_for_x1():
    x1, x2 = tf.Variable([[1.0], [2.0]]), tf.Variable([3.0, 0.0])

    @tf.function
    def loss():
        return tf.reduce_sum(tf.math.nextafter(x1, x2) * tf.constant([[1.0, 2.0], [3.0, 4.0]]))

    with tf.GradientTape() as tape:
        y = loss()
    g1, g2 = tape.gradient(y, [x1, x2])
    np.testing.assert_array_equal(g1.numpy(), [[3.0], [7.0]])
    np.testing.assert_array_equal(g2.numpy(), [0.0, 0.0])


@pytest.mark.parametrize(
    ("a", "b", "message"),
    [
        ([1], [2], "Value for attr 'T' of int32 is not in the list of allowed values: double, float"),
        (np.float32([1]), np.float64([2]), "expected to be a float tensor but is a double tensor"),
    ],
)
def test_nextafter_dtype_errors(a, b, message):
    with pytest.raises(tf.errors.InvalidArgumentError, match=message):
        tf.math.nextafter(tf.constant(a), tf.constant(b))

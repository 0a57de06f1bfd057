"""``tf.py_function`` / ``tf.numpy_function``: eager calls with gradients through py_function's tensor ops
(inside ``tf.function``: tests/test_py_function_graph.py)."""

import numpy as np

import ferroflow as tf


def test_numpy_function_converts_values_and_results():
    out = tf.numpy_function(lambda a, b: np.sort(a) + b, [tf.constant([3.0, 1.0]), 1.0], tf.float32)
    np.testing.assert_array_equal(out.numpy(), [2.0, 4.0])
    assert out.dtype == tf.float32
    a, b = tf.numpy_function(lambda x: (x.sum(), x.max()), [np.arange(4)], [tf.int64, tf.int64])
    assert int(a) == 6 and int(b) == 3


def test_py_function_is_differentiated_by_the_tape():
    x = tf.Variable(3.0)
    with tf.GradientTape() as tape:
        y = tf.py_function(lambda v: v * v, [x], tf.float32)
    assert float(y) == 9.0 and float(tape.gradient(y, x)) == 6.0


def test_traced_functions_call_them():
    out = tf.function(lambda t: tf.numpy_function(np.abs, [t], tf.float32))(tf.constant([-1.0]))
    np.testing.assert_array_equal(out.numpy(), [1.0])

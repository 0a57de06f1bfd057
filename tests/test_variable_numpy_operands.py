"""A NumPy array on the left of an operator with a ``tf.Variable`` gives a tensor (TensorFlow's variables set
``__array_priority__`` so NumPy defers), so the tape sees the variable and the gradient is not lost."""

import numpy as np
import pytest

import ferroflow as tf


@pytest.mark.parametrize(
    "expression, gradient",
    [
        (lambda a, v: a * v, [2.0, 3.0, 4.0]),
        (lambda a, v: a + v, [1.0, 1.0, 1.0]),
        (lambda a, v: a - v, [-1.0, -1.0, -1.0]),
        (lambda a, v: a / v, [-2.0, -0.75, -4.0 / 9.0]),
        (lambda a, v: a[None, :] @ tf.reshape(v, (3, 1)), [2.0, 3.0, 4.0]),
    ],
)
def test_ndarray_on_the_left_of_a_variable_is_differentiable(expression, gradient):
    a = np.array([2.0, 3.0, 4.0], "float32")
    v = tf.Variable([1.0, 2.0, 3.0])
    with tf.GradientTape() as tape:
        y = expression(a, v)
        loss = tf.reduce_sum(y)
    assert isinstance(y, tf.Tensor)
    np.testing.assert_allclose(tape.gradient(loss, v).numpy(), gradient, rtol=1e-6)

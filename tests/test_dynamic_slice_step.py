"""``x[start:stop:k]`` with a step ``k`` known only when the graph runs (a ``tf.function`` argument): values
against NumPy's for both signs of the step and every kind of bound, a zero step refused with
``InvalidArgumentError`` as TensorFlow's strided slice refuses it, and the gradient against finite differences."""

import numpy as np
import pytest

import ferroflow as tf
from gradcheck import numeric_gradient

X = np.arange(40, dtype=np.float64).reshape(5, 8)


@tf.function(input_signature=[tf.TensorSpec([None, None], tf.float64), tf.TensorSpec([], tf.int32)])
def _rows_and_columns(x, k):
    return x[::k], x[:, 1:7:k], x[-2::k, ::k], x[:: -k], x[6:1:k]


@pytest.mark.parametrize("k", [1, 2, 3, 7, 9, -1, -2, -3, -9])
def test_graph_steps_match_numpy(k):
    got = [t.numpy() for t in _rows_and_columns(tf.constant(X), tf.constant(k))]
    want = [X[::k], X[:, 1:7:k], X[-2::k, ::k], X[::-k], X[6:1:k]]
    for g, w in zip(got, want):
        np.testing.assert_array_equal(g, w)


def test_graph_step_with_graph_bounds():
    @tf.function(input_signature=[tf.TensorSpec([None], tf.float64)] + [tf.TensorSpec([], tf.int32)] * 3)
    def f(x, start, stop, step):
        return x[start:stop:step]

    v = np.arange(10.0)
    for start, stop, step in [(1, 9, 2), (8, 0, -3), (-1, -8, -2), (0, 20, 4), (5, 5, 1), (2, 7, -1)]:
        np.testing.assert_array_equal(f(v, start, stop, step).numpy(), v[start:stop:step])


def test_zero_graph_step_is_invalid_argument():
    with pytest.raises(tf.errors.InvalidArgumentError, match="must be non-zero"):
        _rows_and_columns(tf.constant(X), tf.constant(0))


def test_graph_step_gradient_matches_finite_differences():
    x0 = np.random.default_rng(3).normal(size=(6, 5))
    xv = tf.Variable(x0)

    @tf.function
    def loss(x, k):
        return tf.reduce_sum(tf.sin(x[::k, 1::k]) * 1.5)

    for k in (2, -2):
        with tf.GradientTape() as tape:
            y = loss(xv, tf.constant(k))
        expected = numeric_gradient(lambda a, k=k: float(np.sum(np.sin(a[::k, 1::k]) * 1.5)), x0)
        np.testing.assert_allclose(tape.gradient(y, xv).numpy(), expected, atol=1e-6)

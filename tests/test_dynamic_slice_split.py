"""tf.slice, x[i:j] and tf.split with bounds or lengths known only when a graph runs (expected values from
NumPy slicing and TensorFlow 2.21's results and static shapes)."""

import numpy as np
import pytest

import ferroflow as tf
from gradcheck import numeric_gradient

X = np.arange(24.0).reshape(4, 6)
MATRIX = tf.TensorSpec([None, None], tf.float64)
SCALAR = tf.TensorSpec([], tf.int32)


def test_slice_tensor_begin_in_function_with_unknown_shape():
    shapes = []

    @tf.function(input_signature=[MATRIX, SCALAR])
    def f(x, i):
        out = tf.slice(x, [i, 1], [2, -1])
        shapes.append(out.shape.as_list())
        return out

    np.testing.assert_array_equal(f(tf.constant(X), tf.constant(1)).numpy(), X[1:3, 1:])
    np.testing.assert_array_equal(f(tf.constant(X), tf.constant(2)).numpy(), X[2:4, 1:])
    assert shapes == [[2, None]]  # as TensorFlow's shape inference: a Python size fixes that axis


def test_slice_begin_and_size_tensors():
    @tf.function
    def f(x, begin, size):
        return tf.slice(x, begin, size)

    out = f(tf.constant(X), tf.constant([1, 2]), tf.constant([-1, 3]))
    np.testing.assert_array_equal(out.numpy(), X[1:, 2:5])
    out = f(tf.constant(X), tf.constant([0, 5], tf.int64), tf.constant([4, 0], tf.int64))
    assert out.shape == (4, 0)


@pytest.mark.parametrize("begin", [3, -1])
def test_slice_out_of_bounds_is_invalid_argument(begin):
    @tf.function(input_signature=[MATRIX, SCALAR])
    def f(x, i):
        return tf.slice(x, [i, 1], [2, -1])

    with pytest.raises(tf.errors.InvalidArgumentError, match="Expected begin"):
        f(tf.constant(X), tf.constant(begin))


def test_slice_dynamic_gradient_matches_finite_differences():
    w = np.random.default_rng(0).normal(size=(2, 5))

    @tf.function
    def loss(x, i):
        return tf.reduce_sum(tf.slice(x, [i, 1], [2, -1]) ** 2 * w)

    x0 = np.random.default_rng(1).normal(size=(4, 6))
    xv = tf.Variable(x0)
    with tf.GradientTape() as tape:
        y = loss(xv, tf.constant(1))
    grad = tape.gradient(y, xv).numpy()
    expected = numeric_gradient(lambda a: float(np.sum(a[1:3, 1:] ** 2 * w)), x0)
    np.testing.assert_allclose(grad, expected, atol=1e-6)


@pytest.mark.parametrize(
    ("index", "start", "stop", "step", "static"),
    [
        (0, 1, 3, None, [None, 6]),  # x[i:i + 2]
        (0, -3, -1, None, [None, 6]),  # negative bounds count from the end
        (0, 3, 5, None, [None, 6]),  # past the end: clamped, as NumPy and TensorFlow
        (1, 1, None, 2, [4, None]),  # x[:, i::2]
        (0, 2, 0, -1, [None, 6]),  # x[i:0:-1]
    ],
)
def test_getitem_tensor_bounds_in_function(index, start, stop, step, static):
    shapes = []

    @tf.function
    def f(x, i):
        k = slice(i, None if stop is None else i + (stop - start), step)
        out = x[(k,) if index == 0 else (slice(None), k)]
        shapes.append(out.shape.as_list())
        return out

    k = slice(start, stop, step)
    expected = X[(k,) if index == 0 else (slice(None), k)]
    np.testing.assert_array_equal(f(tf.constant(X), tf.constant(start)).numpy(), expected)
    assert shapes == [static]


def test_getitem_tensor_stop_with_reversed_axis():
    @tf.function
    def f(x, i):
        return x[::-1, :i]

    np.testing.assert_array_equal(f(tf.constant(X), tf.constant(-2)).numpy(), X[::-1, :-2])


def test_getitem_tensor_bounds_gradient():
    x0 = np.random.default_rng(2).normal(size=(4, 6))
    xv = tf.Variable(x0)

    @tf.function
    def loss(x, i):
        return tf.reduce_sum(tf.sin(x[i : i + 2, 1:]))

    with tf.GradientTape() as tape:
        y = loss(xv, tf.constant(1))
    expected = numeric_gradient(lambda a: float(np.sum(np.sin(a[1:3, 1:]))), x0)
    np.testing.assert_allclose(tape.gradient(y, xv).numpy(), expected, atol=1e-6)


def test_split_number_of_unknown_axis():
    shapes = []

    @tf.function(input_signature=[MATRIX])
    def f(x):
        parts = tf.split(x, 2, axis=1)
        shapes.append([p.shape.as_list() for p in parts])
        return parts

    a, b = f(tf.constant(X))
    np.testing.assert_array_equal(a.numpy(), X[:, :3])
    np.testing.assert_array_equal(b.numpy(), X[:, 3:])
    assert shapes == [[[None, None], [None, None]]]
    with pytest.raises(tf.errors.InvalidArgumentError, match="evenly divide the split dimension"):
        f(tf.ones([2, 5], tf.float64))


def test_split_sizes_with_minus_one_of_unknown_axis():
    shapes = []

    @tf.function(input_signature=[MATRIX])
    def f(x):
        parts = tf.split(x, [1, -1, 2], axis=1)
        shapes.append([p.shape.as_list() for p in parts])
        return parts

    parts = f(tf.constant(X))
    for part, expected in zip(parts, np.split(X, [1, 4], axis=1)):
        np.testing.assert_array_equal(part.numpy(), expected)
    assert shapes == [[[None, 1], [None, None], [None, 2]]]
    with pytest.raises(tf.errors.InvalidArgumentError, match="Determined shape must either match"):
        f(tf.ones([2, 2], tf.float64))


def test_split_sizes_not_adding_up_is_invalid_argument():
    @tf.function(input_signature=[MATRIX])
    def f(x):
        return tf.split(x, [1, 2], axis=1)

    with pytest.raises(tf.errors.InvalidArgumentError, match="Determined shape must either match"):
        f(tf.constant(X))


def test_split_unknown_axis_gradient():
    x0 = np.random.default_rng(3).normal(size=(3, 4))
    xv = tf.Variable(x0)

    @tf.function(input_signature=[tf.TensorSpec([3, None], tf.float64)])
    def loss(x):
        a, b = tf.split(x, 2, axis=1)
        return tf.reduce_sum(a * tf.exp(b))

    with tf.GradientTape() as tape:
        y = loss(xv)
    expected = numeric_gradient(lambda v: float(np.sum(v[:, :2] * np.exp(v[:, 2:]))), x0)
    np.testing.assert_allclose(tape.gradient(y, xv).numpy(), expected, atol=1e-6)


def test_slice_and_getitem_with_loop_counter():
    @tf.function
    def windows(x, width, extra):
        acc = tf.constant(0.0, tf.float64)
        for i in tf.range(tf.shape(x)[0] - width + 1 + extra):
            acc += tf.reduce_sum(tf.slice(x, [i], [width])) + tf.reduce_sum(x[i : i + width])
        return acc

    v = np.arange(10.0)
    expected = 2 * sum(v[i : i + 2].sum() for i in range(9))
    assert windows(tf.constant(v), 2, 0).numpy() == expected
    with pytest.raises(tf.errors.InvalidArgumentError, match="Expected begin"):
        windows(tf.constant(v), 2, 1)  # the last window would end past the axis

"""Second derivatives through max pooling: the gradient of MaxPoolGrad (TensorFlow's MaxPoolGradGrad).

The max gradient sends each pooled gradient to its window's first maximum, which is linear in that gradient;
so the gradient of a gradient-norm penalty through pooling is checked against finite differences of the
first gradient in float64, with strides, SAME padding and overlapping windows.
"""

import numpy as np
import pytest

import ferroflow as tf

RNG = np.random.default_rng(9)


def first_gradient(x, ksize, strides, padding, w):
    """d/dx sum(max_pool(x) ** 2 * w), by the tape."""
    x = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(tf.square(tf.nn.max_pool2d(x, ksize, strides, padding)) * w)
    return tape.gradient(y, x)


@pytest.mark.parametrize(
    "shape, ksize, strides, padding",
    [((2, 6, 6, 3), 2, 2, "VALID"), ((1, 7, 5, 2), 3, 2, "SAME"), ((2, 5, 5, 4), 3, 1, "VALID")],
)
def test_gradient_of_the_pooling_gradient_matches_finite_differences(shape, ksize, strides, padding):
    # Distinct values, so that no finite-difference step changes which pixel is a window's maximum.
    x = RNG.permutation(np.prod(shape)).reshape(shape).astype("float64") / 10.0
    pooled = tf.nn.max_pool2d(x, ksize, strides, padding).shape
    w = RNG.standard_normal(pooled)
    v = RNG.standard_normal(shape)

    def penalty(x_value):
        return np.sum(first_gradient(x_value, ksize, strides, padding, w).numpy() * v)

    xt = tf.constant(x)
    with tf.GradientTape() as outer:
        outer.watch(xt)
        with tf.GradientTape() as inner:
            inner.watch(xt)
            y = tf.reduce_sum(tf.square(tf.nn.max_pool2d(xt, ksize, strides, padding)) * w)
        g = inner.gradient(y, xt)
        total = tf.reduce_sum(g * v)
    got = outer.gradient(total, xt).numpy()
    want = np.zeros_like(x)
    eps = 1e-4
    for i in np.ndindex(x.shape):
        up, down = x.copy(), x.copy()
        up[i] += eps
        down[i] -= eps
        want[i] = (penalty(up) - penalty(down)) / (2 * eps)
    np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-8)


def test_gradient_of_the_pooling_gradient_in_a_function_at_a_convnet_shape():
    x = tf.constant(RNG.standard_normal((8, 26, 26, 32)).astype("float32"))
    dy = tf.constant(RNG.standard_normal((8, 13, 13, 32)).astype("float32"))

    @tf.function
    def grad_of_grad(x, dy):
        with tf.GradientTape() as outer:
            outer.watch(dy)
            with tf.GradientTape() as inner:
                inner.watch(x)
                y = tf.reduce_sum(tf.nn.max_pool2d(x, 2, 2, "VALID") * dy)
            gx = inner.gradient(y, x)
            total = tf.reduce_sum(gx * x)
        return outer.gradient(total, dy)

    # d/d(dy) of sum(x * pool_grad(dy)) is x at each window's argmax, which is the max itself.
    np.testing.assert_array_equal(grad_of_grad(x, dy).numpy(), tf.nn.max_pool2d(x, 2, 2, "VALID").numpy())

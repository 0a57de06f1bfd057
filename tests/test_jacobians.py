"""``GradientTape.jacobian`` / ``batch_jacobian`` on the advanced-autodiff guide's examples, against finite
differences and against stacked per-element gradients."""

import numpy as np
import pytest

import ferroflow as tf
from gradcheck import numeric_gradient


def test_elementwise_square_has_a_diagonal_jacobian():
    x = tf.Variable([2.0, 3.0])
    with tf.GradientTape() as tape:
        y = x**2
    np.testing.assert_allclose(tape.jacobian(y, x).numpy(), [[4.0, 0.0], [0.0, 6.0]])


def test_scalar_source_jacobian_is_the_derivative_curve():
    x = tf.linspace(-10.0, 10.0, 200 + 1)
    delta = tf.Variable(0.0)
    with tf.GradientTape() as tape:
        y = tf.nn.sigmoid(x + delta)
    dy_dx = tape.jacobian(y, delta)
    assert dy_dx.shape == (201,)
    s = 1 / (1 + np.exp(-x.numpy()))
    np.testing.assert_allclose(dy_dx.numpy(), s * (1 - s), rtol=1e-5, atol=1e-7)


def test_jacobian_of_a_dense_layer_against_finite_differences():
    rng = np.random.default_rng(0)
    kernel = rng.standard_normal((5, 3))
    xs = rng.standard_normal((4, 5))

    def f(k):
        return np.tanh(xs @ k)

    k = tf.Variable(kernel)
    with tf.GradientTape() as tape:
        y = tf.tanh(tf.matmul(tf.constant(xs), k))
    j = tape.jacobian(y, k).numpy()
    assert j.shape == (4, 3, 5, 3)
    for i in np.ndindex(4, 3):
        want = numeric_gradient(lambda kk, i=i: f(kk)[i], kernel)
        np.testing.assert_allclose(j[i], want, rtol=1e-5, atol=1e-8)


def test_batch_jacobian_is_the_diagonal_blocks_of_the_full_jacobian():
    tf.random.set_seed(0)
    x = tf.random.normal([7, 5])
    layer1 = tf.keras.layers.Dense(8, activation=tf.nn.elu)
    layer2 = tf.keras.layers.Dense(6, activation=tf.nn.elu)
    with tf.GradientTape(persistent=True, watch_accessed_variables=False) as tape:
        tape.watch(x)
        y = layer2(layer1(x))
    j = tape.jacobian(y, x)
    jb = tape.batch_jacobian(y, x)
    assert j.shape == (7, 6, 7, 5)
    assert jb.shape == (7, 6, 5)
    full = j.numpy()
    np.testing.assert_allclose(jb.numpy(), np.stack([full[i, :, i, :] for i in range(7)]), rtol=1e-6, atol=1e-7)
    off_diagonal = full.copy()
    for i in range(7):
        off_diagonal[i, :, i, :] = 0
    assert np.all(off_diagonal == 0)


def test_jacobians_inside_a_function_match_eager():
    x0 = np.array([[1.0, 2.0], [3.0, -1.0]])

    def jac(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.sin(x) * tf.reduce_sum(x)
        return tape.jacobian(y, x)

    eager = jac(tf.constant(x0)).numpy()
    traced = tf.function(jac)(tf.constant(x0)).numpy()
    np.testing.assert_allclose(traced, eager, rtol=1e-12)
    for i in np.ndindex(2, 2):
        want = numeric_gradient(lambda v, i=i: (np.sin(v) * v.sum())[i], x0)
        np.testing.assert_allclose(eager[i], want, rtol=1e-6, atol=1e-8)


def test_unconnected_sources_give_none_or_zeros_and_misuse_raises():
    x, unused = tf.Variable([1.0, 2.0]), tf.Variable([3.0, 4.0, 5.0])
    with tf.GradientTape(persistent=True) as tape:
        y = x * 2
    assert tape.jacobian(y, unused) is None
    np.testing.assert_array_equal(tape.jacobian(y, unused, unconnected_gradients="zero").numpy(), np.zeros((2, 3)))
    with pytest.raises(ValueError, match="same first"):
        tape.batch_jacobian(y, unused)
    with tf.GradientTape() as once:
        z = x * 3
    once.gradient(z, x)
    with pytest.raises(RuntimeError, match="persistent"):
        once.jacobian(z, x)


def test_unconnected_gradients_enum_selects_zeros():
    x, unused = tf.Variable(2.0), tf.Variable([1.0, 2.0])
    with tf.GradientTape() as tape:
        y = x * x
    gx, gu = tape.gradient(y, [x, unused], unconnected_gradients=tf.UnconnectedGradients.ZERO)
    assert float(gx) == 4.0
    np.testing.assert_array_equal(gu.numpy(), [0.0, 0.0])


def test_hessians_in_a_graph_match_the_analytic_second_derivatives():
    a = np.array([[2.0, 1.0], [1.0, 3.0]])

    @tf.function
    def hess(x):
        y = tf.reduce_sum(tf.matmul(tf.reshape(x, [1, 2]), tf.matmul(a, tf.reshape(x, [2, 1])))) + tf.reduce_sum(x**3)
        return tf.hessians(y, x)[0]

    x0 = np.array([0.5, -1.0])
    # d2/dx2 of x^T A x + sum(x^3) is 2A + diag(6x) for the symmetric A.
    np.testing.assert_allclose(hess(tf.constant(x0)).numpy(), 2 * a + np.diag(6 * x0), rtol=1e-12)
    with pytest.raises(RuntimeError, match="eager"):
        tf.hessians(tf.constant(1.0), tf.constant(2.0))

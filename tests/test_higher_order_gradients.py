"""Nested eager GradientTapes: an outer tape differentiates the inner tape's gradient computation."""

import numpy as np
import pytest

import ferroflow as tf
from gradcheck import numeric_gradient


def test_the_advanced_autodiff_guides_second_derivative():
    x = tf.Variable(1.0)
    with tf.GradientTape() as t2:
        with tf.GradientTape() as t1:
            y = x * x * x
        dy_dx = t1.gradient(y, x)
    d2y_dx2 = t2.gradient(dy_dx, x)
    assert float(dy_dx) == 3.0 and float(d2y_dx2) == 6.0


def test_third_derivative_with_three_tapes():
    x = tf.constant(0.7, dtype=tf.float64)
    with tf.GradientTape() as t3:
        t3.watch(x)
        with tf.GradientTape() as t2:
            t2.watch(x)
            with tf.GradientTape() as t1:
                t1.watch(x)
                y = tf.sin(x) * x
            d1 = t1.gradient(y, x)
        d2 = t2.gradient(d1, x)
    d3 = t3.gradient(d2, x)
    v = 0.7
    np.testing.assert_allclose(float(d1), np.cos(v) * v + np.sin(v), rtol=1e-12)
    np.testing.assert_allclose(float(d2), -np.sin(v) * v + 2 * np.cos(v), rtol=1e-12)
    np.testing.assert_allclose(float(d3), -np.cos(v) * v - 3 * np.sin(v), rtol=1e-12)


FUNCTIONS = {
    "tanh_matmul": lambda x, w: tf.tanh(tf.matmul(x, w)),
    "softmax": lambda x, w: tf.nn.softmax(tf.matmul(x, w)) * 3.0,
    "sigmoid_exp": lambda x, w: tf.sigmoid(x) * tf.exp(tf.reduce_sum(w) * 0.1),
    "relu_square_mean": lambda x, w: tf.reduce_mean(tf.square(tf.nn.relu(tf.matmul(x, w)))),
    "log_softmax_xent": lambda x, w: tf.nn.softmax_cross_entropy_with_logits(
        labels=tf.constant(np.eye(3)[[0, 2, 1, 0]]), logits=tf.matmul(x, w)
    ),
    "division_and_sqrt": lambda x, w: tf.sqrt(tf.reduce_sum(tf.square(x)) + 1.0) / (1.0 + tf.reduce_sum(w**2)),
}


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_gradient_of_the_gradient_norm_matches_finite_differences(name):
    fn = FUNCTIONS[name]
    rng = np.random.default_rng(3)
    x0, w0 = rng.standard_normal((4, 5)), rng.standard_normal((5, 3)) * 0.5

    def grad_norm(w_value):
        x, w = tf.constant(x0), tf.constant(w_value)
        with tf.GradientTape() as t1:
            t1.watch(x)
            y = tf.reduce_sum(fn(x, w))
        return tf.reduce_sum(tf.square(t1.gradient(y, x)))

    w = tf.Variable(w0)
    x = tf.constant(x0)
    with tf.GradientTape() as t2:
        with tf.GradientTape() as t1:
            t1.watch(x)
            y = tf.reduce_sum(fn(x, w))
        g = t1.gradient(y, x)
        penalty = tf.reduce_sum(tf.square(g))
    got = t2.gradient(penalty, w)
    want = numeric_gradient(lambda v: grad_norm(v).numpy(), w0)
    np.testing.assert_allclose(got.numpy(), want, rtol=1e-5, atol=1e-7)


def test_the_guides_input_gradient_regularization():
    x = tf.random.normal([7, 5])
    layer = tf.keras.layers.Dense(10, activation=tf.nn.relu)
    with tf.GradientTape() as t2:
        with tf.GradientTape() as t1:
            t1.watch(x)
            out = tf.reduce_sum(layer(x) ** 2)
        g1 = t1.gradient(out, x)
        g1_mag = tf.norm(g1)
    dg1_mag = t2.gradient(g1_mag, layer.trainable_variables)
    assert [tuple(v.shape) for v in dg1_mag] == [(5, 10), (10,)]
    assert all(np.isfinite(v.numpy()).all() for v in dg1_mag)


def test_the_guides_hessian_of_a_layer_kernel_and_newton_step():
    x = tf.random.normal([7, 5], seed=1)
    layer1 = tf.keras.layers.Dense(8, activation=tf.nn.relu)
    layer2 = tf.keras.layers.Dense(6, activation=tf.nn.relu)
    with tf.GradientTape() as t2:
        with tf.GradientTape() as t1:
            h = layer2(layer1(x))
            loss = tf.reduce_mean(h**2)
        g = t1.gradient(loss, layer1.kernel)
    hessian = t2.jacobian(g, layer1.kernel)
    assert tuple(hessian.shape) == (5, 8, 5, 8)
    n_params = tf.reduce_prod(layer1.kernel.shape)
    h_mat = tf.reshape(hessian, [n_params, n_params])
    np.testing.assert_allclose(h_mat.numpy(), h_mat.numpy().T, atol=1e-5)  # a Hessian is symmetric
    eye_eps = tf.eye(h_mat.shape[0]) * 1e-3
    update = tf.linalg.solve(h_mat + eye_eps, tf.reshape(g, [-1, 1]))
    assert tuple(tf.reshape(update, layer1.kernel.shape).shape) == (5, 8)


def test_persistent_outer_tape_sees_every_inner_gradient_and_the_inner_tape_stays_first_order():
    x = tf.constant(2.0, dtype=tf.float64)
    with tf.GradientTape(persistent=True) as outer:
        outer.watch(x)
        with tf.GradientTape(persistent=True) as inner:
            inner.watch(x)
            y = x**4
        g1 = inner.gradient(y, x)
        g1_again = inner.gradient(y, x)
    assert float(outer.gradient(g1, x)) == 48.0
    assert float(outer.gradient(g1_again, x)) == 48.0
    assert float(g1) == 32.0


def test_stop_recording_on_the_outer_tape_hides_the_inner_gradient():
    x = tf.Variable(3.0)
    with tf.GradientTape() as outer:
        with tf.GradientTape() as inner:
            y = x * x
        with outer.stop_recording():
            g = inner.gradient(y, x)
    assert outer.gradient(g, x) is None

"""``tf.custom_gradient`` and ``tf.recompute_grad``: TensorFlow's documented examples, eagerly, in
``tf.function`` graphs and in ``fit``, with higher-order gradients and bad ``grad_fn`` results."""

import numpy as np
import pytest

import ferroflow as tf
from gradcheck import numeric_gradient


@tf.custom_gradient
def log1pexp(x):
    e = tf.exp(x)

    def grad(upstream):
        return upstream * (1 - 1 / (1 + e))

    return tf.math.log(1 + e), grad


@tf.custom_gradient
def clip_gradients(y):
    def backward(dy):
        return tf.clip_by_norm(dy, 0.5)

    return y, backward


@tf.custom_gradient
def grad_reverse(x):
    return tf.identity(x), lambda dy: -dy


def test_the_docstrings_log1pexp_is_stable_where_autodiff_gives_nan():
    x = tf.constant(100.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = log1pexp(x)
    assert float(tape.gradient(y, x)) == 1.0

    @tf.function
    def traced(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = log1pexp(x)
        return y, tape.gradient(y, x)

    y, g = traced(tf.constant([0.0, 100.0]))
    np.testing.assert_allclose(g.numpy(), [0.5, 1.0])
    np.testing.assert_allclose(y.numpy(), [np.log(2.0), np.inf])  # log(1 + e^100) overflows float32


def test_the_advanced_autodiff_guides_gradient_clipping():
    v = tf.Variable(2.0)
    with tf.GradientTape() as t:
        output = clip_gradients(v * v)
    assert float(t.gradient(output, v)) == 2.0  # the upstream 1 is clipped to 0.5, times d(v*v)/dv = 4


def test_the_docstrings_variables_example():
    weights = tf.Variable(tf.ones([2]))

    @tf.custom_gradient
    def linear_poly(x):
        poly = weights[1] * x + weights[0]

        def grad_fn(dpoly, variables):
            grad_xs = dpoly * weights[1]
            assert len(variables) == 1 and variables[0] is weights
            dy_dw = dpoly * tf.stack([x**1, x**0])
            return grad_xs, [tf.reduce_sum(tf.reshape(dy_dw, [2, -1]), axis=1)]

        return poly, grad_fn

    x = tf.constant([1.0, 2.0, 3.0])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        poly = linear_poly(x)
    np.testing.assert_array_equal(poly.numpy(), [2.0, 3.0, 4.0])
    np.testing.assert_array_equal(tape.gradient(poly, x).numpy(), [1.0, 1.0, 1.0])
    np.testing.assert_array_equal(tape.gradient(poly, weights).numpy(), [6.0, 3.0])
    assert tape.watched_variables()[0] is weights


def test_several_custom_calls_chain_with_ordinary_ops_between_them():
    x = tf.constant([0.3, -1.2, 2.0], tf.float64)

    def f(x):
        a = log1pexp(x * 2.0)
        b = tf.sin(a) * x
        c = grad_reverse(b * b)
        return tf.reduce_sum(log1pexp(c) + a)

    def plain(x):
        a = tf.math.softplus(x * 2.0)
        b = tf.sin(a) * x
        c = b * b
        return tf.reduce_sum(tf.math.softplus(c) + a)

    with tf.GradientTape() as tape:
        tape.watch(x)
        y = f(x)
    got = tape.gradient(y, x).numpy()
    # Reversal flips the part of the gradient that passes through c.
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        a = tf.math.softplus(x * 2.0)
        b = tf.sin(a) * x
        c = b * b
        through_c = tf.reduce_sum(tf.math.softplus(c))
        through_a = tf.reduce_sum(a)
    want = -tape.gradient(through_c, x).numpy() + tape.gradient(through_a, x).numpy()
    np.testing.assert_allclose(got, want, rtol=1e-12)
    np.testing.assert_allclose(float(y), float(plain(x)), rtol=1e-12)

    traced = tf.function(lambda x: _value_and_grad(f, x))
    np.testing.assert_allclose(traced(x)[1].numpy(), want, rtol=1e-12)


def _value_and_grad(f, x):
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = f(x)
    return y, tape.gradient(y, x)


def test_second_derivative_through_a_custom_gradient():
    x = tf.constant(0.4, tf.float64)
    with tf.GradientTape() as t2:
        t2.watch(x)
        with tf.GradientTape() as t1:
            t1.watch(x)
            y = log1pexp(x)
        dy = t1.gradient(y, x)
    d2 = t2.gradient(dy, x)
    s = 1 / (1 + np.exp(-0.4))
    np.testing.assert_allclose([float(dy), float(d2)], [s, s * (1 - s)], rtol=1e-12)


def test_gradient_reversal_layer_in_fit():
    def model_with(reverse):
        layers = [tf.keras.Input((1,)), tf.keras.layers.Dense(1, use_bias=False, kernel_initializer="ones")]
        if reverse:
            layers.append(tf.keras.layers.Lambda(grad_reverse))
        model = tf.keras.Sequential(layers)
        model.compile(optimizer=tf.keras.optimizers.SGD(0.1), loss="mse")
        model.fit(np.ones((1, 1), np.float32), np.zeros((1, 1), np.float32), epochs=1, verbose=0)
        return float(model.layers[0].kernel.numpy()[0, 0])

    assert model_with(reverse=False) == pytest.approx(0.8)  # 1 - 0.1 * 2
    assert model_with(reverse=True) == pytest.approx(1.2)


def test_recompute_grad_gives_the_plain_gradients_of_inputs_and_variables():
    layer = tf.keras.layers.Dense(4, activation="tanh")
    x = tf.constant(np.random.default_rng(0).standard_normal((3, 5)).astype(np.float32))
    layer(x)
    block = tf.recompute_grad(lambda t: layer(t) * 2.0)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = tf.reduce_sum(block(x) ** 2)
        y_plain = tf.reduce_sum((layer(x) * 2.0) ** 2)
    for got, want in zip(
        tape.gradient(y, [x, *layer.trainable_variables]), tape.gradient(y_plain, [x, *layer.trainable_variables])
    ):
        np.testing.assert_allclose(got.numpy(), want.numpy(), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(float(y), float(y_plain), rtol=1e-6)


def test_recompute_grad_matches_finite_differences():
    f = tf.recompute_grad(lambda t: tf.tanh(t) * tf.exp(t * 0.3))
    x0 = np.linspace(-1, 1, 6)
    x = tf.constant(x0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(f(x))
    want = numeric_gradient(lambda v: np.tanh(v) * np.exp(v * 0.3), x0)
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), want, rtol=1e-8)


def test_without_a_tape_the_function_just_runs():
    np.testing.assert_allclose(log1pexp(tf.constant([0.0])).numpy(), [np.log(2.0)])


def test_bad_grad_fn_results_raise():
    @tf.custom_gradient
    def two_inputs(a, b):
        return a * b, lambda dy: dy  # one gradient for two inputs

    a, b = tf.constant(1.0), tf.constant(2.0)
    with tf.GradientTape() as tape:
        tape.watch([a, b])
        y = two_inputs(a, b)
    with pytest.raises(ValueError, match="expected 2 for the inputs, received 1"):
        tape.gradient(y, [a, b])

    v = tf.Variable(3.0)

    @tf.custom_gradient
    def reads_a_variable(x):
        return x * v, lambda dy: dy * v

    with tf.GradientTape() as tape:
        tape.watch(a)
        with pytest.raises(TypeError, match="keyword argument 'variables'"):
            reads_a_variable(a)

"""AutoGraph: gradients through converted control flow, taken by a tape inside tf.function, equal finite
differences in float64; a training loop written as ``for step in tf.range(n)`` inside tf.function updates
variables with an optimizer exactly as the same loop run eagerly.
"""

import numpy as np
import pytest

import ferroflow as tf
from gradcheck import numeric_gradient

RNG = np.random.default_rng(0)


def traced_gradients(fn, *inputs):
    """Per input: the tape's gradient of ``sum(fn(*inputs) * w)`` inside a tf.function, and finite differences
    of the traced ``fn`` (both sides run the converted graph)."""
    inputs = [np.asarray(x, np.float64) for x in inputs]
    forward = tf.function(fn)
    w = RNG.standard_normal(np.shape(forward(*[tf.constant(x) for x in inputs])))

    @tf.function
    def grad(*args):
        with tf.GradientTape() as tape:
            tape.watch(args)
            y = tf.reduce_sum(fn(*args) * w)
        return tape.gradient(y, list(args))

    got = [g.numpy() for g in grad(*[tf.constant(x) for x in inputs])]
    for i, x in enumerate(inputs):

        def weighted(v, i=i):
            args = [tf.constant(u) for u in inputs]
            args[i] = tf.constant(v)
            return forward(*args).numpy() * w

        np.testing.assert_allclose(got[i], numeric_gradient(weighted, x), rtol=1e-5, atol=1e-8)


def branchy(x, w):
    if tf.reduce_sum(x * w) > 0:
        y = x**3 * w
    else:
        y = tf.sin(x) + w * w
    return y


@pytest.mark.parametrize("sign", [1.0, -1.0])
def test_gradient_through_a_converted_if_both_branches(sign):
    x = sign * np.array([0.3, 0.8, 0.5])
    traced_gradients(branchy, x, np.array([1.2, 0.4, 0.9]))


def repeated(x, w, n):
    i = tf.constant(0)
    while i < n:
        x = tf.sin(x * w) + 0.1 * x
        i += 1
    return x


def test_gradient_through_a_converted_while_with_a_run_time_trip_count():
    for n in (0, 1, 4):
        traced_gradients(lambda x, w, n=n: repeated(x, w, tf.constant(n)), [0.4, -0.3], [1.3, 0.7])


def loop_with_jumps(x):
    acc = tf.zeros_like(x)
    for i in tf.range(10):
        if i % 2 == 1:
            continue
        acc = acc + x * tf.cast(i, x.dtype)
        if tf.reduce_sum(acc) > 6.0:
            break
        acc = tf.tanh(acc)
    return acc


def test_gradient_through_break_continue_and_an_if_inside_a_loop():
    traced_gradients(loop_with_jumps, [0.2, 0.5, 0.1])
    traced_gradients(loop_with_jumps, [2.0, 3.0, 1.0])  # breaks early


def returns_by_sign(x):
    if tf.reduce_mean(x) > 0:
        return tf.exp(x) * x
    return x * x


def test_gradient_through_return_statements():
    traced_gradients(returns_by_sign, [0.5, 0.25])
    traced_gradients(returns_by_sign, [-0.5, 0.25])


def linear_regression(optimizer):
    """A model, its optimizer and a training loop over ``tf.range``, for running eagerly or traced."""
    rng = np.random.default_rng(1)
    x = tf.constant(rng.normal(size=(64, 3)))
    y = tf.constant(x.numpy() @ [[1.5], [-2.0], [0.5]] + 0.3)
    w = tf.Variable(np.zeros((3, 1)))
    b = tf.Variable(np.zeros((1,)))

    def train(n):
        for _step in tf.range(n):
            with tf.GradientTape() as tape:
                loss = tf.reduce_mean((tf.matmul(x, w) + b - y) ** 2)
            grads = tape.gradient(loss, [w, b])
            optimizer.apply_gradients(zip(grads, [w, b]))
        return loss

    return train, w, b


@pytest.mark.parametrize(
    "make_optimizer", [lambda: tf.keras.optimizers.SGD(0.1), lambda: tf.keras.optimizers.Adam(0.05)]
)
def test_training_loop_over_tf_range_matches_eager(make_optimizer):
    eager_train, w_eager, b_eager = linear_regression(make_optimizer())
    graph_train, w_graph, b_graph = linear_regression(make_optimizer())
    traced = tf.function(graph_train)
    for n in (5, 20, 75):
        eager_loss = eager_train(tf.constant(n))
        graph_loss = traced(tf.constant(n))
        np.testing.assert_allclose(graph_loss.numpy(), eager_loss.numpy(), rtol=1e-10)
        np.testing.assert_allclose(w_graph.numpy(), w_eager.numpy(), rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(b_graph.numpy(), b_eager.numpy(), rtol=1e-10, atol=1e-12)
    assert traced.experimental_get_tracing_count() == 1
    np.testing.assert_allclose(w_graph.numpy().ravel(), [1.5, -2.0, 0.5], atol=0.05)
    np.testing.assert_allclose(b_graph.numpy(), [0.3], atol=0.05)


def stopping_rule_fit():
    """A model fitted until its loss falls below a tolerance: a while loop on a tensor condition."""
    w = tf.Variable(5.0, dtype=tf.float64)
    opt = tf.keras.optimizers.SGD(0.1)

    def fit(tolerance):
        steps = 0
        loss = (w - 1.0) ** 2
        while loss > tolerance:
            with tf.GradientTape() as tape:
                loss = (w - 1.0) ** 2
            opt.apply_gradients([(tape.gradient(loss, w), w)])
            steps += 1
        return steps, loss

    return fit, w


def test_training_loop_with_a_tensor_stopping_rule():
    eager_fit, w_eager = stopping_rule_fit()
    graph_fit, w_graph = stopping_rule_fit()
    tolerance = tf.constant(1e-6, tf.float64)
    eager_steps, eager_loss = eager_fit(tolerance)
    steps, loss = tf.function(graph_fit)(tolerance)
    # w - 1 shrinks by 0.8 per step from 4: the loss 16 * 0.64**(k - 1) first falls below 1e-6 at step 39
    assert int(steps) == int(eager_steps) == 39
    np.testing.assert_allclose([float(loss), float(w_graph)], [float(eager_loss), float(w_eager)], rtol=1e-12)
    assert abs(float(w_graph) - 1.0) < 1e-3

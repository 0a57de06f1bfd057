"""Gradients inside tf.function with respect to eager tensors the function closes over (captures).

TensorFlow captures such a tensor once per trace; a tape that watches it differentiates through it, and one
that does not gives None. Values are checked against the closed-form gradients and float64 finite differences.
"""

import numpy as np

import ferroflow as tf
from gradcheck import numeric_gradient

rng = np.random.default_rng(7)


def _loss_grads(x, g):
    """d/dx and d/dg of sum((x * g) ** 2): 2 x g^2 and 2 g sum_rows(x^2)."""
    return 2 * x * g**2, 2 * g * (x**2).sum(axis=0)


def test_watched_captures_have_the_eager_gradients():
    x0, g0 = rng.random((32, 16)), rng.standard_normal(16)
    x, g = tf.constant(x0), tf.constant(g0)

    def grads():
        with tf.GradientTape() as tape:
            tape.watch([x, g])
            loss = tf.reduce_sum((x * g) ** 2)
        return tape.gradient(loss, [x, g])

    eager = grads()
    traced = tf.function(grads)
    graph = traced()
    want_x, want_g = _loss_grads(x0, g0)
    for got in (eager, graph, traced()):
        np.testing.assert_allclose(got[0].numpy(), want_x, rtol=1e-12)
        np.testing.assert_allclose(got[1].numpy(), want_g, rtol=1e-12)
    assert traced.experimental_get_tracing_count() == 1


def test_watched_capture_matches_finite_differences():
    x0, w0 = rng.standard_normal((3, 4)), rng.standard_normal((4, 2))
    x, w = tf.constant(x0), tf.constant(w0)

    def fn(a, b):
        return tf.reduce_sum(tf.tanh(tf.matmul(a, b)) * tf.exp(b[:, :1] * 0.5)[:, 0][None, :2])

    @tf.function
    def grad_w():
        with tf.GradientTape() as tape:
            tape.watch(w)
            y = fn(x, w)
        return tape.gradient(y, w)

    want = numeric_gradient(lambda v: float(fn(x0, tf.constant(v))), w0)
    np.testing.assert_allclose(grad_w().numpy(), want, atol=1e-6)


def test_unwatched_captures_give_none_as_in_tensorflow():
    x, g = tf.constant(rng.random((4, 3))), tf.constant(np.ones(3))

    @tf.function
    def only_x():
        with tf.GradientTape() as tape:
            tape.watch(x)
            loss = tf.reduce_sum((x * g) ** 2)
        return tape.gradient(loss, [x, g])

    @tf.function
    def none_watched():
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum((x * g) ** 2)
        return tape.gradient(loss, [x, g], unconnected_gradients=tf.UnconnectedGradients.NONE)

    gx, gg = only_x()
    np.testing.assert_allclose(gx.numpy(), _loss_grads(x.numpy(), g.numpy())[0])
    assert gg is None
    assert none_watched() == [None, None]


def test_capture_used_in_a_nested_function_and_a_control_dependencies_block():
    x0, g0 = rng.random((4, 3)), np.full(3, 2.0)
    x, g = tf.constant(x0), tf.constant(g0)

    @tf.function
    def inner(a):
        return tf.reduce_sum(tf.sin(a * x) * g)

    @tf.function
    def outer():
        with tf.GradientTape(persistent=True) as tape:
            tape.watch([x, g])
            y = inner(tf.constant(1.5, tf.float64))
            with tf.control_dependencies([tf.constant(0.0, tf.float64)]):
                z = tf.reduce_sum(g * g)
            total = y + z + tf.reduce_sum(g)
        return tape.gradient(y, x), tape.gradient(total, g)

    gx, gg = outer()
    np.testing.assert_allclose(gx.numpy(), 1.5 * np.cos(1.5 * x0) * g0, rtol=1e-12)
    np.testing.assert_allclose(gg.numpy(), np.sin(1.5 * x0).sum(axis=0) + 2 * g0 + 1, rtol=1e-12)


def test_second_order_gradient_of_a_capture():
    x0, g0 = rng.random((4, 3)), rng.random(3) + 0.5
    x, g = tf.constant(x0), tf.constant(g0)

    @tf.function
    def second():
        with tf.GradientTape() as t2:
            t2.watch(g)
            with tf.GradientTape() as t1:
                t1.watch(g)
                y = tf.reduce_sum(x * g**3)
            d = t1.gradient(y, g)
        return d, t2.gradient(d, g)

    d, dd = second()
    np.testing.assert_allclose(d.numpy(), 3 * g0**2 * x0.sum(axis=0), rtol=1e-12)
    np.testing.assert_allclose(dd.numpy(), 6 * g0 * x0.sum(axis=0), rtol=1e-12)


def test_captured_variable_and_tensor_together():
    x0, g0 = rng.random((4, 3)), rng.random(3)
    x, g = tf.constant(x0), tf.constant(g0)
    v = tf.Variable(np.arange(3.0))

    @tf.function
    def step():
        with tf.GradientTape() as tape:
            tape.watch(g)
            y = tf.reduce_sum(x * g * v)
        return tape.gradient(y, [g, v])

    gg, gv = step()
    np.testing.assert_allclose(gg.numpy(), x0.sum(axis=0) * np.arange(3.0))
    np.testing.assert_allclose(gv.numpy(), x0.sum(axis=0) * g0)
    v.assign([1.0, 1.0, 1.0])  # the variable is read at run time; the traced gradient follows it
    np.testing.assert_allclose(step()[0].numpy(), x0.sum(axis=0))


def test_tf_gradients_through_a_capture():
    x0, g0 = rng.random((4, 3)), rng.random(3)
    x, g = tf.constant(x0), tf.constant(g0)

    @tf.function
    def grads():
        return tf.gradients(tf.reduce_sum(x * g), [x, g])

    gx, gg = grads()
    np.testing.assert_allclose(gx.numpy(), np.broadcast_to(g0, (4, 3)))
    np.testing.assert_allclose(gg.numpy(), x0.sum(axis=0))


def test_each_captured_tensor_is_one_node_of_the_trace():
    x = tf.constant([1.0, 2.0])
    traced = tf.function(lambda: x * x + x)
    types = [op.type for op in traced.get_concrete_function().graph.get_operations()]
    assert types.count("Const") == 1
    np.testing.assert_allclose(traced().numpy(), [2.0, 6.0])

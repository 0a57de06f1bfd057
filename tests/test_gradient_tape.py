"""GradientTape and symbolic gradients against central finite differences in float64."""

import numpy as np
import pytest

import ferroflow as tf
from gradcheck import numeric_gradient

rng = np.random.default_rng(1)


EXPRESSIONS = {
    "matmul_softmax": lambda x, w: tf.reduce_sum(tf.nn.softmax(tf.matmul(x, w)) * w[0]),
    "broadcast_mul_mean": lambda x, w: tf.reduce_mean(x[:, :, None] * w[None] + tf.exp(w)),
    "slices_concat": lambda x, w: tf.reduce_sum(tf.concat([x[::-1, 1:], w[:, ::2]], axis=1) ** 2),
    "log_softmax_xent": lambda x, w: tf.reduce_sum(
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[0, 2, 1], logits=tf.matmul(x, w))
    ),
    "tanh_sigmoid_max": lambda x, w: tf.reduce_max(tf.tanh(x) @ tf.sigmoid(w), axis=0)[1],
    "relu_sqrt_div": lambda x, w: tf.reduce_sum(tf.nn.relu(x) / (1.0 + tf.sqrt(tf.square(w) + 1.0))[:, :1]),
    "stack_transpose": lambda x, w: tf.reduce_sum(tf.transpose(tf.stack([x, x * 2.0])) * tf.reduce_mean(w)),
}


@pytest.mark.parametrize("name", sorted(EXPRESSIONS))
def test_tape_gradient_matches_finite_differences(name):
    fn = EXPRESSIONS[name]
    x0 = rng.standard_normal((3, 3))
    w0 = rng.standard_normal((3, 3))
    x = tf.constant(x0)
    w = tf.Variable(w0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = fn(x, w)
    gx, gw = tape.gradient(y, [x, w])
    np.testing.assert_allclose(gx.numpy(), numeric_gradient(lambda v: float(fn(tf.constant(v), w0)), x0), atol=1e-6)
    np.testing.assert_allclose(gw.numpy(), numeric_gradient(lambda v: float(fn(x0, tf.constant(v))), w0), atol=1e-6)


def test_symbolic_gradient_inside_function_matches_eager():
    w = tf.Variable(rng.standard_normal((4, 2)))
    x = rng.standard_normal((5, 4))

    def loss_and_grad(inp):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(tf.matmul(inp, w)))
        return loss, tape.gradient(loss, w)

    eager_loss, eager_grad = loss_and_grad(tf.constant(x))
    graph_loss, graph_grad = tf.function(loss_and_grad)(tf.constant(x))
    np.testing.assert_allclose(graph_loss.numpy(), eager_loss.numpy(), rtol=1e-12)
    np.testing.assert_allclose(graph_grad.numpy(), eager_grad.numpy(), rtol=1e-12)


def test_unconnected_sources_give_none_or_zeros():
    a, b = tf.Variable(1.0), tf.Variable(2.0)
    with tf.GradientTape(persistent=True) as tape:
        y = a * 3.0
    assert tape.gradient(y, b) is None
    assert float(tape.gradient(y, b, unconnected_gradients="zero")) == 0.0
    assert float(tape.gradient(y, a)) == 3.0


def test_non_persistent_tape_can_be_used_once():
    a = tf.Variable(1.0)
    with tf.GradientTape() as tape:
        y = a * a
    tape.gradient(y, a)
    with pytest.raises(RuntimeError, match="persistent"):
        tape.gradient(y, a)


def test_nested_sources_keep_their_structure():
    a, b = tf.Variable(1.0), tf.Variable(2.0)
    with tf.GradientTape() as tape:
        y = a * b
    g = tape.gradient(y, {"a": a, "pair": [b, a]})
    assert float(g["a"]) == 2.0 and float(g["pair"][0]) == 1.0


def test_watch_accessed_variables_off_and_stop_recording():
    a = tf.Variable(2.0)
    with tf.GradientTape(watch_accessed_variables=False) as tape:
        y = a * a
    assert tape.gradient(y, a) is None
    with tf.GradientTape() as tape:
        with tape.stop_recording():
            z = a * a
        y = a * 3.0 + z
    assert float(tape.gradient(y, a)) == 3.0


def test_second_order_gradients_in_a_function():
    x = tf.Variable(1.5)

    @tf.function
    def derivatives():
        with tf.GradientTape() as outer:
            with tf.GradientTape() as inner:
                y = x * x * x
            dy = inner.gradient(y, x)
        return dy, outer.gradient(dy, x)

    dy, d2y = derivatives()
    assert abs(float(dy) - 3 * 1.5**2) < 1e-5
    assert abs(float(d2y) - 6 * 1.5) < 1e-5


def test_training_loop_with_tape_converges():
    tf.random.set_seed(0)
    true_w, true_b = 3.0, -1.0
    xs = rng.standard_normal((200, 1)).astype(np.float32)
    ys = true_w * xs + true_b
    w, b = tf.Variable([[0.0]]), tf.Variable([0.0])
    for _ in range(200):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(tf.matmul(xs, w) + b - ys))
        gw, gb = tape.gradient(loss, [w, b])
        w.assign_sub(0.1 * gw)
        b.assign_sub(0.1 * gb)
    assert float(loss) < 1e-4
    assert abs(float(w[0, 0]) - true_w) < 1e-2 and abs(float(b[0]) - true_b) < 1e-2


def test_the_autodiff_guides_watching_and_control_flow_examples():
    x0 = tf.Variable(3.0, name="x0")
    x1 = tf.Variable(3.0, name="x1", trainable=False)
    x2 = tf.Variable(2.0, name="x2") + 1.0
    x3 = tf.constant(3.0, name="x3")
    with tf.GradientTape() as tape:
        y = (x0**2) + (x1**2) + (x2**2)
    grad = tape.gradient(y, [x0, x1, x2, x3])
    assert float(grad[0]) == 6.0 and grad[1] is None and grad[2] is None and grad[3] is None
    assert [v.name for v in tape.watched_variables()] == ["x0:0"]

    x = tf.constant([1, 3.0])  # a mixed list is float32, so it can be watched
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x * x
        z = y * y
    np.testing.assert_array_equal(tape.gradient(z, x).numpy(), [4.0, 108.0])
    np.testing.assert_array_equal(tape.gradient(y, x).numpy(), [2.0, 6.0])

    v0, v1 = tf.Variable(2.0), tf.Variable(2.0)
    with tf.GradientTape(persistent=True) as tape:
        result = v0  # the branch taken returns the variable itself
    dv0, dv1 = tape.gradient(result, [v0, v1])
    assert float(dv0) == 1.0 and dv1 is None

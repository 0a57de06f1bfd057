"""``ferroflow.compat.v1.train``: TF1 optimizers against NumPy versions of TF1's update rules, and the global step."""

import numpy as np
import pytest

import ferroflow as tf

v1 = tf.compat.v1

W0 = np.array([1.0, -2.0], np.float32)
TARGET = np.array([3.0, 0.5], np.float32)
COEF = np.array([1.0, 0.5], np.float32)


def _grad(w):
    return 2.0 * COEF * (w - TARGET)


def _quadratic(graph, name="w"):
    w = v1.get_variable(name, initializer=W0)
    loss = tf.reduce_sum(COEF * tf.square(w - TARGET))
    return w, loss


def _numpy_gd(lr, steps):
    w = W0.astype(np.float64)
    for _ in range(steps):
        w = w - lr * _grad(w)
    return w


def _numpy_momentum(lr, m, nesterov, steps):
    w, accum = W0.astype(np.float64), np.zeros(2)
    for _ in range(steps):
        g = _grad(w)
        accum = m * accum + g
        w = w - (lr * (g + m * accum) if nesterov else lr * accum)
    return w


def _numpy_adam(lr, b1, b2, eps, steps):
    w, m, v = W0.astype(np.float64), np.zeros(2), np.zeros(2)
    for t in range(1, steps + 1):
        g = _grad(w)
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        lr_t = lr * np.sqrt(1 - b2**t) / (1 - b1**t)
        w = w - lr_t * m / (np.sqrt(v) + eps)
    return w


def _numpy_rmsprop(lr, decay, momentum, eps, steps):
    w, ms, mom = W0.astype(np.float64), np.ones(2), np.zeros(2)  # TF1 starts the mean square at ones
    for _ in range(steps):
        g = _grad(w)
        ms = decay * ms + (1 - decay) * g * g
        mom = momentum * mom + lr * g / np.sqrt(ms + eps)
        w = w - mom
    return w


CASES = [
    ("gd", lambda: v1.train.GradientDescentOptimizer(0.1), lambda n: _numpy_gd(0.1, n)),
    ("momentum", lambda: v1.train.MomentumOptimizer(0.05, 0.9), lambda n: _numpy_momentum(0.05, 0.9, False, n)),
    (
        "nesterov",
        lambda: v1.train.MomentumOptimizer(0.05, 0.9, use_nesterov=True),
        lambda n: _numpy_momentum(0.05, 0.9, True, n),
    ),
    ("adam", lambda: v1.train.AdamOptimizer(0.1), lambda n: _numpy_adam(0.1, 0.9, 0.999, 1e-8, n)),
    (
        "rmsprop",
        lambda: v1.train.RMSPropOptimizer(0.05, decay=0.9, momentum=0.5),
        lambda n: _numpy_rmsprop(0.05, 0.9, 0.5, 1e-10, n),
    ),
]


@pytest.mark.parametrize("name,make,reference", CASES, ids=[c[0] for c in CASES])
def test_minimize_matches_tf1_update_rule_and_converges(name, make, reference):
    g = tf.Graph()
    with g.as_default():
        w, loss = _quadratic(g)
        train_op = make().minimize(loss)
        with v1.Session(graph=g) as sess:
            sess.run(v1.global_variables_initializer())
            assert sess.run(train_op) is None  # the training op is an operation
            sess.run(train_op)
            np.testing.assert_allclose(sess.run(w), reference(2), rtol=1e-5, atol=1e-6)
            for _ in range(300):
                sess.run(train_op)
            np.testing.assert_allclose(sess.run(w), TARGET, atol=2e-2)
            assert sess.run(loss) < 1e-3


def test_variable_is_unchanged_until_train_op_runs():
    g = tf.Graph()
    with g.as_default():
        w, loss = _quadratic(g)
        train_op = v1.train.GradientDescentOptimizer(0.1).minimize(loss)
        with v1.Session(graph=g) as sess:
            sess.run(v1.global_variables_initializer())
            sess.run(loss)
            sess.run(loss)
            np.testing.assert_array_equal(sess.run(w), W0)  # building and fetching the loss trains nothing
            sess.run(train_op)
            np.testing.assert_allclose(sess.run(w), _numpy_gd(0.1, 1), rtol=1e-6)


def test_global_step_counts_training_steps():
    g = tf.Graph()
    with g.as_default():
        step = v1.train.get_or_create_global_step()
        assert v1.train.get_or_create_global_step() is step
        assert v1.train.get_global_step() is step and step.dtype == tf.int64 and not step.trainable
        with pytest.raises(ValueError, match="already exists"):
            v1.train.create_global_step()
        w, loss = _quadratic(g)
        train_op = v1.train.AdamOptimizer(0.01).minimize(loss, global_step=step)
        with v1.Session(graph=g) as sess:
            sess.run(v1.global_variables_initializer())
            assert sess.run(step) == 0
            for _ in range(3):
                sess.run(train_op)
            assert v1.train.global_step(sess, step) == 3
            np.testing.assert_allclose(sess.run(w), _numpy_adam(0.01, 0.9, 0.999, 1e-8, 3), rtol=1e-5)
    with tf.Graph().as_default():
        assert v1.train.get_global_step() is None


def test_compute_and_apply_gradients():
    g = tf.Graph()
    with g.as_default():
        w, loss = _quadratic(g)
        frozen = v1.get_variable("frozen", initializer=np.float32(5.0))
        opt = v1.train.GradientDescentOptimizer(0.1)
        grads_and_vars = opt.compute_gradients(loss)
        assert [v for _, v in grads_and_vars] == [w, frozen]
        assert grads_and_vars[1][0] is None  # the loss does not depend on it
        clipped = [(tf.clip_by_value(gr, -1.0, 1.0), v) for gr, v in grads_and_vars if gr is not None]
        train_op = opt.apply_gradients(clipped)
        with v1.Session(graph=g) as sess:
            sess.run(v1.global_variables_initializer())
            np.testing.assert_allclose(sess.run(grads_and_vars[0][0]), _grad(W0), rtol=1e-6)
            sess.run(train_op)
            np.testing.assert_allclose(sess.run(w), W0 - 0.1 * np.clip(_grad(W0), -1, 1), rtol=1e-6)
            assert sess.run(frozen) == 5.0
        with pytest.raises(ValueError, match="No gradients provided"):
            opt.minimize(tf.reduce_sum(tf.constant([1.0, 2.0])), var_list=[frozen])


def test_learning_rate_may_be_a_placeholder():
    g = tf.Graph()
    with g.as_default():
        w, loss = _quadratic(g)
        lr = v1.placeholder(tf.float32, [], name="lr")
        train_op = v1.train.GradientDescentOptimizer(lr).minimize(loss)
        with v1.Session(graph=g) as sess:
            sess.run(v1.global_variables_initializer())
            sess.run(train_op, feed_dict={lr: 0.0})
            np.testing.assert_array_equal(sess.run(w), W0)
            sess.run(train_op, feed_dict={lr: 0.1})
            np.testing.assert_allclose(sess.run(w), _numpy_gd(0.1, 1), rtol=1e-6)


def test_separate_var_lists_share_one_optimizer():
    g = tf.Graph()
    with g.as_default():
        a = v1.get_variable("a", initializer=np.float32(1.0))
        b = v1.get_variable("b", initializer=np.float32(1.0))
        opt = v1.train.GradientDescentOptimizer(0.5)
        step_a = opt.minimize(tf.square(a), var_list=[a])
        step_b = opt.minimize(tf.square(b), var_list=[b])
        with v1.Session(graph=g) as sess:
            sess.run(v1.global_variables_initializer())
            sess.run(step_a)
            assert sess.run([a, b]) == [0.0, 1.0]
            sess.run(step_b)
            assert sess.run([a, b]) == [0.0, 0.0]


def test_minimize_eagerly_with_a_callable_loss():
    w = tf.Variable(W0.copy())
    opt = v1.train.GradientDescentOptimizer(0.1)
    for _ in range(2):
        opt.minimize(lambda: tf.reduce_sum(COEF * tf.square(w - TARGET)), var_list=[w])
    np.testing.assert_allclose(w.numpy(), _numpy_gd(0.1, 2), rtol=1e-6)

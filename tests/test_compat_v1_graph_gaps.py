"""TF1 graph code's core API: tf.gradients with respect to constants and other non-variable graph tensors,
variable names (``'w:0'``, ``op.name`` ``'w'``), and tf.reshape to a shape known only when the graph runs.

Expected values, static shapes and error types were checked against TensorFlow 2.21 (this file passes unchanged
there with the import swapped).
"""

import numpy as np
import pytest

import ferroflow as tf

v1 = tf.compat.v1


def finite_difference(f, x, eps=1e-6):
    x = np.asarray(x, np.float64)
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[i] = eps
        grad[i] = (f(x + step) - f(x - step)) / (2 * eps)
    return grad


def test_gradients_with_respect_to_a_constant():
    values = np.array([0.5, -1.0, 2.0])
    with tf.Graph().as_default():
        x = tf.constant(values)
        y = tf.reduce_sum(tf.sin(x) * x)
        (g,) = tf.gradients(y, x)
        assert g is not None and g.shape == (3,)
        with v1.Session() as sess:
            got = sess.run(g)
    np.testing.assert_allclose(got, finite_difference(lambda v: np.sum(np.sin(v) * v), values), rtol=1e-6)


def test_gradients_with_respect_to_constants_placeholders_and_intermediates():
    with tf.Graph().as_default():
        c = tf.constant([1.0, 2.0, 3.0], tf.float64)
        p = v1.placeholder(tf.float64, [3])
        h = c * 2.0
        z = tf.reduce_sum(tf.sin(p) * c) + tf.reduce_sum(h * h)
        grads = tf.gradients(z, [p, c, h])
        unrelated = tf.constant(5.0, tf.float64)
        assert tf.gradients(z, unrelated) == [None]
        with v1.Session() as sess:
            gp, gc, gh = sess.run(grads, {p: [0.0, 1.0, 2.0]})
    np.testing.assert_allclose(gp, np.cos([0.0, 1.0, 2.0]) * [1.0, 2.0, 3.0])
    np.testing.assert_allclose(gc, np.sin([0.0, 1.0, 2.0]) + 8.0 * np.array([1.0, 2.0, 3.0]))
    np.testing.assert_allclose(gh, [4.0, 8.0, 12.0])


def test_a_fed_constant_feeds_every_use():
    with tf.Graph().as_default():
        x = tf.constant(2.0)
        y = x * x + x
        with v1.Session() as sess:
            assert sess.run(y) == 6.0
            assert sess.run(y, {x: 3.0}) == 12.0


def test_gradients_in_a_function_with_respect_to_a_constant():
    @tf.function
    def f(a):
        c = tf.constant(3.0)
        return tf.gradients(a * c * c, [c, a])

    gc, ga = f(tf.constant(2.0))
    assert float(gc) == 12.0 and float(ga) == 9.0


def test_reshape_to_a_run_time_shape_in_a_graph():
    values = np.arange(12, dtype=np.float32).reshape(2, 2, 3)
    with tf.Graph().as_default():
        x = v1.placeholder(tf.float32, [None, 2, 3])
        flat = tf.reshape(x, tf.stack([tf.shape(x)[0], -1]))
        assert flat.shape.as_list() == [None, None]
        fed = v1.placeholder(tf.int32, [2])
        assert tf.reshape(x, fed).shape.as_list() == [None, None]
        any_rank = v1.placeholder(tf.int32, [None])
        assert tf.reshape(x, any_rank).shape.rank is None
        assert tf.reshape(x, [tf.shape(x)[0], 3, 2]).shape.as_list() == [None, 3, 2]
        assert tf.reshape(x, tf.shape(x)).shape.as_list() == [None, 2, 3]
        assert tf.reshape(x, [-1, tf.shape(x)[1] * 3]).shape.as_list() == [None, 6]
        y = v1.placeholder(tf.float32, [4, 6])
        assert tf.reshape(y, tf.stack([2, tf.shape(x)[0]])).shape.as_list() == [2, 12]
        (grad,) = tf.gradients(tf.reduce_sum(flat * flat), x)
        with v1.Session() as sess:
            got = sess.run(
                [flat, tf.reshape(x, fed), tf.reshape(x, any_rank), grad], {x: values, fed: [3, 4], any_rank: [12]}
            )
            with pytest.raises(tf.errors.InvalidArgumentError):
                sess.run(tf.reshape(x, fed), {x: values, fed: [5, 5]})
    np.testing.assert_array_equal(got[0], values.reshape(2, 6))
    np.testing.assert_array_equal(got[1], values.reshape(3, 4))
    np.testing.assert_array_equal(got[2], values.reshape(12))
    np.testing.assert_array_equal(got[3], 2 * values)


def test_reshape_to_a_run_time_shape_in_a_function():
    @tf.function(input_signature=[tf.TensorSpec([None, 3, 4], tf.float64)])
    def flatten(a):
        with tf.GradientTape() as tape:
            tape.watch(a)
            r = tf.reshape(a, tf.stack([tf.shape(a)[0], -1]))
            loss = tf.reduce_sum(tf.sin(r))
        return r, tape.gradient(loss, a)

    values = np.linspace(-1.0, 1.0, 24).reshape(2, 3, 4)
    r, g = flatten(tf.constant(values))
    assert r.shape == (2, 12)
    np.testing.assert_allclose(g.numpy(), np.cos(values), rtol=1e-12)
    concrete = flatten.get_concrete_function()
    assert concrete.structured_outputs[0].shape.as_list() == [None, None]

    @tf.function(input_signature=[tf.TensorSpec([None, 3, 4]), tf.TensorSpec([None], tf.int32)])
    def to_shape(a, shape):
        return tf.reshape(a, shape)

    assert to_shape(tf.ones([2, 3, 4]), tf.constant([4, 6])).shape == (4, 6)
    with pytest.raises(tf.errors.InvalidArgumentError):
        to_shape(tf.ones([2, 3, 4]), tf.constant([5, 6]))


def test_variable_names_carry_the_output_index():
    v = tf.Variable(1.0, name="w")
    assert v.name == "w:0"
    with tf.name_scope("outer"):
        assert tf.Variable(0.0, name="w").name == "outer/w:0"

    class Holder(tf.Module):
        def __init__(self):
            super().__init__()
            self.kernel = tf.Variable([1.0, 2.0], name="kernel")

    assert [x.name for x in Holder().trainable_variables] == ["kernel:0"]


def test_graph_variable_names_and_checkpoint_keys(tmp_path):
    with tf.Graph().as_default():
        a = v1.Variable(1.0, name="w")
        b = v1.get_variable("s/x", [2], initializer=v1.ones_initializer())
        c = v1.Variable(2.0, name="w")
        assert (a.name, a.op.name, b.name, b.op.name, c.name, c.op.name) == ("w:0", "w", "s/x:0", "s/x", "w_1:0", "w_1")
        assert [x.name for x in v1.global_variables()] == ["w:0", "s/x:0", "w_1:0"]
        ema = v1.train.ExponentialMovingAverage(0.9)
        ema.apply([a])
        assert ema.average(a).name == "w/ExponentialMovingAverage:0"
        assert ema.average_name(a) == "w/ExponentialMovingAverage"
        saver = v1.train.Saver([a, b, c])
        with v1.Session() as sess:
            assert sess.run(v1.report_uninitialized_variables()).tolist()[:3] == [b"w", b"s/x", b"w_1"]
            sess.run(v1.global_variables_initializer())
            path = saver.save(sess, str(tmp_path / "model"))
            sess.run(a.assign(5.0))
            saver.restore(sess, path)
            assert sess.run(a) == 1.0
    assert tf.train.list_variables(path) == [("s/x", [2]), ("w", []), ("w_1", [])]

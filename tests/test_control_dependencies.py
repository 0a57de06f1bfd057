"""``tf.control_dependencies``, ``tf.tuple`` and ``tf.no_op``: in TF1 sessions the control inputs run even
when only a dependent tensor is fetched; in functions and eagerly ops run in program order."""

import numpy as np
import pytest

import ferroflow as tf

v1 = tf.compat.v1


@pytest.fixture
def graph():
    g = tf.Graph()
    with g.as_default():
        yield g


def test_a_read_under_control_dependencies_sees_the_update_in_a_session(graph):
    v = tf.Variable(1.0)
    update = v.assign_add(10.0)
    with tf.control_dependencies([update]):
        after = tf.identity(v.read_value())
    plain = v.read_value() * 1.0
    with v1.Session(graph=graph) as sess:
        sess.run(v1.global_variables_initializer())
        assert sess.run(plain) == 1.0  # nothing forces the update
        assert sess.run(after) == 11.0  # the update runs first
        assert sess.run(after) == 21.0
        assert sess.run(plain) == 21.0


def test_nested_blocks_accumulate_and_none_clears_them(graph):
    counter = tf.Variable(0.0)
    a = counter.assign_add(1.0)
    b = counter.assign_add(100.0)
    with tf.control_dependencies([a]):
        only_a = tf.constant(0.0) + 1.0
        with graph.control_dependencies([b]):
            both = tf.constant(0.0) + 1.0
            with tf.control_dependencies(None):
                neither = tf.constant(0.0) + 1.0
    with v1.Session(graph=graph) as sess:
        sess.run(v1.global_variables_initializer())
        sess.run(only_a)
        assert sess.run(counter) == 1.0
        sess.run(both)
        assert sess.run(counter) == 102.0
        sess.run(neither)
        assert sess.run(counter) == 102.0


def test_group_no_op_and_tuple_as_control_inputs(graph):
    v, w = tf.Variable(0.0), tf.Variable(0.0)
    step = tf.group(v.assign_add(1.0), w.assign_add(2.0))
    with tf.control_dependencies([step]):
        total = tf.identity(v.read_value() + w.read_value())
    noop = tf.no_op()
    assert noop.type == "NoOp"
    x, y = tf.tuple([v.assign_add(5.0), tf.constant(7.0)])
    with v1.Session(graph=graph) as sess:
        sess.run(v1.global_variables_initializer())
        assert sess.run(total) == 3.0
        sess.run(noop)
        assert sess.run(y) == 7.0
        assert sess.run(v) == 6.0  # fetching y ran the update tupled with it


def test_gradients_pass_through_the_dependency_wrapper(graph):
    x = v1.placeholder(tf.float32, [3])
    counter = tf.Variable(0.0)
    bump = counter.assign_add(1.0)
    with tf.control_dependencies([bump]):
        y = tf.reduce_sum(x * x)
    (g,) = tf.gradients(y, [x])
    with v1.Session(graph=graph) as sess:
        sess.run(v1.global_variables_initializer())
        np.testing.assert_allclose(sess.run(g, {x: [1.0, 2.0, 3.0]}), [2.0, 4.0, 6.0])


def test_in_tf_function_and_eagerly_ops_run_in_program_order():
    v = tf.Variable(1.0)

    @tf.function
    def f():
        update = v.assign(v * 3.0)
        with tf.control_dependencies([update]):
            return v.read_value() + 0.0

    assert float(f()) == 3.0 and float(f()) == 9.0
    calls = []
    with tf.control_dependencies([lambda: calls.append(1)]):
        out = v + 1.0
    assert calls == [1] and float(out) == 10.0


def test_control_inputs_must_be_tensors_or_operations(graph):
    with pytest.raises(TypeError, match="Can not convert a int into a Tensor or Operation"):
        with tf.control_dependencies([3]):
            pass
    other = tf.Graph()
    with other.as_default():
        foreign = v1.placeholder(tf.float32, [])
    with pytest.raises(ValueError, match="same graph"):
        with tf.control_dependencies([foreign]):
            pass

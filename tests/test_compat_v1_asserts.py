"""TF1's assertions as graph ops: ``tf.compat.v1.Assert`` / ``assert_*`` (and ``tf.debugging``'s) in a TF1
graph are ops a Session runs (alone or through ``control_dependencies``), failing with TensorFlow's
"assertion failed: [...]" messages; values known while building are checked at once; eagerly ``data`` is
shown. The file passes unchanged under TensorFlow 2.21 with the import swapped."""

import numpy as np
import pytest

import ferroflow as tf

v1 = tf.compat.v1


@pytest.fixture
def graph():
    g = tf.Graph()
    with g.as_default():
        yield g


def failure(sess, op, feed):
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        sess.run(op, feed)
    return str(info.value)


def test_assertions_run_in_a_session(graph):
    x = v1.placeholder(tf.int32, [None], name="x")
    f = v1.placeholder(tf.float32, [None], name="f")
    eq = v1.assert_equal(x, [1, 2], message="msg", data=[x, "hello"])
    eq_default = v1.assert_equal(x, [1, 2])
    pos = v1.assert_positive(x)
    pos_msg = v1.assert_positive(x, message="need pos")
    chk = v1.Assert(tf.reduce_all(x > 0), [x, "text"], name="chk")
    nonneg = v1.assert_non_negative(x)
    near = v1.assert_near(f, [1.0, 2.0])
    less = v1.assert_less(x, 3, summarize=1)
    good = {x: [1, 2], f: [1.0, 2.0]}
    bad = {x: [1, -3], f: [1.0, 2.5]}
    with v1.Session() as sess:
        for op in (eq, eq_default, pos, pos_msg, chk, nonneg, near, less):
            assert sess.run(op, good) is None
        assert sess.run(less, bad) is None
        assert "assertion failed: [msg] [1 -3] [hello]" in failure(sess, eq, bad)
        text = failure(sess, eq_default, bad)
        assert "assertion failed: [Condition x == y did not hold element-wise:] [x (x:0) = ] [1 -3]" in text
        text = failure(sess, pos, bad)
        assert "assertion failed: [] [Condition x > 0 did not hold element-wise:] [x (x:0) = ] [1 -3]" in text
        assert "[need pos.  ] [Condition x > 0 did not hold element-wise:]" in failure(sess, pos_msg, bad)
        assert "assertion failed: [1 -3] [text]" in failure(sess, chk, bad)
        assert "[Condition x >= 0 did not hold element-wise:]" in failure(sess, nonneg, bad)
        assert "x and y not equal to tolerance" in failure(sess, near, bad)


def test_assertion_in_control_dependencies(graph):
    x = v1.placeholder(tf.float32, [None])
    with tf.control_dependencies([v1.assert_positive(x, message="log of a non-positive")]):
        y = v1.log(x)
    with v1.Session() as sess:
        np.testing.assert_allclose(sess.run(y, {x: [1.0, np.e]}), [0.0, 1.0], rtol=1e-6)
        assert "log of a non-positive" in failure(sess, y, {x: [1.0, -1.0]})


def test_tf2_debugging_assertions_are_ops_in_a_tf1_graph(graph):
    x = v1.placeholder(tf.int32, [None], name="x")
    op = tf.debugging.assert_less(x, 5, message="too big")
    guard = tf.debugging.Assert(tf.reduce_all(x < 10), [x])
    with v1.Session() as sess:
        assert sess.run(op, {x: [1]}) is None and sess.run(guard, {x: [1]}) is None
        assert "too big" in failure(sess, op, {x: [7]})
        assert "assertion failed: [11]" in failure(sess, guard, {x: [11]})


def test_static_values_are_checked_while_building(graph):
    with pytest.raises(tf.errors.InvalidArgumentError, match="static\nCondition x == y did not hold element-wise"):
        v1.assert_equal(tf.constant([1]), [2], message="static")
    x = v1.placeholder(tf.int32, [None], name="x")
    with pytest.raises(ValueError, match="must have rank 2"):
        v1.assert_rank(x, 2)
    ok = v1.assert_rank(x, 1)
    with v1.Session() as sess:
        assert sess.run(ok) is None


def test_eager_assertions_show_data():
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        v1.assert_equal([1, 2], [1, 3], data=["d", tf.constant([5, 6, 7, 8])], message="m", summarize=2)
    assert str(info.value).endswith("m\nd\n['5', '6', '...']")
    with pytest.raises(tf.errors.InvalidArgumentError, match="neg!"):
        v1.assert_positive([1, -2], data=["neg!"])
    assert v1.assert_equal(1, 1) is None
    assert v1.debugging.assert_greater(2, 1, data=["x"]) is None
    with pytest.raises(tf.errors.InvalidArgumentError):
        v1.assert_less([3], [2])

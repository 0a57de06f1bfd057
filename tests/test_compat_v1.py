"""``ferroflow.compat.v1``: placeholders and feeds, sessions, lazy evaluation, variable scopes, initializers."""

import collections
import subprocess
import sys

import numpy as np
import pytest

import ferroflow as tf
from ferroflow.errors import InvalidArgumentError

v1 = tf.compat.v1


@pytest.fixture
def graph():
    g = tf.Graph()
    with g.as_default():
        yield g


@pytest.fixture
def graph_mode():
    """TF1's global graph mode, switched back to eager afterwards."""
    v1.disable_eager_execution()
    try:
        yield
    finally:
        v1.enable_eager_execution()
        v1.reset_default_graph()


def test_compat_v1_loads_lazily():
    code = "import sys, ferroflow; print('ferroflow.compat.v1' in sys.modules, 'ferroflow.compat' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


def test_disable_eager_builds_into_default_graph(graph_mode):
    assert not v1.executing_eagerly()
    x = v1.placeholder(tf.float32, [None, 3], name="x")
    y = tf.reduce_sum(x * 2.0, axis=1)
    assert y.graph is v1.get_default_graph()
    with v1.Session() as sess:
        out = sess.run(y, feed_dict={x: np.arange(6).reshape(2, 3)})
    np.testing.assert_allclose(out, [6.0, 24.0])
    v1.reset_default_graph()
    assert v1.get_default_graph() is not y.graph


def test_enable_eager_execution_restores_eager(graph_mode):
    v1.enable_eager_execution()
    assert v1.executing_eagerly()
    assert float(tf.constant(2.0) * 3.0) == 6.0


def test_placeholder_outside_graph_is_an_error():
    with pytest.raises(RuntimeError, match="eager execution"):
        v1.placeholder(tf.float32, [2])


def test_feed_converts_to_placeholder_dtype(graph):
    x = v1.placeholder(tf.float32, [2], name="xf")
    n = v1.placeholder(tf.int64, [], name="n")
    y = x * 2.0
    with v1.Session(graph=graph) as sess:
        out = sess.run(y, feed_dict={x: [1, 2]})  # Python ints fed to a float32 placeholder
        assert out.dtype == np.float32
        np.testing.assert_allclose(out, [2.0, 4.0])
        out64 = sess.run(y, feed_dict={x: np.array([0.5, 1.5], np.float64)})
        assert out64.dtype == np.float32
        np.testing.assert_allclose(out64, [1.0, 3.0])
        got = sess.run(n + 1, feed_dict={n: 4})
        assert got == 5 and got.dtype == np.int64
        with pytest.raises(TypeError, match="n:0"):
            sess.run(n, feed_dict={n: 1.5})


def test_missing_feed_names_the_placeholder(graph):
    x = v1.placeholder(tf.float32, [None, 2], name="features_in")
    y = tf.reduce_sum(x)
    with v1.Session(graph=graph) as sess:
        with pytest.raises(InvalidArgumentError, match="features_in"):
            sess.run(y)


def test_wrong_feed_shape_names_the_placeholder(graph):
    x = v1.placeholder(tf.float32, [None, 2], name="pts")
    y = tf.reduce_sum(x)
    with v1.Session(graph=graph) as sess:
        with pytest.raises(ValueError, match=r"pts:0.*\(None, 2\)"):
            sess.run(y, feed_dict={x: np.ones((3, 3))})
        with pytest.raises(ValueError, match="pts"):
            sess.run(y, feed_dict={x: np.ones(2)})
        assert sess.run(y, feed_dict={x: np.ones((5, 2))}) == 10.0


def test_feeding_an_intermediate_tensor_replaces_it(graph):
    x = v1.placeholder(tf.float32, [], name="x")
    h = x * 3.0
    y = h + 1.0
    with v1.Session(graph=graph) as sess:
        assert sess.run(y, feed_dict={h: 10.0}) == 11.0  # x need not be fed: h cuts the graph
        assert sess.run(y, feed_dict={"x:0": 2.0}) == 7.0  # feed keys may be tensor names


def test_unfetched_assign_does_not_run(graph):
    v = tf.Variable(1.0, name="counter")
    bump = v.assign_add(10.0)
    doubled = v * 2.0
    with v1.Session(graph=graph) as sess:
        sess.run(v.initializer)
        assert sess.run(doubled) == 2.0
        assert sess.run(v) == 1.0  # bump was built but never fetched
        assert sess.run(bump) == 11.0
        assert sess.run(v) == 11.0


def test_building_ops_runs_nothing(graph):
    v = tf.Variable(np.zeros(2, np.float32), name="untouched")
    assert not v1.is_variable_initialized(v)
    v.assign([5.0, 5.0])
    with v1.Session(graph=graph) as sess:
        with pytest.raises(tf.errors.FailedPreconditionError):
            sess.run(v)  # not even its initializer has run
        sess.run(v1.global_variables_initializer())
        np.testing.assert_array_equal(sess.run(v), [0.0, 0.0])


def test_nested_fetches_keep_their_structure(graph):
    Pair = collections.namedtuple("Pair", ["a", "b"])
    x = v1.placeholder(tf.float32, [], name="x")
    v = tf.Variable(2.0)
    init = v1.global_variables_initializer()
    with v1.Session(graph=graph) as sess:
        assert sess.run(init) is None  # an op fetches as None
        assert sess.run(v.initializer) is None
        out = sess.run({"sum": [x + 1.0, (x * v, Pair(a=x, b=v))], "op": tf.group(init)}, feed_dict={x: 3.0})
    assert out["op"] is None
    first, (prod, pair) = out["sum"]
    assert first == 4.0 and prod == 6.0
    assert isinstance(pair, Pair) and pair.a == 3.0 and pair.b == 2.0
    assert isinstance(first, np.float32)  # rank-0 fetches are NumPy scalars, as in TF1


def test_fetch_by_name_and_bad_fetches(graph):
    with v1.variable_scope("block"):
        w = v1.get_variable("w", [2], initializer=v1.constant_initializer([1.0, 2.0]))
        z = tf.identity(w * 3.0, name="z")
    with v1.Session(graph=graph) as sess:
        sess.run(v1.global_variables_initializer())
        np.testing.assert_allclose(sess.run("block/w:0"), [1.0, 2.0])
        np.testing.assert_allclose(sess.run(z.name), [3.0, 6.0])
        with pytest.raises(TypeError, match="invalid type"):
            sess.run(None)
        with pytest.raises(ValueError, match="no tensor"):
            sess.run("nothing_here:0")
    other = tf.Graph()
    with other.as_default():
        foreign = tf.constant(1.0) + 1.0
    with v1.Session(graph=graph) as sess, pytest.raises(ValueError, match="not an element"):
        sess.run(foreign)


def test_plans_are_cached_and_fetching_adds_no_nodes(graph):
    x = v1.placeholder(tf.float32, [None], name="x")
    v = tf.Variable(0.0)
    step = v.assign_add(tf.reduce_sum(x))
    with v1.Session(graph=graph) as sess:
        sess.run(v.initializer)
        sess.run(v)
        n_nodes = len(graph)
        for i in range(5):
            sess.run(step, feed_dict={x: np.ones(i + 1)})
            sess.run(v)
        assert len(graph) == n_nodes
        assert len(sess._plans) == 3  # initializer, read, step
        assert sess.run(v) == 15.0


def test_session_context_manager_and_close(graph_mode):
    g = tf.Graph()
    with v1.Session(graph=g) as sess:
        assert v1.get_default_graph() is g
        assert v1.get_default_session() is sess
        c = tf.constant(2.0) * 4.0
        assert c.graph is g
        assert sess.run(c) == 8.0
    assert v1.get_default_session() is None
    with pytest.raises(RuntimeError, match="closed Session"):
        sess.run(c)
    s2 = v1.Session(graph=g)
    assert s2.graph is g and s2.run(c) == 8.0
    s2.close()
    with pytest.raises(RuntimeError, match="closed"):
        s2.run(c)


def test_interactive_session_is_default(graph):
    sess = v1.InteractiveSession(graph=graph)
    try:
        assert v1.get_default_session() is sess
    finally:
        sess.close()
    assert v1.get_default_session() is None


def test_compat_v1_falls_back_to_tf2_names():
    assert v1.matmul is tf.matmul and v1.tanh is tf.tanh
    with pytest.raises(AttributeError, match="no_such_name"):
        v1.no_such_name  # noqa: B018


def test_tf1_script_with_compat_v1_as_tf(graph_mode):
    import ferroflow.compat.v1 as tf1

    tf1.set_random_seed(1)
    x = tf1.placeholder(tf1.float32, [None, 4])
    y = tf1.placeholder(tf1.int64, [None])
    w = tf1.Variable(tf1.random_normal([4, 3], stddev=0.1))
    b = tf1.Variable(tf1.zeros([3]))
    logits = tf1.matmul(x, w) + b + tf1.layers.dense(tf1.layers.dense(x, 8, activation=tf1.nn.relu), 3)
    loss = tf1.reduce_mean(tf1.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
    accuracy = tf1.reduce_mean(tf1.cast(tf1.equal(tf1.argmax(logits, 1), y), tf1.float32))
    train_op = tf1.train.AdamOptimizer(0.05).minimize(loss)
    rng = np.random.default_rng(0)
    features = rng.normal(size=(300, 4)).astype(np.float32)
    labels = np.argmax(features[:, :3], 1)
    with tf1.Session() as sess:
        sess.run(tf1.global_variables_initializer())
        first = sess.run(loss, {x: features, y: labels})
        for _ in range(150):
            sess.run(train_op, {x: features, y: labels})
        last, acc = sess.run([loss, accuracy], {x: features, y: labels})
    assert last < 0.1 * first and acc > 0.95


def test_eval_run_op_and_device_on_graph_tensors():
    g = tf.Graph()
    with g.as_default():
        x = tf.compat.v1.placeholder(tf.float32, [None, 2])
        y = x * 2.0
        v = tf.compat.v1.Variable(1.0)
        init = tf.compat.v1.global_variables_initializer()
        with pytest.raises(ValueError, match="no default session"):
            y.eval(feed_dict={x: [[1.0, 2.0]]})
        with tf.compat.v1.Session() as sess:
            init.run()
            np.testing.assert_array_equal(y.eval(feed_dict={x: [[1.0, 2.0]]}), [[2.0, 4.0]])
            assert float(sess.run(v)) == 1.0
        assert y.device == "" and y.op.type == y.op_type and y.op.graph is g
        y.set_shape([5, 2])
        with pytest.raises(ValueError, match="not compatible"):
            y.set_shape([5, 3])
    e = tf.constant([1.0, 2.0])
    assert e.device.endswith("CPU:0")
    e.set_shape([None])
    with pytest.raises(ValueError, match="not compatible"):
        e.set_shape([3])


def test_dimension_arithmetic_and_comparisons():
    Dimension = tf.compat.v1.Dimension
    assert (Dimension(3) + 2).value == 5 and (Dimension(None) + 2).value is None
    assert (Dimension(6) // 4).value == 1 and (2 * Dimension(4)).value == 8
    assert (Dimension(3) == 3) is True and (Dimension(None) == 3) is None
    assert Dimension(None).merge_with(4).value == 4
    with pytest.raises(ValueError, match="not compatible"):
        Dimension(3).merge_with(4)
    assert str(Dimension(None)) == "?" and repr(Dimension(2)) == "Dimension(2)"
    assert tf.compat.v1.dimension_value(Dimension(7)) == 7 and tf.compat.v1.dimension_value(None) is None
    with pytest.raises(ValueError):
        Dimension(-1)


def test_tensor_equality_switch():
    a, b = tf.constant([1, 2]), tf.constant([1, 2])
    np.testing.assert_array_equal((a == b).numpy(), [True, True])
    tf.compat.v1.disable_tensor_equality()
    try:
        assert (a == b) is False and (a == a) is True and (a != b) is True
        assert len({a, b}) == 2
    finally:
        tf.compat.v1.enable_tensor_equality()
    np.testing.assert_array_equal((a == b).numpy(), [True, True])


def test_init_scope_runs_eagerly_inside_a_function():
    seen = []

    @tf.function
    def f(x):
        with tf.init_scope():
            seen.append(tf.executing_eagerly())
        return x + 1

    f(tf.constant(1))
    assert seen == [True]
    tf.config.experimental.enable_op_determinism()

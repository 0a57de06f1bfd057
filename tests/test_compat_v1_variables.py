"""``ferroflow.compat.v1``: ``variable_scope``/``get_variable`` reuse, the v1 initializers, losses and layers."""

import numpy as np
import pytest

import ferroflow as tf

v1 = tf.compat.v1


@pytest.fixture
def graph():
    g = tf.Graph()
    with g.as_default():
        yield g


def _init_and_run(graph, fetches):
    with v1.Session(graph=graph) as sess:
        sess.run(v1.global_variables_initializer())
        return sess.run(fetches)


def test_get_variable_scoped_names_and_collections(graph):
    with v1.variable_scope("outer"):
        with v1.variable_scope("inner"):
            w = v1.get_variable("w", [3, 2])
        b = v1.get_variable("b", [2], trainable=False)
    assert w.name == "outer/inner/w:0" and b.name == "outer/b:0"
    assert v1.global_variables() == [w, b]
    assert v1.trainable_variables() == [w]
    assert v1.global_variables(scope="outer/inner") == [w]


def test_reuse_true_returns_the_same_variable(graph):
    with v1.variable_scope("layer"):
        w = v1.get_variable("w", [2])
    with v1.variable_scope("layer", reuse=True):
        again = v1.get_variable("w", [2])
        with v1.variable_scope("child", reuse=False):  # children of a reusing scope reuse too
            assert v1.get_variable_scope().reuse is True
    assert again is w
    with v1.variable_scope("layer") as scope:
        scope.reuse_variables()
        assert v1.get_variable("w") is w
    assert len(v1.global_variables()) == 1


def test_reuse_errors_say_what_went_wrong(graph):
    with v1.variable_scope("s"):
        v1.get_variable("w", [2])
    with v1.variable_scope("s"), pytest.raises(ValueError, match="s/w already exists"):
        v1.get_variable("w", [2])
    with v1.variable_scope("s", reuse=True):
        with pytest.raises(ValueError, match="s/v does not exist"):
            v1.get_variable("v", [2])
        with pytest.raises(ValueError, match=r"specified shape \(3,\) and found shape \(2,\)"):
            v1.get_variable("w", [3])
    with pytest.raises(ValueError, match="fully defined"):
        v1.get_variable("no_shape")


def test_auto_reuse_creates_then_shares(graph):
    def block():
        with v1.variable_scope("shared", reuse=v1.AUTO_REUSE):
            return v1.get_variable("k", [1], initializer=v1.ones_initializer())

    assert block() is block()
    assert len(v1.global_variables()) == 1


def test_scope_initializer_and_default_initializers(graph):
    v1.set_random_seed(3)
    with v1.variable_scope("s", initializer=v1.constant_initializer(7.0)):
        c = v1.get_variable("c", [2])
    g = v1.get_variable("glorot", [30, 50])
    i = v1.get_variable("count", [2], dtype=tf.int32)
    cv, gv, iv = _init_and_run(graph, [c, g, i])
    np.testing.assert_array_equal(cv, [7.0, 7.0])
    np.testing.assert_array_equal(iv, [0, 0])  # integer variables default to zeros
    limit = np.sqrt(6.0 / (30 + 50))
    assert np.abs(gv).max() <= limit and np.abs(gv).max() > 0.8 * limit
    assert abs(gv.std() - limit / np.sqrt(3.0)) < 0.1 * limit


def test_constant_initializers():
    np.testing.assert_array_equal(v1.zeros_initializer()([2, 3]).numpy(), np.zeros((2, 3)))
    np.testing.assert_array_equal(v1.ones_initializer(dtype=tf.int32)([2]).numpy(), [1, 1])
    np.testing.assert_array_equal(v1.constant_initializer([1, 2, 3, 4])([2, 2]).numpy(), [[1, 2], [3, 4]])
    with pytest.raises(TypeError, match="expected 6 values"):
        v1.constant_initializer([1, 2])([2, 3])
    assert v1.initializers.zeros is v1.zeros_initializer


def test_random_initializers_follow_their_distributions():
    tf.random.set_seed(1)
    u = v1.random_uniform_initializer(-2.0, 3.0)([4000]).numpy()
    assert u.min() >= -2.0 and u.max() < 3.0 and abs(u.mean() - 0.5) < 0.1
    n = v1.random_normal_initializer(mean=1.0, stddev=0.5)([4000]).numpy()
    assert abs(n.mean() - 1.0) < 0.05 and abs(n.std() - 0.5) < 0.05
    t = v1.truncated_normal_initializer(stddev=2.0)([4000]).numpy()
    assert np.abs(t).max() <= 4.0 and t.std() > 1.5
    gn = v1.glorot_normal_initializer()([3, 3, 8, 16]).numpy()  # fans use the receptive field: 72 and 144
    assert np.abs(gn).max() <= 2 * np.sqrt(2.0 / (72 + 144)) / 0.87962566103423978 + 1e-6
    assert abs(gn.std() - np.sqrt(2.0 / (72 + 144))) < 0.02


def test_seeded_initializers_repeat():
    tf.random.set_seed(11)
    a = v1.glorot_uniform_initializer(seed=5)([4, 4]).numpy()
    tf.random.set_seed(11)
    b = v1.glorot_uniform_initializer(seed=5)([4, 4]).numpy()
    np.testing.assert_array_equal(a, b)


def test_variables_initializer_only_initializes_its_list(graph):
    a = v1.get_variable("a", [1], initializer=v1.ones_initializer())
    b = v1.get_variable("b", [1], initializer=v1.ones_initializer())
    with v1.Session(graph=graph) as sess:
        sess.run(v1.variables_initializer([a]))
        assert v1.is_variable_initialized(a) and not v1.is_variable_initialized(b)
        with pytest.raises(tf.errors.FailedPreconditionError):
            sess.run(b)


def test_mean_squared_error_matches_numpy(graph):
    labels = np.array([[1.0, 2.0], [3.0, 4.0]], np.float32)
    preds = np.array([[1.5, 2.0], [2.0, 6.0]], np.float32)
    w = np.array([[1.0, 0.0], [2.0, 1.0]], np.float32)
    p = v1.placeholder(tf.float32, [2, 2])
    plain = v1.losses.mean_squared_error(labels, p)
    weighted = v1.losses.mean_squared_error(labels, p, weights=w)
    with v1.Session(graph=graph) as sess:
        got_plain, got_weighted = sess.run([plain, weighted], feed_dict={p: preds})
    sq = (preds - labels) ** 2
    np.testing.assert_allclose(got_plain, sq.mean(), rtol=1e-6)
    np.testing.assert_allclose(got_weighted, (sq * w).sum() / np.count_nonzero(w), rtol=1e-6)
    assert v1.losses.get_losses() == [plain, weighted]


def test_layers_dense_builds_scoped_variables_and_reuses(graph):
    x = v1.placeholder(tf.float32, [None, 3])
    y = v1.layers.dense(x, 2, activation=tf.nn.relu, kernel_initializer=v1.constant_initializer(0.5),
                        bias_initializer=v1.constant_initializer(-1.0), name="fc")
    y2 = v1.layers.dense(x, 2, name="fc", reuse=True)
    other = v1.layers.dense(x, 4)
    names = [v.op.name for v in v1.global_variables()]
    assert names == ["fc/kernel", "fc/bias", "dense/kernel", "dense/bias"]
    feed = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 1.0]], np.float32)
    with v1.Session(graph=graph) as sess:
        sess.run(v1.global_variables_initializer())
        out, out2, o = sess.run([y, y2, other], feed_dict={x: feed})
    expect = feed @ np.full((3, 2), 0.5) - 1.0
    np.testing.assert_allclose(out, np.maximum(expect, 0.0), rtol=1e-6)
    np.testing.assert_allclose(out2, expect, rtol=1e-6)  # same variables, no activation
    assert o.shape == (2, 4)


def test_get_variable_names_are_unique_per_graph_not_per_process():
    for _ in range(2):
        g = tf.Graph()
        with g.as_default():
            with v1.variable_scope("net"):
                w = v1.get_variable("w", [1], initializer=v1.ones_initializer())
            assert w.name == "net/w:0"
            assert _init_and_run(g, "net/w:0") == [1.0]

"""``tf.compat.v1.Print`` and ``tf.print`` in graphs run by ``Session.run``.

The expected lines are TensorFlow 2.21's output for the same ops (TF1's ``SummarizeValue`` format:
the first ``summarize`` elements in row-major order, then ``...``; floats to 6 or 9 significant digits).
"""

import sys

import numpy as np
import pytest

import ferroflow as tf

v1 = tf.compat.v1


def _run_printing(capfd, build):
    graph = tf.Graph()
    with graph.as_default():
        fetches = build()
    with v1.Session(graph=graph) as sess:
        values = sess.run(fetches)
    return values, capfd.readouterr().err.splitlines()


@pytest.mark.parametrize(
    "make, summarize, expected",
    [
        (lambda: tf.constant([[1, 2, 3], [4, 5, 6]]), None, "[[1 2 3]...]"),
        (lambda: tf.constant([[1, 2, 3], [4, 5, 6]]), 2, "[[1 2...]...]"),
        (lambda: tf.constant([[1, 2], [3, 4], [5, 6]]), 5, "[[1 2][3 4][5...]...]"),
        (lambda: tf.constant([[1, 2], [3, 4], [5, 6]]), 100, "[[1 2][3 4][5 6]]"),
        (lambda: tf.constant(np.arange(24).reshape(2, 3, 4)), 3, "[[[0 1 2...]]...]"),
        (lambda: tf.constant(np.arange(24).reshape(2, 3, 4)), 5, "[[[0 1 2 3][4...]]...]"),
        (
            lambda: tf.constant(np.arange(24).reshape(2, 3, 4)),
            -1,
            "[[[0 1 2 3][4 5 6 7][8 9 10 11]][[12 13 14 15][16 17 18 19][20 21 22 23]]]",
        ),
        (
            lambda: tf.constant([1 / 3, 1e-8, 123456789.0, np.inf, np.nan, -0.5, 2.0], tf.float32),
            -1,
            "[0.333333343 1e-08 123456792 inf nan -0.5 2]",
        ),
        (lambda: tf.constant([1 / 3, 1e-8, 2.0], tf.float64), None, "[0.33333333333333331 1e-08 2]"),
        (lambda: tf.constant([True, False]), None, "[1 0]"),
        (lambda: tf.constant(["ab", "c\nd"]), None, "[ab c\\nd]"),
        (lambda: tf.constant(5.5), None, "[5.5]"),
        (lambda: tf.zeros([0, 2]), None, "[]"),
    ],
)
def test_print_formats_values_as_tensorflow(capfd, make, summarize, expected):
    _, lines = _run_printing(capfd, lambda: v1.Print(tf.constant(0), [make()], message="m ", summarize=summarize))
    assert lines == ["m " + expected]


def test_print_is_an_identity_that_prints_each_run(capfd):
    graph = tf.Graph()
    with graph.as_default():
        x = v1.placeholder(tf.float32, [None, 3], name="x")
        t = x * 2.0
        t = v1.Print(t, [t, tf.constant(7)], message="hello: ")  # the seed's t = tf.Print(t, [t])
        assert t.shape.as_list() == [None, 3] and t.name == "Print:0"
        loss = tf.reduce_sum(t)
        once = v1.Print(loss, [loss], first_n=2)
    with v1.Session(graph=graph) as sess:
        feed = {x: np.arange(6, dtype="float32").reshape(2, 3)}
        assert sess.run(loss, feed) == 30.0
        assert capfd.readouterr().err == "hello: [[0 2 4]...][7]\n"
        for _ in range(3):
            sess.run(once, feed)
        lines = capfd.readouterr().err.splitlines()
        assert lines.count("[30]") == 2 and lines.count("hello: [[0 2 4]...][7]") == 3  # first_n per session
        sess.run(x * 3.0, feed)  # does not reach the Print: silent
        assert capfd.readouterr().err == ""
    with v1.Session(graph=graph) as sess:
        sess.run(once, feed)
        assert "[30]" in capfd.readouterr().err.splitlines()  # a new session counts afresh


def test_print_eagerly_and_in_tf_function(capfd):
    out = v1.Print(tf.constant([1.0, 2.0]), [tf.constant([3, 4])], message="now ")
    np.testing.assert_array_equal(out.numpy(), [1.0, 2.0])
    assert capfd.readouterr().err == "now [3 4]\n"

    @tf.function
    def f(x):
        return v1.Print(x + 1.0, [x], message="x=")

    np.testing.assert_array_equal(f(tf.constant([1.0])).numpy(), [2.0])
    f(tf.constant([5.0]))
    assert capfd.readouterr().err.splitlines() == ["x=[1]", "x=[5]"]
    with pytest.raises(TypeError, match="list of tensors"):
        v1.Print(tf.constant(1.0), tf.constant(1.0))


def test_tf_print_op_runs_when_fetched_or_as_a_control_dependency(capfd):
    graph = tf.Graph()
    with graph.as_default():
        w = tf.Variable([[1.0, 2.0], [3.0, 4.0]], name="w")
        step = v1.assign_add(w, tf.ones([2, 2]))
        op = tf.print("w:", w.read_value(), output_stream=sys.stderr)
        assert op.type == "NoOp" and op.name == "PrintV2"
        with tf.control_dependencies([op]):
            out = tf.identity(step)
    with v1.Session(graph=graph) as sess:
        sess.run(w.initializer)
        assert capfd.readouterr().err == ""
        assert sess.run(op) is None
        assert capfd.readouterr().err == "w: [[1 2]\n [3 4]]\n"
        sess.run(out)
        assert capfd.readouterr().err.startswith("w: [[")
        sess.run(step)  # not reaching the print op: silent
        assert capfd.readouterr().err == ""


def test_print_in_a_training_loop(capfd):
    graph = tf.Graph()
    with graph.as_default():
        x = v1.placeholder(tf.float32, [32, 4])
        y = v1.placeholder(tf.float32, [32, 1])
        pred = v1.layers.dense(x, 1)
        loss = tf.reduce_mean(tf.square(pred - y))
        loss = v1.Print(loss, [loss], message="loss ")
        train = v1.train.GradientDescentOptimizer(0.1).minimize(loss)
        init = v1.global_variables_initializer()
    rng = np.random.default_rng(0)
    xs = rng.standard_normal((32, 4)).astype("float32")
    ys = xs @ np.array([[1.0], [-2.0], [0.5], [3.0]], "float32")
    with v1.Session(graph=graph) as sess:
        sess.run(init)
        fetched = [sess.run([train, loss], {x: xs, y: ys})[1] for _ in range(5)]
    printed = [float(line.split()[1][1:-1]) for line in capfd.readouterr().err.splitlines()]
    np.testing.assert_allclose(printed, fetched, rtol=1e-5)  # printed once per step, the value fetched
    assert fetched[-1] < fetched[0]

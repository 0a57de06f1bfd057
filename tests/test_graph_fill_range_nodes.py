"""tf.range, tf.fill/zeros/ones, tf.eye and tf.linspace while a graph is built (TF1 graphs, tf.function).

Node names, op types, static shapes and values were taken from TensorFlow 2.21 running the same code. tf.range
is TensorFlow's Range node fed by its start/limit/delta; sizes and counts that are placeholders or function
arguments are used when the graph runs.
"""

import numpy as np
import pytest

import ferroflow as tf

v1 = tf.compat.v1

# (name, op type) of every graph operation and (shape, dtype) of the results, from TensorFlow 2.21.
RANGE_GRAPHS = {
    "range5": (
        lambda: tf.range(5),
        [("range/start", "Const"), ("range/limit", "Const"), ("range/delta", "Const"), ("range", "Range")],
        [([5], "int32")],
    ),
    "named": (
        lambda: (tf.range(3), tf.range(2, 9, 3, name="steps")),
        [("range/start", "Const"), ("range/limit", "Const"), ("range/delta", "Const"), ("range", "Range")]
        + [("steps/start", "Const"), ("steps/limit", "Const"), ("steps/delta", "Const"), ("steps", "Range")],
        [([3], "int32"), ([3], "int32")],
    ),
    "mixed": (
        lambda: tf.range(0, 2.5, 0.5),
        [("range/start", "Const"), ("range/limit", "Const"), ("range/delta", "Const")]
        + [("range/Cast", "Cast"), ("range", "Range")],
        [([5], "float32")],
    ),
    "dtype": (
        lambda: tf.range(4, dtype=tf.int64),
        [("range/start", "Const"), ("range/limit", "Const"), ("range/delta", "Const"), ("range", "Range")],
        [([4], "int64")],
    ),
    "placeholder": (
        lambda: tf.range(v1.placeholder(tf.int32, [], name="n")),
        [("n", "Placeholder"), ("range/start", "Const"), ("range/delta", "Const"), ("range", "Range")],
        [([None], "int32")],
    ),
    "placeholder_dtype": (
        lambda: tf.range(1, v1.placeholder(tf.int32, [], name="n"), dtype=tf.float32),
        [("n", "Placeholder"), ("range/start", "Const"), ("range/delta", "Const")]
        + [("range/Cast", "Cast"), ("range", "Range")],
        [([None], "float32")],
    ),
    "int64_tensor": (
        lambda: tf.range(tf.constant(3, tf.int64), 10),
        [("Const", "Const"), ("range/limit", "Const"), ("range/delta", "Const")]
        + [("range/Cast", "Cast"), ("range/Cast_1", "Cast"), ("range", "Range")],
        [([7], "int64")],
    ),
}


@pytest.mark.parametrize("case", sorted(RANGE_GRAPHS))
def test_range_nodes_as_tensorflow(case):
    build, ops, outs = RANGE_GRAPHS[case]
    g = tf.Graph()
    with g.as_default():
        made = tf.nest.flatten(build())
    assert [(op.name, op.type) for op in g.get_operations()] == ops
    assert [(t.shape.as_list(), t.dtype.name) for t in made] == outs


def test_range_in_a_scope_and_a_function_graph_def():
    def scoped():
        with tf.name_scope("outer"):
            return tf.range(3)

    graph = tf.function(scoped).get_concrete_function().graph
    nodes = [(n.name, n.op) for n in graph.as_graph_def().node if not n.name.startswith("Identity")]
    assert nodes == [
        ("outer/range/start", "Const"),
        ("outer/range/limit", "Const"),
        ("outer/range/delta", "Const"),
        ("outer/range", "Range"),
    ]
    spec = tf.TensorSpec([], tf.int32)
    graph = tf.function(lambda a, b: tf.range(a, b, 2)).get_concrete_function(spec, spec).graph
    ops = [n.op for n in graph.as_graph_def().node if not n.name.startswith("Identity")]
    assert ops == ["Placeholder", "Placeholder", "Const", "Range"]


def test_range_runs_with_fed_values():
    g = tf.Graph()
    with g.as_default():
        n = v1.placeholder(tf.int32, [])
        x = v1.placeholder(tf.float32, [])
        counted = tf.range(n)
        floats = tf.range(x)
        fixed = tf.range(2, 8, 2)
        tenths = tf.range(0, 1, 0.1)
    with v1.Session(graph=g) as sess:
        assert sess.run(counted, {n: 4}).tolist() == [0, 1, 2, 3]
        assert sess.run(counted, {n: 0}).tolist() == []
        np.testing.assert_array_equal(sess.run(floats, {x: 2.5}), np.array([0.0, 1.0, 2.0], np.float32))
        assert sess.run(fixed).tolist() == [2, 4, 6]
        # A constant input fed: the Range node computes from it, as TensorFlow's.
        assert sess.run(fixed, {"range_2/limit:0": 12}).tolist() == [2, 4, 6, 8, 10]
        # TensorFlow's float32 values (its last one is 0.90000004).
        want = np.float32([0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.90000004])
        np.testing.assert_array_equal(sess.run(tenths), want)
        with pytest.raises(tf.errors.InvalidArgumentError, match="Requires start <= limit when delta > 0"):
            sess.run(counted, {n: -1})


def test_range_with_function_arguments():
    @tf.function
    def doubled(n):
        return tf.range(n) * 2

    assert doubled(tf.constant(3)).numpy().tolist() == [0, 2, 4]
    assert doubled(tf.constant(1)).numpy().tolist() == [0]
    step = tf.function(lambda a, b, d: tf.range(a, b, d))
    np.testing.assert_allclose(step(tf.constant(1.0), tf.constant(2.0), tf.constant(0.25)), [1.0, 1.25, 1.5, 1.75])


def test_range_has_no_gradient():
    g = tf.Graph()
    with g.as_default():
        x = v1.placeholder(tf.float32, [])
        assert tf.gradients(tf.reduce_sum(tf.range(x)), x) == [None]


def test_range_dtype_rules_and_errors():
    assert tf.range(0, 2.5, 0.5).dtype == tf.float32
    assert tf.range(np.int64(2), 5).dtype == tf.int64
    assert tf.range(3, dtype=tf.float64).dtype == tf.float64
    with pytest.raises(TypeError):
        tf.range(1.5, 4, dtype=tf.int32)
    # Eager: the Range kernel's InvalidArgumentError; while a graph is built: ValueError, as TensorFlow's.
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"Requires delta != 0: 0"):
        tf.range(0, 5, 0)
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"Requires start <= limit when delta > 0: 5/0"):
        tf.range(5, 0)
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"Requires start >= limit when delta < 0: 0/5"):
        tf.range(0, 5, -1)
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match=r"Requires delta != 0"):
            tf.range(0, 5, 0)
        with pytest.raises(ValueError, match=r"Requires start <= limit when delta > 0: 5/0"):
            tf.range(5, 0)
    assert tf.range(5, 0, -2).numpy().tolist() == [5, 3, 1]


def test_fill_with_fed_sizes():
    g = tf.Graph()
    with g.as_default():
        n = v1.placeholder(tf.int32, [])
        dims = v1.placeholder(tf.int32, [2])
        z = tf.zeros([n, 2], tf.int64)
        words = tf.fill([n], "a")
        filled = tf.fill(dims, 1.5)
        known = tf.fill([2], 3.0)
    assert z.shape.as_list() == [None, 2] and z.dtype == tf.int64
    assert filled.shape.as_list() == [None, None]
    with v1.Session(graph=g) as sess:
        assert sess.run(z, {n: 3}).tolist() == [[0, 0]] * 3
        assert sess.run(words, {n: 2}).tolist() == [b"a", b"a"]
        np.testing.assert_array_equal(sess.run(filled, {dims: [2, 3]}), np.full([2, 3], 1.5, np.float32))
        np.testing.assert_array_equal(sess.run(known), [3.0, 3.0])


def test_fill_negative_dimension():
    # TensorFlow: InvalidArgumentError eagerly, ValueError while a graph is built (InvalidArgumentError is one).
    with pytest.raises(tf.errors.InvalidArgumentError, match="Dimension -1 must be >= 0"):
        tf.fill([-1, 2], 1.0)
    with tf.Graph().as_default(), pytest.raises(ValueError, match="Dimension -1 must be >= 0"):
        tf.zeros([2, -1])


def test_eye_with_fed_sizes():
    g = tf.Graph()
    with g.as_default():
        n = v1.placeholder(tf.int32, [])
        square = tf.eye(n)
        batched = tf.eye(2, n, batch_shape=[2], dtype=tf.int32)
    assert square.shape.as_list() == [None, None] and square.dtype == tf.float32
    assert batched.shape.as_list() == [2, 2, None] and batched.dtype == tf.int32
    with v1.Session(graph=g) as sess:
        for k in (0, 1, 3):
            np.testing.assert_array_equal(sess.run(square, {n: k}), np.eye(k, dtype=np.float32))
            np.testing.assert_array_equal(sess.run(batched, {n: k}), np.broadcast_to(np.eye(2, k), [2, 2, k]))
    made = tf.function(lambda k: tf.eye(k, dtype=tf.float64))(tf.constant(2))
    np.testing.assert_array_equal(made.numpy(), np.eye(2))
    with pytest.raises(tf.errors.InvalidArgumentError, match="Dimension -1 must be >= 0"):
        tf.eye(-1)


def test_linspace_with_a_fed_count():
    g = tf.Graph()
    with g.as_default():
        n = v1.placeholder(tf.int32, [])
        line = tf.linspace(1.0, 2.0, n)
        rows = tf.linspace([0.0, 1.0], [1.0, 3.0], n, axis=1)
    assert line.shape.as_list() == [None] and rows.shape.as_list() == [2, None]
    assert line.name.startswith("linspace/")
    with v1.Session(graph=g) as sess:
        assert sess.run(line, {n: 0}).tolist() == []
        assert sess.run(line, {n: 1}).tolist() == [1.0]
        assert sess.run(line, {n: 3}).tolist() == [1.0, 1.5, 2.0]
        assert sess.run(rows, {n: 3}).tolist() == [[0.0, 0.5, 1.0], [1.0, 2.0, 3.0]]
        with pytest.raises(tf.errors.InvalidArgumentError):
            sess.run(line, {n: -1})
    counted = tf.function(lambda k: tf.linspace(0.0, 1.0, k))
    np.testing.assert_allclose(counted(tf.constant(5)).numpy(), [0.0, 0.25, 0.5, 0.75, 1.0])


def test_linspace_gradient_with_a_fed_count():
    g = tf.Graph()
    with g.as_default():
        n = v1.placeholder(tf.int32, [])
        a = v1.placeholder(tf.float64, [2])
        b = tf.constant([1.0, 5.0], tf.float64)
        y = tf.linspace(a, b, n, axis=-1)
        (grad,) = tf.gradients(tf.reduce_sum(y * y), a)
    start = np.array([0.0, 2.0])

    def loss(s):
        values = s[:, None] + (np.array([1.0, 5.0]) - s)[:, None] * np.arange(4) / 3.0
        return float(np.sum(values**2))

    eps = 1e-6
    numeric = [(loss(start + eps * e) - loss(start - eps * e)) / (2 * eps) for e in np.eye(2)]
    with v1.Session(graph=g) as sess:
        np.testing.assert_allclose(sess.run(grad, {n: 4, a: start}), numeric, rtol=1e-6)


def test_linspace_count_errors():
    with pytest.raises(TypeError):
        tf.linspace(0.0, 1.0, 2.5)
    with pytest.raises(TypeError):
        tf.linspace(0.0, 1.0, tf.constant(2.0))
    with pytest.raises(tf.errors.InvalidArgumentError):
        tf.linspace(0.0, 1.0, -1)
    np.testing.assert_allclose(tf.linspace(0.0, 1.0, np.int64(3)).numpy(), [0.0, 0.5, 1.0])

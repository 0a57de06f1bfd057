"""``tf.compat.v1.py_func``, ``tf.numpy_function`` and ``tf.py_function`` in TF1 graphs run by ``Session.run``:
the session runs what the call needs, calls Python, then runs the rest, each node once per run."""

import numpy as np
import pytest

import ferroflow as tf

v1 = tf.compat.v1


def test_values_dtypes_and_several_outputs():
    graph = tf.Graph()
    with graph.as_default():
        t = tf.constant([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
        doubled = v1.py_func(lambda a: (a * 2).astype(np.float32), [t], tf.float32)
        assert doubled.shape.rank is None and doubled.dtype == tf.float32  # TensorFlow's <unknown> shape
        tripled = tf.py_function(lambda a: a * 3, [t], tf.float32)  # eager tensors in, converted out
        both = tf.numpy_function(lambda a, b: (a + b, a - b), [t, t], [tf.float32, tf.float32])
        words = v1.py_func(lambda a: np.array([f"n{int(v)}" for v in a.ravel()]), [t], tf.string)
        count = v1.py_func(lambda a: np.int64(a.size), [t], tf.int64)
    with v1.Session(graph=graph) as sess:
        np.testing.assert_array_equal(sess.run(doubled + 1.0), [[3, 5, 7], [9, 11, 13]])
        np.testing.assert_array_equal(sess.run(tripled), [[3, 6, 9], [12, 15, 18]])
        plus, minus = sess.run(both)
        np.testing.assert_array_equal(plus, [[2, 4, 6], [8, 10, 12]])
        np.testing.assert_array_equal(minus, np.zeros((2, 3)))
        assert list(sess.run(words)) == [b"n1", b"n2", b"n3", b"n4", b"n5", b"n6"]
        assert sess.run(count) == 6 and sess.run(count).dtype == np.int64


def test_result_errors_as_tensorflow():
    graph = tf.Graph()
    with graph.as_default():
        t = tf.constant([1.0, 2.0])
        wrong_dtype = v1.py_func(lambda a: a.astype(np.float64), [t], tf.float32)
        wrong_count = v1.py_func(lambda a: (a, a), [t], [tf.float32])
        raises = v1.py_func(lambda a: int("x"), [t], tf.float32)
        other = v1.py_func(lambda a: {}["missing"], [t], tf.float32)
    with v1.Session(graph=graph) as sess:
        with pytest.raises(
            tf.errors.InvalidArgumentError, match="0-th value returned by PyFunc is float64, but expects"
        ):
            sess.run(wrong_dtype)
        with pytest.raises(tf.errors.InvalidArgumentError, match="returned 2 values, but Tout has 1"):
            sess.run(wrong_count)
        with pytest.raises(tf.errors.InvalidArgumentError, match="ValueError: invalid literal"):
            sess.run(raises)
        with pytest.raises(KeyError, match="missing"):
            sess.run(other)


def test_each_node_runs_once_per_run():
    graph = tf.Graph()
    calls = []
    with graph.as_default():
        counter = tf.Variable(0.0, name="counter")
        bumped = v1.assign_add(counter, 1.0)  # stateful: before and after the call both need it

        def record(x):
            calls.append(float(x))
            return np.float32(x * 10)

        tens = v1.py_func(record, [bumped], tf.float32)
        nested = v1.py_func(lambda a: a + np.float32(1), [tens], tf.float32)  # a call on a call's result
        total = nested + bumped
    with v1.Session(graph=graph) as sess:
        sess.run(counter.initializer)
        assert sess.run([total, bumped, tens]) == [12.0, 1.0, 10.0]
        assert sess.run(counter) == 1.0 and calls == [1.0]
        assert sess.run(total, {tens: np.float32(100)}) == 103.0  # a fed result: the function is not called
        assert calls == [1.0] and sess.run(counter) == 2.0


def test_iterator_components_stay_together():
    graph = tf.Graph()
    with graph.as_default():
        features = np.arange(6, dtype="float32")
        ds = tf.data.Dataset.from_tensor_slices((features, np.arange(6, dtype="int64") * 10))
        x, y = v1.data.make_one_shot_iterator(ds).get_next()
        scaled = v1.py_func(lambda a: a * np.float32(2), [x], tf.float32)
        out = scaled + tf.cast(y, tf.float32)
    with v1.Session(graph=graph) as sess:
        rows = [sess.run([out, x, y]) for _ in range(6)]
        with pytest.raises(tf.errors.OutOfRangeError):
            sess.run(out)
    assert [r[0] for r in rows] == [12.0 * i for i in range(6)]  # 2x + 10x of the same element
    assert [r[1] for r in rows] == list(range(6))


def test_stop_iteration_ends_a_monitored_session_loop():
    graph = tf.Graph()
    source = iter(np.arange(20, dtype="float32").reshape(5, 4))
    with graph.as_default():
        batch = v1.py_func(lambda: next(source), [], tf.float32)
        total = tf.Variable(0.0, name="total")
        v1.train.get_or_create_global_step()
        add = v1.assign_add(total, tf.reduce_sum(batch))
        seen = []
        with v1.train.MonitoredSession() as sess:
            while not sess.should_stop():
                seen.append(sess.run(add))
    assert seen == [6.0, 28.0, 66.0, 120.0, 190.0]


def test_python_preprocessing_in_a_training_loop():
    rng = np.random.default_rng(1)
    xs = rng.standard_normal((32, 3)).astype("float32")
    ys = (xs @ np.array([[2.0], [-1.0], [0.5]], "float32")).astype("float32")
    graph = tf.Graph()
    with graph.as_default():
        raw = v1.placeholder(tf.float32, [None, 3])
        target = v1.placeholder(tf.float32, [None, 1])
        normalized = v1.py_func(lambda a: ((a - xs.mean(0)) / xs.std(0)).astype(np.float32), [raw], tf.float32)
        normalized.set_shape([None, 3])
        pred = v1.layers.dense(normalized, 1)
        loss = tf.reduce_mean(tf.square(pred - target))
        train = v1.train.AdamOptimizer(0.1).minimize(loss)
        init = v1.global_variables_initializer()
    with v1.Session(graph=graph) as sess:
        sess.run(init)
        losses = [sess.run([train, loss], {raw: xs, target: ys})[1] for _ in range(200)]
    assert losses[-1] < 1e-3 < losses[0]


def test_calls_without_results_and_in_tf_function():
    graph = tf.Graph()
    seen = []
    with graph.as_default():
        op = v1.py_func(lambda a: seen.append(int(a)), [tf.constant(3)], None)
    with v1.Session(graph=graph) as sess:
        assert sess.run(op) is None and seen == [3]
    np.testing.assert_array_equal(
        tf.function(lambda t: v1.py_func(np.abs, [t], tf.float32))(tf.constant([-1.0])).numpy(), [1.0]
    )
    np.testing.assert_array_equal(v1.py_func(np.abs, [tf.constant([-1.0])], tf.float32).numpy(), [1.0])

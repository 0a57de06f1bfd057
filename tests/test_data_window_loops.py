"""Elements that are datasets (``Dataset.window``'s) in tf.function: ``flat_map`` over windows and ``for``
loops over them run as loops of the graph, traced once and correct on later calls with other inputs.
Expected values are TensorFlow 2.21's results for the same code."""

import ferroflow as tf


def test_eager_window_flat_map():
    ds = tf.data.Dataset.range(7).window(3).flat_map(lambda w: w.batch(3))
    assert [b.tolist() for b in ds.as_numpy_iterator()] == [[0, 1, 2], [3, 4, 5], [6]]
    ds = tf.data.Dataset.range(7).window(3, shift=2, drop_remainder=True).flat_map(lambda w: w.batch(3))
    assert [b.tolist() for b in ds.as_numpy_iterator()] == [[0, 1, 2], [2, 3, 4], [4, 5, 6]]


def test_window_flat_map_in_function():
    traces = []

    @tf.function
    def f(n):
        traces.append(1)
        ds = tf.data.Dataset.range(n).window(3).flat_map(lambda w: w.batch(3))
        s = tf.constant(0, tf.int64)
        for b in ds:
            s = s * 10 + tf.reduce_sum(b)
        return s

    assert int(f(tf.constant(7, tf.int64))) == 426
    assert int(f(tf.constant(5, tf.int64))) == 37
    assert len(traces) == 1


def test_window_flat_map_batch_of_argument():
    traces = []

    @tf.function
    def f(n):
        traces.append(1)
        ds = tf.data.Dataset.range(7).window(3).flat_map(lambda w: w.batch(n))
        s = tf.constant(0, tf.int64)
        for b in ds:
            s = s * 10 + tf.reduce_sum(b) + tf.cast(tf.size(b), tf.int64) * 100
        return s

    assert int(f(tf.constant(2, tf.int64))) == 2133856
    assert int(f(tf.constant(3, tf.int64))) == 33526
    assert len(traces) == 1


def test_for_over_windows_reduce():
    traces = []

    @tf.function
    def f(n):
        traces.append(1)
        s = tf.constant(0, tf.int64)
        for w in tf.data.Dataset.range(n).window(3):
            s = s * 100 + w.reduce(tf.constant(0, tf.int64), lambda a, b: a + b)
        return s

    assert int(f(tf.constant(7, tf.int64))) == 31206
    assert int(f(tf.constant(4, tf.int64))) == 303
    assert len(traces) == 1


def test_nested_for_over_windows():
    traces = []

    @tf.function
    def f(n):
        traces.append(1)
        s = tf.constant(0, tf.int64)
        for w in tf.data.Dataset.range(n).window(2, shift=1, drop_remainder=True):
            for x in w:
                s = s * 2 + x
        return s

    assert int(f(tf.constant(5, tf.int64))) == 166
    assert int(f(tf.constant(3, tf.int64))) == 8
    assert len(traces) == 1


def test_tuple_windows():
    ds = tf.data.Dataset.from_tensor_slices(([1, 2, 3, 4, 5], [10, 20, 30, 40, 50])).window(2)
    got = ds.flat_map(lambda a, b: tf.data.Dataset.zip((a.batch(2), b.batch(2))))
    assert [(a.tolist(), b.tolist()) for a, b in got.as_numpy_iterator()] == [
        ([1, 2], [10, 20]),
        ([3, 4], [30, 40]),
        ([5], [50]),
    ]

    @tf.function
    def f():
        s = tf.constant(0)
        for a, b in ds:
            for x in tf.data.Dataset.zip((a, b)):
                s = s + x[0] * x[1]
        return s

    assert int(f()) == 550


def test_window_function_runs_once_as_python():
    calls = []

    def to_batches(w):
        calls.append(1)
        return w.batch(2)

    @tf.function
    def f(n):
        ds = tf.data.Dataset.range(n).window(3).flat_map(to_batches)
        s = tf.constant(0, tf.int64)
        for b in ds:
            s = s * 10 + tf.reduce_sum(b)
        return s

    assert [int(f(tf.constant(v, tf.int64))) for v in (7, 9)] == [12756, 127638]
    assert len(calls) == 1
    calls.clear()
    ds = tf.data.Dataset.range(7).window(3).flat_map(to_batches)
    assert [b.tolist() for b in ds.as_numpy_iterator()] == [[0, 1], [2], [3, 4], [5], [6]]
    assert len(calls) == 1


def test_window_interleave_maps_with_argument():
    @tf.function
    def g(n):
        ds = (
            tf.data.Dataset.range(n)
            .window(2, drop_remainder=True)
            .interleave(lambda w: w.map(lambda x: x * n), cycle_length=2)
        )
        s = tf.constant(0, tf.int64)
        for b in ds:
            s = s * 10 + b
        return s

    assert int(g(tf.constant(5, tf.int64))) == 1065
    assert int(g(tf.constant(6, tf.int64))) == 128070

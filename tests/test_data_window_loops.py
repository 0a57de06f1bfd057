"""Elements that are datasets (``Dataset.window``'s) in tf.function: ``flat_map`` over windows and ``for``
loops over them run as loops of the graph, traced once and correct on later calls with other inputs.
Expected values are TensorFlow 2.21's results for the same code."""

import pytest

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


def test_get_single_element_of_window_batch_in_loop():
    @tf.function
    def f(n):
        s = tf.constant(0, tf.int64)
        for w in tf.data.Dataset.range(n).window(3, drop_remainder=True):
            s = s + tf.reduce_prod(w.batch(3).get_single_element())
        return s

    assert int(f(tf.constant(7, tf.int64))) == 60
    assert int(f(tf.constant(9, tf.int64))) == 396


def test_get_single_element_in_function():
    @tf.function
    def f(n):
        return tf.data.Dataset.range(n).get_single_element()

    assert int(f(tf.constant(1, tf.int64))) == 0
    with pytest.raises(tf.errors.InvalidArgumentError, match="Dataset was empty"):
        f(tf.constant(0, tf.int64))
    with pytest.raises(tf.errors.InvalidArgumentError, match="Dataset had more than one element"):
        f(tf.constant(2, tf.int64))

    @tf.function
    def g(x):
        return tf.data.Dataset.from_tensors({"a": x, "b": (x * 2, tf.strings.as_string(x))}).get_single_element()

    r = g(tf.constant([1, 2]))
    assert (r["a"].numpy().tolist(), r["b"][0].numpy().tolist(), r["b"][1].numpy().tolist()) == (
        [1, 2],
        [2, 4],
        [b"1", b"2"],
    )


def test_windows_of_dict_elements_and_iter_next():
    @tf.function
    def f(n):
        s = tf.constant(0, tf.int64)
        for w in tf.data.Dataset.range(n).map(lambda x: {"a": x, "b": x * 2}).window(2):
            for e in tf.data.Dataset.zip((w["a"], w["b"])):
                s = s * 3 + e[0] + e[1]
        return s

    assert [int(f(tf.constant(v, tf.int64))) for v in (4, 3)] == [54, 15]

    @tf.function
    def g(n):
        w = next(iter(tf.data.Dataset.range(n).window(3)))
        return w.reduce(tf.constant(0, tf.int64), lambda a, b: a + b)

    assert [int(g(tf.constant(v, tf.int64))) for v in (5, 2)] == [3, 1]


def test_take_of_windows_batched_in_loop():
    @tf.function
    def f(n):
        s = tf.constant(0, tf.int64)
        for w in tf.data.Dataset.range(n).window(2, shift=1, drop_remainder=True).take(3):
            for b in w.batch(2):
                s = s * 10 + tf.reduce_sum(b)
        return s

    assert [int(f(tf.constant(v, tf.int64))) for v in (6, 3)] == [135, 13]


def test_map_of_window_reductions():
    ds = tf.data.Dataset.range(7).window(3).map(lambda w: w.reduce(tf.constant(0, tf.int64), lambda a, b: a + b))
    assert [int(x) for x in ds] == [3, 12, 6]

    @tf.function
    def f(n):
        s = tf.constant(0, tf.int64)
        windows = tf.data.Dataset.range(n).window(3)
        for x in windows.map(lambda w: w.reduce(tf.constant(0, tf.int64), lambda a, b: a + b)):
            s = s * 100 + x
        return s

    assert [int(f(tf.constant(v, tf.int64))) for v in (7, 4)] == [31206, 303]


def test_window_size_and_shift_of_arguments():
    @tf.function
    def f(n, k):
        ds = tf.data.Dataset.range(8).window(n, shift=k).flat_map(lambda w: w.batch(n))
        s = tf.constant(0, tf.int64)
        for b in ds:
            s = s * 10 + tf.reduce_sum(b)
        return s

    assert int(f(tf.constant(3, tf.int64), tf.constant(2, tf.int64))) == 4063
    assert int(f(tf.constant(2, tf.int64), tf.constant(3, tf.int64))) == 183


def test_padded_batch_size_of_argument():
    specs = []

    @tf.function
    def g(n):
        ds = tf.data.Dataset.range(1, 6).map(lambda x: tf.range(x)).padded_batch(n)
        specs.append(ds.element_spec)
        s = tf.constant(0, tf.int64)
        for b in ds:
            s = s * 10 + tf.cast(tf.shape(b)[0] * 3 + tf.shape(b)[1], tf.int64)
        return s

    assert [int(g(tf.constant(v, tf.int64))) for v in (2, 3)] == [908, 131]
    assert specs[0] == tf.TensorSpec([None, None], tf.int64)

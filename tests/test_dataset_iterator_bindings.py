"""Each iterator of a dataset built in tf.function holds the values of the run that made it (TensorFlow makes a
fresh iterator resource with its own captured inputs): iterators made with different values never share the
latest ones. Expected values are computed in Python; TensorFlow 2.21 gives the same for the single-thread
cases (it runs concurrent calls of one function one at a time, so the threaded case is checked per call)."""

import threading

import numpy as np

import ferroflow as tf


def test_two_iterators_in_one_call():
    @tf.function
    def two(a, b):
        ds = tf.data.Dataset.from_tensor_slices(a).map(lambda x: x * b)
        it1, it2 = iter(ds), iter(ds)
        x1 = next(it1)
        y1 = next(it2)
        x2 = next(it1)
        return x1, y1, x2

    assert [int(v) for v in two(tf.constant([1, 2, 3]), tf.constant(10))] == [10, 10, 20]
    assert [int(v) for v in two(tf.constant([4, 5, 6]), tf.constant(7))] == [28, 28, 35]


def test_concurrent_calls_keep_their_own_values():
    """Two calls run at once: both make their iterator before either pulls an element (a barrier in the loop
    body), so an iterator reading values bound to the shared dataset would see the other call's."""
    barrier = threading.Barrier(2, timeout=20)
    armed: list = []

    def wait(x):
        if armed:
            barrier.wait()
        return x

    @tf.function
    def f(a, b):
        ds = tf.data.Dataset.from_tensor_slices(a).map(lambda x: x * b)
        s = tf.constant(0)
        for x in ds:
            s += tf.py_function(wait, [x], tf.int32)
        return s

    assert int(f(tf.constant([0, 0]), tf.constant(0))) == 0  # traced before the threads start
    armed.append(True)
    out: dict = {}
    errors: list = []

    def run(key, a, b):
        try:
            out[key] = int(f(tf.constant(a), tf.constant(b)))
        except Exception as e:  # reported below instead of lost in the thread
            errors.append(e)

    threads = [threading.Thread(target=run, args=(0, [1, 2], 10)), threading.Thread(target=run, args=(1, [3, 4], 100))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    assert out == {0: 30, 1: 700}


def test_range_and_slices_over_arguments_in_nested_loops():
    @tf.function
    def f(n, a):
        outer = tf.data.Dataset.range(n)
        inner = tf.data.Dataset.from_tensor_slices(a)
        acc = tf.constant(0, tf.int64)
        for i in outer:
            for x in inner:
                acc += i * x
        return acc

    for n, a in ((3, [1, 2]), (4, [5, 6, 7])):
        want = sum(i * x for i in range(n) for x in a)
        assert int(f(tf.constant(n, tf.int64), tf.constant(a, tf.int64))) == want


def test_interleaved_open_datasets_read_their_own_elements():
    @tf.function
    def f(a):
        ds = tf.data.Dataset.from_tensor_slices(a).interleave(
            lambda x: tf.data.Dataset.from_tensor_slices(tf.range(3, dtype=tf.int64)).map(lambda y: 10 * x + y),
            cycle_length=2,
        )
        return ds.reduce(tf.zeros([0], tf.int64), lambda acc, v: tf.concat([acc, [v]], 0))

    np.testing.assert_array_equal(f(tf.constant([1, 2], tf.int64)).numpy(), [10, 20, 11, 21, 12, 22])
    np.testing.assert_array_equal(f(tf.constant([7, 3], tf.int64)).numpy(), [70, 30, 71, 31, 72, 32])

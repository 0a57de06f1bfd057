"""flat_map / interleave functions inside tf.function that use the function's tensors (its arguments or values
computed from them): traced once, each call iterating with that call's values, as in TensorFlow 2.21 (whose
results for the same code were checked to equal the Python/NumPy expectations computed here)."""

import numpy as np
import pytest

import ferroflow as tf


def _interleave(lists: list, cycle: int, block: int = 1) -> list:
    """tf.data's deterministic interleave order of finite lists: visit the ``cycle`` slots in turn, open the
    next input in an empty slot, take up to ``block`` elements, and close a slot once it is exhausted."""
    pending, slots, out, i = [list(v) for v in lists], [None] * cycle, [], 0
    while pending or any(s is not None for s in slots):
        if slots[i] is None and pending:
            slots[i] = pending.pop(0)
        if slots[i] is not None:
            if not slots[i]:
                slots[i] = None
                i = (i + 1) % cycle
                continue
            taken = 0
            while slots[i] and taken < block:
                out.append(slots[i].pop(0))
                taken += 1
            if taken < block:  # exhausted inside the block: closed, the next slot continues
                slots[i] = None
        i = (i + 1) % cycle
    return out


def test_flat_map_range_over_argument_in_reduce_without_retrace():
    traces = []

    @tf.function
    def f(n):
        traces.append(1)
        ds = tf.data.Dataset.range(3).flat_map(lambda x: tf.data.Dataset.range(x + n))
        return ds.reduce(tf.constant(0, tf.int64), lambda a, b: a + b)

    for n in (2, 5, 0):
        want = sum(sum(range(x + n)) for x in range(3))
        assert int(f(tf.constant(n, tf.int64))) == want
    assert len(traces) == 1  # TensorFlow: 10, 46, 1 from one trace


def test_interleave_over_argument_in_for_loop():
    @tf.function
    def g(n):
        ds = tf.data.Dataset.range(4).interleave(
            lambda x: tf.data.Dataset.from_tensors(x * n).repeat(2), cycle_length=2
        )
        arr = tf.TensorArray(tf.int64, size=0, dynamic_size=True)
        i = 0
        for x in ds:
            arr = arr.write(i, x)
            i += 1
        return arr.stack()

    for n in (2, 5):
        want = _interleave([[x * n] * 2 for x in range(4)], 2)
        assert want == [0, n, 0, n, 2 * n, 3 * n, 2 * n, 3 * n]
        np.testing.assert_array_equal(g(tf.constant(n, tf.int64)).numpy(), want)


def test_flat_map_over_value_computed_in_function():
    @tf.function
    def h(n):
        m = n * 2
        ds = tf.data.Dataset.range(3).flat_map(lambda x: tf.data.Dataset.from_tensor_slices(tf.range(x + m)))
        s = tf.constant(0, tf.int64)
        for x in ds:
            s += x
        return s

    for n in (1, 3):
        assert int(h(tf.constant(n, tf.int64))) == sum(sum(range(x + 2 * n)) for x in range(3))


def test_open_datasets_keep_their_own_element_and_argument():
    """cycle_length=3 keeps three inner datasets open at once; each map reads its own element."""

    @tf.function
    def f(n):
        ds = tf.data.Dataset.range(5).interleave(
            lambda x: tf.data.Dataset.range(3).map(lambda y: y * 100 + x * n), cycle_length=3, block_length=2
        )
        return ds.reduce(tf.zeros([0], tf.int64), lambda acc, v: tf.concat([acc, [v]], 0))

    for n in (1, 7):
        want = _interleave([[y * 100 + x * n for y in range(3)] for x in range(5)], 3, 2)
        np.testing.assert_array_equal(f(tf.constant(n, tf.int64)).numpy(), want)


def test_interleave_of_argument_dataset_with_parallel_calls():
    @tf.function
    def f(a, k):
        ds = tf.data.Dataset.from_tensor_slices(a).interleave(
            lambda x: tf.data.Dataset.range(x).map(lambda y: y + k),
            cycle_length=2,
            num_parallel_calls=2,
        )
        return ds.reduce(tf.constant(0, tf.int64), lambda s, v: s * 10 + v)

    for a, k in (([1, 2, 3], 0), ([3, 1], 5)):
        want = 0
        for v in _interleave([[y + k for y in range(x)] for x in a], 2):
            want = want * 10 + v
        assert int(f(tf.constant(a, tf.int64), tf.constant(k, tf.int64))) == want


def test_iterator_of_nested_dataset_and_end_of_sequence():
    @tf.function
    def f(n):
        it = iter(tf.data.Dataset.range(2).flat_map(lambda x: tf.data.Dataset.from_tensors(x + n)))
        return next(it), next(it), next(it)

    with pytest.raises(tf.errors.OutOfRangeError):
        f(tf.constant(3, tf.int64))

    @tf.function
    def g(n):
        it = iter(tf.data.Dataset.range(2).flat_map(lambda x: tf.data.Dataset.from_tensors(x + n)))
        return next(it), next(it)

    assert [int(v) for v in g(tf.constant(3, tf.int64))] == [3, 4]
    assert [int(v) for v in g(tf.constant(-1, tf.int64))] == [-1, 0]


def test_eager_flat_map_unchanged():
    ds = tf.data.Dataset.range(3).flat_map(lambda x: tf.data.Dataset.range(x))
    assert [int(v) for v in ds] == [0, 0, 1]


def test_flat_map_over_placeholder_with_initializable_iterator():
    with tf.Graph().as_default():
        n = tf.compat.v1.placeholder(tf.int64, [])
        ds = tf.data.Dataset.range(3).flat_map(lambda x: tf.data.Dataset.range(x + n))
        it = tf.compat.v1.data.make_initializable_iterator(ds)
        nxt = it.get_next()
        with tf.compat.v1.Session() as sess:
            for v in (1, 2):
                sess.run(it.initializer, feed_dict={n: v})
                out = []
                with pytest.raises(tf.errors.OutOfRangeError):
                    while True:
                        out.append(int(sess.run(nxt)))
                assert out == [y for x in range(3) for y in range(x + v)]

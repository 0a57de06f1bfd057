"""``Dataset.reduce`` inside ``tf.function`` is part of the graph: each call iterates the dataset again, with
the call's arguments (``Dataset.range(n)``, ``from_tensor_slices(x)``) and the current values of the variables
a captured dataset reads; results checked against NumPy and against eager ``reduce``."""

import numpy as np
import pytest

import ferroflow as tf


def _values(result):
    return tf.nest.map_structure(lambda t: t.numpy(), result)


def test_range_of_an_argument_gives_each_calls_sum():
    @tf.function
    def total(n):
        return tf.data.Dataset.range(n).reduce(tf.constant(0, tf.int64), lambda s, x: s + x)

    for n in (5, 10, 0, 1):
        got = total(tf.constant(n, tf.int64))
        assert got.dtype == tf.int64
        assert int(got) == sum(range(n))


def test_range_with_start_stop_step_arguments():
    @tf.function
    def total(a, b, c):
        return tf.data.Dataset.range(a, b, c).reduce(np.int64(0), lambda s, x: s + x * x)

    for a, b, c in [(1, 10, 2), (10, 0, -3), (3, 3, 1)]:
        got = total(*[tf.constant(v, tf.int64) for v in (a, b, c)])
        assert int(got) == sum(x * x for x in range(a, b, c))


def test_slices_of_an_argument_with_a_tuple_state_and_captured_tensor():
    @tf.function
    def stats(x, w):
        ds = tf.data.Dataset.from_tensor_slices({"a": x, "b": x * 2.0})
        return ds.reduce((0.0, tf.constant(0, tf.int64)), lambda s, e: (s[0] + e["a"] * w + e["b"], s[1] + 1))

    rng = np.random.RandomState(0)
    for size in (3, 7):
        x = rng.randn(size).astype(np.float32)
        total, count = _values(stats(tf.constant(x), tf.constant(1.5)))
        np.testing.assert_allclose(total, np.sum(x * 1.5 + 2 * x), rtol=1e-5)
        assert count == size
        eager = tf.data.Dataset.from_tensor_slices({"a": x, "b": x * 2.0}).reduce(
            (0.0, np.int64(0)), lambda s, e: (s[0] + e["a"] * 1.5 + e["b"], s[1] + 1)
        )
        np.testing.assert_allclose(total, eager[0].numpy(), rtol=1e-6)


def test_batched_rows_of_an_argument():
    @tf.function
    def column_sums(x):
        ds = tf.data.Dataset.from_tensor_slices(x).batch(2)
        return ds.reduce(tf.zeros([3], tf.float64), lambda s, b: s + tf.reduce_sum(b, 0))

    for rows in (5, 2):
        x = np.arange(rows * 3.0).reshape(rows, 3)
        np.testing.assert_allclose(column_sums(tf.constant(x)).numpy(), x.sum(0))


def test_state_whose_shape_grows():
    @tf.function
    def collect(n):
        return tf.data.Dataset.range(n).reduce(tf.zeros([0], tf.int64), lambda s, x: tf.concat([s, [x * 2]], 0))

    assert collect(tf.constant(4, tf.int64)).numpy().tolist() == [0, 2, 4, 6]
    assert collect(tf.constant(0, tf.int64)).numpy().tolist() == []
    assert collect(tf.constant(2, tf.int64)).numpy().tolist() == [0, 2]


def test_captured_dataset_is_iterated_again_at_each_call():
    v = tf.Variable(1.0)
    ds = tf.data.Dataset.range(4).map(lambda x: tf.cast(x, tf.float32) * v)

    @tf.function
    def total():
        return ds.reduce(0.0, lambda s, x: s + x)

    assert float(total()) == 6.0
    v.assign(3.0)
    assert float(total()) == 18.0
    assert float(ds.reduce(0.0, lambda s, x: s + x)) == 18.0  # eager, unchanged


def test_reduce_func_assigning_a_variable_runs_at_each_call():
    seen = tf.Variable(0, dtype=tf.int64)

    @tf.function
    def total(n):
        def step(s, x):
            seen.assign_add(1)
            return s + x

        return tf.data.Dataset.range(n).reduce(np.int64(0), step)

    assert int(total(tf.constant(3, tf.int64))) == 3
    assert int(total(tf.constant(5, tf.int64))) == 10
    assert int(seen.numpy()) == 8


def test_initial_state_from_an_argument_and_python_int_state():
    @tf.function
    def count(n, start):
        return tf.data.Dataset.range(n).reduce(start, lambda s, x: s + 1), tf.data.Dataset.range(n).reduce(
            0, lambda s, x: s + 1
        )

    a, b = count(tf.constant(4, tf.int64), tf.constant(10))
    assert int(a) == 14 and int(b) == 4
    assert b.dtype == tf.int32  # a Python int state is int32, as eagerly


def test_for_loop_over_slices_of_an_argument():
    @tf.function
    def total(x):
        s = tf.constant(0.0)
        for v in tf.data.Dataset.from_tensor_slices(x):
            s += v
        return s

    assert float(total(tf.constant([1.0, 2.0, 3.0]))) == 6.0
    assert float(total(tf.constant([4.0, 5.0]))) == 9.0


def test_eager_reduce_unchanged():
    ds = tf.data.Dataset.from_tensor_slices(np.arange(6.0))
    assert float(ds.reduce(0.0, lambda s, x: s + tf.cast(x, tf.float32))) == 15.0
    assert int(tf.data.Dataset.range(5).reduce(np.int64(0), lambda s, x: s + x)) == 10


def test_bad_inputs():
    @tf.function
    def float_bound(n):
        return tf.data.Dataset.range(n).reduce(np.int64(0), lambda s, x: s + x)

    with pytest.raises(ValueError, match="int64"):
        float_bound(tf.constant(3.0))

    @tf.function
    def vector_bound(n):
        return tf.data.Dataset.range(n).reduce(np.int64(0), lambda s, x: s + x)

    with pytest.raises(ValueError, match="rank 0"):
        vector_bound(tf.constant([1, 2], tf.int64))

    @tf.function
    def wrong_dtype(n):
        return tf.data.Dataset.range(n).reduce(0.0, lambda s, x: x)

    with pytest.raises(TypeError):
        wrong_dtype(tf.constant(3, tf.int64))


def test_reduce_in_a_loop_body_and_with_an_input_signature():
    @tf.function
    def nested(m):
        out = tf.constant(0, tf.int64)
        for i in tf.range(m):
            out += tf.data.Dataset.range(i).reduce(np.int64(0), lambda s, x: s + x)
        return out

    assert int(nested(tf.constant(5, tf.int64))) == sum(sum(range(i)) for i in range(5))

    @tf.function(input_signature=[tf.TensorSpec([None], tf.string)])
    def joined(x):
        return tf.data.Dataset.from_tensor_slices(x).reduce(tf.constant(""), lambda s, e: tf.strings.join([s, e]))

    assert joined(tf.constant(["a", "b", "c"])).numpy() == b"abc"
    assert joined(tf.constant(["xy"])).numpy() == b"xy"

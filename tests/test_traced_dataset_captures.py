"""Datasets inside tf.function whose map/filter functions use the function's tensors, and datasets over
constants made in the function. Expected values are TensorFlow 2.21's results for the same code."""

import numpy as np
import pytest

import ferroflow as tf


def test_map_captures_argument_in_for_loop():
    @tf.function
    def f(scale):
        ds = tf.data.Dataset.from_tensor_slices([1.0, 2.0, 3.0]).map(lambda x: x * scale)
        s = tf.constant(0.0)
        for x in ds:
            s += x
        return s

    assert [float(f(tf.constant(v))) for v in (2.0, 3.0, -1.0)] == [12.0, 18.0, -6.0]


def test_map_captures_computed_tensor_in_reduce():
    @tf.function
    def f(scale):
        k = scale + 1.0
        ds = tf.data.Dataset.range(4).map(lambda x: tf.cast(x, tf.float32) * k)
        return ds.reduce(tf.constant(0.0), lambda a, b: a + b)

    assert [float(f(tf.constant(v))) for v in (2.0, 3.0)] == [18.0, 24.0]


def test_filter_and_map_capture():
    @tf.function
    def f(lo):
        ds = tf.data.Dataset.range(10).filter(lambda x: x > lo).map(lambda x: x * lo)
        s = tf.constant(0, tf.int64)
        for x in ds:
            s += x
        return s

    assert [int(f(tf.constant(v, tf.int64))) for v in (3, 6)] == [117, 144]


def test_tuple_elements_and_two_captures():
    @tf.function
    def f(a, b):
        ds = tf.data.Dataset.from_tensor_slices(([1.0, 2.0], [10.0, 20.0])).map(lambda x, y: (x * a, y + b))
        return ds.reduce((tf.constant(0.0), tf.constant(0.0)), lambda s, e: (s[0] + e[0], s[1] + e[1]))

    got = [[float(v) for v in f(tf.constant(a), tf.constant(b))] for a, b in ((2.0, 1.0), (-1.0, 5.0))]
    assert got == [[6.0, 32.0], [-3.0, 40.0]]


def test_map_returns_the_outer_tensor():
    @tf.function
    def f(a):
        ds = tf.data.Dataset.range(3).map(lambda x: (x, a))
        return ds.reduce(tf.constant(0.0), lambda s, e: s + e[1])

    assert [float(f(tf.constant(v))) for v in (1.5, 2.0)] == [4.5, 6.0]


def test_vector_capture_and_batch():
    @tf.function
    def f(w):
        ds = tf.data.Dataset.from_tensor_slices(tf.constant([[1.0, 2.0], [3.0, 4.0]]))
        return ds.map(lambda x: tf.reduce_sum(x * w)).reduce(tf.constant(0.0), lambda s, e: s + e)

    assert [float(f(tf.constant(w))) for w in ([1.0, 0.0], [0.5, 2.0])] == [4.0, 14.0]

    @tf.function
    def g(a):
        ds = tf.data.Dataset.range(5).map(lambda x: tf.cast(x, tf.float32) * a).batch(2)
        out = tf.TensorArray(tf.float32, size=0, dynamic_size=True, infer_shape=False)
        i = 0
        for b in ds:
            out = out.write(i, tf.reduce_sum(b))
            i += 1
        return out.stack()

    np.testing.assert_array_equal(g(tf.constant(1.0)).numpy(), [1.0, 5.0, 4.0])
    np.testing.assert_array_equal(g(tf.constant(10.0)).numpy(), [10.0, 50.0, 40.0])


def test_iterator_next_and_parallel_map():
    @tf.function
    def f(a):
        it = iter(tf.data.Dataset.range(5).map(lambda x: x + a))
        return next(it) + next(it)

    assert [int(f(tf.constant(v, tf.int64))) for v in (1, 100)] == [3, 201]

    @tf.function
    def g(a):
        ds = tf.data.Dataset.range(6).map(lambda x: x * a, num_parallel_calls=tf.data.AUTOTUNE)
        return ds.reduce(tf.constant(0, tf.int64), lambda s, e: s + e)

    assert [int(g(tf.constant(v, tf.int64))) for v in (1, 3)] == [15, 45]


def test_while_loop_inside_map_uses_outer_tensor():
    @tf.function
    def f(n):
        def body(x):
            return tf.while_loop(lambda i, s: i < n, lambda i, s: (i + 1, s + x), (tf.constant(0), tf.constant(0.0)))[1]

        ds = tf.data.Dataset.from_tensor_slices([1.0, 2.0]).map(body)
        return ds.reduce(tf.constant(0.0), lambda s, e: s + e)

    assert [float(f(tf.constant(v))) for v in (2, 3)] == [6.0, 9.0]


def test_from_tensor_slices_of_constant_made_in_function():
    @tf.function
    def f():
        ds = tf.data.Dataset.from_tensor_slices(tf.constant([1, 2, 3]))
        s = tf.constant(0)
        for x in ds:
            s += x
        return s

    @tf.function
    def g():
        return tf.data.Dataset.from_tensor_slices(tf.constant([1, 2, 3])).reduce(tf.constant(0), lambda a, b: a + b)

    assert int(f()) == 6 and int(g()) == 6
    assert int(f()) == 6


def test_constants_strings_from_tensors_and_mixed_with_argument():
    @tf.function
    def f():
        ds = tf.data.Dataset.from_tensor_slices((tf.constant([1, 2, 3]), tf.constant(["a", "bb", "ccc"])))
        out = tf.constant(0)
        for n, text in ds:
            out += n * tf.strings.length(text)
        one = tf.data.Dataset.from_tensors(tf.constant([4.0, 5.0]))
        return out, one.reduce(tf.constant(0.0), lambda acc, e: acc + tf.reduce_sum(e))

    total, single = f()
    assert int(total) == 14 and float(single) == 9.0

    @tf.function
    def g(a):
        ds = tf.data.Dataset.from_tensor_slices((tf.constant([1, 2, 3]), a))
        return ds.reduce(tf.constant(0), lambda s, e: s + e[0] * e[1])

    assert [int(g(tf.constant(v))) for v in ([1, 1, 1], [3, 2, 1])] == [6, 10]


def test_constant_shape_mismatch_is_an_error():
    @tf.function
    def f():
        return tf.data.Dataset.from_tensor_slices((tf.constant([1, 2, 3]), tf.constant([1, 2])))

    with pytest.raises(ValueError):
        f()


def test_dataset_made_in_tensor_loop_captures_loop_value():
    # The map's lambda parameter 'x' is not a read of the loop target 'x' (AutoGraph's liveness).
    @tf.function
    def f(n):
        total = tf.constant(0.0)
        for i in tf.range(n):
            k = tf.cast(i, tf.float32) + 1.0
            ds = tf.data.Dataset.from_tensor_slices([1.0, 2.0]).map(lambda x: x * k)  # noqa: B023
            for x in ds:
                total += x
        return total

    assert [float(f(tf.constant(v))) for v in (2, 3)] == [9.0, 18.0]


def test_lambda_parameter_named_like_loop_target_after_loop():
    @tf.function
    def f(a):
        out = tf.constant(0)
        for x, s in tf.data.Dataset.from_tensor_slices(([1, 2, 3], [4, 5, 6])):
            out += x * s
        squares = [s * s for s in (1, 2)]
        return tf.data.Dataset.from_tensors(a).reduce(out, lambda s, e: s + e) + sum(squares)

    assert [int(f(tf.constant(v))) for v in (0, 10)] == [37, 47]

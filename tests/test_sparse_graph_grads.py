"""Gradients through ``tf.sparse.softmax``, ``tf.sparse.segment_sqrt_n`` and the ``tf.math`` segment ops inside
``tf.function`` (shapes known only when the graph runs), and ``tf.math.bincount`` traced over ``None``
dimensions. Expected values are what TensorFlow 2.21 gives for the same functions."""

from __future__ import annotations

import numpy as np

import ferroflow as tf


def test_softmax_gradient_reaches_the_values_traced():
    @tf.function(input_signature=[tf.TensorSpec([None], tf.float32), tf.TensorSpec([None, 2], tf.int64)])
    def grad(values, indices):
        with tf.GradientTape() as tape:
            tape.watch(values)
            sp = tf.sparse.SparseTensor(indices, values, [3, 3])
            weights = tf.cast(tf.range(1, tf.size(values) + 1), tf.float32)
            out = tf.reduce_sum(tf.sparse.softmax(sp).values * weights)
        return tape.gradient(out, values)

    indices = tf.constant([[0, 0], [0, 2], [1, 1], [2, 0]], tf.int64)
    got = grad(tf.constant([1.0, 2.0, 3.0, -1.0]), indices).numpy()
    np.testing.assert_allclose(got, [-0.1966119408607483, 0.1966119259595871, 0.0, 0.0], rtol=1e-5, atol=1e-7)
    got = grad(tf.constant([0.5, 0.5]), indices[:2]).numpy()
    np.testing.assert_allclose(got, [-0.25, 0.25], rtol=1e-5)


def test_segment_sqrt_n_gradient_traced():
    signature = [tf.TensorSpec([None, None], tf.float32), tf.TensorSpec([None], tf.int32)]
    signature.append(tf.TensorSpec([None], tf.int32))

    @tf.function(input_signature=signature)
    def grad(data, indices, segment_ids):
        with tf.GradientTape() as tape:
            tape.watch(data)
            scale = tf.reshape(tf.cast(tf.range(1, tf.reduce_max(segment_ids) + 2), tf.float32), [-1, 1])
            out = tf.reduce_sum(tf.sparse.segment_sqrt_n(data, indices, segment_ids) * scale)
        return tape.gradient(out, data)

    data = tf.reshape(tf.range(8.0), [4, 2])
    got = grad(data, tf.constant([0, 3, 3, 1]), tf.constant([0, 0, 2, 2])).numpy()
    r2 = np.sqrt(2.0)
    np.testing.assert_allclose(got, [[1 / r2] * 2, [3 / r2] * 2, [0.0] * 2, [4 / r2] * 2], rtol=1e-6)


def test_math_bincount_traced_over_unknown_lengths():
    counts = tf.function(lambda x: tf.math.bincount(x, minlength=3), input_signature=[tf.TensorSpec([None], tf.int32)])
    assert counts(tf.constant([4, 1, 1])).numpy().tolist() == [0, 2, 0, 0, 1]
    assert counts(tf.zeros([0], tf.int32)).numpy().tolist() == [0, 0, 0]
    capped = tf.function(
        lambda x: tf.math.bincount(x, maxlength=3, dtype=tf.float32), input_signature=[tf.TensorSpec([None], tf.int32)]
    )
    got = capped(tf.constant([4, 1, 1, 0]))
    assert got.dtype == tf.float32 and got.numpy().tolist() == [1.0, 2.0, 0.0]


def test_math_bincount_rows_with_weights_traced():
    signature = [tf.TensorSpec([None, None], tf.int32), tf.TensorSpec([None, None], tf.float32)]
    counts = tf.function(lambda x, w: tf.math.bincount(x, weights=w, axis=-1, maxlength=3), input_signature=signature)
    got = counts(tf.constant([[4, 1, 1], [0, 2, 2]]), tf.constant([[1.0, 2, 3], [4, 5, 6]]))
    assert got.numpy().tolist() == [[0.0, 5.0, 0.0], [4.0, 0.0, 11.0]]


def test_math_segment_gradients_traced_over_unknown_sizes():
    signature = [tf.TensorSpec([None, None], tf.float32), tf.TensorSpec([None], tf.int32), tf.TensorSpec([], tf.int32)]

    @tf.function(input_signature=signature)
    def grad(data, segment_ids, num_segments):
        with tf.GradientTape() as tape:
            tape.watch(data)
            mean = tf.math.unsorted_segment_mean(data, segment_ids, num_segments)
            top = tf.math.unsorted_segment_max(data, segment_ids, num_segments)
            total = tf.math.segment_sum(data, tf.sort(tf.maximum(segment_ids, 0)))
            out = tf.reduce_sum(mean * 2.0) + tf.reduce_sum(top * 3.0) + tf.reduce_sum(total)
        return tape.gradient(out, data)

    got = grad(tf.constant([[1.0, -2], [3, 4], [5, 6]]), tf.constant([2, -1, 2]), tf.constant(3))
    assert got.numpy().tolist() == [[2.0, 2.0], [1.0, 1.0], [5.0, 5.0]]
    got = grad(tf.reshape(tf.range(-4.0, 6.0), [5, 2]), tf.constant([3, 0, 0, 3, 1]), tf.constant(5))
    assert got.numpy().tolist() == [[2.0, 2.0], [2.0, 2.0], [5.0, 5.0], [5.0, 5.0], [6.0, 6.0]]

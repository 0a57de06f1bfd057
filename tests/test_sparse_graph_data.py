"""``tf.sparse`` and ``tf.math`` counting and segment ops inside ``tf.data`` map functions (traced once, the
element's values known only when the pipeline runs). Expected values are what TensorFlow 2.21 gives for the
same pipelines."""

from __future__ import annotations

import numpy as np

import ferroflow as tf


def _rows():
    return tf.data.Dataset.from_tensor_slices(tf.constant([[1, 2, 2], [0, 5, 1]]))


def test_sparse_bincount_in_map():
    got = [
        (r.indices.numpy().tolist(), r.values.numpy().tolist(), r.dense_shape.numpy().tolist())
        for r in _rows().map(lambda x: tf.sparse.bincount(x))
    ]
    assert got == [([[1], [2]], [1, 2], [3]), ([[0], [1], [5]], [1, 1, 1], [6])]


def test_sparse_softmax_in_map():
    elements = tf.sparse.SparseTensor([[0, 1], [1, 0], [1, 2]], [2.0, 4.0, -1.0], [2, 3])
    dataset = tf.data.Dataset.from_tensor_slices(elements).map(lambda s: tf.sparse.softmax(tf.sparse.expand_dims(s, 0)))
    got = [r.values.numpy() for r in dataset]
    np.testing.assert_allclose(got[0], [1.0])
    np.testing.assert_allclose(got[1], [0.9933071732521057, 0.006692850962281227], rtol=1e-6)


def test_math_bincount_and_segment_sum_in_map():
    counts = [a.tolist() for a in _rows().map(lambda x: tf.math.bincount(x, minlength=6)).as_numpy_iterator()]
    assert counts == [[0, 1, 2, 0, 0, 0], [1, 1, 0, 0, 0, 1]]
    ids = tf.constant([0, 0, 1])
    sums = [a.numpy().tolist() for a in _rows().map(lambda x: tf.math.segment_sum(tf.cast(x, tf.float32), ids))]
    assert sums == [[3.0, 2.0], [5.0, 1.0]]


def test_sparse_segment_mean_in_map():
    def mean(x):
        return tf.sparse.segment_mean(
            tf.cast(tf.reshape(x, [3, 1]), tf.float32), tf.constant([2, 0]), tf.constant([0, 2])
        )

    got = [a.tolist() for a in _rows().map(mean).as_numpy_iterator()]
    assert got == [[[2.0], [0.0], [1.0]], [[1.0], [0.0], [0.0]]]

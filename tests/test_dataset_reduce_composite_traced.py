"""Dataset.reduce inside tf.function with a sparse or ragged state: a loop of the graph run at every call, so a
second call with other inputs gets its own result instead of the one computed while tracing.

The sparse cases give TensorFlow 2.21's results (checked against the same code). TensorFlow 2.21 fails on a
ragged reduce state (eagerly and in tf.function, with an internal ``TypeError: issubclass() arg 1 must be a
class``); the ragged expectations are the eager reduction's, computed on Python lists here."""

import numpy as np
import pytest

import ferroflow as tf


def test_sparse_state_follows_each_call():
    @tf.function
    def f(a):
        ds = tf.data.Dataset.from_tensor_slices(a)
        init = tf.sparse.SparseTensor([[0, 0], [1, 2]], tf.constant([1.0, 2.0]), [2, 3])
        return ds.reduce(init, lambda s, x: tf.sparse.SparseTensor(s.indices, s.values * x, s.dense_shape))

    for a in ([2.0, 3.0], [5.0], []):
        scale = float(np.prod(a))
        want = np.zeros((2, 3), np.float32)
        want[0, 0], want[1, 2] = 1.0 * scale, 2.0 * scale
        out = f(tf.constant(a, tf.float32))
        assert isinstance(out, tf.SparseTensor)
        np.testing.assert_array_equal(tf.sparse.to_dense(out).numpy(), want)


def test_sparse_argument_as_state():
    @tf.function
    def f(sp, n):
        return tf.data.Dataset.range(n).reduce(sp, lambda s, x: tf.sparse.add(s, s))

    sp = tf.sparse.SparseTensor([[0, 1]], tf.constant([3], tf.int64), [1, 2])
    for n in (0, 2, 3):
        np.testing.assert_array_equal(tf.sparse.to_dense(f(sp, tf.constant(n, tf.int64))).numpy(), [[0, 3 * 2**n]])


def test_ragged_state_follows_each_call():
    @tf.function
    def r(n):
        init = tf.ragged.constant([[1], [2, 3]], dtype=tf.int64)
        return tf.data.Dataset.range(n).reduce(init, lambda s, x: s + x)

    for n in (2, 3, 0):
        total = sum(range(n))
        assert r(tf.constant(n, tf.int64)).to_list() == [[1 + total], [2 + total, 3 + total]]


def test_ragged_argument_state_that_grows():
    @tf.function
    def g(rt, n):
        row = tf.ragged.constant([[0]], dtype=tf.int64)
        return tf.data.Dataset.range(n).reduce(rt, lambda s, x: tf.concat([s, row + x], 0))

    first = g(tf.ragged.constant([[1], [2, 3]], dtype=tf.int64), tf.constant(2, tf.int64))
    assert first.to_list() == [[1], [2, 3], [0], [1]]
    second = g(tf.ragged.constant([[7, 8, 9]], dtype=tf.int64), tf.constant(3, tf.int64))
    assert second.to_list() == [[7, 8, 9], [0], [1], [2]]


def test_mixed_dense_and_sparse_state():
    @tf.function
    def f(n):
        sp = tf.sparse.SparseTensor([[1]], tf.constant([1.0]), [3])
        return tf.data.Dataset.range(n).reduce(
            (tf.constant(0, tf.int64), sp),
            lambda s, x: (s[0] + x, tf.sparse.SparseTensor(s[1].indices, s[1].values + 1.0, s[1].dense_shape)),
        )

    for n in (3, 5):
        count, sp = f(tf.constant(n, tf.int64))
        assert int(count) == sum(range(n))
        np.testing.assert_array_equal(tf.sparse.to_dense(sp).numpy(), [0.0, 1.0 + n, 0.0])


def test_new_state_of_other_kind_is_a_type_error():
    @tf.function
    def f(n):
        init = tf.sparse.SparseTensor([[0]], tf.constant([1.0]), [2])
        return tf.data.Dataset.range(n).reduce(init, lambda s, x: tf.sparse.to_dense(s))

    with pytest.raises(TypeError):
        f(tf.constant(2, tf.int64))

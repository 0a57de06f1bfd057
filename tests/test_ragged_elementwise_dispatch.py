"""tf.cast and elementwise ops on tf.RaggedTensor (and tf.cast on tf.SparseTensor): the op runs on the flat
values, the row partitions are kept. Expected values are TensorFlow 2.21's results for the same calls."""

import numpy as np
import pytest

import ferroflow as tf


def _rows(rt):
    return rt.to_list()


def test_cast_ragged_dtypes():
    r = tf.ragged.constant([[1, -2], [3]])
    out = tf.cast(r, tf.float32)
    assert isinstance(out, tf.RaggedTensor) and out.dtype == tf.float32
    assert _rows(out) == [[1.0, -2.0], [3.0]]
    assert _rows(tf.cast(r, tf.int32)) == [[1, -2], [3]]
    assert _rows(tf.cast(r, tf.bool)) == [[True, True], [True]]
    out = tf.dtypes.cast(r, tf.int64)
    assert out.dtype == tf.int64 and _rows(out) == [[1, -2], [3]]
    np.testing.assert_array_equal(out.row_splits.numpy(), [0, 2, 3])


def test_cast_ragged_uniform_inner_dimension():
    r = tf.ragged.constant([[[1], [2]], [[3]]], ragged_rank=1)
    out = tf.cast(r, tf.float64)
    assert out.dtype == tf.float64 and out.ragged_rank == 1
    assert _rows(out) == [[[1.0], [2.0]], [[3.0]]]


def test_cast_ragged_in_function_over_calls():
    @tf.function
    def g(x):
        return tf.cast(x, tf.float32) * 2.0

    assert _rows(g(tf.ragged.constant([[1, -2], [3]]))) == [[2.0, -4.0], [6.0]]
    assert _rows(g(tf.ragged.constant([[5], [6, 7, 8]]))) == [[10.0], [12.0, 14.0, 16.0]]


def test_cast_sparse():
    sp = tf.sparse.SparseTensor([[0, 0], [1, 1]], [1, 2], [2, 2])
    out = tf.cast(sp, tf.float32)
    assert isinstance(out, tf.sparse.SparseTensor) and out.dtype == tf.float32
    np.testing.assert_array_equal(out.values.numpy(), [1.0, 2.0])
    np.testing.assert_array_equal(out.indices.numpy(), [[0, 0], [1, 1]])


def test_cast_ragged_string_to_float_is_an_error():
    with pytest.raises((TypeError, tf.errors.UnimplementedError)):
        tf.cast(tf.ragged.constant([["a"]]), tf.float32)


def test_saturate_cast_ragged():
    out = tf.dtypes.saturate_cast(tf.ragged.constant([[1.0, 4.0], [9.0]]), tf.int32)
    assert out.dtype == tf.int32 and _rows(out) == [[1, 4], [9]]


@pytest.mark.parametrize(
    "fn, expected",
    [
        (tf.nn.relu, [[1.0, 0.0], [9.0]]),
        (tf.nn.relu6, [[1.0, 0.0], [6.0]]),
        (tf.nn.elu, [[1.0, -0.9816844], [9.0]]),
        (tf.nn.selu, [[1.050701, -1.7258986], [9.456309]]),
        (tf.nn.softsign, [[0.5, -0.8], [0.9]]),
        (tf.nn.gelu, [[0.8413447, -0.00012668502], [9.0]]),
        (tf.math.rint, [[1.0, -4.0], [9.0]]),
        (tf.math.bessel_i0, [[1.266066, 11.301921], [1093.5884]]),
    ],
)
def test_elementwise_ops_on_ragged(fn, expected):
    rf = tf.ragged.constant([[1.0, -4.0], [9.0]])
    out = fn(rf)
    assert isinstance(out, tf.RaggedTensor)
    np.testing.assert_array_equal(out.row_splits.numpy(), [0, 2, 3])
    np.testing.assert_allclose(out.flat_values.numpy(), np.concatenate(expected), rtol=1e-5)


def test_is_finite_and_map_flat_values():
    rf = tf.ragged.constant([[1.0, -4.0], [9.0]])
    assert _rows(tf.math.is_finite(rf)) == [[True, True], [True]]
    out = tf.ragged.map_flat_values(tf.cast, tf.ragged.constant([[1, -2], [3]]), tf.float32)
    assert out.dtype == tf.float32 and _rows(out) == [[1.0, -2.0], [3.0]]
    assert _rows(tf.ragged.map_flat_values(tf.math.square, rf)) == [[1.0, 16.0], [81.0]]


def test_relu_dense_unchanged():
    np.testing.assert_array_equal(tf.nn.relu(tf.constant([-1.0, 2.0])).numpy(), [0.0, 2.0])
    np.testing.assert_array_equal(tf.cast(tf.constant([1.7, -1.7]), tf.int32).numpy(), [1, -1])

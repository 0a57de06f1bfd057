"""Edges of the pieces the tensor and ragged guides needed: ragged <-> sparse, map_fn with ragged rows,
string sparse to dense, mixed-type ragged constants, and variables returned by a tf.function
(expected values from TensorFlow 2.21)."""

from __future__ import annotations

import numpy as np
import pytest

import ferroflow as tf


def test_to_sparse_of_nested_and_uniform_inner_dims():
    rt = tf.ragged.constant([[[1, 2, 3], [4]], [[5], [], [6]], [[7]], [[8, 9], [10]]])
    st = rt.to_sparse()
    assert st.indices.numpy().tolist() == [
        [0, 0, 0], [0, 0, 1], [0, 0, 2], [0, 1, 0], [1, 0, 0], [1, 2, 0], [2, 0, 0], [3, 0, 0], [3, 0, 1], [3, 1, 0]
    ]  # fmt: skip
    assert st.dense_shape.numpy().tolist() == [4, 3, 3] and st.values.dtype == tf.int32
    x = tf.ragged.constant([[[1, 2], [3, 4], [5, 6]], [[7, 8]]], ragged_rank=1).to_sparse()
    assert x.indices.numpy().tolist()[:3] == [[0, 0, 0], [0, 0, 1], [0, 1, 0]]
    assert x.values.numpy().tolist() == [1, 2, 3, 4, 5, 6, 7, 8] and x.dense_shape.numpy().tolist() == [2, 3, 2]
    dense = tf.ragged.constant([[[1, 2], [3, 4], [5, 6]], [[7, 8]]], ragged_rank=1).to_tensor()
    assert np.array_equal(tf.sparse.to_dense(x).numpy(), dense.numpy())


def test_to_sparse_inside_tf_function_and_gradient():
    @tf.function
    def f(r):
        return r.to_sparse().indices

    assert f(tf.ragged.constant([[1, 2], [3]])).numpy().tolist() == [[0, 0], [0, 1], [1, 0]]
    v = tf.Variable([1.0, 2.0, 3.0])
    with tf.GradientTape() as tape:
        st = tf.RaggedTensor.from_row_lengths(v * 2.0, [2, 1]).to_sparse()
        loss = tf.reduce_sum(st.values)
    assert tape.gradient(loss, v).numpy().tolist() == [2.0, 2.0, 2.0]


def test_from_sparse():
    st = tf.SparseTensor(indices=[[0, 0], [2, 0], [2, 1]], values=["a", "b", "c"], dense_shape=[3, 3])
    assert tf.RaggedTensor.from_sparse(st).to_list() == [[b"a"], [], [b"b", b"c"]]
    trailing = tf.SparseTensor([[0, 0]], [1.0], [3, 2])
    assert tf.RaggedTensor.from_sparse(trailing).to_list() == [[1.0], [], []]
    with pytest.raises(tf.errors.InvalidArgumentError, match="not right-ragged"):
        tf.RaggedTensor.from_sparse(tf.SparseTensor([[0, 1], [2, 0]], [1.0, 2.0], [4, 3]))
    with pytest.raises(ValueError, match="rank"):
        tf.RaggedTensor.from_sparse(tf.SparseTensor([[0, 1, 1]], [1.0], [4, 3, 3]))


def test_map_fn_with_ragged_rows():
    d = tf.ragged.constant([[3, 1, 4, 1], [], [5, 9, 2], [6], []])
    assert tf.map_fn(tf.math.square, d).to_list() == [[9, 1, 16, 1], [], [25, 81, 4], [36], []]
    sums = tf.map_fn(tf.reduce_sum, d, fn_output_signature=tf.int32)
    assert sums.numpy().tolist() == [9, 0, 16, 6, 0] and sums.dtype == tf.int32
    spec = tf.RaggedTensorSpec(shape=[None], dtype=tf.int32)
    assert tf.map_fn(tf.range, tf.constant([1, 3, 0]), fn_output_signature=spec).to_list() == [[0], [0, 1, 2], []]
    r3 = tf.ragged.constant([[[1, 2], [3]], [[4]], []])
    assert tf.map_fn(lambda x: x + 1, r3).to_list() == [[[2, 3], [4]], [[5]], []]
    with pytest.raises(ValueError):
        tf.map_fn(lambda x: tf.cast(x, tf.float32), d)


def test_string_sparse_to_dense_and_mixed_ragged_constant():
    s = tf.SparseTensor([[0, 0], [1, 2]], ["a", "b"], [2, 3])
    assert tf.sparse.to_dense(s).numpy().tolist() == [[b"a", b"", b""], [b"", b"", b"b"]]
    assert tf.sparse.to_dense(s, "x").numpy().tolist() == [[b"a", b"x", b"x"], [b"x", b"x", b"b"]]
    with pytest.raises(ValueError, match="Can't convert Python sequence with mixed types to Tensor."):
        tf.ragged.constant([["one", "two"], [3, 4]])


def test_tf_function_returns_a_variable_as_its_value():
    v = tf.Variable([1, 2])

    @tf.function
    def f():
        v.assign_add([1, 1])
        return v, {"v": v}

    a, b = f()
    assert not isinstance(a, tf.Variable) and a.numpy().tolist() == [2, 3]
    assert b["v"].numpy().tolist() == [2, 3]
    assert f()[0].numpy().tolist() == [3, 4]


def test_from_uniform_row_length():
    rt = tf.RaggedTensor.from_uniform_row_length(
        values=tf.RaggedTensor.from_row_splits(values=list(range(10, 20)), row_splits=[0, 3, 5, 9, 10]),
        uniform_row_length=2,
    )
    assert rt.shape.as_list() == [2, 2, None] and rt.ragged_rank == 2
    assert rt.to_list() == [[[10, 11, 12], [13, 14]], [[15, 16, 17, 18], [19]]]
    assert int(rt.uniform_row_length) == 2 and rt.uniform_row_length.dtype == tf.int64
    assert rt.values.uniform_row_length is None
    assert rt.row_splits.numpy().tolist() == [0, 2, 4]
    assert (rt + 1).shape.as_list() == [2, 2, None]
    u = tf.RaggedTensor.from_uniform_row_length([1, 2, 3, 4, 5, 6], 3)
    assert u.shape.as_list() == [2, 3] and u.to_list() == [[1, 2, 3], [4, 5, 6]]
    assert tf.RaggedTensor.from_uniform_row_length(tf.zeros([0]), 0, nrows=4).shape.as_list() == [4, 0]
    with pytest.raises(ValueError):
        tf.RaggedTensor.from_uniform_row_length([1, 2, 3, 4, 5], 2)

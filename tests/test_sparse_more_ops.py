"""More of ``tf.sparse``: ``eye``, ``fill_empty_rows``, ``to_indicator``, ``minimum`` / ``maximum``, ``softmax``,
``split``, ``segment_sum`` / ``segment_mean`` / ``segment_sqrt_n``, and ``sparse_dense_matmul`` of a dense times
a sparse matrix. Expected values are what tensorflow-cpu 2.21 returns for the same calls (values rounded to 6
decimals)."""

from __future__ import annotations

import numpy as np
import pytest

import ferroflow as tf


def S(sp) -> tuple:  # noqa: N802
    return (
        sp.indices.numpy().tolist(),
        np.round(sp.values.numpy(), 6).tolist(),
        sp.dense_shape.numpy().tolist(),
        sp.dtype.name,
    )


def D(t) -> tuple:  # noqa: N802
    v = t.numpy()
    return ((v if v.dtype == bool else np.round(v, 6)).tolist(), t.dtype.name)


def _results() -> dict:
    st = tf.sparse.SparseTensor(indices=[[0, 3], [2, 4]], values=[-1.5, 4.0], dense_shape=[3, 10])
    u = tf.sparse.SparseTensor(indices=[[2, 1], [0, 3], [2, 0]], values=[1.0, 2.0, 3.0], dense_shape=[4, 5])
    a = tf.sparse.SparseTensor([[0, 0], [1, 2]], [3.0, -1.0], [2, 3])
    b = tf.sparse.SparseTensor([[0, 0], [0, 1]], [1.0, 5.0], [2, 3])
    data = tf.constant([[1.0, 2], [3, 4], [5, 6]])
    three_d = tf.sparse.SparseTensor([[0, 0, 0], [0, 0, 2], [1, 1, 1]], [1.0, 2.0, 3.0], [2, 2, 3])
    matmul = tf.sparse.sparse_dense_matmul
    return {
        "eye": S(tf.sparse.eye(2)),
        "eye23": S(tf.sparse.eye(2, 3, dtype=tf.int32)),
        "fill_st": (S(tf.sparse.fill_empty_rows(st, 0.0)[0]), D(tf.sparse.fill_empty_rows(st, 0.0)[1])),
        "fill_u": (S(tf.sparse.fill_empty_rows(u, -7.0)[0]), D(tf.sparse.fill_empty_rows(u, -7.0)[1])),
        "indicator": D(tf.sparse.to_indicator(tf.sparse.SparseTensor([[0, 0], [1, 0], [1, 1]], [1, 3, 0], [2, 2]), 4)),
        "minimum": S(tf.sparse.minimum(a, b)),
        "maximum": S(tf.sparse.maximum(a, b)),
        "softmax_u": S(tf.sparse.softmax(u)),
        "softmax_3d": S(tf.sparse.softmax(three_d)),
        "split_st": [S(p) for p in tf.sparse.split(sp_input=st, num_split=2, axis=1)],
        "split_u": [S(p) for p in tf.sparse.split(sp_input=u, num_split=3, axis=0)],
        "seg_sum": D(tf.sparse.segment_sum(data, [0, 2, 1], [0, 0, 1])),
        "seg_mean": D(tf.sparse.segment_mean(data, [0, 2, 1], [0, 0, 1])),
        "seg_sqrt_n": D(tf.sparse.segment_sqrt_n(data, [0, 2, 1], [0, 0, 1])),
        "seg_sum_n": D(tf.sparse.segment_sum(data, [0, 2], [0, 2], num_segments=4)),
        "seg_mean_n": D(tf.sparse.segment_mean(data, [0, 2], [0, 2], num_segments=4)),
        "dense_sparse": D(matmul(tf.reshape(tf.range(6.0), [2, 3]), st)),
        "dense_sparse_aa": D(matmul(tf.reshape(tf.range(6.0), [3, 2]), st, adjoint_a=True)),
        "dense_sparse_ab": D(matmul(tf.reshape(tf.range(20.0), [2, 10]), st, adjoint_b=True)),
        "dense_sparse_both": D(matmul(tf.reshape(tf.range(20.0), [10, 2]), st, adjoint_a=True, adjoint_b=True)),
    }


# fmt: off
EXPECTED = {'eye': ([[0, 0], [1, 1]], [1.0, 1.0], [2, 2], 'float32'),
 'eye23': ([[0, 0], [1, 1]], [1, 1], [2, 3], 'int32'),
 'fill_st': (([[0, 3], [1, 0], [2, 4]], [-1.5, 0.0, 4.0], [3, 10], 'float32'), ([False, True, False], 'bool')),
 'fill_u': (([[0, 3], [1, 0], [2, 1], [2, 0], [3, 0]], [2.0, -7.0, 1.0, 3.0, -7.0], [4, 5], 'float32'),
            ([False, True, False, True], 'bool')),
 'indicator': ([[False, True, False, False], [True, False, False, True]], 'bool'),
 'minimum': ([[0, 0], [0, 1], [1, 2]], [1.0, 0.0, -1.0], [2, 3], 'float32'),
 'maximum': ([[0, 0], [0, 1], [1, 2]], [3.0, 5.0, 0.0], [2, 3], 'float32'),
 'softmax_u': ([[2, 1], [0, 3], [2, 0]], [1.0, 0.8807970285415649, 0.11920300126075745], [4, 5], 'float32'),
 'softmax_3d': ([[0, 0, 0], [0, 0, 2], [1, 1, 1]],
                [0.2689409852027893, 0.7310590147972107, 1.0],
                [2, 2, 3],
                'float32'),
 'split_st': [([[0, 3], [2, 4]], [-1.5, 4.0], [3, 5], 'float32'), ([], [], [3, 5], 'float32')],
 'split_u': [([[0, 3]], [2.0], [2, 5], 'float32'),
             ([[0, 1], [0, 0]], [1.0, 3.0], [1, 5], 'float32'),
             ([], [], [1, 5], 'float32')],
 'seg_sum': ([[6.0, 8.0], [3.0, 4.0]], 'float32'),
 'seg_mean': ([[3.0, 4.0], [3.0, 4.0]], 'float32'),
 'seg_sqrt_n': ([[4.242640018463135, 5.656854152679443], [3.0, 4.0]], 'float32'),
 'seg_sum_n': ([[1.0, 2.0], [0.0, 0.0], [5.0, 6.0], [0.0, 0.0]], 'float32'),
 'seg_mean_n': ([[1.0, 2.0], [0.0, 0.0], [5.0, 6.0], [0.0, 0.0]], 'float32'),
 'dense_sparse': ([[0.0, 0.0, 0.0, 0.0, 8.0, 0.0, 0.0, 0.0, 0.0, 0.0],
                   [0.0, 0.0, 0.0, -4.5, 20.0, 0.0, 0.0, 0.0, 0.0, 0.0]],
                  'float32'),
 'dense_sparse_aa': ([[0.0, 0.0, 0.0, 0.0, 16.0, 0.0, 0.0, 0.0, 0.0, 0.0],
                      [0.0, 0.0, 0.0, -1.5, 20.0, 0.0, 0.0, 0.0, 0.0, 0.0]],
                     'float32'),
 'dense_sparse_ab': ([[-4.5, 0.0, 16.0], [-19.5, 0.0, 56.0]], 'float32'),
 'dense_sparse_both': ([[-9.0, 0.0, 32.0], [-10.5, 0.0, 36.0]], 'float32')}
# fmt: on


@pytest.fixture(scope="module")
def results() -> dict:
    return _results()


@pytest.mark.parametrize("key", list(EXPECTED))
def test_matches_tensorflow(results: dict, key: str) -> None:
    assert results[key] == EXPECTED[key]


def test_softmax_gradient_reaches_the_values():
    values = tf.Variable([1.0, 2.0, 3.0])
    with tf.GradientTape() as tape:
        sp = tf.sparse.SparseTensor([[0, 0], [0, 2], [1, 1]], values, [2, 3])
        out = tf.sparse.softmax(sp).values[0]
    grad = tape.gradient(out, values).numpy()
    p = np.exp([1.0, 2.0]) / np.exp([1.0, 2.0]).sum()
    np.testing.assert_allclose(grad, [p[0] * (1 - p[0]), -p[0] * p[1], 0.0], rtol=1e-5, atol=1e-7)


def test_errors():
    st = tf.sparse.SparseTensor([[0, 1]], [1.0], [2, 3])
    with pytest.raises(tf.errors.InvalidArgumentError):
        tf.sparse.minimum(st, tf.sparse.SparseTensor([[0, 1]], [1.0], [2, 4]))
    with pytest.raises(tf.errors.InvalidArgumentError):
        tf.sparse.split(sp_input=st, num_split=4, axis=1)


def test_to_dense_needs_row_major_indices_unless_not_validated():
    unordered = tf.sparse.SparseTensor([[2, 0], [0, 1]], [1, 2], [3, 3])
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"indices\[1\] = \[0,1\] is out of order"):
        tf.sparse.to_dense(unordered)
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"indices\[1\] = \[0,1\] is repeated"):
        tf.sparse.to_dense(tf.sparse.SparseTensor([[0, 1], [0, 1]], [1, 2], [3, 3]))
    got = tf.sparse.to_dense(unordered, validate_indices=False)
    assert got.numpy().tolist() == [[0, 2, 0], [0, 0, 0], [1, 0, 0]]
    assert tf.sparse.to_dense(tf.sparse.reorder(unordered)).numpy().tolist() == got.numpy().tolist()

"""``tf.sparse``: the sparse-tensor guide's examples, conversions, combinations and products against NumPy,
gradients to the values and the dense operand, and bad input."""

import numpy as np
import pytest

import ferroflow as tf
from gradcheck import check_gradient


def dense_of(sp):
    out = np.zeros(sp.dense_shape.numpy(), dtype=sp.values.numpy().dtype)
    for idx, v in zip(sp.indices.numpy(), sp.values.numpy()):
        out[tuple(idx)] += v
    return out


def test_the_guides_examples_print_what_tensorflow_prints():
    st1 = tf.sparse.SparseTensor(indices=[[0, 3], [2, 4]], values=[10, 20], dense_shape=[3, 10])
    assert str(st1).startswith("SparseTensor(indices=tf.Tensor(\n[[0 3]\n [2 4]], shape=(2, 2), dtype=int64), values=")
    np.testing.assert_array_equal(tf.sparse.to_dense(st1).numpy(), dense_of(st1))
    st2 = tf.sparse.from_dense([[1, 0, 0, 8], [0, 0, 0, 0], [0, 0, 3, 0]])
    np.testing.assert_array_equal(st2.indices.numpy(), [[0, 0], [0, 3], [2, 2]])
    np.testing.assert_array_equal(st2.values.numpy(), [1, 8, 3])
    st_a = tf.sparse.SparseTensor(indices=[[0, 2], [3, 4]], values=[31, 2], dense_shape=[4, 10])
    st_b = tf.sparse.SparseTensor(indices=[[0, 2], [3, 0]], values=[56, 38], dense_shape=[4, 10])
    st_sum = tf.sparse.add(st_a, st_b)
    np.testing.assert_array_equal(st_sum.indices.numpy(), [[0, 2], [3, 0], [3, 4]])
    np.testing.assert_array_equal(st_sum.values.numpy(), [87, 38, 2])
    st_c = tf.sparse.SparseTensor(indices=([0, 1], [1, 0], [1, 1]), values=[13, 15, 17], dense_shape=(2, 2))
    np.testing.assert_array_equal(tf.sparse.sparse_dense_matmul(st_c, tf.constant([[4], [6]])).numpy(), [[78], [162]])
    sparse_pattern_a = tf.sparse.SparseTensor(
        indices=[[2, 4], [3, 3], [3, 4], [4, 3], [4, 4], [5, 4]], values=[1, 1, 1, 1, 1, 1], dense_shape=[8, 5]
    )
    sparse_pattern_b = tf.sparse.SparseTensor(
        indices=[
            [0, 2],
            [1, 1],
            [1, 3],
            [2, 0],
            [2, 4],
            [2, 5],
            [3, 5],
            [4, 5],
            [5, 0],
            [5, 4],
            [5, 5],
            [6, 1],
            [6, 3],
            [7, 2],
        ],
        values=[1] * 14,
        dense_shape=[8, 6],
    )
    joined = tf.sparse.concat(axis=1, sp_inputs=[sparse_pattern_a, sparse_pattern_b])
    np.testing.assert_array_equal(
        tf.sparse.to_dense(joined).numpy(), np.concatenate([dense_of(sparse_pattern_a), dense_of(sparse_pattern_b)], 1)
    )


def test_slicing_reordering_and_shapes():
    rng = np.random.default_rng(0)
    dense = np.where(rng.random((6, 7)) < 0.3, rng.integers(1, 9, (6, 7)), 0)
    sp = tf.sparse.from_dense(dense)
    sliced = tf.sparse.slice(sp, [1, 2], [3, 4])
    np.testing.assert_array_equal(tf.sparse.to_dense(sliced).numpy(), dense[1:4, 2:6])
    shuffled = tf.sparse.SparseTensor(sp.indices.numpy()[::-1], sp.values.numpy()[::-1], [6, 7])
    np.testing.assert_array_equal(tf.sparse.reorder(shuffled).indices.numpy(), sp.indices.numpy())
    np.testing.assert_array_equal(tf.sparse.to_dense(tf.sparse.transpose(sp)).numpy(), dense.T)
    kept = tf.sparse.retain(sp, sp.values.numpy() > 4)
    np.testing.assert_array_equal(tf.sparse.to_dense(kept).numpy(), np.where(dense > 4, dense, 0))
    tight = tf.sparse.reset_shape(tf.sparse.SparseTensor([[0, 1], [2, 0]], [1.0, 2.0], [10, 10]))
    np.testing.assert_array_equal(tight.dense_shape.numpy(), [3, 2])
    assert tf.sparse.expand_dims(sp, 0).shape == [1, 6, 7]
    for axis in (0, 1, [0, 1]):
        np.testing.assert_array_equal(
            tf.sparse.reduce_sum(sp, axis=axis).numpy(), dense.sum(axis=tuple(np.atleast_1d(axis)))
        )
    assert int(tf.sparse.reduce_sum(sp)) == dense.sum()
    np.testing.assert_array_equal(tf.sparse.to_dense(sp, default_value=-1).numpy(), np.where(dense == 0, -1, dense))
    np.testing.assert_array_equal(tf.sparse.to_dense(sp * 2).numpy(), dense * 2)


def test_sparse_dense_matmul_matches_numpy_with_gradients():
    rng = np.random.default_rng(1)
    dense = np.where(rng.random((5, 4)) < 0.4, rng.standard_normal((5, 4)), 0.0)
    sp = tf.sparse.from_dense(dense)
    b = rng.standard_normal((4, 3))
    np.testing.assert_allclose(tf.sparse.sparse_dense_matmul(sp, b).numpy(), dense @ b, rtol=1e-12)
    np.testing.assert_allclose(tf.sparse.sparse_dense_matmul(sp, b.T, adjoint_b=True).numpy(), dense @ b, rtol=1e-12)
    np.testing.assert_allclose(
        tf.sparse.sparse_dense_matmul(sp, rng.standard_normal((5, 2)), adjoint_a=True).shape, (4, 2)
    )
    indices = sp.indices.numpy()
    check_gradient(
        lambda v: tf.sparse.sparse_dense_matmul(tf.sparse.SparseTensor(indices, v, [5, 4]), b), sp.values.numpy()
    )
    check_gradient(lambda m: tf.sparse.sparse_dense_matmul(sp, m), b)


def test_a_large_sparse_product():
    rng = np.random.default_rng(2)
    n, nnz = 20000, 100000
    idx = np.unique(rng.integers(0, n * 512, nnz))
    indices = np.stack([idx // 512, idx % 512], axis=1)
    values = rng.standard_normal(len(idx)).astype(np.float32)
    sp = tf.sparse.SparseTensor(indices, values, [n, 512])
    w = rng.standard_normal((512, 64)).astype(np.float32)
    got = tf.sparse.sparse_dense_matmul(sp, w).numpy()
    rows = np.zeros((n, 64), np.float64)
    np.add.at(rows, indices[:, 0], values[:, None] * w[indices[:, 1]])
    np.testing.assert_allclose(got, rows, rtol=1e-3, atol=1e-3)


def test_embedding_lookup_sparse_combiners():
    params = np.arange(12.0).reshape(4, 3)
    ids = tf.sparse.SparseTensor([[0, 0], [0, 1], [2, 0]], np.array([1, 3], np.int64).tolist() + [0], [3, 2])
    weights = tf.sparse.SparseTensor([[0, 0], [0, 1], [2, 0]], np.array([1.0, 3.0, 2.0]), [3, 2])
    summed = tf.nn.embedding_lookup_sparse(params, ids, weights, combiner="sum").numpy()
    np.testing.assert_allclose(summed, [params[1] + 3 * params[3], np.zeros(3), 2 * params[0]])
    mean = tf.nn.embedding_lookup_sparse(params, ids, weights, combiner="mean").numpy()
    np.testing.assert_allclose(mean, [(params[1] + 3 * params[3]) / 4, np.zeros(3), params[0]])
    sqrtn = tf.nn.embedding_lookup_sparse(params, ids, None, combiner="sqrtn").numpy()
    np.testing.assert_allclose(sqrtn[0], (params[1] + params[3]) / np.sqrt(2))


@pytest.mark.parametrize(
    "call,error,message",
    [
        (
            lambda: tf.sparse.to_dense(tf.sparse.SparseTensor([[0, 5]], [1.0], [2, 3])),
            tf.errors.InvalidArgumentError,
            "out of bounds",
        ),
        (lambda: tf.sparse.SparseTensor([[0, 1]], [1.0, 2.0], [2, 3]), ValueError, "one per index"),
        (lambda: tf.sparse.SparseTensor([[0, 1, 1]], [1.0], [2, 3]), ValueError, r"shape \[N, 2\]"),
        (
            lambda: tf.sparse.to_dense(tf.sparse.SparseTensor([[0, 1], [0, 1]], [1.0, 2.0], [2, 3])),
            tf.errors.InvalidArgumentError,
            "repeated",
        ),
        (
            lambda: tf.sparse.sparse_dense_matmul(tf.sparse.from_dense(np.eye(3)), np.ones((4, 2))),
            tf.errors.InvalidArgumentError,
            "3 columns",
        ),
        (lambda: tf.sparse.to_dense(np.eye(2)), TypeError, "expects a SparseTensor"),
    ],
)
def test_bad_sparse_input_raises(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_reduce_max_leaves_out_missing_values():
    # sparse guide: reduce_max of from_dense([-5, 0, -3]) is -3, where the dense reduce_max is 0
    assert int(tf.sparse.reduce_max(tf.sparse.from_dense([-5, 0, -3]))) == -3
    assert int(tf.math.reduce_max([-5, 0, -3])) == 0
    st = tf.sparse.SparseTensor([[0, 1], [1, 0], [1, 2]], [3.0, -1.0, -4.0], [3, 3])
    assert float(tf.sparse.reduce_max(st)) == 3.0
    np.testing.assert_array_equal(tf.sparse.reduce_max(st, axis=1).numpy(), [3.0, -1.0, 0.0])  # an empty row: 0
    np.testing.assert_array_equal(tf.sparse.reduce_max(st, axis=0, keepdims=True).numpy(), [[-1.0, 3.0, -4.0]])
    values = tf.Variable([3.0, -1.0, -4.0])
    with tf.GradientTape() as tape:
        total = tf.reduce_sum(tf.sparse.reduce_max(tf.SparseTensor([[0, 1], [1, 0], [1, 2]], values, [3, 3]), axis=1))
    np.testing.assert_array_equal(tape.gradient(total, values).numpy(), [1.0, 1.0, 0.0])

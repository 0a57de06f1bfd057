"""More cases for ``tests/test_sparse_graph_ops.py``: ``tf.sparse`` ops between sparse and dense tensors
whose sizes are only known when the graph runs (``sparse_dense_matmul`` with unknown columns, ``reshape``
to a shape tensor, ``to_dense`` of strings and bools, ``reduce_max`` keeping several unknown dimensions),
``cross`` / ``cross_hashed`` and ``sampled_addmm``.
Same layout as ``tests/sparse_graph_cases.py``; ``tests/data/record_sparse_graph.py`` records TensorFlow
2.21's results."""

from __future__ import annotations

from typing import Any

from sparse_graph_cases import _st


def cases(tf: Any) -> dict:
    """name: (function, input_signature, [arguments, other arguments])."""
    f32, i64 = tf.float32, tf.int64
    a = _st(tf, [[0, 1], [1, 0], [1, 2]], [2.0, 4.0, -1.0], [2, 3])
    b = _st(tf, [[0, 0], [2, 3], [3, 1], [3, 3]], [1.0, 0.5, -2.0, 7.0], [5, 4])
    three = _st(tf, [[0, 0, 0], [0, 0, 2], [1, 1, 1], [1, 1, 2]], [1.0, 2.0, 3.0, 5.0], [2, 2, 3])
    three2 = _st(tf, [[0, 1, 0], [2, 0, 1]], [-1.0, 2.0], [3, 2, 2])
    words = _st(tf, [[0, 0], [0, 1], [2, 0]], ["a", "b", "c"], [3, 2], tf.string)
    words2 = _st(tf, [[1, 0], [1, 2]], ["d", "e"], [2, 3], tf.string)
    ids = _st(tf, [[0, 0], [1, 0], [2, 3]], [7, 8, 9], [3, 4], i64)
    ids2 = _st(tf, [[0, 0], [1, 1], [1, 2]], [5, 6, 2**40], [2, 3], i64)
    sig_ids = tf.SparseTensorSpec([None, None], i64)
    sig2 = tf.SparseTensorSpec([None, None], f32)
    addmm_sig = [tf.TensorSpec([None, 2], tf.int32), tf.TensorSpec([None], f32), tf.TensorSpec([2], tf.int32)]
    mat_a, mat_b = tf.reshape(tf.range(6.0), [3, 2]), tf.reshape(tf.range(6.0), [2, 3])
    dense2 = tf.TensorSpec([None, None], f32)
    m = tf.sparse
    return {
        "matmul_unknown_columns": (
            lambda s, d: m.sparse_dense_matmul(s, d),
            [sig2, dense2],
            [[a, tf.reshape(tf.range(6.0), [3, 2])], [b, tf.reshape(tf.range(12.0), [4, 3])]],
        ),
        "matmul_adjoint_b": (
            lambda s, d: m.sparse_dense_matmul(s, d, adjoint_b=True),
            [sig2, dense2],
            [[a, tf.ones([1, 3])], [b, tf.reshape(tf.range(8.0), [2, 4])]],
        ),
        "dense_matmul_sparse": (
            lambda d, s: m.sparse_dense_matmul(d, s),
            [dense2, sig2],
            [[tf.ones([4, 2]), a], [tf.reshape(tf.range(10.0), [2, 5]), b]],
        ),
        "reshape_to_tensor": (
            lambda s, n: m.reshape(s, n),
            [sig2, tf.TensorSpec([2], i64)],
            [[a, tf.constant([3, -1], i64)], [b, tf.constant([-1, 10], i64)]],
        ),
        "reshape_to_three": (
            lambda s, n: m.reshape(s, n),
            [sig2, tf.TensorSpec([3], i64)],
            [[a, tf.constant([1, 3, 2], i64)], [b, tf.constant([2, -1, 5], i64)]],
        ),
        "to_dense_strings": (
            lambda s: m.to_dense(s),
            [tf.SparseTensorSpec([None, None], tf.string)],
            [[_st(tf, [[0, 1]], ["x"], [2, 2], tf.string)], [_st(tf, [[0, 0], [2, 1]], ["a", "b"], [3, 3], tf.string)]],
        ),
        "to_dense_strings_default": (
            lambda s: m.to_dense(s, default_value="-"),
            [tf.SparseTensorSpec([None, None], tf.string)],
            [[_st(tf, [[0, 1]], ["x"], [2, 2], tf.string)], [_st(tf, [[1, 2]], ["b"], [2, 3], tf.string)]],
        ),
        "to_dense_bools": (
            lambda s: m.to_dense(s),
            [tf.SparseTensorSpec([None, None], tf.bool)],
            [[_st(tf, [[0, 1]], [True], [2, 2], tf.bool)], [_st(tf, [[0, 0], [1, 2]], [True, False], [2, 3], tf.bool)]],
        ),
        "cross": (
            lambda s, d: m.cross([d, s]),
            [tf.SparseTensorSpec([None, None], tf.string), tf.TensorSpec([None, None], tf.string)],
            [[words, tf.constant([["x", "y"], ["z", "w"], ["u", "v"]])], [words2, tf.constant([["p"], ["q"]])]],
        ),
        "cross_three": (
            lambda s, d, n: m.cross([s, d, n], separator="|"),
            [tf.SparseTensorSpec([None, None], tf.string), tf.TensorSpec([None, None], tf.string), sig_ids],
            [[words, tf.constant([["x"], ["z"], ["u"]]), ids], [words2, tf.constant([["p"], ["q"]]), ids2]],
        ),
        "cross_hashed": (
            lambda s, d: m.cross_hashed([s, d]),
            [tf.SparseTensorSpec([None, None], tf.string), tf.TensorSpec([None, None], tf.string)],
            [[words, tf.constant([["x", "y"], ["z", "w"], ["u", "v"]])], [words2, tf.constant([["p"], ["q"]])]],
        ),
        "cross_hashed_buckets": (
            lambda s, n: m.cross_hashed([s, n], num_buckets=100, hash_key=7),
            [tf.SparseTensorSpec([None, None], tf.string), sig_ids],
            [[words, ids], [words2, ids2]],
        ),
        # TensorFlow needs the matrices' shapes known when tracing; the sampled positions may vary
        "sampled_addmm": (
            lambda i, v, s, x, y: m.sampled_addmm(i, v, s, x, y, beta=0.5, alpha=2.0),
            addmm_sig + [tf.TensorSpec([3, 2], f32), tf.TensorSpec([2, 3], f32)],
            [
                [tf.constant([[0, 0], [1, 1]]), tf.constant([1.0, 2.0]), tf.constant([3, 3]), mat_a, mat_b],
                [tf.constant([[0, 2], [1, 0], [2, 1]]), tf.constant([1.0, 0.0, -1.0]), tf.constant([3, 3])]
                + [mat_a * 2.0, mat_b - 1.0],
            ],
        ),
        "sampled_addmm_batched": (
            lambda i, v, s, x, y: m.sampled_addmm(i, v, s, x, y, beta=0.25, alpha=0.75),
            [tf.TensorSpec([2, None, 2], tf.int32), tf.TensorSpec([2, None], f32), tf.TensorSpec([2], tf.int32)]
            + [tf.TensorSpec([2, 2, 3], f32), tf.TensorSpec([2, 3, 2], f32)],
            [
                [
                    tf.constant([[[0, 1], [1, 0]], [[0, 0], [1, 0]]]),
                    tf.constant([[3.0, 5], [2, 7]]),
                    tf.constant([2, 2]),
                ]
                + [tf.reshape(tf.range(1.0, 13.0), [2, 2, 3]), tf.reshape(tf.range(13.0, 25.0), [2, 3, 2])],
                [tf.constant([[[1, 1]], [[0, 1]]]), tf.constant([[1.0], [-1.0]]), tf.constant([2, 2])]
                + [tf.reshape(tf.range(12.0), [2, 2, 3]), tf.reshape(tf.range(12.0), [2, 3, 2])],
            ],
        ),
        "reduce_max_keeping_two": (
            lambda s: m.reduce_max(s, axis=2),
            [tf.SparseTensorSpec([None, None, None], f32)],
            [[three], [three2]],
        ),
    }


def error_cases(tf: Any) -> dict:
    """name: (function, input_signature, arguments) that TensorFlow rejects when the function runs."""
    a = _st(tf, [[0, 1], [1, 0], [1, 2]], [2.0, 4.0, -1.0], [2, 3])
    sig = [tf.SparseTensorSpec([None, None], tf.float32), tf.TensorSpec([2], tf.int64)]
    f32, i32 = tf.float32, tf.int32
    ints = _st(tf, [[0, 0]], [1], [3, 3], i32)
    one, zero = tf.constant([1]), tf.constant([0])
    floats = [tf.constant([1.0]), tf.constant([0.0]), zero]

    def vec(dtype: Any) -> Any:
        return tf.TensorSpec([None], dtype)

    mats = [tf.TensorSpec([2, 2], tf.float32)] * 2
    addmm_sig = [tf.TensorSpec([None, 2], tf.int32), tf.TensorSpec([None], tf.float32), tf.TensorSpec([2], tf.int32)]
    return {
        "sampled_addmm_shape_differs": (
            lambda i, v, s, x, y: tf.sparse.sampled_addmm(i, v, s, x, y),
            addmm_sig + mats,
            [tf.constant([[0, 0]]), tf.constant([1.0]), tf.constant([2, 3]), tf.ones([2, 2]), tf.ones([2, 2])],
        ),
        # wrong dtypes and ranks: InvalidArgumentError eagerly, TypeError / ValueError while tracing
        "softmax_rank_one": (
            lambda s: tf.sparse.softmax(s),
            [tf.SparseTensorSpec([None], f32)],
            [_st(tf, [[0]], [1.0], [3])],
        ),
        "softmax_ints": (lambda s: tf.sparse.softmax(s), [tf.SparseTensorSpec([None, None], tf.int32)], [ints]),
        "segment_float_indices": (
            lambda d, i, s: tf.sparse.segment_sum(d, i, s),
            [vec(f32), vec(f32), vec(i32)],
            floats,
        ),
        "segment_mean_ints": (lambda d, i, s: tf.sparse.segment_mean(d, i, s), [vec(i32)] * 3, [one, zero, zero]),
        "segment_indices_matrix": (
            lambda d, i, s: tf.sparse.segment_sum(d, i, s),
            [vec(f32), tf.TensorSpec([None, None], i32), vec(i32)],
            [tf.constant([1.0]), tf.constant([[0]]), zero],
        ),
        "bincount_floats": (lambda x: tf.sparse.bincount(x), [vec(f32)], [tf.constant([1.0])]),
        "bincount_rows_of_3d": (
            lambda x: tf.sparse.bincount(x, axis=-1),
            [tf.TensorSpec([None, None, None], i32)],
            [tf.zeros([2, 2, 2], i32)],
        ),
        "minimum_dtypes_differ": (
            lambda x, y: tf.sparse.minimum(x, y),
            [tf.SparseTensorSpec([None, None], f32), tf.SparseTensorSpec([None, None], i32)],
            [_st(tf, [[0, 0]], [1.0], [2, 2]), ints],
        ),
        "minimum_ranks_differ": (
            lambda x, y: tf.sparse.minimum(x, y),
            [tf.SparseTensorSpec([None, None], f32), tf.SparseTensorSpec([None, None, None], f32)],
            [_st(tf, [[0, 0]], [1.0], [2, 2]), _st(tf, [[0, 0, 0]], [1.0], [2, 2, 2])],
        ),
        "reshape_not_a_multiple": (lambda s, n: tf.sparse.reshape(s, n), sig, [a, tf.constant([4, -1], tf.int64)]),
        "reshape_other_size": (lambda s, n: tf.sparse.reshape(s, n), sig, [a, tf.constant([4, 2], tf.int64)]),
    }

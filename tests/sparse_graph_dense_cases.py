"""More cases for ``tests/test_sparse_graph_ops.py``: ``tf.sparse`` ops between sparse and dense tensors
whose sizes are only known when the graph runs (``sparse_dense_matmul`` with unknown columns, ``reshape``
to a shape tensor, ``to_dense`` of strings and bools, ``reduce_max`` keeping several unknown dimensions).
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
    sig2 = tf.SparseTensorSpec([None, None], f32)
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
    return {
        "reshape_not_a_multiple": (lambda s, n: tf.sparse.reshape(s, n), sig, [a, tf.constant([4, -1], tf.int64)]),
        "reshape_other_size": (lambda s, n: tf.sparse.reshape(s, n), sig, [a, tf.constant([4, 2], tf.int64)]),
    }

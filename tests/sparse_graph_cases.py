"""Cases for the ``tf.sparse`` ops (and the ``tf.math`` ops on sparse data) run eagerly and inside
``tf.function`` with ``None`` dimensions in the input signature: each case gives the function, its input
signature and two sets of arguments of different sizes. Written against a ``tf`` module passed in, so
``tests/data/record_sparse_graph.py`` records TensorFlow 2.21's results from the same cases."""

from __future__ import annotations

from typing import Any

import numpy as np


def parts(tf: Any, x: Any) -> Any:
    """Results as plain lists: a sparse tensor as [indices, values, dense_shape, dtype], floats to 5 places."""
    if isinstance(x, (tuple, list)):
        return [parts(tf, v) for v in x]
    if isinstance(x, tf.sparse.SparseTensor):
        return [x.indices.numpy().tolist(), _plain(x.values), x.dense_shape.numpy().tolist(), x.dtype.name]
    return [_plain(x), x.dtype.name]


def _plain(t: Any) -> Any:
    v = np.asarray(t.numpy())
    if v.dtype.kind == "f":
        # the dtype's extremes (empty segments' maxima) as they are: rounding them would overflow
        with np.errstate(over="ignore", invalid="ignore"):
            v = np.where(np.abs(v) < 1e30, np.round(v, 5), v)
    if v.dtype.kind in "OS":
        return [b.decode() for b in v.reshape(-1).tolist()]
    return v.tolist()


def _st(tf: Any, indices: list, values: list, shape: list, dtype: Any = None) -> Any:
    idx = tf.constant(indices, tf.int64) if indices else tf.zeros([0, len(shape)], tf.int64)
    return tf.sparse.SparseTensor(idx, tf.constant(values, dtype), tf.constant(shape, tf.int64))


def _spec(tf: Any, dtype: Any, rank: int = 2) -> Any:
    return tf.SparseTensorSpec([None] * rank, dtype)


def _dense(tf: Any, dtype: Any, rank: int = 1) -> Any:
    return tf.TensorSpec([None] * rank, dtype)


def cases(tf: Any) -> dict:
    """name: (function, input_signature, [arguments, other arguments])."""
    f32, i32, i64 = tf.float32, tf.int32, tf.int64
    a = _st(tf, [[0, 1], [1, 0], [1, 2]], [2.0, 4.0, -1.0], [2, 3])
    b = _st(tf, [[0, 0], [2, 3], [3, 1], [3, 3]], [1.0, 0.5, -2.0, 7.0], [5, 4])
    b2 = _st(tf, [[0, 0], [2, 3], [2, 2], [4, 1]], [-1.0, 3.0, 0.5, 2.0], [5, 4])  # not in row-major order
    b3 = _st(tf, [[0, 0], [2, 2], [2, 3], [4, 1]], [-1.0, 0.5, 3.0, 2.0], [5, 4])
    a2 = _st(tf, [[0, 0], [0, 1]], [1.0, 5.0], [2, 3])
    three = _st(tf, [[0, 0, 0], [0, 0, 2], [1, 1, 1], [1, 1, 2]], [1.0, 2.0, 3.0, 5.0], [2, 2, 3])
    three2 = _st(tf, [[0, 1, 0], [2, 0, 1]], [-1.0, 2.0], [3, 2, 2])
    ints = _st(tf, [[0, 1], [1, 0], [1, 2]], [3, 1, 3], [3, 3], i64)
    ints2 = _st(tf, [[0, 0], [0, 4], [3, 2], [3, 3]], [0, 7, 7, 2], [4, 5], i64)
    rows = tf.constant([[1.0, 2], [3, 4], [5, 6]])
    rows2 = tf.reshape(tf.range(20.0), [5, 4])
    seg_sig = [_dense(tf, f32, 2), _dense(tf, i32), _dense(tf, i32)]
    seg_args = [
        [rows, tf.constant([0, 2, 1]), tf.constant([0, 0, 1])],
        [rows2, tf.constant([4, 0, 2, 2, 3]), tf.constant([0, 1, 1, 3, 3])],
    ]
    segn_sig = [*seg_sig, tf.TensorSpec([], i32)]
    segn_args = [[*seg_args[0], tf.constant(4)], [*seg_args[1], tf.constant(5)]]
    m = tf.sparse
    return {
        "bincount": (
            lambda x: m.bincount(x),
            [_dense(tf, i32, 2)],
            [[tf.constant([[1, 2, 2], [0, 5, 1]])], [tf.constant([[3], [3], [0], [9]])]],
        ),
        "bincount_rows": (
            lambda x: m.bincount(x, axis=-1),
            [_dense(tf, i32, 2)],
            [[tf.constant([[1, 2, 2], [0, 5, 1]])], [tf.constant([[3], [3], [0], [9]])]],
        ),
        "bincount_vector": (
            lambda x: m.bincount(x, axis=-1, minlength=4),
            [_dense(tf, i64)],
            [[tf.constant([3, 1, 3], i64)], [tf.constant([0, 6, 6, 6, 2], i64)]],
        ),
        "bincount_weights": (
            lambda x, w: m.bincount(x, weights=w, axis=-1),
            [_dense(tf, i32, 2), _dense(tf, f32, 2)],
            [
                [tf.constant([[1, 2], [2, 2]]), tf.constant([[1.0, 2], [3, 4]])],
                [tf.constant([[0, 0, 4]]), tf.constant([[0.5, 0.25, 2.0]])],
            ],
        ),
        "bincount_limits": (
            lambda x: m.bincount(x, axis=-1, minlength=4, maxlength=8),
            [_dense(tf, i32, 2)],
            [[tf.constant([[1, 7, 2], [3, 3, 9]])], [tf.constant([[0], [1]])]],
        ),
        "bincount_minlength": (
            lambda x: m.bincount(x, minlength=6),
            [_dense(tf, i32)],
            [[tf.constant([1, 7, 2])], [tf.zeros([0], i32)]],
        ),
        "bincount_binary": (
            lambda x: m.bincount(x, axis=-1, binary_output=True),
            [_dense(tf, i32, 2)],
            [[tf.constant([[1, 7, 7], [3, 3, 9]])], [tf.zeros([3, 0], i32)]],
        ),
        "bincount_sparse": (lambda s: m.bincount(s, axis=-1), [_spec(tf, i64)], [[ints], [ints2]]),
        "bincount_sparse_flat": (
            lambda s, w: m.bincount(s, weights=w),
            [_spec(tf, i64), _spec(tf, f32)],
            [
                [ints, _st(tf, [[0, 1], [1, 0], [1, 2]], [0.5, 1.0, 2.0], [3, 3])],
                [ints2, _st(tf, [[0, 0], [0, 4], [3, 2], [3, 3]], [1.0, 2.0, 3.0, 4.0], [4, 5])],
            ],
        ),
        "bincount_ragged": (
            lambda r: m.bincount(r, axis=-1),
            [tf.RaggedTensorSpec([None, None], i32, 1)],
            [[tf.ragged.constant([[1, 2], [], [2, 2, 0]])], [tf.ragged.constant([[4], [4, 0]])]],
        ),
        "softmax": (lambda s: m.softmax(s), [_spec(tf, f32)], [[a], [b]]),
        "softmax_3d": (lambda s: m.softmax(s), [_spec(tf, f32, 3)], [[three], [three2]]),
        "softmax_unordered": (
            lambda s: m.softmax(s),
            [_spec(tf, f32)],
            [[_st(tf, [[1, 0], [0, 0], [1, 2]], [1.0, 2.0, 3.0], [2, 3])], [b2]],
        ),
        "segment_sum": (lambda d, i, s: m.segment_sum(d, i, s), seg_sig, seg_args),
        "segment_mean": (lambda d, i, s: m.segment_mean(d, i, s), seg_sig, seg_args),
        "segment_sqrt_n": (lambda d, i, s: m.segment_sqrt_n(d, i, s), seg_sig, seg_args),
        "segment_sum_n": (lambda d, i, s, n: m.segment_sum(d, i, s, num_segments=n), segn_sig, segn_args),
        "segment_mean_n": (lambda d, i, s, n: m.segment_mean(d, i, s, num_segments=n), segn_sig, segn_args),
        "segment_sqrt_n_n": (lambda d, i, s, n: m.segment_sqrt_n(d, i, s, num_segments=n), segn_sig, segn_args),
        "segment_sum_int": (
            lambda d, i, s: m.segment_sum(d, i, s),
            [_dense(tf, i64), _dense(tf, i64), _dense(tf, i64)],
            [
                [tf.constant([1, 2, 3], i64), tf.constant([0, 2], i64), tf.constant([0, 1], i64)],
                [tf.constant([5, 6], i64), tf.constant([1, 1, 0], i64), tf.constant([2, 2, 2], i64)],
            ],
        ),
        "eye": (
            lambda n, k: m.eye(n, k),
            [tf.TensorSpec([], i32)] * 2,
            [[tf.constant(3), tf.constant(3)], [tf.constant(2), tf.constant(4)]],
        ),
        "fill_empty_rows": (lambda s: m.fill_empty_rows(s, -1.0), [_spec(tf, f32)], [[a], [b]]),
        "fill_empty_rows_3d": (lambda s: m.fill_empty_rows(s, 9.0), [_spec(tf, f32, 3)], [[three], [three2]]),
        "to_indicator": (lambda s: m.to_indicator(s, 8), [_spec(tf, i64)], [[ints], [ints2]]),
        "maximum": (lambda x, y: m.maximum(x, y), [_spec(tf, f32)] * 2, [[a, a2], [b, b3]]),
        "minimum": (lambda x, y: m.minimum(x, y), [_spec(tf, f32)] * 2, [[a, a2], [b, b3]]),
        "split": (lambda s: m.split(sp_input=s, num_split=2, axis=1), [_spec(tf, f32)], [[a], [b]]),
        "split_rows": (lambda s: m.split(sp_input=s, num_split=2, axis=0), [_spec(tf, f32)], [[a], [b]]),
        "reset_shape": (lambda s: m.reset_shape(s), [_spec(tf, f32)], [[a], [b]]),
        "reset_shape_to": (
            lambda s, n: m.reset_shape(s, n),
            [_spec(tf, f32), _dense(tf, i64)],
            [[a, tf.constant([4, 5], i64)], [b, tf.constant([5, 9], i64)]],
        ),
        "reduce_sum_sparse": (lambda s: m.reduce_sum(s, axis=1, output_is_sparse=True), [_spec(tf, f32)], [[a], [b]]),
        "reduce_sum_sparse_all": (lambda s: m.reduce_sum(s, output_is_sparse=True), [_spec(tf, f32)], [[a], [b]]),
        "reduce_max_sparse_keep": (
            lambda s: m.reduce_max(s, axis=0, keepdims=True, output_is_sparse=True),
            [_spec(tf, f32)],
            [[a], [b]],
        ),
        "reduce_max_sparse_3d": (
            lambda s: m.reduce_max(s, axis=[0, 2], output_is_sparse=True),
            [_spec(tf, f32, 3)],
            [[three], [three2]],
        ),
        "times_dense": (
            lambda s, d: s * d,
            [_spec(tf, f32), _dense(tf, f32, 2)],
            [[a, tf.constant([[2.0, 3, 4], [5, 6, 7]])], [b, tf.reshape(tf.range(20.0), [5, 4])]],
        ),
        "times_row": (
            lambda s, d: s * d,
            [_spec(tf, f32), _dense(tf, f32)],
            [[a, tf.constant([2.0, 3, 4])], [b, tf.constant([1.0, -1, 2, 0.5])]],
        ),
        "over_dense": (
            lambda s, d: s / d,
            [_spec(tf, f32), _dense(tf, f32, 2)],
            [[a, tf.constant([[2.0], [4.0]])], [b, tf.ones([5, 4]) * 8.0]],
        ),
    }


def error_cases(tf: Any) -> dict:
    """name: (function, input_signature, arguments) that TensorFlow rejects when the function runs."""
    f32, i32 = tf.float32, tf.int32
    rows = tf.constant([[1.0, 2], [3, 4], [5, 6]])
    seg_sig = [_dense(tf, f32, 2), _dense(tf, i32), _dense(tf, i32)]
    segn_sig = [*seg_sig, tf.TensorSpec([], i32)]
    m = tf.sparse
    a = _st(tf, [[0, 1], [1, 0], [1, 2]], [2.0, 4.0, -1.0], [2, 3])
    return {
        "segment_index_out_of_range": (
            lambda d, i, s: m.segment_sum(d, i, s),
            seg_sig,
            [rows, tf.constant([0, 5]), tf.constant([0, 0])],
        ),
        "segment_negative_index": (
            lambda d, i, s: m.segment_mean(d, i, s),
            seg_sig,
            [rows, tf.constant([0, -1]), tf.constant([0, 0])],
        ),
        "segment_ids_not_sorted": (
            lambda d, i, s: m.segment_sum(d, i, s),
            seg_sig,
            [rows, tf.constant([0, 1, 2]), tf.constant([1, 0, 0])],
        ),
        "segment_id_negative": (
            lambda d, i, s: m.segment_sqrt_n(d, i, s),
            seg_sig,
            [rows, tf.constant([0, 1]), tf.constant([-1, 0])],
        ),
        "segment_ids_past_num_segments": (
            lambda d, i, s, n: m.segment_sum(d, i, s, num_segments=n),
            segn_sig,
            [rows, tf.constant([0, 1]), tf.constant([0, 3]), tf.constant(2)],
        ),
        "segment_sizes_differ": (
            lambda d, i, s: m.segment_sum(d, i, s),
            seg_sig,
            [rows, tf.constant([0, 1]), tf.constant([0])],
        ),
        "bincount_negative": (lambda x: m.bincount(x), [_dense(tf, i32)], [tf.constant([1, -1])]),
        "bincount_weights_shape": (
            lambda x, w: m.bincount(x, weights=w),
            [_dense(tf, i32), _dense(tf, f32)],
            [tf.constant([1, 2]), tf.constant([1.0, 2, 3])],
        ),
        "fill_empty_rows_row_outside": (
            lambda s: m.fill_empty_rows(s, 0.0),
            [_spec(tf, f32)],
            [_st(tf, [[0, 0], [5, 1]], [1.0, 2.0], [2, 2])],
        ),
        "to_indicator_value_outside": (
            lambda s: m.to_indicator(s, 4),
            [_spec(tf, tf.int64)],
            [_st(tf, [[0, 0], [1, 1]], [1, 5], [2, 2], tf.int64)],
        ),
        "maximum_shapes_differ": (
            lambda x, y: m.maximum(x, y),
            [_spec(tf, f32)] * 2,
            [a, _st(tf, [[0, 1]], [1.0], [2, 4])],
        ),
        "split_too_many": (lambda s: m.split(sp_input=s, num_split=4, axis=1), [_spec(tf, f32)], [a]),
        "reset_shape_shrinks": (
            lambda s, n: m.reset_shape(s, n),
            [_spec(tf, f32), _dense(tf, tf.int64)],
            [a, tf.constant([1, 3], tf.int64)],
        ),
        "eye_negative": (lambda n: m.eye(n), [tf.TensorSpec([], i32)], [tf.constant(-1)]),
    }

"""Cases for ``tf.math.segment_*`` and ``tf.math.unsorted_segment_*`` run eagerly and inside ``tf.function``
with ``None`` dimensions (and ``num_segments`` a tensor): each case gives the function, its input signature
and two sets of arguments of different sizes; ``tests/data/record_sparse_graph.py`` records TensorFlow
2.21's results from the same cases (see ``tests/sparse_graph_cases.py`` for the layout)."""

from __future__ import annotations

from typing import Any


def _spec(tf: Any, dtype: Any, rank: int = 1) -> Any:
    return tf.TensorSpec([None] * rank, dtype)


def cases(tf: Any) -> dict:
    """name: (function, input_signature, [arguments, other arguments])."""
    f32, i32, i64 = tf.float32, tf.int32, tf.int64
    data = [tf.constant([[1.0, -2], [3, 4], [5, 6]]), tf.reshape(tf.range(-4.0, 6.0), [5, 2])]
    sorted_ids = [tf.constant([0, 0, 2]), tf.constant([1, 1, 1, 3, 4])]
    ids = [tf.constant([2, 0, 2]), tf.constant([3, -1, 0, 3, 1])]
    sorted_sig = [_spec(tf, f32, 2), _spec(tf, i32)]
    sorted_args = [[data[0], sorted_ids[0]], [data[1], sorted_ids[1]]]
    n_sig = [_spec(tf, f32, 2), _spec(tf, i32), tf.TensorSpec([], i32)]
    n_args = [[data[0], ids[0], tf.constant(3)], [data[1], ids[1], tf.constant(5)]]
    m = tf.math
    out = {}
    for op in ("sum", "mean", "max", "min", "prod"):
        out[f"segment_{op}"] = (lambda d, s, op=op: getattr(m, f"segment_{op}")(d, s), sorted_sig, sorted_args)
    for op in ("sum", "mean", "sqrt_n", "max", "min", "prod"):
        fn = getattr(m, f"unsorted_segment_{op}")
        out[f"unsorted_segment_{op}"] = (lambda d, s, n, fn=fn: fn(d, s, n), n_sig, n_args)
    grid = [tf.reshape(tf.range(6.0), [2, 3]), tf.reshape(tf.range(8.0), [4, 2])]
    grid_ids = [tf.constant([[0, 1, 0], [1, 1, 0]], i64), tf.constant([[2, 2], [0, 1], [1, 1], [0, 2]], i64)]
    out["unsorted_segment_sum_2d_ids"] = (
        lambda d, s: m.unsorted_segment_sum(d, s, 3),
        [_spec(tf, f32, 2), _spec(tf, i64, 2)],
        [[grid[0], grid_ids[0]], [grid[1], grid_ids[1]]],
    )
    return out


def error_cases(tf: Any) -> dict:
    """name: (function, input_signature, arguments) that TensorFlow rejects when the function runs."""
    f32, i32 = tf.float32, tf.int32
    d = tf.constant([1.0, 2.0, 3.0])
    sig = [_spec(tf, f32), _spec(tf, i32)]
    n_sig = [*sig, tf.TensorSpec([], i32)]
    m = tf.math
    return {
        "segment_ids_not_sorted": (lambda x, s: m.segment_sum(x, s), sig, [d, tf.constant([1, 0, 0])]),
        "segment_id_negative": (lambda x, s: m.segment_max(x, s), sig, [d, tf.constant([-1, 0, 0])]),
        "segment_sizes_differ": (lambda x, s: m.segment_mean(x, s), sig, [d, tf.constant([0, 0])]),
        "unsorted_id_past_num_segments": (
            lambda x, s, n: m.unsorted_segment_sum(x, s, n),
            n_sig,
            [d, tf.constant([0, 5, 1]), tf.constant(3)],
        ),
        "unsorted_max_id_past_num_segments": (
            lambda x, s, n: m.unsorted_segment_max(x, s, n),
            n_sig,
            [d, tf.constant([0, 5, 1]), tf.constant(3)],
        ),
    }

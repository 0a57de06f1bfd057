"""``tf.math.segment_*`` and ``unsorted_segment_*`` against NumPy, with gradients against finite differences."""

import numpy as np
import pytest

import ferroflow as tf
from gradcheck import check_gradient

rng = np.random.default_rng(2)
IDS = np.array([2, 0, 2, 1, 2, 0, 4], dtype=np.int32)  # segment 3 is empty
SORTED = np.array([0, 0, 1, 3, 3, 3, 4], dtype=np.int64)  # segment 2 is empty


def reference(kind, data, ids, k, empty):
    out = np.full((k,) + data.shape[1:], empty, dtype=np.float64)
    for s in range(k):
        rows = data[ids == s]
        if len(rows):
            out[s] = {"sum": np.sum, "mean": np.mean, "max": np.max, "min": np.min, "prod": np.prod}[kind](rows, axis=0)
    return out


UNSORTED = [
    ("sum", tf.math.unsorted_segment_sum, 0.0),
    ("mean", tf.math.unsorted_segment_mean, 0.0),
    ("max", tf.math.unsorted_segment_max, np.finfo(np.float64).min),
    ("min", tf.math.unsorted_segment_min, np.finfo(np.float64).max),
    ("prod", tf.math.unsorted_segment_prod, 1.0),
]


@pytest.mark.parametrize("kind,fn,empty", UNSORTED, ids=[u[0] for u in UNSORTED])
def test_unsorted_segments_match_numpy_and_finite_differences(kind, fn, empty):
    data = rng.standard_normal((7, 3))
    got = fn(tf.constant(data), tf.constant(IDS), 5).numpy()
    np.testing.assert_allclose(got, reference(kind, data, IDS, 5, empty), rtol=1e-12)
    f32 = fn(tf.constant(data.astype(np.float32)), IDS, 5)
    assert f32.dtype == tf.float32
    check_gradient(lambda d: fn(d, IDS, 5)[:3], data)  # the empty segment's extreme value is not a point


def test_sqrt_n_and_sorted_segments():
    data = rng.standard_normal((7, 2))
    got = tf.math.unsorted_segment_sqrt_n(data, IDS, 5).numpy()
    counts = np.bincount(IDS, minlength=5)
    want = reference("sum", data, IDS, 5, 0.0) / np.sqrt(np.maximum(counts, 1))[:, None]
    np.testing.assert_allclose(got, want, rtol=1e-12)
    np.testing.assert_allclose(tf.math.segment_sum(data, SORTED).numpy(), reference("sum", data, SORTED, 5, 0.0))
    np.testing.assert_allclose(tf.math.segment_mean(data, SORTED).numpy(), reference("mean", data, SORTED, 5, 0.0))
    np.testing.assert_allclose(tf.math.segment_max(data, SORTED).numpy(), reference("max", data, SORTED, 5, 0.0))
    np.testing.assert_allclose(tf.math.segment_min(data, SORTED).numpy(), reference("min", data, SORTED, 5, 0.0))
    np.testing.assert_allclose(tf.math.segment_prod(data, SORTED).numpy(), reference("prod", data, SORTED, 5, 1.0))
    check_gradient(lambda d: tf.math.segment_mean(d, SORTED), data)


def test_negative_ids_are_dropped_and_ids_of_higher_rank_work():
    data = np.arange(6.0).reshape(3, 2)
    np.testing.assert_array_equal(tf.math.unsorted_segment_sum(data, [0, -1, 0], 2).numpy(), [[4.0, 6.0], [0.0, 0.0]])
    grid = np.arange(12.0).reshape(2, 3, 2)
    ids = np.array([[0, 1, 0], [1, 1, 0]])
    want = np.zeros((2, 2))
    for i in range(2):
        for j in range(3):
            want[ids[i, j]] += grid[i, j]
    np.testing.assert_array_equal(tf.math.unsorted_segment_sum(grid, ids, 2).numpy(), want)


def test_large_segment_sums():
    data = rng.standard_normal((100000, 16)).astype(np.float32)
    ids = rng.integers(0, 1000, size=100000)
    got = tf.math.unsorted_segment_sum(data, ids, 1000).numpy()
    want = np.zeros((1000, 16))
    np.add.at(want, ids, data)
    np.testing.assert_allclose(got, want, rtol=1e-3, atol=1e-3)


@pytest.mark.parametrize(
    "call,error,message",
    [
        (lambda: tf.math.unsorted_segment_sum(tf.zeros([3]), [0.5, 1.0, 2.0], 3), TypeError, "int32 or int64"),
        (lambda: tf.math.unsorted_segment_sum(tf.zeros([3, 2]), [0, 1], 3), ValueError, "prefix"),
        (
            lambda: tf.math.unsorted_segment_sum(tf.zeros([3]), [0, 1, 5], 3),
            tf.errors.InvalidArgumentError,
            r"segment_ids\[2\] = 5 is out of range \[0, 3\)",
        ),
        (lambda: tf.math.segment_sum(tf.zeros([3]), [1, 0, 2]), tf.errors.InvalidArgumentError, "not increasing"),
        (lambda: tf.math.unsorted_segment_max(tf.zeros([40000]), np.zeros(40000, int), 40000), ValueError, "limit"),
    ],
)
def test_bad_segments_raise(call, error, message):
    with pytest.raises(error, match=message):
        call()

"""``in_top_k``, ``confusion_matrix``, the fixed-width histograms and ``unique_with_counts`` against NumPy
references, eagerly and traced by ``tf.function``; weights' gradients against finite differences; and the
bad-input errors (with the value checks that run after a traced call)."""

import numpy as np
import pytest

import ferroflow as tf
from gradcheck import check_gradient

rng = np.random.default_rng(11)
E = tf.errors.InvalidArgumentError


def both(fn, *args):
    """``fn`` on ``args`` eagerly and traced by ``tf.function`` (checked to agree), as the eager result."""
    eager = fn(*[tf.constant(a) for a in args])
    traced = tf.function(fn)(*[tf.constant(a) for a in args])
    np.testing.assert_array_equal(eager.numpy(), traced.numpy())
    assert eager.dtype == traced.dtype
    return eager


def in_top_k_reference(targets, predictions, k):
    out = []
    for t, row in zip(targets, predictions):
        ok = 0 <= t < row.size and np.isfinite(row[t])
        out.append(bool(ok and np.sum(row > row[t]) < k))
    return np.array(out, bool)


@pytest.mark.parametrize("k", [0, 1, 2, 3, 10, -1])
@pytest.mark.parametrize("target_dtype", [np.int32, np.int64])
def test_in_top_k_counts_ties_at_the_boundary_as_in(k, target_dtype):
    predictions = rng.integers(0, 4, (40, 5)).astype(np.float32)  # many ties
    predictions[0, 1], predictions[1, 2], predictions[2, 0] = np.nan, np.inf, -np.inf
    targets = rng.integers(-1, 6, 40).astype(target_dtype)  # some out of range
    targets[:3] = [1, 2, 0]
    got = both(lambda t, p: tf.math.in_top_k(t, p, k), targets, predictions)
    assert got.dtype == tf.bool
    np.testing.assert_array_equal(got.numpy(), in_top_k_reference(targets, predictions, k))


def test_in_top_k_examples_and_aliases():
    predictions = np.array([[0.1, 0.3, 0.3, 0.2], [0.5, 0.1, 0.2, 0.2]], np.float32)
    assert tf.math.in_top_k([1, 2], predictions, 1).numpy().tolist() == [True, False]
    assert tf.nn.in_top_k([3, 0], predictions, tf.constant(2)).numpy().tolist() == [False, True]
    assert tf.math.in_top_k(np.zeros(0, np.int32), np.zeros((0, 3), np.float32), 1).shape == (0,)


def confusion_reference(labels, predictions, n, weights=None, dtype=np.int32):
    out = np.zeros((n, n), dtype)
    w = np.ones(len(labels)) if weights is None else weights
    for a, b, v in zip(labels, predictions, w):
        out[int(a), int(b)] += np.asarray(v).astype(dtype)
    return out


@pytest.mark.parametrize("dtype", [np.int32, np.int64, np.float32, np.float64])
def test_confusion_matrix_matches_numpy(dtype):
    labels, predictions = rng.integers(0, 5, 60), rng.integers(0, 5, 60)
    got = both(lambda a, b: tf.math.confusion_matrix(a, b, num_classes=6, dtype=dtype), labels, predictions)
    assert got.dtype == dtype and got.shape == (6, 6)
    np.testing.assert_array_equal(got.numpy(), confusion_reference(labels, predictions, 6, dtype=dtype))
    weights = rng.uniform(0, 3, 60)
    weighted = both(lambda a, b, w: tf.math.confusion_matrix(a, b, 6, w, dtype=dtype), labels, predictions, weights)
    # Weights are cast to dtype first (truncated for integers), as TensorFlow does.
    np.testing.assert_allclose(weighted.numpy(), confusion_reference(labels, predictions, 6, weights, dtype), 1e-6)


def test_confusion_matrix_defaults_and_conversions():
    got = tf.math.confusion_matrix([1, 2, 4], [2, 2, 4])
    assert got.shape == (5, 5) and got.dtype == tf.int32
    np.testing.assert_array_equal(got.numpy(), confusion_reference([1, 2, 4], [2, 2, 4], 5))
    floats = tf.math.confusion_matrix([1.5, 2.0], [2.0, 2.9])  # truncated to integers
    np.testing.assert_array_equal(floats.numpy(), confusion_reference([1, 2], [2, 2], 3))
    mixed = tf.math.confusion_matrix(tf.constant([[1], [0]], tf.int64), tf.constant([1, 1]), num_classes=tf.constant(2))
    np.testing.assert_array_equal(mixed.numpy(), [[0, 1], [0, 1]])  # labels' trailing axis of 1 squeezed
    empty = tf.math.confusion_matrix(np.zeros(0, np.int32), np.zeros(0, np.int32), num_classes=2)
    np.testing.assert_array_equal(empty.numpy(), np.zeros((2, 2)))


def test_confusion_matrix_weight_gradient():
    labels, predictions = np.array([0, 2, 1, 2, 2]), np.array([0, 1, 1, 1, 2])
    check_gradient(lambda w: tf.math.confusion_matrix(labels, predictions, 3, w, dtype=tf.float64), rng.uniform(size=5))


def histogram_reference(values, lo, hi, nbins, float_type):
    # TensorFlow's kernel: the offset from lo in the values' dtype, divided in float64, clipped to the last bin.
    offset = (np.maximum(values, lo) - float_type(lo)).astype(np.float64)
    step = float(float_type(hi) - float_type(lo)) / nbins
    return np.bincount(np.minimum(offset / step, nbins - 1).astype(np.int64).reshape(-1), minlength=nbins)


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int32, np.int64])
def test_histogram_fixed_width_matches_the_kernel(dtype):
    values = rng.uniform(-3, 13, (4, 50)) if dtype in (np.float32, np.float64) else rng.integers(-3, 13, (4, 50))
    values = values.astype(dtype)
    got = both(lambda v: tf.histogram_fixed_width(v, tf.constant([0, 10], dtype), nbins=7), values)
    assert got.dtype == tf.int32
    np.testing.assert_array_equal(got.numpy(), histogram_reference(values, 0, 10, 7, dtype))
    counts = tf.histogram_fixed_width(values, np.array([0, 10], dtype), nbins=tf.constant(3), dtype=tf.int64)
    assert counts.dtype == tf.int64 and int(np.sum(counts.numpy())) == values.size


def test_histogram_edges_follow_the_float32_arithmetic():
    values = np.array([0.3, 0.6, 0.9, 3.0, -np.inf, np.inf])
    got32 = tf.histogram_fixed_width(values.astype(np.float32), [0.0, 1.0], nbins=10).numpy()
    got64 = tf.histogram_fixed_width(values, tf.constant([0.0, 1.0], tf.float64), nbins=10).numpy()
    np.testing.assert_array_equal(got32, [1, 0, 0, 1, 0, 0, 1, 0, 1, 2])  # as TensorFlow 2.21 gives
    np.testing.assert_array_equal(got64, [1, 0, 1, 0, 0, 1, 0, 0, 0, 3])
    assert tf.histogram_fixed_width(tf.zeros([0]), [0.0, 5.0], nbins=3).numpy().tolist() == [0, 0, 0]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_histogram_fixed_width_bins_keeps_the_shape(dtype):
    values = rng.uniform(-2, 7, (3, 8)).astype(dtype)
    got = both(lambda v: tf.histogram_fixed_width_bins(v, tf.constant([0.0, 5.0], dtype), nbins=5), values)
    assert got.dtype == tf.int32 and got.shape == (3, 8)
    want = np.clip(np.floor(dtype(5) * ((values - dtype(0)) / dtype(5))), 0, 4).astype(np.int32)
    np.testing.assert_array_equal(got.numpy(), want)
    # dtype is ignored: the bins are int32, as TensorFlow's.
    assert tf.histogram_fixed_width_bins(values, [0.0, 5.0], nbins=5, dtype=tf.int64).dtype == tf.int32


@pytest.mark.parametrize("out_idx", [tf.int32, tf.int64])
def test_unique_with_counts(out_idx):
    x = np.array([1, 1, 2, 4, 4, 4, 7, 8, 8], np.int32)
    y, idx, count = tf.unique_with_counts(x, out_idx=out_idx)
    assert y.numpy().tolist() == [1, 2, 4, 7, 8] and y.dtype == tf.int32
    assert idx.numpy().tolist() == [0, 0, 1, 2, 2, 2, 3, 4, 4] and idx.dtype == out_idx
    assert count.numpy().tolist() == [2, 1, 3, 1, 2] and count.dtype == out_idx
    result = tf.unique_with_counts(np.array([1.0, np.nan, np.nan, 0.0, -0.0, 1.0]))
    np.testing.assert_array_equal(result.y.numpy(), [1.0, np.nan, np.nan, 0.0])  # each NaN is its own value
    assert result.idx.numpy().tolist() == [0, 1, 2, 3, 3, 0] and result.count.numpy().tolist() == [2, 1, 1, 2]
    empty = tf.unique_with_counts(np.zeros(0, np.float32))
    assert empty.y.shape == (0,) and empty.count.shape == (0,)


def test_unique_with_counts_values_carry_the_gradient():
    x = tf.constant([3.0, 1.0, 3.0, 2.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.unique_with_counts(x).y
        total = tf.reduce_sum(y * tf.constant([1.0, 2.0, 3.0]))
    np.testing.assert_array_equal(tape.gradient(total, x).numpy(), [1.0, 2.0, 0.0, 3.0])


@pytest.mark.parametrize(
    "call,error,message",
    [
        (lambda: tf.math.in_top_k([0, 1], tf.ones([2, 3], tf.float64), 1), TypeError, "float32.*received float64"),
        (lambda: tf.math.in_top_k([0.0, 1.0], tf.ones([2, 3]), 1), TypeError, "int64 targets, received float32"),
        (lambda: tf.math.in_top_k([0, 1, 2], tf.ones([2, 3]), 1), E, "predictions 2 must match length of targets 3"),
        (lambda: tf.math.in_top_k([[0, 1]], tf.ones([2, 3]), 1), E, r"targets must be 1-dimensional.*\(1, 2\)"),
        (lambda: tf.math.in_top_k([0], tf.ones([3]), 1), E, r"predictions must be 2-dimensional.*\(3,\)"),
        (lambda: tf.math.confusion_matrix([1, 2, 4], [2, 2, 4], num_classes=3), E, "`labels` out of bound"),
        (lambda: tf.math.confusion_matrix([1, 2], [2, 5], num_classes=3), E, "`predictions` out of bound"),
        (lambda: tf.math.confusion_matrix([-1, 2], [2, 2]), E, "`labels` contains negative values"),
        (lambda: tf.math.confusion_matrix([1, 2], [2, 2, 3]), E, "one length, received 2 and 3"),
        (lambda: tf.math.confusion_matrix([[1, 2]], [[1, 0]]), E, r"1-D labels.*\(1, 2\)"),
        (lambda: tf.math.confusion_matrix([1, 2], [2, 2], weights=[1, 2, 3]), ValueError, r"\(2,\) and \(3,\)"),
        (lambda: tf.math.confusion_matrix(tf.zeros([0], tf.int32), tf.zeros([0], tf.int32)), E, "needs num_classes"),
        (lambda: tf.histogram_fixed_width([1.0], [0.0, 5.0], nbins=0), E, "positive number, but got '0'"),
        (lambda: tf.histogram_fixed_width([1.0], [5.0, 0.0], nbins=3), E, r"value_range\[0\] < value_range\[1\]"),
        (lambda: tf.histogram_fixed_width([1.0], [0.0, 5.0, 6.0], nbins=3), E, r"2 elements, received shape \(3,\)"),
        (lambda: tf.histogram_fixed_width([np.nan], [0.0, 5.0], nbins=3), E, "must not contain NaN"),
        (lambda: tf.histogram_fixed_width([1.0], [0.0, 5.0], dtype=tf.float32), TypeError, "int64, received float32"),
        (lambda: tf.histogram_fixed_width([1.0], tf.constant([0, 5]), 3), TypeError, "float32, received int32"),
        (lambda: tf.histogram_fixed_width_bins([1, 2], [0, 5], nbins=3), TypeError, "float64 tensor, received int32"),
        (lambda: tf.histogram_fixed_width_bins([1.0], [0.0, 5.0], nbins=-2), E, "but got '-2'"),
        (lambda: tf.unique_with_counts([[1, 2]]), E, r"1D vector, received shape \[1, 2\]"),
        (lambda: tf.unique_with_counts([1, 2], out_idx=tf.float32), TypeError, "int64, received float32"),
    ],
)
def test_bad_arguments_raise(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_value_checks_run_after_a_traced_call():
    cm = tf.function(lambda a, b: tf.math.confusion_matrix(a, b, num_classes=3))
    np.testing.assert_array_equal(cm(tf.constant([0, 2]), tf.constant([1, 2])).numpy()[0], [0, 1, 0])
    with pytest.raises(E, match="`labels` out of bound"):
        cm(tf.constant([0, 3]), tf.constant([1, 2]))
    hist = tf.function(lambda v: tf.histogram_fixed_width(v, [0.0, 1.0], nbins=4))
    with pytest.raises(E, match="NaN"):
        hist(tf.constant([0.5, np.nan]))
    with pytest.raises(ValueError, match="needs num_classes inside a tf.function"):
        tf.function(lambda a, b: tf.math.confusion_matrix(a, b))(tf.constant([0]), tf.constant([1]))
    y, idx, count = tf.function(tf.unique_with_counts)(tf.constant([2, 1, 2, 2]))
    assert (y.numpy().tolist(), idx.numpy().tolist(), count.numpy().tolist()) == ([2, 1], [0, 1, 0, 0], [3, 1])

"""Ordering ops against NumPy, with the gradient of ``sort``/``top_k`` values against finite differences."""

import numpy as np
import pytest

import ferroflow as tf
from gradcheck import check_gradient

rng = np.random.default_rng(6)


def test_sort_and_argsort_match_numpy_on_every_axis():
    x = rng.standard_normal((3, 4, 5))
    for axis in (0, 1, -1):
        np.testing.assert_array_equal(tf.sort(x, axis=axis).numpy(), np.sort(x, axis=axis))
        np.testing.assert_array_equal(tf.argsort(x, axis=axis).numpy(), np.argsort(x, axis=axis, kind="stable"))
    np.testing.assert_array_equal(tf.sort(x, direction="DESCENDING").numpy(), -np.sort(-x, axis=-1))
    check_gradient(lambda t: tf.sort(t, axis=1), x)
    big = rng.standard_normal((256, 1000)).astype(np.float32)
    np.testing.assert_array_equal(tf.sort(big).numpy(), np.sort(big, axis=-1))


def test_top_k_values_indices_and_gradient():
    x = np.array([[1.0, 5.0, 3.0, 5.0], [0.0, -1.0, 2.0, 1.0]])
    values, indices = tf.math.top_k(x, k=2)
    np.testing.assert_array_equal(values.numpy(), [[5.0, 5.0], [2.0, 1.0]])
    np.testing.assert_array_equal(indices.numpy(), [[1, 3], [2, 3]])  # ties: the lower index first
    assert tf.nn.top_k(x, 1).indices.dtype == tf.int32
    check_gradient(lambda t: tf.math.top_k(t, k=2).values, rng.standard_normal((3, 6)))
    with pytest.raises(tf.errors.InvalidArgumentError, match="k=5"):
        tf.math.top_k(x, k=5)


def test_unique_searchsorted_bincount():
    y, idx = tf.unique([1, 1, 2, 4, 4, 4, 7, 8, 8])
    np.testing.assert_array_equal(y.numpy(), [1, 2, 4, 7, 8])
    np.testing.assert_array_equal(idx.numpy(), [0, 0, 1, 2, 2, 2, 3, 4, 4])
    y, idx = tf.unique([3, 1, 3, 2])
    np.testing.assert_array_equal(y.numpy(), [3, 1, 2])
    np.testing.assert_array_equal(idx.numpy(), [0, 1, 0, 2])
    seq = np.array([[0, 3, 9, 9, 10], [1, 2, 3, 4, 5]])
    vals = np.array([[2, 4, 9], [0, 2, 6]])
    want = np.stack([np.searchsorted(s, v) for s, v in zip(seq, vals)])
    np.testing.assert_array_equal(tf.searchsorted(seq, vals).numpy(), want)
    np.testing.assert_array_equal(tf.searchsorted([1, 2, 2, 3], [2], side="right").numpy(), [3])
    np.testing.assert_array_equal(tf.math.bincount([1, 1, 3, 0]).numpy(), [1, 2, 0, 1])
    np.testing.assert_array_equal(tf.math.bincount([1, 1, 3], minlength=6).numpy(), [0, 2, 0, 1, 0, 0])
    np.testing.assert_array_equal(tf.math.bincount([1, 1, 3], maxlength=2).numpy(), [0, 2])
    np.testing.assert_allclose(tf.math.bincount([0, 2, 2], weights=[0.5, 1.0, 2.0]).numpy(), [0.5, 0.0, 3.0])
    with pytest.raises(tf.errors.InvalidArgumentError, match="non-negative"):
        tf.math.bincount([-1, 2])
    with pytest.raises(NotImplementedError, match="eagerly"):
        tf.function(lambda t: tf.searchsorted(t, t))(tf.constant([1.0, 3.0]))

"""batch_norm_with_global_normalization, approx_max_k/approx_min_k and the space-to-batch family: TensorFlow
2.21 outputs (pasted), NumPy, round trips, gradients, tf.function, errors."""

import numpy as np
import pytest

import ferroflow as tf
from ferroflow.errors import InvalidArgumentError
from gradcheck import check_gradient

RNG = np.random.default_rng(5)


def test_batch_norm_with_global_normalization():
    args = [tf.constant([[1.0, 2.0]]), tf.constant([0.5, 1.0]), tf.constant([4.0, 1.0]), tf.constant([0.1, 0.2])]
    gamma = tf.constant([2.0, 3.0])
    scaled = tf.nn.batch_norm_with_global_normalization(*args, gamma, 0.001, True)
    np.testing.assert_allclose(scaled.numpy(), [[0.59993756, 3.1985013]], rtol=1e-6)  # TensorFlow 2.21
    plain = tf.nn.batch_norm_with_global_normalization(*args, gamma, 0.001, False)
    np.testing.assert_allclose(plain.numpy(), [[0.34996876, 1.1995003]], rtol=1e-6)


def test_approx_top_k_is_exact():
    got = tf.math.approx_max_k([[1.0, 5.0, 3.0, 2.0]], 2)
    np.testing.assert_array_equal(got.values.numpy(), [[5.0, 3.0]])
    assert got.indices.dtype == tf.int32 and got.indices.numpy().tolist() == [[1, 2]]
    low = tf.nn.approx_min_k([[1.0, 5.0, 3.0, 2.0], [0.0, -1.0, 2.0, 2.0]], 2)
    np.testing.assert_array_equal(low.values.numpy(), [[1.0, 2.0], [-1.0, 0.0]])
    np.testing.assert_array_equal(low.indices.numpy(), [[0, 3], [1, 0]])
    x = RNG.standard_normal((6, 32))
    cols = tf.math.approx_max_k(x, 3, reduction_dimension=0)
    np.testing.assert_array_equal(cols.values.numpy(), -np.sort(-x, axis=0)[:3])
    check_gradient(lambda t: tf.math.approx_max_k(t, 2).values, x[:3, :5])


def test_space_to_batch_matches_tensorflow_and_round_trips():
    x = np.arange(2 * 3 * 5 * 2, dtype=np.float32).reshape(2, 3, 5, 2)
    y = tf.space_to_batch(x, [2, 3], [[1, 0], [0, 1]])
    assert y.shape == (12, 2, 2, 2)
    # TensorFlow 2.21
    want = [0, 0, 0, 0, 10, 11, 16, 17, 0, 0, 0, 0, 40, 41, 46, 47, 0, 0, 0, 0]
    np.testing.assert_array_equal(y.numpy().reshape(-1)[:20], want)
    np.testing.assert_array_equal(tf.batch_to_space(y, [2, 3], [[1, 0], [0, 1]]).numpy(), x)
    assert tf.nn.space_to_batch(x, [3, 1], [[0, 0], [0, 0]]).shape == (6, 1, 5, 2)
    paddings, crops = tf.required_space_to_batch_paddings([5, 7], [2, 3], base_paddings=[[1, 1], [0, 2]])
    np.testing.assert_array_equal(paddings.numpy(), [[1, 2], [0, 2]])
    np.testing.assert_array_equal(crops.numpy(), [[0, 1], [0, 0]])
    big = RNG.standard_normal((32, 28, 28, 16))
    f = tf.function(
        lambda t: tf.batch_to_space(tf.space_to_batch_nd(t, [4, 2], [[2, 2], [0, 0]]), [4, 2], [[2, 2], [0, 0]])
    )
    np.testing.assert_array_equal(f(big).numpy(), big)
    check_gradient(lambda t: tf.space_to_batch_nd(t, [2, 2], [[1, 1], [0, 0]]), big[:1, :4, :4, :2])


def test_space_to_batch_errors():
    x = np.zeros((2, 3, 5, 2), np.float32)
    with pytest.raises(InvalidArgumentError, match="not divisible by block_shape"):
        tf.space_to_batch(x, [2, 2], [[0, 0], [0, 0]])
    with pytest.raises(InvalidArgumentError, match="not divisible by product of block sizes"):
        tf.batch_to_space(x, [4, 1], [[0, 0], [0, 0]])

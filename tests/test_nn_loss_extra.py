"""tf.nn.crelu, weighted_cross_entropy_with_logits, log_poisson_loss, compute_average_loss,
scale_regularization_loss and the moments helpers: values against TensorFlow 2.21's outputs (pasted) and NumPy,
float64 gradients against finite differences, tf.function, errors."""

import numpy as np
import pytest

import ferroflow as tf
from ferroflow.errors import InvalidArgumentError
from gradcheck import check_gradient

RNG = np.random.default_rng(3)


def test_crelu_values_axis_and_integer_input():
    np.testing.assert_array_equal(tf.nn.crelu([[1.0, -2.0]]).numpy(), [[1.0, 0.0, 0.0, 2.0]])
    np.testing.assert_array_equal(tf.nn.crelu([[1.0, -2.0]], axis=0).numpy(), [[1.0, 0.0], [0.0, 2.0]])
    out = tf.nn.crelu([[1, -2]])
    assert out.dtype == tf.int32 and out.numpy().tolist() == [[1, 0, 0, 2]]
    x = RNG.standard_normal((32, 28, 28, 16)).astype(np.float32)
    want = np.maximum(np.concatenate([x, -x], -1), 0)
    np.testing.assert_array_equal(tf.function(tf.nn.crelu)(x).numpy(), want)
    check_gradient(lambda t: tf.nn.crelu(t, axis=1), RNG.standard_normal((3, 4)) + 0.05)


def _wce(z, x, q):
    return -(q * z * np.log(1 / (1 + np.exp(-x))) + (1 - z) * np.log(1 - 1 / (1 + np.exp(-x))))


def test_weighted_cross_entropy_matches_tensorflow_and_formula():
    got = tf.nn.weighted_cross_entropy_with_logits(labels=[1.0, 0.5, 0.0], logits=[1.5, -0.1, -10.0], pos_weight=1.5)
    # tf.nn.weighted_cross_entropy_with_logits in TensorFlow 2.21
    np.testing.assert_allclose(got.numpy(), [0.30211994, 0.88049585, 4.5776367e-05], rtol=1e-5)
    z = RNG.uniform(0, 1, (32, 10))
    x = RNG.standard_normal((32, 10)) * 3
    q = RNG.uniform(0.2, 3, (10,))
    f = tf.function(lambda a, b, c: tf.nn.weighted_cross_entropy_with_logits(a, b, c))
    np.testing.assert_allclose(f(z, x, q).numpy(), _wce(z, x, q), rtol=1e-10)
    big = tf.nn.weighted_cross_entropy_with_logits([1.0, 0.0], [200.0, -200.0], 2.0).numpy()
    np.testing.assert_allclose(big, [0.0, 0.0], atol=1e-30)  # no overflow
    loss = lambda a, b, c: tf.nn.weighted_cross_entropy_with_logits(a, b, c)  # noqa: E731
    for wrt in range(3):
        check_gradient(loss, z[:3, :4], x[:3, :4], q[:4], wrt=wrt)
    with pytest.raises(ValueError, match="must have the same shape"):
        tf.nn.weighted_cross_entropy_with_logits([1.0, 0.5], [1.5, -0.1, -10.0], 1.5)


def test_log_poisson_loss_with_and_without_stirling():
    t, c = [0.0, 0.5, 1.0, 3.0], [0.1, -0.2, 0.3, 1.0]
    # TensorFlow 2.21
    np.testing.assert_allclose(
        tf.nn.log_poisson_loss(t, c).numpy(), [1.105171, 0.9187308, 1.0498588, -0.28171825], rtol=1e-6
    )
    full = tf.nn.log_poisson_loss(t, c, compute_full_loss=True).numpy()
    np.testing.assert_allclose(full, [1.105171, 0.9187308, 1.0498588, 1.4823633], rtol=1e-6)
    z = RNG.uniform(0, 5, (16, 3))
    x = RNG.standard_normal((16, 3))
    stirling = np.where(z <= 1, 0, z * np.log(z) - z + 0.5 * np.log(2 * np.pi * z))
    got = tf.function(lambda a, b: tf.nn.log_poisson_loss(a, b, compute_full_loss=True))(z, x).numpy()
    np.testing.assert_allclose(got, np.exp(x) - x * z + stirling, rtol=1e-12)
    check_gradient(lambda a, b: tf.nn.log_poisson_loss(a, b), z[:3], x[:3], wrt=1)
    check_gradient(lambda a, b: tf.nn.log_poisson_loss(a, b, True), z[:3] + 1.5, x[:3], wrt=0)
    with pytest.raises(ValueError, match="must have the same shape"):
        tf.nn.log_poisson_loss([0.0, 0.5, 1.0], c)


def test_compute_average_loss_as_tensorflow():
    assert float(tf.nn.compute_average_loss([1.0, 2.0, 3.0])) == 2.0
    got = tf.nn.compute_average_loss(tf.constant([1.0, 2.0, 3.0], tf.float64), sample_weight=[[1.0], [2.0], [0.5]])
    assert got.dtype == tf.float64
    np.testing.assert_allclose(got.numpy(), 2.1666666666666665, rtol=1e-7)
    two_d = tf.nn.compute_average_loss(tf.constant([[1.0, 2.0, 3.0], [4.0, 5, 6]]), sample_weight=[2.0, 3.0])
    assert float(two_d) == 28.5
    assert float(tf.nn.compute_average_loss([1.0, 2.0, 3.0], global_batch_size=4)) == 1.5
    assert float(tf.nn.compute_average_loss([1.0, 2.0, 3.0], global_batch_size=0)) == 0.0
    assert float(tf.nn.compute_average_loss([1.0, 2.0, 3.0], sample_weight=2.0)) == 4.0
    ints = tf.nn.compute_average_loss([1, 2, 3])
    assert ints.dtype == tf.float64 and float(ints) == 2.0
    losses = RNG.uniform(0, 2, (32,)).astype(np.float32)
    f = tf.function(lambda v: tf.nn.compute_average_loss(v, global_batch_size=64))
    np.testing.assert_allclose(f(losses).numpy(), losses.sum() / 64, rtol=1e-6)
    check_gradient(lambda v: tf.nn.compute_average_loss(v, global_batch_size=3), RNG.uniform(0, 1, (4,)))
    # With weights TensorFlow scales in float32 (then casts back), so the gradient is checked exactly.
    v = tf.constant(RNG.uniform(0, 1, (4,)))
    with tf.GradientTape() as tape:
        tape.watch(v)
        loss = tf.nn.compute_average_loss(v, sample_weight=np.arange(4.0))
    np.testing.assert_allclose(tape.gradient(loss, v).numpy(), np.arange(4.0) / 4)


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"per_example_loss": 3.0}, ValueError, "at least rank 1"),
        ({"per_example_loss": [1.0], "global_batch_size": 4.0}, TypeError, "must be an integer"),
        ({"per_example_loss": [1.0], "global_batch_size": -1}, InvalidArgumentError, "non-negative"),
        ({"per_example_loss": [1.0], "global_batch_size": [1, 2]}, ValueError, "must be scalar"),
    ],
)
def test_compute_average_loss_errors(kwargs, error, message):
    with pytest.raises(error, match=message):
        tf.nn.compute_average_loss(**kwargs)


def test_scale_regularization_loss_sums():
    assert float(tf.nn.scale_regularization_loss([1.0, 2.0])) == 3.0
    assert float(tf.nn.scale_regularization_loss(2.0)) == 2.0
    assert tf.nn.scale_regularization_loss(2).dtype == tf.float64
    w = tf.Variable(RNG.standard_normal((3, 2)))
    with tf.GradientTape() as tape:
        loss = tf.nn.scale_regularization_loss(tf.nn.l2_loss(w))
    np.testing.assert_allclose(tape.gradient(loss, w).numpy(), w.numpy())


def test_sufficient_statistics_and_normalize_moments():
    x = tf.constant([[1.0, 2.0, 3.0], [4.0, 5, 7]])
    count, m_ss, v_ss, shift = tf.nn.sufficient_statistics(x, [0])
    assert float(count) == 2.0 and shift is None
    np.testing.assert_array_equal(m_ss.numpy(), [5.0, 7.0, 10.0])
    np.testing.assert_array_equal(v_ss.numpy(), [17.0, 29.0, 58.0])
    count, m_ss, v_ss, shift = tf.nn.sufficient_statistics(x, [1], shift=1.0, keepdims=True)
    assert float(count) == 3.0 and float(shift) == 1.0
    np.testing.assert_array_equal(m_ss.numpy(), [[3.0], [13.0]])
    np.testing.assert_array_equal(v_ss.numpy(), [[5.0], [61.0]])
    mean, var = tf.nn.normalize_moments(3.0, [3.0, 13.0], [5.0, 63.0], 1.0)
    # TensorFlow 2.21
    np.testing.assert_allclose(mean.numpy(), [2.0, 5.3333335], rtol=1e-6)
    np.testing.assert_allclose(var.numpy(), [0.66666675, 2.2222214], rtol=1e-5)
    data = RNG.standard_normal((32, 28, 28, 16))
    stats = tf.nn.sufficient_statistics(data, [0, 1, 2], shift=0.1)
    mean, var = tf.nn.normalize_moments(*stats)
    np.testing.assert_allclose(mean.numpy(), data.mean(axis=(0, 1, 2)), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(var.numpy(), data.var(axis=(0, 1, 2)), rtol=1e-9)

    @tf.function(input_signature=[tf.TensorSpec([None, 3], tf.float64)])
    def dynamic(t):
        return tf.nn.normalize_moments(*tf.nn.sufficient_statistics(t, [0]))

    small = data[:5, 0, 0, :3]
    mean, var = dynamic(small)
    np.testing.assert_allclose(var.numpy(), small.var(axis=0), rtol=1e-9)
    check_gradient(lambda t: tf.nn.normalize_moments(*tf.nn.sufficient_statistics(t, [1]))[1], small)


def test_weighted_moments():
    x = tf.constant([[1.0, 2.0, 3.0], [4.0, 5, 7]])
    mean, var = tf.nn.weighted_moments(x, [1], [[1.0, 2.0, 0.0]])
    np.testing.assert_allclose(mean.numpy(), [1.6666666, 4.6666665], rtol=1e-6)
    np.testing.assert_allclose(var.numpy(), [0.22222221, 0.22222222], rtol=1e-5)
    mean, var = tf.nn.weighted_moments(x, [0, 1], [[1.0], [3.0]], keepdims=True)
    assert mean.shape == (1, 1)
    np.testing.assert_allclose([float(mean[0, 0]), float(var[0, 0])], [4.5, 3.4166667], rtol=1e-6)
    mean, var = tf.nn.weighted_moments(x, [1], [[0.0], [1.0]])  # zero total weight: zero, not NaN
    np.testing.assert_allclose(mean.numpy(), [0.0, 5.3333335], rtol=1e-6)
    data, w = RNG.standard_normal((32, 10)), RNG.uniform(0, 2, (32, 1))
    ref_mean = (w * data).sum(0) / (w.sum() * np.ones(10))
    ref_var = (w * (data - ref_mean) ** 2).sum(0) / w.sum()
    mean, var = tf.function(lambda a, b: tf.nn.weighted_moments(a, [0], b))(data, w)
    np.testing.assert_allclose(mean.numpy(), ref_mean, rtol=1e-10)
    np.testing.assert_allclose(var.numpy(), ref_var, rtol=1e-10)
    check_gradient(lambda a, b: tf.nn.weighted_moments(a, [0], b)[1], data[:4, :3], w[:4], wrt=0)
    check_gradient(lambda a, b: tf.nn.weighted_moments(a, [0], b)[1], data[:4, :3], w[:4], wrt=1)
    with pytest.raises(ValueError, match="out of range"):
        tf.nn.weighted_moments(x, [2], 1.0)

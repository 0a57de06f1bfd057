"""tf.random.gamma / poisson, their stateless forms and TF1's random_gamma / random_poisson.

Distributions are checked statistically with fixed seeds (so the tests are deterministic): sample mean and
variance within five standard errors for the sample size, and the Kolmogorov-Smirnov distance to the exact
CDF below its 0.1% critical value. Shapes follow TensorFlow's rules; stateless samples are a function of the
seed (the same eagerly and in tf.function); the gamma reparameterization gradient matches
-(dP(alpha, x)/d alpha) / pdf(x) by finite differences of the CDF.
"""

import math

import numpy as np
import pytest

import ferroflow as tf

KS_CRITICAL = 1.95  # sqrt(n) * D above which a correct sampler fails with probability 0.001


def erlang_cdf(k, x):
    """P(Gamma(k, 1) <= x) for integer k."""
    terms = sum(x**j / math.factorial(j) for j in range(k))
    return 1.0 - np.exp(-x) * terms


def ks_statistic(samples, cdf):
    s = np.sort(samples)
    n = len(s)
    f = cdf(s)
    return np.sqrt(n) * max(np.max(np.arange(1, n + 1) / n - f), np.max(f - np.arange(n) / n))


def check_moments(samples, mean, var, fourth_central):
    n = samples.size
    assert abs(samples.mean() - mean) < 5 * math.sqrt(var / n)
    assert abs(samples.var() - var) < 5 * math.sqrt((fourth_central - var * var) / n)


@pytest.mark.parametrize("alpha", [0.3, 1.0, 2.5, 30.0])
def test_gamma_moments(alpha):
    beta = 2.0
    x = tf.random.gamma([32, 128], alpha, beta, dtype=tf.float64, seed=11).numpy()
    assert x.shape == (32, 128) and (x > 0).all()
    # Gamma(alpha, rate beta): mean a/b, variance a/b^2, fourth central moment 3a(a + 2)/b^4.
    check_moments(x, alpha / beta, alpha / beta**2, 3 * alpha * (alpha + 2) / beta**4)


@pytest.mark.parametrize(
    "alpha, cdf",
    [
        (1.0, lambda x: erlang_cdf(1, x)),
        (4.0, lambda x: erlang_cdf(4, x)),
        (0.5, lambda x: np.vectorize(math.erf)(np.sqrt(x))),
    ],
)
def test_gamma_distribution_ks(alpha, cdf):
    x = tf.random.gamma([4096], alpha, dtype=tf.float64, seed=5).numpy()
    assert ks_statistic(x, cdf) < KS_CRITICAL


@pytest.mark.parametrize("lam", [0.5, 4.0, 9.9, 10.0, 25.0, 1000.0])
def test_poisson_moments(lam):
    k = tf.random.poisson([32, 128], lam, dtype=tf.float64, seed=3).numpy()
    assert (k == np.floor(k)).all() and (k >= 0).all()
    check_moments(k, lam, lam, lam * (1 + 3 * lam))


@pytest.mark.parametrize("lam", [3.0, 40.0])
def test_poisson_distribution_against_pmf(lam):
    k = tf.random.stateless_poisson([8192], seed=[4, 2], lam=lam, dtype=tf.int64).numpy()
    values, counts = np.unique(k, return_counts=True)
    pmf = np.exp(values * math.log(lam) - lam - np.vectorize(math.lgamma)(values + 1.0))
    expected = pmf * k.size
    big = expected > 20  # Pearson's chi-square over the well-populated bins
    chi2 = np.sum((counts[big] - expected[big]) ** 2 / expected[big])
    dof = big.sum() - 1
    assert chi2 < dof + 5 * math.sqrt(2 * dof)


def test_output_shapes_and_dtypes():
    g = tf.random.gamma([2, 3], tf.ones([4, 1]), tf.ones([5]), seed=1)
    assert g.shape == (2, 3, 4, 5) and g.dtype == tf.float32
    assert tf.random.gamma([2], 1.0, dtype=tf.float64).dtype == tf.float64
    p = tf.random.poisson([2, 3], [1.0, 5.0], seed=1)
    assert p.shape == (2, 3, 2) and p.dtype == tf.float32
    assert tf.random.poisson([4], tf.constant([1, 2]), dtype=tf.int64, seed=1).dtype == tf.int64
    assert tf.random.stateless_gamma([3, 2], seed=[1, 2], alpha=[1.0, 2.0]).shape == (3, 2)
    s = tf.random.stateless_poisson([3, 2], seed=[1, 2], lam=[1.0, 2.0])
    assert s.shape == (3, 2) and s.dtype == tf.int32
    assert tf.compat.v1.random_gamma([2], 1.0, seed=1).shape == (2,)
    assert tf.compat.v1.random_poisson([1.0, 3.0], [5], seed=1).shape == (5, 2)


def test_edge_parameters_as_tensorflow():
    g = tf.random.gamma([3], [-1.0, 0.0, 1e-3, 2.0], seed=1).numpy()
    tiny = np.finfo(np.float32).tiny
    assert np.isnan(g[:, 0]).all() and (g[:, 1] == tiny).all() and (g[:, 2] >= tiny).all()
    p = tf.random.poisson([3], [-1.0, 0.0, np.inf], seed=1).numpy()
    np.testing.assert_array_equal(p, [[0.0, 0.0, np.inf]] * 3)
    assert (tf.random.stateless_poisson([2], seed=[1, 2], lam=[-2.0, 0.0], dtype=tf.float32).numpy() == 0).all()


def test_bad_arguments():
    with pytest.raises(tf.errors.InvalidArgumentError, match="end with"):
        tf.random.stateless_gamma([3], seed=[1, 2], alpha=[1.0, 2.0])
    with pytest.raises(tf.errors.InvalidArgumentError, match="end with"):
        tf.random.stateless_poisson([2, 3], seed=[1, 2], lam=[1.0, 2.0])
    with pytest.raises(ValueError, match="floating-point"):
        tf.random.gamma([2], 1.0, dtype=tf.int32)
    with pytest.raises(tf.errors.InvalidArgumentError, match="dtype"):
        tf.random.poisson([2], 1.0, dtype=tf.bool)
    with pytest.raises(ValueError, match="seed"):
        tf.random.stateless_gamma([2], seed=[1, 2, 3], alpha=1.0)


def test_stateless_samples_are_a_function_of_the_seed():
    alpha = [0.3, 1.0, 2.5, 30.0]
    a = tf.random.stateless_gamma([512, 4], seed=[1, 2], alpha=alpha).numpy()
    np.testing.assert_array_equal(a, tf.random.stateless_gamma([512, 4], seed=[1, 2], alpha=alpha).numpy())
    traced = tf.function(lambda: tf.random.stateless_gamma([512, 4], seed=[1, 2], alpha=alpha))
    np.testing.assert_array_equal(a, traced().numpy())
    np.testing.assert_array_equal(a, traced().numpy())
    assert not np.array_equal(a, tf.random.stateless_gamma([512, 4], seed=[1, 3], alpha=alpha).numpy())
    lam = [0.5, 9.0, 12.0, 400.0]
    p = tf.random.stateless_poisson([512, 4], seed=[7, 8], lam=lam).numpy()
    np.testing.assert_array_equal(p, tf.function(lambda: tf.random.stateless_poisson([512, 4], [7, 8], lam))().numpy())
    assert not np.array_equal(p, tf.random.stateless_poisson([512, 4], seed=[8, 8], lam=lam).numpy())


def test_stateful_samples_follow_the_seeds():
    tf.random.set_seed(123)
    first = [tf.random.gamma([64], 2.0).numpy(), tf.random.poisson([64], 3.0).numpy()]
    tf.random.set_seed(123)
    again = [tf.random.gamma([64], 2.0).numpy(), tf.random.poisson([64], 3.0).numpy()]
    for x, y in zip(first, again):
        np.testing.assert_array_equal(x, y)
    draw = tf.function(lambda: tf.random.gamma([64], 2.0, seed=4))
    assert not np.array_equal(draw().numpy(), draw().numpy())  # a stateful op draws anew on every run
    tf.random.set_seed(None)


def test_gamma_reparameterization_gradient_against_the_cdf():
    alpha = tf.constant([0.4, 1.0, 3.0, 20.0], tf.float64)
    beta = tf.constant(2.0, tf.float64)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([alpha, beta])
        x = tf.random.gamma([6], alpha, beta, dtype=tf.float64, seed=7)
        total = tf.reduce_sum(x)
    standard = x.numpy() * 2.0
    a, h = alpha.numpy(), 1e-6
    d_cdf = (
        tf.math.igamma(tf.constant(a + h), tf.constant(standard)).numpy()
        - tf.math.igamma(tf.constant(a - h), tf.constant(standard)).numpy()
    ) / (2 * h)
    pdf = np.exp((a - 1) * np.log(standard) - standard - np.vectorize(math.lgamma)(a))
    np.testing.assert_allclose(tape.gradient(total, alpha).numpy(), (-d_cdf / pdf / 2.0).sum(0), rtol=1e-6)
    np.testing.assert_allclose(tape.gradient(total, beta).numpy(), -np.sum(x.numpy()) / 2.0, rtol=1e-12)


def test_gamma_gradient_of_the_mean_inside_tf_function():
    @tf.function
    def grad_of_mean(alpha):
        with tf.GradientTape() as tape:
            tape.watch(alpha)
            m = tf.reduce_mean(tf.random.stateless_gamma([8192, 3], [5, 6], alpha, dtype=tf.float64), axis=0)
        return tape.gradient(m, alpha)

    g = grad_of_mean(tf.constant([0.5, 2.0, 10.0], tf.float64)).numpy()
    np.testing.assert_allclose(g, 1.0, atol=0.05)  # d E[X] / d alpha = 1 for Gamma(alpha, 1)

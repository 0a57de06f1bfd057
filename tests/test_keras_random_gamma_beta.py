"""``keras.random.gamma`` and ``keras.random.beta`` (keras.io's MixUp samples its mixing weights from a beta
distribution made of two gamma draws). Checked against the distributions' moments: gamma(alpha) has mean and
variance alpha; beta(a, b) has mean a / (a + b) and variance ab / ((a + b)^2 (a + b + 1))."""

import numpy as np

import ferroflow as tf
from ferroflow import keras


def test_gamma_moments_dtype_and_seeding():
    g = keras.random.gamma((40000,), alpha=2.0, seed=1).numpy()
    assert g.dtype == np.float32 and g.min() > 0
    np.testing.assert_allclose([g.mean(), g.var()], [2.0, 2.0], rtol=0.05)
    # An int seed repeats; another seed differs.
    np.testing.assert_array_equal(
        keras.random.gamma((5,), 2.0, seed=1).numpy(), keras.random.gamma((5,), 2.0, seed=1).numpy()
    )
    assert not np.array_equal(
        keras.random.gamma((5,), 2.0, seed=1).numpy(), keras.random.gamma((5,), 2.0, seed=2).numpy()
    )
    assert keras.random.gamma((2, 3), 0.5, dtype="float64").dtype == tf.float64


def test_beta_moments():
    a, b = 0.2, 0.5
    x = keras.random.beta((40000,), a, b, seed=3).numpy()
    assert x.min() >= 0.0 and x.max() <= 1.0
    mean, var = a / (a + b), a * b / ((a + b) ** 2 * (a + b + 1))
    np.testing.assert_allclose([x.mean(), x.var()], [mean, var], rtol=0.05)


def test_beta_with_a_seed_generator_draws_anew_also_in_a_function():
    sg = keras.random.SeedGenerator(4)
    first, second = keras.random.beta((4,), 2.0, 3.0, seed=sg), keras.random.beta((4,), 2.0, 3.0, seed=sg)
    assert not np.array_equal(first.numpy(), second.numpy())

    @tf.function
    def f():
        return keras.random.beta((4,), 2.0, 3.0, seed=sg)

    assert not np.array_equal(f().numpy(), f().numpy())
    assert "gamma" in dir(keras.random) and "beta" in dir(keras.random)

"""Gamma, Poisson and binomial samples whose shape is known only at run time (``tf.shape(x)[0]`` in a
``Dataset.map`` or a ``tf.function`` with an unknown batch size), as keras.io's MixUp draws its mixing
weights; and ``keras.random.binomial`` (values against the distributions' moments)."""

import numpy as np
import pytest

import ferroflow as tf

keras = tf.keras
ANY_BATCH = [tf.TensorSpec([None, 2])]


def test_gamma_with_batch_size_of_a_dataset_map():
    data = tf.data.Dataset.from_tensor_slices(np.ones((10, 2), "float32")).batch(4)

    def mix(x):
        batch_size = tf.shape(x)[0]
        return x, keras.random.gamma(shape=[batch_size], alpha=0.2), tf.random.gamma([batch_size, 3], [1.0, 5.0])

    shapes = [(tuple(a.shape), tuple(g.shape), tuple(h.shape)) for a, g, h in data.map(mix)]
    assert shapes == [((4, 2), (4,), (4, 3, 2))] * 2 + [((2, 2), (2,), (2, 3, 2))]
    for _, g, h in data.map(mix):
        assert np.all(g.numpy() > 0) and np.all(h.numpy() > 0)


def test_static_shape_of_runtime_shaped_samples():
    seen = {}

    @tf.function(input_signature=ANY_BATCH)
    def draw(x):
        b = tf.shape(x)[0]
        out = {
            "gamma": tf.random.gamma([b, 3], 2.0),
            "poisson": tf.random.poisson(tf.stack([b, 2]), [1.0, 4.0, 9.0]),
            "stateless_gamma": tf.random.stateless_gamma([b, 2], [1, 2], [1.0, 3.0]),
            "stateless_poisson": tf.random.stateless_poisson([b], [4, 5], 2.0),
        }
        seen.update({k: v.shape.as_list() for k, v in out.items()})
        return out

    out = draw(tf.ones([5, 2]))
    assert seen == {
        "gamma": [None, 3],
        "poisson": [None, 2, 3],
        "stateless_gamma": [None, 2],
        "stateless_poisson": [None],
    }
    assert {k: v.shape.as_list() for k, v in out.items()} == {
        "gamma": [5, 3],
        "poisson": [5, 2, 3],
        "stateless_gamma": [5, 2],
        "stateless_poisson": [5],
    }


def test_stateless_samples_with_runtime_shape_match_static_ones():
    @tf.function(input_signature=ANY_BATCH)
    def draw(x):
        b = tf.shape(x)[0]
        return (
            keras.random.gamma(shape=[b], alpha=0.2, seed=3),
            tf.random.stateless_gamma([b, 2], [1, 2], [1.0, 3.0]),
            tf.random.stateless_poisson([b], [4, 5], 2.0),
        )

    g, sg, sp = draw(tf.ones([5, 2]))
    np.testing.assert_allclose(g, keras.random.gamma(shape=[5], alpha=0.2, seed=3), rtol=1e-6)
    np.testing.assert_allclose(sg, tf.random.stateless_gamma([5, 2], [1, 2], [1.0, 3.0]), rtol=1e-6)
    np.testing.assert_array_equal(sp, tf.random.stateless_poisson([5], [4, 5], 2.0))


def test_gamma_moments_with_runtime_shape():
    @tf.function(input_signature=[tf.TensorSpec([None])])
    def draw(x):
        return tf.random.gamma([tf.shape(x)[0]], [0.5, 3.0], seed=7)

    samples = draw(tf.zeros([40000])).numpy()
    np.testing.assert_allclose(samples.mean(0), [0.5, 3.0], rtol=0.05)
    np.testing.assert_allclose(samples.var(0), [0.5, 3.0], rtol=0.08)


def test_shape_of_non_integers_is_a_type_error():
    @tf.function(input_signature=[tf.TensorSpec([None])])
    def draw(x):
        return tf.random.gamma([tf.reduce_sum(x)], 1.0)

    with pytest.raises(TypeError):
        draw(tf.ones([3]))


def test_binomial_moments_dtype_and_seeds():
    counts, probs = np.array([2.0, 10.0]), np.array([0.5, 0.1])
    b = keras.random.binomial((40000, 2), counts=counts, probabilities=probs, seed=1)
    assert b.dtype == "float32" and tuple(b.shape) == (40000, 2)
    b = b.numpy()
    assert set(np.unique(b[:, 0])) <= {0.0, 1.0, 2.0} and b.max() <= 10
    np.testing.assert_allclose(b.mean(0), counts * probs, rtol=0.05)
    np.testing.assert_allclose(b.var(0), counts * probs * (1 - probs), rtol=0.06)
    again = keras.random.binomial((40000, 2), counts=counts, probabilities=probs, seed=1)
    np.testing.assert_array_equal(again, b)  # an int seed draws the same numbers
    gen = keras.random.SeedGenerator(1)
    first = keras.random.binomial((50,), counts=5, probabilities=0.5, dtype="int32", seed=gen)
    second = keras.random.binomial((50,), counts=5, probabilities=0.5, dtype="int32", seed=gen)
    assert first.dtype == "int32" and not np.array_equal(first, second)


def test_binomial_with_runtime_shape():
    @tf.function(input_signature=[tf.TensorSpec([None])])
    def draw(x):
        return keras.random.binomial([tf.shape(x)[0]], counts=4, probabilities=0.25, seed=2)

    np.testing.assert_array_equal(draw(tf.ones([6])), keras.random.binomial([6], 4, 0.25, seed=2))

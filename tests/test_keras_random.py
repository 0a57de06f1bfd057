"""``keras.random``: Keras 3's seeding rules and the distributions' moments."""

import numpy as np
import pytest

import ferroflow as tf
from ferroflow import keras


def test_an_int_seed_repeats_and_a_seed_generator_advances():
    a = keras.random.normal((3, 4), seed=42).numpy()
    np.testing.assert_array_equal(keras.random.normal((3, 4), seed=42).numpy(), a)
    assert not np.array_equal(keras.random.normal((3, 4), seed=43).numpy(), a)
    gen = keras.random.SeedGenerator(7)
    x, y = keras.random.uniform((5,), seed=gen).numpy(), keras.random.uniform((5,), seed=gen).numpy()
    assert not np.array_equal(x, y)
    again = keras.random.SeedGenerator(7)
    np.testing.assert_array_equal(keras.random.uniform((5,), seed=again).numpy(), x)


def test_distributions():
    n = keras.random.normal((100000,), mean=1.0, stddev=2.0, seed=1).numpy()
    assert abs(n.mean() - 1.0) < 0.03 and abs(n.std() - 2.0) < 0.03
    r = keras.random.randint((10000,), 3, 7, seed=2).numpy()
    assert r.dtype == np.int32 and set(np.unique(r)) == {3, 4, 5, 6}
    t = keras.random.truncated_normal((10000,), seed=3).numpy()
    assert np.abs(t).max() <= 2.0
    x = np.ones((1000, 10), np.float32)
    d = keras.random.dropout(x, 0.3, seed=4).numpy()
    assert set(np.unique(d)) <= {0.0, np.float32(1 / 0.7)} and abs((d == 0).mean() - 0.3) < 0.03
    s = keras.random.shuffle(np.arange(10), seed=5).numpy()
    assert sorted(s.tolist()) == list(range(10)) and s.tolist() != list(range(10))
    c = keras.random.categorical(tf.math.log([[0.2, 0.8]]), 5000, seed=6).numpy()
    assert abs(c.mean() - 0.8) < 0.03
    with pytest.raises(ValueError, match="rate"):
        keras.random.dropout(x, 1.0)


def test_seed_generator_in_a_traced_function():
    """A SeedGenerator inside tf.function (as in a traced train_step): new values on every call, shapes
    given by symbolic tensors, and the same sequence again from a generator with the same seed."""

    def make():
        gen = keras.random.SeedGenerator(11)

        @tf.function
        def draw(x):
            return keras.random.normal((tf.shape(x)[0], 3), seed=gen), keras.random.uniform(tf.shape(x), seed=gen)

        return draw

    draw = make()
    first = [t.numpy() for t in draw(tf.zeros([2]))]
    second = [t.numpy() for t in draw(tf.zeros([2]))]
    assert first[0].shape == (2, 3) and first[1].shape == (2,)
    assert not np.array_equal(first[0], second[0]) and not np.array_equal(first[1], second[1])
    assert ((first[1] >= 0) & (first[1] < 1)).all()
    again = make()
    np.testing.assert_array_equal(again(tf.zeros([2]))[0].numpy(), first[0])

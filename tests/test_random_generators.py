"""``tf.random.Generator``, the stateless ops and ``categorical``: repeatability, independence, graph runs,
and the distributions' moments against their formulas."""

import numpy as np
import pytest

import ferroflow as tf


def test_a_seeded_generator_repeats_and_advances():
    g1 = tf.random.Generator.from_seed(1)
    a = g1.normal(shape=[2, 3]).numpy()
    b = g1.normal(shape=[2, 3]).numpy()
    assert not np.array_equal(a, b)
    assert int(g1.state.numpy()[0]) == 2
    g2 = tf.random.Generator.from_seed(1)
    np.testing.assert_array_equal(g2.normal(shape=[2, 3]).numpy(), a)
    g2.reset_from_seed(1)
    np.testing.assert_array_equal(g2.normal(shape=[2, 3]).numpy(), a)
    g3 = tf.random.Generator(copy_from=g1)
    np.testing.assert_array_equal(g3.normal([4]).numpy(), g1.normal([4]).numpy())


def test_split_generators_are_independent_and_repeatable():
    g = tf.random.Generator.from_seed(7)
    new = g.split(3)
    draws = [x.uniform([1000]).numpy() for x in new]
    for i in range(3):
        for j in range(i + 1, 3):
            assert abs(np.corrcoef(draws[i], draws[j])[0, 1]) < 0.1
    again = tf.random.Generator.from_seed(7).split(3)
    np.testing.assert_array_equal(again[1].uniform([1000]).numpy(), draws[1])


def test_generator_distributions_have_the_documented_moments():
    g = tf.random.Generator.from_seed(3)
    n = g.normal([200000], mean=2.0, stddev=3.0, dtype=tf.float64).numpy()
    assert abs(n.mean() - 2.0) < 0.05 and abs(n.std() - 3.0) < 0.05
    u = g.uniform([200000], minval=-1.0, maxval=3.0).numpy()
    assert u.min() >= -1.0 and u.max() < 3.0 and abs(u.mean() - 1.0) < 0.02
    i = g.uniform([10000], minval=5, maxval=9, dtype=tf.int32).numpy()
    assert set(np.unique(i)) == {5, 6, 7, 8}
    t = g.truncated_normal([10000], stddev=2.0).numpy()
    assert np.abs(t).max() <= 4.0
    assert g.uniform_full_int([5], dtype=tf.int64).dtype == tf.int64
    assert g.make_seeds(4).shape == (2, 4)
    with pytest.raises(ValueError, match="maxval"):
        g.uniform([2], dtype=tf.int32)


def test_a_generator_inside_a_function_draws_new_numbers_each_run():
    g = tf.random.Generator.from_seed(5)

    @tf.function
    def draw():
        return g.normal([3])

    a, b = draw().numpy(), draw().numpy()
    assert not np.array_equal(a, b)


def test_a_generator_state_is_saved_by_a_checkpoint(tmp_path):
    g = tf.random.Generator.from_seed(11)
    g.normal([2])
    path = tf.train.Checkpoint(generator=g).write(str(tmp_path / "gen"))
    want = g.normal([5]).numpy()
    fresh = tf.random.Generator.from_seed(0)
    tf.train.Checkpoint(generator=fresh).restore(path)
    np.testing.assert_array_equal(fresh.normal([5]).numpy(), want)


@pytest.mark.parametrize("op", [tf.random.stateless_uniform, tf.random.stateless_normal])
def test_stateless_ops_are_pure_functions_of_the_seed_eagerly_and_in_graphs(op):
    a = op([3, 4], seed=[1, 2]).numpy()
    np.testing.assert_array_equal(op([3, 4], seed=[1, 2]).numpy(), a)
    assert not np.array_equal(op([3, 4], seed=[1, 3]).numpy(), a)
    f = tf.function(lambda: op([3, 4], seed=[1, 2]))
    np.testing.assert_array_equal(f().numpy(), a)
    np.testing.assert_array_equal(f().numpy(), a)  # a second run of the graph: the same numbers
    with pytest.raises(ValueError, match="pair of integers"):
        op([2], seed=3)


def test_stateless_uniform_integers_and_truncated_normal():
    x = tf.random.stateless_uniform([1000], seed=[4, 2], minval=0, maxval=10, dtype=tf.int64).numpy()
    assert x.dtype == np.int64 and x.min() >= 0 and x.max() <= 9
    t = tf.random.stateless_truncated_normal([1000], seed=[1, 1]).numpy()
    np.testing.assert_array_equal(tf.random.stateless_truncated_normal([1000], seed=[1, 1]).numpy(), t)
    assert np.abs(t).max() <= 2.0


def test_categorical_samples_follow_the_softmax_of_the_logits():
    probs = np.array([[0.1, 0.6, 0.3], [0.5, 0.0001, 0.4999]])
    logits = tf.constant(np.log(probs), dtype=tf.float32)
    samples = tf.random.categorical(logits, 20000, seed=1).numpy()
    assert samples.shape == (2, 20000) and samples.dtype == np.int64
    for row in range(2):
        freq = np.bincount(samples[row], minlength=3) / 20000
        np.testing.assert_allclose(freq, probs[row], atol=0.015)
    s1 = tf.random.stateless_categorical(logits, 10, seed=[3, 4]).numpy()
    np.testing.assert_array_equal(tf.random.stateless_categorical(logits, 10, seed=[3, 4]).numpy(), s1)
    with pytest.raises(ValueError, match="batch_size, num_classes"):
        tf.random.categorical(tf.zeros([3]), 2)

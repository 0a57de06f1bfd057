"""tf.random candidate samplers and tf.nn.compute_accidental_hits: sample frequencies against the sampling
distributions and a NumPy simulation of TensorFlow's draw-until-distinct sampler, expected-count formulas,
tf.function, errors (TensorFlow 2.21's types and messages)."""

import numpy as np
import pytest

import ferroflow as tf
from ferroflow.errors import InvalidArgumentError

TRUE = tf.constant([[1, 2], [3, 9]], tf.int64)


def _log_uniform(n):
    k = np.arange(n)
    return (np.log(k + 2) - np.log(k + 1)) / np.log(n + 1)


def _counts(sampled, n):
    return np.bincount(sampled.numpy(), minlength=n) / sampled.shape[0]


@pytest.mark.parametrize(
    "sampler, kwargs, probs",
    [
        (tf.random.uniform_candidate_sampler, {}, np.full(10, 0.1)),
        (tf.random.log_uniform_candidate_sampler, {}, _log_uniform(10)),
        (
            tf.random.fixed_unigram_candidate_sampler,
            {"unigrams": [1.0, 4.0, 9.0, 16.0, 25.0, 36.0, 49.0, 64.0], "distortion": 0.5, "num_reserved_ids": 2},
            np.r_[0.0, 0.0, np.arange(1, 9)] / 36.0,
        ),
    ],
)
def test_sampling_with_replacement_follows_the_distribution(sampler, kwargs, probs):
    n = 20000
    result = sampler(TRUE, 2, n, False, 10, seed=3, **kwargs)
    assert result.sampled_candidates.dtype == tf.int64 and result.sampled_candidates.shape == (n,)
    np.testing.assert_allclose(_counts(result.sampled_candidates, 10), probs, atol=0.012)
    # without uniqueness the expected count is p * num_sampled
    np.testing.assert_allclose(result.true_expected_count.numpy(), probs[[[1, 2], [3, 9]]] * n, rtol=1e-5)
    assert result.sampled_expected_count.dtype == tf.float32


def _tf_unique_reference(p, k, runs, rng):
    """TensorFlow's unique sampler: draw from p until k distinct classes. Returns the inclusion frequencies and
    the mean expected count reported for class 1."""
    inclusion = np.zeros(len(p))
    expected1 = 0.0
    for _ in range(runs):
        seen, tries = set(), 0
        while len(seen) < k:
            seen.add(int(rng.choice(len(p), p=p)))
            tries += 1
        inclusion[list(seen)] += 1
        expected1 += p[1] * k if tries == k else -np.expm1(tries * np.log1p(-p[1]))
    return inclusion / runs, expected1 / runs


def test_unique_log_uniform_matches_tensorflows_draw_until_distinct():
    p, k, runs = _log_uniform(10), 4, 600
    inclusion = np.zeros(10)
    expected1 = 0.0
    f = tf.function(lambda t: tf.random.log_uniform_candidate_sampler(t, 2, k, True, 10, seed=11))
    for _ in range(runs):
        sampled, true_count, sampled_count = f(TRUE)
        s, counts = sampled.numpy(), sampled_count.numpy().astype(np.float64)
        assert len(set(s.tolist())) == k and s.min() >= 0 and s.max() < 10
        inclusion[s] += 1
        expected1 += true_count.numpy()[0, 0]
        if not np.allclose(counts, p[s] * k, rtol=1e-5):
            # one number of draws explains every expected count of the call: 1 - (1 - p) ** tries
            tries = np.log1p(-counts) / np.log1p(-p[s])
            np.testing.assert_allclose(tries, np.round(tries[0]), rtol=1e-3)
            assert tries[0] > k - 0.5
            want = -np.expm1(np.round(tries[0]) * np.log1p(-p[[1, 2, 3, 9]]))
            np.testing.assert_allclose(true_count.numpy().reshape(-1), want, rtol=1e-4)
    want_inclusion, want_expected1 = _tf_unique_reference(p, k, 4000, np.random.default_rng(0))
    np.testing.assert_allclose(inclusion / runs, want_inclusion, atol=0.06)
    assert abs(expected1 / runs - want_expected1) < 0.03


def test_learned_unigram_counts_true_classes_after_sampling():
    first = tf.random.learned_unigram_candidate_sampler(TRUE, 2, 3, False, 10, seed=123)
    np.testing.assert_allclose(first.true_expected_count.numpy(), np.full((2, 2), 0.3), rtol=1e-6)
    second = tf.random.learned_unigram_candidate_sampler(TRUE, 2, 3, False, 10, seed=123)
    # classes 1, 2, 3 and 9 were seen once: weight 2 of 14
    np.testing.assert_allclose(second.true_expected_count.numpy(), np.full((2, 2), 3 * 2 / 14), rtol=1e-6)


def test_all_candidate_sampler_and_unigram_file(tmp_path):
    result = tf.random.all_candidate_sampler(TRUE, 2, 10, True, seed=1)
    np.testing.assert_array_equal(result.sampled_candidates.numpy(), np.arange(10))
    np.testing.assert_array_equal(result.true_expected_count.numpy(), np.ones((2, 2)))
    vocab = tmp_path / "vocab.csv"
    vocab.write_text("a,1\nb,0\nc,3\n")
    sampled = tf.random.fixed_unigram_candidate_sampler(
        tf.constant([[0]], tf.int64), 1, 4000, False, 3, vocab_file=str(vocab), seed=5
    ).sampled_candidates
    np.testing.assert_allclose(_counts(sampled, 3), [0.25, 0.0, 0.75], atol=0.03)


def test_seeded_samplers_repeat_after_set_seed():
    def draw():
        tf.random.set_seed(42)
        return tf.random.uniform_candidate_sampler(TRUE, 2, 5, True, 100, seed=7).sampled_candidates.numpy()

    np.testing.assert_array_equal(draw(), draw())


def test_compute_accidental_hits_as_tensorflow():
    hits = tf.nn.compute_accidental_hits(TRUE, tf.constant([2, 4, 9, 1], tf.int64), 2)
    # TensorFlow 2.21
    np.testing.assert_array_equal(hits.indices.numpy(), [0, 0, 1])
    np.testing.assert_array_equal(hits.ids.numpy(), [3, 0, 2])
    assert hits.indices.dtype == tf.int32 and hits.ids.dtype == tf.int64
    np.testing.assert_array_equal(hits.weights.numpy(), np.full(3, -np.finfo(np.float32).max, np.float32))


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: tf.random.uniform_candidate_sampler(TRUE, 2, 12, True, 10), "range is too small"),
        (lambda: tf.random.uniform_candidate_sampler(TRUE, 3, 4, True, 10), "must have num_true columns"),
        (lambda: tf.random.uniform_candidate_sampler(tf.constant([[1], [2]]), 1, 4, True, 10), "int64"),
        (
            lambda: tf.random.fixed_unigram_candidate_sampler(TRUE, 2, 3, True, 5, unigrams=[1.0, 2.0, 3.0, 4.0]),
            "must be equal to weights size",
        ),
        (
            lambda: tf.random.fixed_unigram_candidate_sampler(TRUE, 2, 3, True, 4, unigrams=[1.0, 2.0, 3.0, 4.0]),
            "out of range",
        ),
        (lambda: tf.nn.compute_accidental_hits(tf.constant([[1]]), tf.constant([1], tf.int64), 1), "int64"),
    ],
)
def test_sampler_errors(call, message):
    with pytest.raises(InvalidArgumentError, match=message):
        call()

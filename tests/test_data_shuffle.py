"""tf.data shuffle seeds and orders, and the cardinality every transformation reports (values from TensorFlow 2.21)."""

import numpy as np
import pytest

import ferroflow as tf

D = tf.data.Dataset


def values(ds):
    return [v.item() for v in ds.as_numpy_iterator()]


# -- shuffle


def test_shuffle_is_a_permutation_and_buffer_one_is_identity():
    got = values(D.range(50).shuffle(10))
    assert sorted(got) == list(range(50))
    assert got != list(range(50))
    assert values(D.range(20).shuffle(1)) == list(range(20))


def test_shuffle_buffer_bounds_how_far_an_element_moves_forward():
    # With a buffer of 3, output i is one of inputs 0 .. i + 2.
    for seed in range(5):
        got = values(D.range(30).shuffle(3, seed=seed))
        assert all(v <= i + 2 for i, v in enumerate(got))


def test_seeded_shuffle_is_repeatable_and_reshuffles_each_iteration():
    a = D.range(20).shuffle(20, seed=7)
    b = D.range(20).shuffle(20, seed=7)
    first = values(a)
    assert first == values(b)
    second = values(a)
    assert sorted(second) == list(range(20)) and second != first
    assert second == values(b)
    assert values(D.range(20).shuffle(20, seed=8)) != first


def test_shuffle_without_reshuffle_keeps_the_order_across_epochs():
    ds = D.range(20).shuffle(20, reshuffle_each_iteration=False)
    first = values(ds)
    assert values(ds) == first
    epochs = np.array(values(ds.repeat(3))).reshape(3, 20)
    assert all(epoch.tolist() == first for epoch in epochs)
    reshuffled = np.array(values(D.range(20).shuffle(20, seed=1).repeat(3))).reshape(3, 20)
    assert len({tuple(e) for e in reshuffled.tolist()}) == 3


def test_unseeded_shuffles_differ_and_global_seed_makes_them_repeatable():
    assert values(D.range(30).shuffle(30)) != values(D.range(30).shuffle(30))
    tf.random.set_seed(5)
    first = [values(D.range(30).shuffle(30)), values(D.range(30).shuffle(30))]
    tf.random.set_seed(5)
    again = [values(D.range(30).shuffle(30)), values(D.range(30).shuffle(30))]
    tf.random.set_seed(None)
    assert first == again
    assert first[0] != first[1]


def test_shuffle_then_batch_keeps_every_element_and_rejects_bad_buffers():
    batches = values(D.range(10).shuffle(4, seed=0).batch(3).map(tf.reduce_sum))
    assert sum(batches) == 45 and len(batches) == 4
    with pytest.raises(tf.errors.InvalidArgumentError):
        D.range(3).shuffle(0)


# -- cardinality of every transformation


r = D.range(10)


def unknown():
    return r.filter(lambda x: True)


CARDINALITY = [
    (lambda: r.filter(lambda x: True), -2),
    (lambda: r.repeat().filter(lambda x: True), -2),
    (lambda: r.map(lambda x: x + 1), 10),
    (lambda: r.batch(3), 4),
    (lambda: r.batch(3, drop_remainder=True), 3),
    (lambda: r.repeat().batch(3), -1),
    (lambda: unknown().batch(3), -2),
    (lambda: r.padded_batch(3), 4),
    (lambda: r.batch(3).unbatch(), -2),
    (lambda: r.batch(3, drop_remainder=True).unbatch(), 9),
    (lambda: r.window(3), 4),
    (lambda: r.window(3, shift=2), 5),
    (lambda: r.window(3, shift=2, drop_remainder=True), 4),
    (lambda: r.window(3, shift=1, stride=2, drop_remainder=True), 6),
    (lambda: r.repeat().window(3), -1),
    (lambda: r.batch(4).rebatch(2), -2),
    (lambda: D.zip((r, unknown())), -2),
    (lambda: D.zip((r, r.repeat())), 10),
    (lambda: D.zip((r, r.take(0))), 0),
    (lambda: unknown().concatenate(r.repeat()), -1),
    (lambda: r.repeat().concatenate(unknown()), -1),
    (lambda: r.concatenate(unknown()), -2),
    (lambda: unknown().take(3), -2),
    (lambda: unknown().skip(3), -2),
    (lambda: r.skip(-1), 0),
    (lambda: r.skip(4), 6),
    (lambda: r.skip(40), 0),
    (lambda: r.repeat().skip(4), -1),
    (lambda: r.repeat(0), 0),
    (lambda: r.repeat(3), 30),
    (lambda: r.take(0).repeat(), 0),
    (lambda: unknown().repeat(2), -2),
    (lambda: unknown().repeat(), -1),
    (lambda: r.shard(3, 0), 4),
    (lambda: r.shard(3, 2), 3),
    (lambda: r.repeat().shard(3, 1), -1),
    (lambda: r.take_while(lambda x: x < 3), -2),
    (lambda: r.unique(), -2),
    (lambda: r.ignore_errors(), -2),
    (lambda: r.scan(np.int64(0), lambda s, x: (s, x)), 10),
    (lambda: r.interleave(lambda x: D.range(x)), -2),
    (lambda: r.flat_map(lambda x: D.range(x)), -2),
    (lambda: r.enumerate(), 10),
    (lambda: r.cache(), 10),
    (lambda: r.prefetch(2), 10),
    (lambda: r.shuffle(3), 10),
    (lambda: r.repeat().shuffle(3), -1),
    (lambda: r.group_by_window(lambda x: x % 2, lambda k, d: d.batch(2), window_size=2), -2),
    (lambda: r.repeat().take(5), 5),
    (lambda: r.take(-1), 10),
    (lambda: r.take(4), 4),
    (lambda: D.range(10, 0, -3), 4),
    (lambda: D.from_tensors([1, 2]), 1),
    (lambda: D.sample_from_datasets([r, r]), -2),
    (lambda: D.sample_from_datasets([r.repeat(), r.repeat()]), -1),
    (lambda: D.choose_from_datasets([r, r], D.range(2)), -2),
    (lambda: D.counter(), -1),
]


@pytest.mark.parametrize("index", range(len(CARDINALITY)))
def test_cardinality(index):
    build, expected = CARDINALITY[index]
    assert int(build().cardinality()) == expected


@pytest.mark.parametrize("index", [i for i, (_, n) in enumerate(CARDINALITY) if n >= 0])
def test_known_cardinality_matches_the_elements(index):
    build, expected = CARDINALITY[index]
    ds = build()
    count = sum(1 for _ in ds.as_numpy_iterator())
    assert count == expected == len(ds)

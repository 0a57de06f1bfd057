"""tf.data windows, interleaving, grouping, caching and mixing datasets (orders as TensorFlow 2.21 gives them)."""

import os

import numpy as np
import pytest

import ferroflow as tf

D = tf.data.Dataset


def values(ds):
    return [v.tolist() if isinstance(v, np.ndarray) else v.item() for v in ds.as_numpy_iterator()]


def ragged(lengths):
    return D.from_generator(lambda: ([1] * n for n in lengths), output_signature=tf.TensorSpec([None], tf.int32))


# -- window


@pytest.mark.parametrize(
    "n, args, expected",
    [
        (10, dict(size=3), [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]),
        (10, dict(size=3, drop_remainder=True), [[0, 1, 2], [3, 4, 5], [6, 7, 8]]),
        (10, dict(size=3, shift=2, drop_remainder=True), [[0, 1, 2], [2, 3, 4], [4, 5, 6], [6, 7, 8]]),
        (10, dict(size=3, shift=2), [[0, 1, 2], [2, 3, 4], [4, 5, 6], [6, 7, 8], [8, 9]]),
        (10, dict(size=2, shift=4), [[0, 1], [4, 5], [8, 9]]),
        (4, dict(size=3, shift=1, stride=2), [[0, 2], [1, 3], [2], [3]]),
        (
            10,
            dict(size=3, shift=1, stride=2, drop_remainder=True),
            [[0, 2, 4], [1, 3, 5], [2, 4, 6], [3, 5, 7], [4, 6, 8], [5, 7, 9]],
        ),
        (0, dict(size=2), []),
    ],
)
def test_window(n, args, expected):
    ds = D.range(n).window(**args)
    assert ds.element_spec == tf.data.DatasetSpec(tf.TensorSpec([], tf.int64))
    assert values(ds.flat_map(lambda w: w.batch(10))) == expected
    assert int(ds.cardinality()) == len(expected)


def test_window_of_tuples_is_a_tuple_of_datasets():
    ds = D.zip((D.range(3), D.range(10, 13))).window(2)
    spec = tf.data.DatasetSpec(tf.TensorSpec([], tf.int64))
    assert ds.element_spec == (spec, spec)
    windows = [(values(a), values(b)) for a, b in ds]
    assert windows == [([0, 1], [10, 11]), ([2], [12])]
    zipped = ds.flat_map(lambda a, b: D.zip((a.batch(2), b.batch(2))))
    assert [(a.tolist(), b.tolist()) for a, b in zipped.as_numpy_iterator()] == [([0, 1], [10, 11]), ([2], [12])]
    with pytest.raises(tf.errors.InvalidArgumentError):
        D.range(3).window(0)


# -- interleave and flat_map


def test_interleave_order_with_cycle_and_block_length():
    # The example of TensorFlow's interleave documentation.
    ds = D.range(1, 6).interleave(lambda x: D.from_tensors(x).repeat(6), cycle_length=2, block_length=4)
    expected = [1, 1, 1, 1, 2, 2, 2, 2, 1, 1, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 3, 3, 4, 4, 5, 5, 5, 5, 5, 5]
    assert values(ds) == expected
    assert int(ds.cardinality()) == tf.data.UNKNOWN_CARDINALITY
    ds = D.range(1, 4).interleave(lambda x: D.range(x), cycle_length=3, num_parallel_calls=tf.data.AUTOTUNE)
    assert values(ds) == [0, 0, 0, 1, 1, 2]


def test_flat_map_and_its_checks():
    ds = D.from_tensor_slices([[1, 2], [3, 4]]).flat_map(D.from_tensor_slices)
    assert ds.element_spec == tf.TensorSpec([], tf.int32)
    assert values(ds) == [1, 2, 3, 4]
    ds = ragged([2, 3]).flat_map(lambda v: D.from_tensors(v))
    assert ds.element_spec == tf.TensorSpec([None], tf.int32)
    assert values(ds) == [[1, 1], [1, 1, 1]]
    with pytest.raises(TypeError, match="must return a `Dataset`"):
        D.range(2).flat_map(lambda x: x)


# -- group_by_window and bucket_by_sequence_length


def test_group_by_window():
    ds = D.range(10).group_by_window(lambda x: x % 3, lambda k, d: d.batch(2), window_size=2)
    assert values(ds) == [[0, 3], [1, 4], [2, 5], [6, 9], [7], [8]]
    assert ds.element_spec == tf.TensorSpec([None], tf.int64)
    # Groups left at the end come out in key order.
    ds = D.range(10).group_by_window(lambda x: (5 - x) % 3, lambda k, d: d.batch(10), window_size=10)
    assert values(ds) == [[2, 5, 8], [1, 4, 7], [0, 3, 6, 9]]
    keyed = D.range(6).group_by_window(
        lambda x: x % 2, lambda k, d: d.batch(3).map(lambda b: b + 100 * k), window_size_func=lambda k: k + 2
    )
    assert values(keyed) == [[0, 2], [101, 103, 105], [4]]
    with pytest.raises(ValueError):
        D.range(3).group_by_window(lambda x: x, lambda k, d: d)


def test_bucket_by_sequence_length():
    ds = ragged([1, 5, 2, 7, 3, 3, 9, 1]).bucket_by_sequence_length(lambda x: tf.shape(x)[0], [3, 6], [2, 2, 2])
    assert ds.element_spec == tf.TensorSpec([None, None], tf.int32)
    assert values(ds) == [
        [[1, 0], [1, 1]],
        [[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]],
        [[1, 1, 1, 1, 1, 1, 1, 0, 0], [1, 1, 1, 1, 1, 1, 1, 1, 1]],
        [[1]],
        [[1, 1, 1]],
    ]
    padded = ragged([1, 4, 2]).bucket_by_sequence_length(
        lambda x: tf.shape(x)[0], [3, 6], [2, 2, 2], pad_to_bucket_boundary=True, padding_values=-1
    )
    assert values(padded) == [[[1, -1], [1, 1]], [[1, 1, 1, 1, -1]]]


# -- cache


def counting_source(counter):
    def gen():
        counter.append(1)
        yield from range(3)

    return D.from_generator(gen, output_signature=tf.TensorSpec([], tf.int64))


def test_cache_in_memory_reads_the_input_once():
    calls = []
    ds = counting_source(calls).map(lambda x: x * 2).cache()
    assert values(ds) == [0, 2, 4]
    assert values(ds) == [0, 2, 4]
    assert len(calls) == 1
    assert values(ds.repeat(3)) == [0, 2, 4] * 3
    assert len(calls) == 1


def test_cache_partial_iteration_is_not_kept():
    calls = []
    ds = counting_source(calls).cache()
    assert values(ds.take(1)) == [0]
    assert values(ds) == [0, 1, 2]
    assert values(ds) == [0, 1, 2]
    assert len(calls) == 2


def test_cache_to_file_survives_the_pipeline(tmp_path):
    name = os.path.join(str(tmp_path), "cache", "elements")
    calls = []
    ds = counting_source(calls).cache(name)
    assert values(ds) == [0, 1, 2]
    assert os.path.exists(name + ".index")
    other = counting_source(calls).cache(name)
    assert values(other) == [0, 1, 2]
    assert len(calls) == 1


# -- sample_from_datasets, choose_from_datasets, assert_cardinality


def test_choose_and_sample_from_datasets():
    a, b = D.from_tensors(np.int64(0)).repeat(), D.from_tensors(np.int64(1)).repeat()
    chosen = D.choose_from_datasets([a, b], D.from_tensor_slices(np.array([0, 1, 1, 0], "int64")))
    assert values(chosen) == [0, 1, 1, 0]
    with pytest.raises(TypeError, match="choice_dataset"):
        D.choose_from_datasets([a, b], D.range(3, dtype=tf.int32))
    sampled = D.sample_from_datasets([D.range(5), D.range(100, 105)], weights=[0.5, 0.5], seed=3)
    got = values(sampled)
    assert sorted(got) == list(range(5)) + list(range(100, 105))
    assert [v for v in got if v < 100] == list(range(5))
    assert got == values(D.sample_from_datasets([D.range(5), D.range(100, 105)], weights=[0.5, 0.5], seed=3))
    only_first = D.sample_from_datasets([D.range(3), D.range(10, 13)], weights=[1.0, 0.0])
    assert values(only_first) == [0, 1, 2]


def test_assert_cardinality():
    ds = D.from_generator(lambda: iter(range(3)), output_signature=tf.TensorSpec([], tf.int64))
    checked = ds.apply(tf.data.experimental.assert_cardinality(3))
    assert int(checked.cardinality()) == 3 and len(checked) == 3
    assert values(checked) == [0, 1, 2]
    with pytest.raises(
        tf.errors.FailedPreconditionError, match="expected to contain 2 elements but contained at least 3"
    ):
        list(ds.apply(tf.data.experimental.assert_cardinality(2)))
    with pytest.raises(tf.errors.FailedPreconditionError, match="contained only 3"):
        list(ds.apply(tf.data.experimental.assert_cardinality(4)))

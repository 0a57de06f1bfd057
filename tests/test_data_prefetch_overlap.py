"""``Dataset.prefetch`` reads ahead on a thread of its own, so that producing an element overlaps with the
consumer's work (the data_performance guide's point), and ``map(num_parallel_calls=...)`` runs a function that
calls ``tf.py_function`` on worker threads; order, values and errors stay those of the input."""

from __future__ import annotations

import time

import numpy as np
import pytest

import ferroflow as tf


def _slow(n: int, read: float = 0.015) -> tf.data.Dataset:
    def gen():
        for i in range(n):
            time.sleep(read)
            yield (i,)  # a one-tuple for a shape-(1,) signature, as the guide's ArtificialDataset yields

    return tf.data.Dataset.from_generator(gen, output_signature=tf.TensorSpec(shape=(1,), dtype=tf.int64))


def _consume(ds: tf.data.Dataset, step: float = 0.01) -> tuple:
    start, seen = time.perf_counter(), []
    for x in ds:
        seen.append(int(x.numpy()[0]))
        time.sleep(step)
    return time.perf_counter() - start, seen


def test_prefetch_overlaps_producer_and_consumer() -> None:
    plain, seen_plain = _consume(_slow(12))
    ahead, seen_ahead = _consume(_slow(12).prefetch(tf.data.AUTOTUNE))
    assert seen_plain == seen_ahead == list(range(12))
    assert plain >= 12 * 0.025  # read + train, one after the other
    assert ahead < 0.8 * 12 * 0.025  # about max(read, train) per step


def test_prefetch_zero_and_sizes_keep_elements() -> None:
    ds = tf.data.Dataset.range(200).map(lambda x: x * 2)
    for size in (0, 1, 5, tf.data.AUTOTUNE):
        assert [int(v) for v in ds.prefetch(size)] == list(range(0, 400, 2))


def test_prefetch_keeps_errors_in_place() -> None:
    ds = tf.data.Dataset.from_tensor_slices([1.0, 0.0, 2.0]).map(lambda x: tf.debugging.check_numerics(1.0 / x, "inf"))
    it = iter(ds.prefetch(2))
    assert float(next(it)) == 1.0
    with pytest.raises(tf.errors.InvalidArgumentError):
        next(it)
    assert float(next(it)) == 0.5


def test_generator_one_tuple_for_a_vector_signature() -> None:
    ds = tf.data.Dataset.from_generator(lambda: iter([(3,), [4]]), output_signature=tf.TensorSpec((1,), tf.int64))
    assert [v.numpy().tolist() for v in ds] == [[3], [4]]
    nested = tf.data.Dataset.from_generator(
        lambda: iter([((1, 2), 3)]), output_signature=(tf.TensorSpec((2,), tf.int32), tf.TensorSpec((), tf.int32))
    )
    a, b = next(iter(nested))
    assert a.numpy().tolist() == [1, 2] and int(b) == 3
    bad = tf.data.Dataset.from_generator(lambda: iter([(1,)]), output_signature=(tf.TensorSpec((), tf.int32),) * 2)
    with pytest.raises(tf.errors.InvalidArgumentError, match="did not match the expected structure"):
        next(iter(bad))


def test_parallel_map_runs_py_function_concurrently() -> None:
    def slow_identity(x):
        tf.py_function(lambda: time.sleep(0.03), [], ())
        return x

    ds = tf.data.Dataset.range(8)
    start = time.perf_counter()
    seq = [int(v) for v in ds.map(slow_identity)]
    t_seq = time.perf_counter() - start
    start = time.perf_counter()
    par = [int(v) for v in ds.map(slow_identity, num_parallel_calls=tf.data.AUTOTUNE)]
    t_par = time.perf_counter() - start
    assert seq == par == list(range(8))  # input order kept
    assert t_seq >= 8 * 0.03 and t_par < 0.8 * t_seq


def test_zeros_of_strings_are_empty() -> None:
    z = tf.zeros([2, 1], dtype=tf.string)
    assert z.dtype == tf.string and z.shape == (2, 1)
    np.testing.assert_array_equal(z.numpy(), np.array([[b""], [b""]], dtype=object))
    assert tf.concat((tf.zeros([0, 1], tf.string), [["Train"]]), axis=0).numpy().tolist() == [[b"Train"]]

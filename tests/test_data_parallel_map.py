"""``Dataset.map(num_parallel_calls=...)`` on worker threads: the input's order, errors at their own place,
bounded work in flight, the cheap-function fallback, and a pool that survives ``fork``."""

import os

import numpy as np
import pytest

import ferroflow as tf
from ferroflow.data import parallel_map

D = tf.data.Dataset


@pytest.fixture
def always_parallel(monkeypatch):
    """Sends every function to the workers, however cheap, in chunks of 3 elements."""
    monkeypatch.setattr(parallel_map, "PARALLEL_MIN_SECONDS", 0.0)
    monkeypatch.setattr(parallel_map, "MAX_CHUNK", 3)


def _images(n, side=96):
    rng = np.random.default_rng(0)
    return rng.integers(0, 256, size=(n, side, side, 3), dtype=np.uint8)


def _augment(image):
    image = tf.image.resize(tf.cast(image, tf.float32), [48, 48])
    return tf.image.flip_left_right(image) / 255.0


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="worker threads need a second core")
def test_parallel_map_of_a_real_image_function_keeps_order_and_values():
    images = _images(40)
    sequential = list(D.from_tensor_slices(images).map(_augment).as_numpy_iterator())
    ds = D.from_tensor_slices(images).map(_augment, num_parallel_calls=tf.data.AUTOTUNE)
    it = iter(ds)
    got = [v.numpy() for v in it]
    assert len(got) == 40
    for a, b in zip(got, sequential):
        np.testing.assert_array_equal(a, b)


def test_forced_parallel_map_matches_the_sequential_one(always_parallel):
    ds = D.range(50).map(lambda x: (x * x, tf.cast(x, tf.float32) / 2), num_parallel_calls=4)
    assert [(int(a), float(b)) for a, b in ds.as_numpy_iterator()] == [(i * i, i / 2) for i in range(50)]
    # a second epoch starts over, and batching after the map sees whole batches in order
    assert [b.numpy().tolist() for b in D.range(10).map(lambda x: x + 1, num_parallel_calls=2).batch(4)] == [
        [1, 2, 3, 4],
        [5, 6, 7, 8],
        [9, 10],
    ]


def test_forced_parallel_errors_raise_at_their_element_and_ignore_errors_skips(always_parallel):
    def check(x):
        return tf.debugging.check_numerics(1.0 / tf.cast(x % 7 - 3, tf.float32), "bad value")

    ds = D.range(20).map(check, num_parallel_calls=tf.data.AUTOTUNE)
    it = iter(ds)
    assert [float(next(it)) for _ in range(3)] == pytest.approx([-1 / 3, -1 / 2, -1.0])
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"map function 'check' failed on element 3"):
        next(it)
    assert float(next(it)) == 1.0  # the iterator goes on after the failing element
    kept = [float(v) for v in ds.ignore_errors().as_numpy_iterator()]
    assert kept == pytest.approx([1.0 / (i % 7 - 3) for i in range(20) if i % 7 != 3])


def test_cheap_functions_stay_on_the_consumer_thread(monkeypatch):
    monkeypatch.setattr(parallel_map, "PARALLEL_MIN_SECONDS", 10.0)
    it = D.range(30).map(lambda x: x + 1, num_parallel_calls=8)._iterator()
    assert [int(next(it)[0]) for _ in range(30)] == list(range(1, 31))
    if isinstance(it, parallel_map.ParallelMapIterator):
        assert it._chunk == -1 and not it._pending


def test_work_in_flight_is_bounded(always_parallel):
    reads = []

    def source():
        for i in range(1000):
            reads.append(i)
            yield i

    ds = D.from_generator(source, output_signature=tf.TensorSpec([], tf.int64))
    it = iter(ds.map(lambda x: x * 2, num_parallel_calls=2))
    for _ in range(parallel_map.PROBE_ELEMENTS + 1):
        next(it)
    # the probe, then at most 2 chunks of 3 in flight (and the generator's one element of look-ahead)
    assert len(reads) <= parallel_map.PROBE_ELEMENTS + 2 * 3 + 1


def test_num_parallel_calls_is_checked():
    with pytest.raises(ValueError, match="num_parallel_calls"):
        D.range(3).map(lambda x: x, num_parallel_calls=-5)
    with pytest.raises(TypeError, match="num_parallel_calls"):
        D.range(3).map(lambda x: x, num_parallel_calls="many")


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_forked_child_maps_in_parallel_with_its_own_workers(always_parallel):
    ds = D.range(12).map(lambda x: x * 3, num_parallel_calls=2)
    assert [int(v) for v in ds] == [3 * i for i in range(12)]  # the parent's pool is started
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: its result goes through the pipe; it never returns into pytest
        try:
            ok = [int(v) for v in ds] == [3 * i for i in range(12)]
            os.write(write, b"ok" if ok else b"wrong")
        finally:
            os._exit(0)
    os.close(write)
    _, status = os.waitpid(pid, 0)
    assert os.read(read, 16) == b"ok" and status == 0


def test_one_slow_call_does_not_make_chunks_of_one(monkeypatch):
    """A probe call slowed by something else (a wait for a core or for the GIL) is not taken for the cost."""
    ds = D.range(100).map(lambda x: tf.cast(x, tf.float32) * 2.0, num_parallel_calls=2)
    it = ds._iterator()
    if not isinstance(it, parallel_map.ParallelMapIterator):
        pytest.skip("one core: no worker threads")
    monkeypatch.setattr(parallel_map, "PARALLEL_MIN_SECONDS", 0.0)
    it._probe_seconds = [(0.009, 0.009)]  # the thread's first call, slow in CPU time too
    clock = iter([0.0, 1e-5] * 20)
    monkeypatch.setattr(it, "_work_clock", lambda: next(clock))
    got = [float(next(it)[0]) for _ in range(parallel_map.PROBE_ELEMENTS)]
    assert got == [2.0 * i for i in range(parallel_map.PROBE_ELEMENTS)]
    assert it._chunk == parallel_map.MAX_CHUNK  # 10 us of work a call, not the 9 ms one
    assert [float(v[0]) for v in it] == [2.0 * i for i in range(parallel_map.PROBE_ELEMENTS, 100)]


def test_prefetch_reads_ahead_in_order_and_stops_at_the_end():
    calls = []

    class Source:
        def __init__(self):
            self.i = 0

        def __iter__(self):
            return self

        def __next__(self):
            calls.append(self.i)
            if self.i >= 300:
                raise StopIteration
            self.i += 1
            if self.i == 150:
                raise ValueError("element 150")
            return (self.i,)

    from ferroflow.data.read_ahead import ReadAhead, Readers

    it = ReadAhead(Source(), Readers(1, "test-prefetch"), depth=3)
    got, errors = [], []
    while True:
        try:
            got.append(next(it)[0])
        except StopIteration:
            break
        except ValueError as e:
            errors.append((len(got), str(e)))
    assert got == [i for i in range(1, 301) if i != 150] and errors == [(149, "element 150")]
    assert calls.count(300) == 1  # the ended source is not read again by the chunks asked for ahead

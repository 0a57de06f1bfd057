"""``Dataset.interleave(num_parallel_calls=...)``: open datasets read ahead on threads, in TensorFlow's order."""

import os
import threading

import pytest

import ferroflow as tf

D = tf.data.Dataset


def _write_shards(directory, shards=5, records=40):
    paths = []
    for s in range(shards):
        path = os.path.join(directory, f"shard-{s}.tfrecord")
        with tf.io.TFRecordWriter(path) as w:
            for r in range(records):
                w.write(f"{s}:{r}".encode() * (1 + r % 7))
        paths.append(path)
    return paths


@pytest.mark.parametrize("cycle_length, block_length", [(2, 1), (4, 3), (5, 16), (1, 1)])
def test_parallel_interleave_of_tfrecord_files_keeps_the_sequential_order(tmp_path, cycle_length, block_length):
    files = D.from_tensor_slices(_write_shards(str(tmp_path)))
    sequential = files.interleave(tf.data.TFRecordDataset, cycle_length=cycle_length, block_length=block_length)
    parallel = files.interleave(
        tf.data.TFRecordDataset,
        cycle_length=cycle_length,
        block_length=block_length,
        num_parallel_calls=tf.data.AUTOTUNE,
    )
    expected = list(sequential.as_numpy_iterator())
    assert len(expected) == 200
    assert list(parallel.as_numpy_iterator()) == expected
    assert list(parallel.as_numpy_iterator()) == expected  # a second iterator starts over


def test_open_datasets_are_read_on_reader_threads():
    readers = set()

    def rows(n):
        for i in range(int(n)):
            readers.add(threading.current_thread().name)
            yield i

    def open_one(n):
        return D.from_generator(rows, args=(n,), output_signature=tf.TensorSpec([], tf.int64))

    ds = D.range(3, 6).interleave(open_one, cycle_length=3, num_parallel_calls=2)
    assert [int(v) for v in ds] == [0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 4]
    assert readers and all(name.startswith("ferroflow-interleave") for name in readers)


def test_an_error_inside_an_open_dataset_raises_at_its_place_and_ignore_errors_skips_it():
    def open_one(x):
        values = D.range(x * 10, x * 10 + 10).map(lambda v: tf.cast(v, tf.float32))
        # element 13 of the second dataset fails when it is read
        return values.map(lambda v: tf.debugging.check_numerics(v / tf.cast(tf.not_equal(v, 13.0), tf.float32), "x"))

    def build(parallel):
        return D.range(3).interleave(open_one, cycle_length=2, num_parallel_calls=parallel)

    it = iter(build(2))
    got = []
    with pytest.raises(tf.errors.InvalidArgumentError, match="x"):
        while True:
            got.append(float(next(it)))
    assert got == [0.0, 10.0, 1.0, 11.0, 2.0, 12.0, 3.0]
    expected = [float(v) for v in build(None).ignore_errors()]
    assert expected == [float(v) for v in build(2).ignore_errors()]
    assert 13.0 not in expected and len(expected) == 29


def test_num_parallel_calls_of_interleave_is_checked():
    with pytest.raises(tf.errors.InvalidArgumentError, match="num_parallel_calls"):
        D.range(3).interleave(lambda x: D.range(x), num_parallel_calls=0)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork is POSIX only")
def test_a_forked_child_gets_an_error_instead_of_waiting_for_the_parents_reader():
    ds = D.range(2).interleave(lambda x: D.range(1000), cycle_length=2, num_parallel_calls=2)
    it = iter(ds)
    next(it)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: drain what was read before the fork, then expect the error
        outcome = b"no error"
        try:
            for _ in range(2000):
                next(it)
        except tf.errors.FailedPreconditionError as e:
            outcome = b"error: " + str(e).encode()
        except BaseException as e:  # noqa: BLE001 - any other outcome is reported to the parent
            outcome = repr(e).encode()
        os.write(write, outcome)
        os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as f:
        outcome = f.read()
    os.waitpid(pid, 0)
    assert outcome.startswith(b"error: ") and b"forked" in outcome
    assert int(next(it)) in range(1000)  # the parent goes on, to the end
    assert len(list(it)) == 2000 - 2

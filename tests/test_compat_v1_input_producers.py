"""TF1's queue-based input: string/range/slice/input_producer, limit_epochs and the readers (TFRecordReader,
TextLineReader, FixedLengthRecordReader, WholeFileReader, IdentityReader) in the classic reading loop.

Expected keys, values, orders and errors were checked against TensorFlow 2.21 (this file passes unchanged there
with the import swapped). Each pipeline runs in a thread with a deadline, so a queue that is never closed fails
the test instead of hanging it.
"""

import gzip
import os
import time

import numpy as np
import pytest

import ferroflow as tf
from queue_threads import Background

v1 = tf.compat.v1


def run_loop(build, init_locals=True, deadline=20.0):
    """Builds a graph with ``build()`` (it returns the fetch) and runs TF1's classic loop until OutOfRangeError."""

    def body():
        with tf.Graph().as_default():
            fetch = build()
            with v1.Session() as sess:
                if init_locals:
                    sess.run([v1.global_variables_initializer(), v1.local_variables_initializer()])
                coord = tf.train.Coordinator()
                threads = v1.train.start_queue_runners(sess, coord)
                got = []
                try:
                    while not coord.should_stop():
                        got.append(sess.run(fetch))
                except tf.errors.OutOfRangeError:
                    pass
                finally:
                    coord.request_stop()
                    coord.join(threads, stop_grace_period_secs=5)
                return got

    return Background(body).finish(deadline)


def example_files(tmp_path, n_files=2, n_records=5):
    files = []
    for i in range(n_files):
        path = str(tmp_path / f"ex{i}.tfrecord")
        files.append(path)
        with tf.io.TFRecordWriter(path) as w:
            for j in range(n_records):
                k = i * 10 + j
                feature = {
                    "x": tf.train.Feature(float_list=tf.train.FloatList(value=[k, -k])),
                    "y": tf.train.Feature(int64_list=tf.train.Int64List(value=[k])),
                }
                w.write(tf.train.Example(features=tf.train.Features(feature=feature)).SerializeToString())
    return files


def test_classic_tfrecord_loop_with_parse_and_batch(tmp_path):
    files = example_files(tmp_path)

    def build():
        filename_queue = v1.train.string_input_producer(files, num_epochs=2, shuffle=False)
        reader = v1.TFRecordReader()
        _, serialized = reader.read(filename_queue)
        spec = {"x": tf.io.FixedLenFeature([2], tf.float32), "y": tf.io.FixedLenFeature([], tf.int64)}
        features = v1.parse_single_example(serialized, spec)
        return v1.train.batch([features["x"], features["y"]], batch_size=3, allow_smaller_final_batch=True)

    got = run_loop(build)
    ys = np.concatenate([y for _, y in got])
    xs = np.concatenate([x for x, _ in got])
    assert [len(y) for _, y in got] == [3, 3, 3, 3, 3, 3, 2]
    one_epoch = [0, 1, 2, 3, 4, 10, 11, 12, 13, 14]
    assert ys.tolist() == one_epoch * 2
    np.testing.assert_array_equal(xs, np.stack([ys, -ys], axis=1).astype(np.float32))


def test_string_input_producer_graph_parts():
    with tf.Graph().as_default() as g:
        q = v1.train.string_input_producer(["a", "b"], num_epochs=1, shuffle=False, capacity=8, name="files")
        assert q.name == "files" and q.dtypes == [tf.string] and q.shapes == [tf.TensorShape([])]
        assert [v.op.name for v in v1.local_variables()] == ["files/limit_epochs/epochs"]
        epochs = v1.local_variables()[0]
        assert epochs.dtype == tf.int64 and not epochs.trainable and epochs not in v1.global_variables()
        (runner,) = g.get_collection(v1.GraphKeys.QUEUE_RUNNERS)
        assert runner.queue is q and len(runner.enqueue_ops) == 1
        assert [t.name for t in g.get_collection(v1.GraphKeys.SUMMARIES)] == ["files/fraction_of_8_full:0"]
        unnamed = v1.train.string_input_producer(["a"])
        assert unnamed.name == "input_producer" and v1.local_variables() == [epochs]  # no num_epochs: no counter


def test_producers_need_the_local_initializer():
    """Without local_variables_initializer() the epoch counter is uninitialized: the runner fails, the coordinator
    stops, and join() raises the runner's error."""

    def body():
        with tf.Graph().as_default():
            q = v1.train.string_input_producer(["a", "b"], num_epochs=1)
            dequeue = q.dequeue()  # the graph is complete before its runners start, as in TF1
            with v1.Session() as sess:
                coord = tf.train.Coordinator()
                threads = v1.train.start_queue_runners(sess, coord)
                with pytest.raises(tf.errors.OutOfRangeError):
                    sess.run(dequeue)
                coord.request_stop()
                with pytest.raises((tf.errors.FailedPreconditionError, tf.errors.NotFoundError)):
                    coord.join(threads, stop_grace_period_secs=5)

    Background(body).finish(20.0)


def test_shuffle_gives_a_fresh_permutation_each_epoch():
    got = run_loop(lambda: v1.train.range_input_producer(10, num_epochs=4, shuffle=True, seed=7).dequeue())
    epochs = [got[i : i + 10] for i in range(0, 40, 10)]
    assert len(got) == 40 and all(sorted(e) == list(range(10)) for e in epochs)
    assert len({tuple(e) for e in epochs}) > 1 and epochs[0] != list(range(10))


def test_range_and_slice_input_producers_in_order():
    got = run_loop(lambda: v1.train.range_input_producer(4, num_epochs=2, shuffle=False).dequeue())
    assert [int(v) for v in got] == [0, 1, 2, 3] * 2

    def build():
        images = np.arange(12, dtype=np.float32).reshape(3, 2, 2)
        labels = np.array([7, 8, 9], np.int64)
        image, label = v1.train.slice_input_producer([images, labels], num_epochs=1, shuffle=False)
        assert image.shape == (2, 2) and label.shape == () and label.dtype == tf.int64
        return [image, label]

    got = run_loop(build)
    assert [int(lab) for _, lab in got] == [7, 8, 9]
    np.testing.assert_array_equal(got[2][0], [[8.0, 9.0], [10.0, 11.0]])


def test_limit_epochs_counts_evaluations():
    def body():
        with tf.Graph().as_default():
            assert v1.train.limit_epochs("same", None) == "same"
            with pytest.raises(ValueError, match="num_epochs must be > 0 not 0"):
                v1.train.limit_epochs(tf.constant(1), 0)
            t = v1.train.limit_epochs(tf.constant([1, 2]), num_epochs=2)
            with v1.Session() as sess:
                sess.run(v1.local_variables_initializer())
                assert sess.run(t).tolist() == [1, 2] and sess.run(t).tolist() == [1, 2]
                with pytest.raises(tf.errors.OutOfRangeError):
                    sess.run(t)

    Background(body).finish()


def test_input_producer_shapes_and_eager():
    with tf.Graph().as_default():
        rows = v1.placeholder(tf.float32, [None, None])
        with pytest.raises(ValueError, match="fully defined shape or `element_shape`"):
            v1.train.input_producer(rows)
        q = v1.train.input_producer(rows, element_shape=[3], num_epochs=1)
        assert q.shapes == [tf.TensorShape([3])] and q.dtypes == [tf.float32]
        with pytest.raises(ValueError, match="non-null input tensor"):
            v1.train.string_input_producer([])
    with pytest.raises(RuntimeError, match="not supported when eager execution is enabled"):
        v1.train.input_producer(tf.constant([1, 2]))


def test_input_producer_feeds_rows_of_a_matrix():
    got = run_loop(lambda: v1.train.input_producer(np.arange(6).reshape(3, 2), num_epochs=1, shuffle=False).dequeue())
    assert [g.tolist() for g in got] == [[0, 1], [2, 3], [4, 5]]


def test_capacity_bounds_the_filled_queue():
    def body():
        with tf.Graph().as_default():
            q = v1.train.string_input_producer(["a", "b", "c"], capacity=5, shuffle=False)
            size, dequeue = q.size(), q.dequeue()
            with v1.Session() as sess:
                coord = tf.train.Coordinator()
                threads = v1.train.start_queue_runners(sess, coord)
                for _ in range(200):
                    if sess.run(size) == 5:
                        break
                    time.sleep(0.02)
                assert sess.run(size) == 5
                assert [sess.run(dequeue) for _ in range(4)] == [b"a", b"b", b"c", b"a"]
                coord.request_stop()
                coord.join(threads, stop_grace_period_secs=5)

    Background(body).finish(20.0)


def read_all(make_reader, files, batch=None):
    def build():
        q = v1.train.string_input_producer(files, num_epochs=1, shuffle=False)
        reader = make_reader()
        return list(reader.read(q) if batch is None else reader.read_up_to(q, batch))

    return run_loop(build)


def test_text_line_reader_keys_count_header_lines(tmp_path):
    files = []
    for i in range(2):
        files.append(str(tmp_path / f"t{i}.csv"))
        with open(files[-1], "w") as f:
            f.write(f"header\nrow{i}a\r\nrow{i}b")
    got = read_all(lambda: v1.TextLineReader(skip_header_lines=1), files)
    assert got == [
        [f"{files[0]}:2".encode(), b"row0a"],
        [f"{files[0]}:3".encode(), b"row0b"],
        [f"{files[1]}:2".encode(), b"row1a"],
        [f"{files[1]}:3".encode(), b"row1b"],
    ]


def test_fixed_length_record_reader_header_footer_hop(tmp_path):
    path = str(tmp_path / "f.bin")
    with open(path, "wb") as f:
        f.write(bytes(range(12)))
    got = read_all(lambda: v1.FixedLengthRecordReader(3, header_bytes=1, footer_bytes=2), [path])
    assert got == [[f"{path}:0".encode(), b"\x01\x02\x03"], [f"{path}:1".encode(), b"\x04\x05\x06"],
                   [f"{path}:2".encode(), b"\x07\x08\x09"]]  # fmt: skip
    got = read_all(lambda: v1.FixedLengthRecordReader(4, header_bytes=2, hop_bytes=3), [path])
    assert [v for _, v in got] == [bytes(range(2, 6)), bytes(range(5, 9)), bytes(range(8, 12))]
    zipped = str(tmp_path / "f.gz")
    with gzip.open(zipped, "wb") as f:
        f.write(bytes(range(12)))
    got = read_all(lambda: v1.FixedLengthRecordReader(5, encoding="GZIP"), [zipped])
    assert [v for _, v in got] == [bytes(range(5)), bytes(range(5, 10))]


def test_whole_file_and_identity_readers(tmp_path):
    files = []
    for i in range(2):
        files.append(str(tmp_path / f"w{i}.txt"))
        with open(files[-1], "wb") as f:
            f.write(b"contents %d\n" % i)
    got = read_all(v1.WholeFileReader, files)
    assert got == [[files[0].encode(), b"contents 0\n"], [files[1].encode(), b"contents 1\n"]]
    got = read_all(v1.IdentityReader, ["x", "y"])
    assert got == [[b"x", b"x"], [b"y", b"y"]]


def test_read_up_to_stops_at_the_end_of_each_file(tmp_path):
    files = example_files(tmp_path, n_files=2, n_records=3)
    got = read_all(v1.TFRecordReader, files, batch=2)
    assert [len(k) for k, _ in got] == [2, 1, 2, 1]
    offsets = [k.decode().rsplit(":", 1)[1] for keys, _ in got for k in keys]
    size = os.path.getsize(files[0]) // 3
    assert offsets == [str(o) for o in [0, size, 2 * size] * 2]


def test_reader_counters_reset_and_missing_file(tmp_path):
    files = example_files(tmp_path, n_files=2, n_records=2)

    def body():
        with tf.Graph().as_default():
            q = tf.queue.FIFOQueue(10, tf.string, shapes=[[]])
            reader = v1.TFRecordReader(name="records")
            key, _ = reader.read(q.queue_ref)
            counts = [reader.num_records_produced(), reader.num_work_units_completed()]
            assert reader.reader_ref.op.name == "records" and not reader.supports_serialize
            assert key.shape == () and counts[0].dtype == tf.int64
            with v1.Session() as sess:
                sess.run(q.enqueue_many([files + [files[0], str(tmp_path / "missing")]]))
                for _ in range(3):
                    sess.run(key)
                assert sess.run(counts) == [3, 1]
                sess.run(reader.reset())
                assert sess.run(counts) == [0, 0]
                assert sess.run(key).decode() == f"{files[0]}:0"  # reset dropped files[1], in progress
                sess.run(key)  # the last record of files[0]; the next read takes the missing file
                with pytest.raises(tf.errors.NotFoundError):
                    sess.run(key)
                with pytest.raises(tf.errors.UnimplementedError):
                    sess.run(reader.serialize_state())

    Background(body).finish()


def test_identity_reader_serializes_its_state():
    def body():
        with tf.Graph().as_default():
            q = tf.queue.FIFOQueue(10, tf.string, shapes=[[]])
            reader = v1.IdentityReader()
            key, value = reader.read(q)
            state = reader.serialize_state()
            fed = v1.placeholder(tf.string)
            restore = reader.restore_state(fed)
            counts = [reader.num_records_produced(), reader.num_work_units_completed()]
            with v1.Session() as sess:
                sess.run(q.enqueue_many([["a", "b", "c"]]))
                assert sess.run([key, value]) == [b"a", b"a"]
                saved = sess.run(state)
                assert saved == b'\x08\x01\x10\x01\x18\x01"\x01a'
                assert sess.run(key) == b"b" and sess.run(counts) == [2, 2]
                sess.run(restore, {fed: saved})
                assert sess.run(counts) == [1, 1]
                with pytest.raises(tf.errors.InvalidArgumentError):
                    sess.run(restore, {fed: b"\x08\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01"})  # work_started -1
                assert sess.run(counts) == [0, 0]

    Background(body).finish()


def test_gzip_tfrecords_through_options(tmp_path):
    path = str(tmp_path / "z.tfrecord")
    with tf.io.TFRecordWriter(path, options=tf.io.TFRecordOptions(compression_type="GZIP")) as w:
        for r in (b"one", b"two"):
            w.write(r)
    got = read_all(lambda: v1.TFRecordReader(options=tf.io.TFRecordOptions(compression_type="GZIP")), [path])
    assert [v for _, v in got] == [b"one", b"two"]


def test_readers_are_graph_only():
    with pytest.raises(RuntimeError, match="Readers are not supported when eager execution is enabled"):
        v1.TFRecordReader()


def test_monitored_session_initializes_the_epoch_counter_and_stops():
    def body():
        with tf.Graph().as_default():
            q = v1.train.string_input_producer(["a", "b", "c"], num_epochs=2, shuffle=False)
            _, value = v1.IdentityReader().read(q)
            batch = v1.train.batch([value], batch_size=2, allow_smaller_final_batch=True)
            out = []
            with v1.train.MonitoredSession() as sess:
                while not sess.should_stop():
                    out.append(sess.run(batch).tolist())
            return out

    assert Background(body).finish(20.0) == [[b"a", b"b"], [b"c", b"a"], [b"b", b"c"]]

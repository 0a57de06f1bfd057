"""LMDB input: ``tf.compat.v1.LMDBReader`` (queue-based) and ``tf.data.experimental.LMDBDataset``.

The databases in tests/data/lmdb were written by liblmdb (through the ``lmdb`` package) with
tests/data/make_lmdb_fixtures.py, whose ``records(name)`` gives the records each must read back. TensorFlow 2.21
no longer runs LMDB kernels (its ``LMDBReader`` raises UnimplementedError, "LMDB support is removed"), so the
expected records come from what liblmdb wrote and read back, and the reader behaviour from TensorFlow's
``LMDBReader`` kernel as it was (one record per read, the database's own keys, an empty database skipped).
"""

import os
import shutil
import struct
import sys

import pytest

import ferroflow as tf
from ferroflow.data.lmdb_file import LMDBFile
from queue_threads import Background

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "data"))
from make_lmdb_fixtures import records  # noqa: E402

v1 = tf.compat.v1
DATA = os.path.join(os.path.dirname(__file__), "data", "lmdb")


def path(name):
    return os.path.join(DATA, name)


def read_dataset(names):
    return [(k.numpy(), v.numpy()) for k, v in tf.data.experimental.LMDBDataset([path(n) for n in names])]


def test_fixtures_cover_the_page_kinds():
    deep = LMDBFile(path("deep")).meta
    assert deep.depth == 3 and deep.branch_pages >= 3 and deep.entries == 200
    assert LMDBFile(path("overflow.mdb")).meta.overflow_pages > 0
    assert LMDBFile(path("empty.mdb")).meta.entries == 0


@pytest.mark.parametrize("name", ["ten", "ten/data.mdb", "overflow.mdb", "deep", "empty.mdb"])
def test_dataset_reads_the_written_records_in_key_order(name):
    got = read_dataset([name])
    expected = records(name.split("/")[0])
    assert got == expected
    assert [k for k, _ in got] == sorted(k for k, _ in got)


def test_ten_records_are_tensorflows_test_database():
    assert read_dataset(["ten"]) == [(str(i).encode(), chr(ord("a") + i).encode()) for i in range(10)]


def test_dataset_spec_files_in_turn_and_graph_iterator():
    ds = tf.data.experimental.LMDBDataset([path("ten"), path("empty.mdb"), path("overflow.mdb")])
    spec = tf.TensorSpec((), tf.string)
    assert ds.element_spec == (spec, spec)
    assert repr(ds).startswith("<LMDBDataset element_spec=")
    keys = [k.numpy() for k, _ in ds]
    assert keys == [k for k, _ in records("ten") + records("overflow.mdb")]
    assert tf.data.experimental.LMDBDataset(path("ten")).cardinality().numpy() == tf.data.UNKNOWN_CARDINALITY
    batch = next(iter(tf.data.experimental.LMDBDataset(path("ten")).batch(4)))
    assert batch[1].numpy().tolist() == [b"a", b"b", b"c", b"d"]
    with tf.Graph().as_default():
        key, value = v1.data.make_one_shot_iterator(tf.data.experimental.LMDBDataset(path("deep"))).get_next()
        with v1.Session() as sess:
            assert [tuple(sess.run([key, value])) for _ in range(3)] == records("deep")[:3]


def test_dataset_errors_come_on_iteration(tmp_path):
    missing = tf.data.experimental.LMDBDataset(str(tmp_path / "nothing"))  # no error until read
    with pytest.raises(tf.errors.NotFoundError, match="data.mdb; No such file or directory"):
        list(missing)
    not_lmdb = tmp_path / "plain.txt"
    not_lmdb.write_bytes(b"hello, not a database\n" * 500)
    with pytest.raises(tf.errors.InvalidArgumentError, match="MDB_INVALID: File is not an LMDB file"):
        list(tf.data.experimental.LMDBDataset(str(not_lmdb)))
    with pytest.raises(tf.errors.UnimplementedError, match="named sub-database"):
        list(tf.data.experimental.LMDBDataset(path("named.mdb")))
    with pytest.raises(TypeError):
        tf.data.experimental.LMDBDataset(3)


def corrupt_copy(tmp_path, name, patch):
    target = str(tmp_path / "copy.mdb")
    shutil.copy(path(name), target)
    with open(target, "r+b") as f:
        data = bytearray(f.read())
        patch(data, LMDBFile(path(name)).meta)
        f.seek(0)
        f.truncate()
        f.write(data)
    return target


def test_damaged_files_raise_clear_errors(tmp_path):
    def bad_root(data, meta):  # the current meta page's root points past the last page
        for page in (0, meta.page_size):
            if struct.unpack_from("<Q", data, page + 16 + 128)[0] == meta.txnid:
                struct.pack_into("<Q", data, page + 16 + 112, meta.last_page + 5)

    with pytest.raises(tf.errors.DataLossError, match="MDB_PAGE_NOTFOUND"):
        list(tf.data.experimental.LMDBDataset(corrupt_copy(tmp_path, "ten/data.mdb", bad_root)))

    def wrong_kind(data, meta):  # the root page's flags say overflow page
        struct.pack_into("<H", data, meta.root * meta.page_size + 10, 0x04)

    with pytest.raises(tf.errors.DataLossError, match="MDB_CORRUPTED"):
        list(tf.data.experimental.LMDBDataset(corrupt_copy(tmp_path, "deep/data.mdb", wrong_kind)))

    def truncate(data, meta):
        del data[3 * meta.page_size :]

    with pytest.raises(tf.errors.DataLossError, match="page not found"):
        list(tf.data.experimental.LMDBDataset(corrupt_copy(tmp_path, "deep/data.mdb", truncate)))

    def version(data, meta):
        struct.pack_into("<I", data, 20, 999)

    with pytest.raises(tf.errors.InvalidArgumentError, match="MDB_VERSION_MISMATCH"):
        list(tf.data.experimental.LMDBDataset(corrupt_copy(tmp_path, "ten/data.mdb", version)))
    short = tmp_path / "short.mdb"
    short.write_bytes(b"\0" * 40)
    with pytest.raises(tf.errors.InvalidArgumentError, match="not an LMDB file"):
        list(tf.data.experimental.LMDBDataset(str(short)))


def test_reader_reads_records_across_work_units():
    def body():
        with tf.Graph().as_default():
            q = tf.queue.FIFOQueue(10, tf.string, shapes=[[]])
            reader = v1.LMDBReader(name="lmdb")
            key, value = reader.read(q)
            keys, values = reader.read_up_to(q.queue_ref, 4)
            counts = [reader.num_records_produced(), reader.num_work_units_completed()]
            assert reader.reader_ref.op.name == "lmdb" and not reader.supports_serialize
            assert key.shape == () and keys.shape.as_list() == [None]
            with v1.Session() as sess:
                work = [path("ten"), path("empty.mdb"), path("overflow.mdb"), path("ten/data.mdb")]
                sess.run(q.enqueue_many([work]))
                sess.run(q.close())
                assert sess.run([key, value]) == [b"0", b"a"]
                assert sess.run(keys).tolist() == [b"1", b"2", b"3", b"4"]
                assert sess.run(values).tolist() == [b"f", b"g", b"h", b"i"]
                assert sess.run(keys).tolist() == [b"9"]  # read_up_to stops at the end of a database
                assert sess.run(counts) == [10, 1]
                # the empty database is finished without a record; the next comes from overflow.mdb
                assert sess.run([key, value]) == list(records("overflow.mdb")[0])
                assert sess.run(counts) == [11, 2]
                with pytest.raises(tf.errors.UnimplementedError):
                    sess.run(reader.serialize_state())
                sess.run(reader.reset())
                assert sess.run(counts) == [0, 0]
                assert sess.run(key) == b"0"  # reset dropped overflow.mdb; ten/data.mdb is next
                assert len(sess.run(keys)) == 4 and len(sess.run(keys)) == 4 and len(sess.run(keys)) == 1
                with pytest.raises(tf.errors.OutOfRangeError):
                    sess.run(key)

    Background(body).finish()


def test_reader_errors_on_read(tmp_path):
    plain = tmp_path / "plain.bin"
    plain.write_bytes(os.urandom(9000))
    cases = [
        (str(tmp_path / "missing"), tf.errors.NotFoundError),
        (str(plain), tf.errors.InvalidArgumentError),
        (path("named.mdb"), tf.errors.UnimplementedError),
    ]

    def body():
        with tf.Graph().as_default():
            q = tf.queue.FIFOQueue(10, tf.string, shapes=[[]])
            key, _ = v1.LMDBReader().read(q)
            with v1.Session() as sess:
                sess.run(q.enqueue_many([[c[0] for c in cases] + [path("ten")]]))
                for _, error in cases:
                    with pytest.raises(error):
                        sess.run(key)
                assert sess.run(key) == b"0"

    Background(body).finish()


def test_reader_in_the_classic_epoch_loop():
    def body():
        with tf.Graph().as_default():
            names = v1.train.string_input_producer([path("deep"), path("ten")], num_epochs=2, shuffle=False)
            key, value = v1.LMDBReader(options=None).read(names)
            with v1.Session() as sess:
                sess.run(v1.local_variables_initializer())
                coord = tf.train.Coordinator()
                threads = v1.train.start_queue_runners(sess, coord)
                got = []
                try:
                    while True:
                        got.append(tuple(sess.run([key, value])))
                except tf.errors.OutOfRangeError:
                    pass
                coord.request_stop()
                coord.join(threads, stop_grace_period_secs=5)
                return got

    assert Background(body).finish() == (records("deep") + records("ten")) * 2


def test_reader_is_graph_only_and_listed():
    with pytest.raises(RuntimeError, match="Readers are not supported when eager execution is enabled"):
        v1.LMDBReader()
    assert issubclass(v1.LMDBReader, v1.ReaderBase)
    assert "LMDBReader" in dir(v1) and "LMDBDataset" in dir(tf.data.experimental)

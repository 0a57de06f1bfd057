"""TFRecord files: writing and reading (plain, GZIP, ZLIB), byte compatibility with TensorFlow's files
(tests/data/records, written by TensorFlow with make_golden.py), corrupt files, and the file datasets."""

import gzip
import json
import os
import zlib

import numpy as np
import pytest

import ferroflow as tf

DATA = os.path.join(os.path.dirname(__file__), "data", "records")
GOLDEN = json.load(open(os.path.join(DATA, "golden.json")))
RECORDS = [bytes.fromhex(h) for h in GOLDEN["records"]]


def _read(path, compression=None, **kw):
    return [r.numpy() for r in tf.data.TFRecordDataset(path, compression_type=compression, **kw)]


@pytest.mark.parametrize("name,compression", [("plain", None), ("gzip", "GZIP"), ("zlib", "ZLIB")])
def test_reads_tensorflow_files(name, compression):
    assert _read(os.path.join(DATA, f"{name}.tfrecord"), compression) == RECORDS


def test_writes_the_bytes_tensorflow_writes(tmp_path):
    path = str(tmp_path / "out.tfrecord")
    with tf.io.TFRecordWriter(path) as w:
        for r in RECORDS:
            w.write(r)
    assert open(path, "rb").read() == open(os.path.join(DATA, "plain.tfrecord"), "rb").read()


@pytest.mark.parametrize(
    "options",
    [
        "GZIP",
        "ZLIB",
        tf.io.TFRecordOptions("GZIP", compression_level=9),
        tf.io.TFRecordOptions(compression_type="ZLIB"),
    ],
)
def test_compressed_files_hold_the_plain_bytes(tmp_path, options):
    path = str(tmp_path / "out.tfrecord")
    with tf.io.TFRecordWriter(path, options=options) as w:
        for r in RECORDS:
            w.write(r)
    raw = open(path, "rb").read()
    kind = tf.io.TFRecordOptions.get_compression_type_string(options)
    plain = gzip.decompress(raw) if kind == "GZIP" else zlib.decompress(raw)
    assert plain == open(os.path.join(DATA, "plain.tfrecord"), "rb").read()
    assert _read(path, kind) == RECORDS


def test_writer_accepts_str_and_tensors_and_closes(tmp_path):
    path = str(tmp_path / "w.tfrecord")
    w = tf.io.TFRecordWriter(path)
    w.write("text")
    w.write(tf.constant(b"tensor"))
    w.flush()
    assert _read(path) == [b"text", b"tensor"]
    w.close()
    w.close()  # twice is fine
    with pytest.raises(Exception, match="closed"):
        w.write(b"late")
    with pytest.raises(TypeError):
        tf.io.TFRecordWriter(str(tmp_path / "x")).write(3)
    with pytest.raises(ValueError, match="compression"):
        tf.io.TFRecordWriter(str(tmp_path / "y"), options="LZ4")


def _corrupt_copy(tmp_path, mutate):
    data = bytearray(open(os.path.join(DATA, "plain.tfrecord"), "rb").read())
    data = mutate(data)
    path = str(tmp_path / "bad.tfrecord")
    open(path, "wb").write(bytes(data))
    return path


def _flip(data, i):
    data[i] ^= 0x40
    return data


@pytest.mark.parametrize(
    "mutate,offset",
    [
        (lambda d: _flip(d, 20), 0),  # inside the first record's data
        (lambda d: _flip(d, 3), 0),  # the first record's length
        (lambda d: _flip(d, 100 + 16 + 20), 100),  # the second record (the first is 84 + 16 bytes)
        (lambda d: d[:-3], 361),  # truncated in the last record's CRC
    ],
)
def test_corrupt_files_raise_data_loss_naming_file_and_offset(tmp_path, mutate, offset):
    path = _corrupt_copy(tmp_path, mutate)
    with pytest.raises(tf.errors.DataLossError) as info:
        _read(path)
    assert path in str(info.value) and f"corrupted record at {offset}" in str(info.value)


def test_truncated_compressed_file(tmp_path):
    data = open(os.path.join(DATA, "gzip.tfrecord"), "rb").read()
    path = str(tmp_path / "cut.tfrecord")
    open(path, "wb").write(data[: len(data) // 2])
    with pytest.raises(tf.errors.DataLossError, match="cut.tfrecord"):
        _read(path, "GZIP")


def test_missing_file_is_not_found(tmp_path):
    with pytest.raises(tf.errors.NotFoundError, match="nothing.tfrecord"):
        _read(str(tmp_path / "nothing.tfrecord"))


def test_many_files_in_order_parallel_interleave_and_filename_dataset(tmp_path):
    paths = []
    for f in range(3):
        paths.append(str(tmp_path / f"f{f}.tfrecord"))
        with tf.io.TFRecordWriter(paths[-1]) as w:
            for i in range(f + 2):
                w.write(f"{f}-{i}".encode())
    assert _read(paths) == [f"{f}-{i}".encode() for f in range(3) for i in range(f + 2)]
    assert _read(paths, num_parallel_reads=2) == [
        b"0-0",
        b"1-0",
        b"0-1",
        b"1-1",
        b"2-0",
        b"1-2",
        b"2-1",
        b"2-2",
        b"2-3",
    ]
    names = tf.data.Dataset.list_files(str(tmp_path / "*.tfrecord"), shuffle=False)
    ds = tf.data.TFRecordDataset(names)
    assert ds.element_spec == tf.TensorSpec((), tf.string)
    assert len(list(ds)) == 9 and len(list(ds)) == 9  # iterates again


def test_large_file_streams_in_chunks(tmp_path):
    path = str(tmp_path / "big.tfrecord")
    rec = bytes(range(256)) * 40
    with tf.io.TFRecordWriter(path, "GZIP") as w:
        for i in range(3000):
            w.write(rec[: i % 10000])
    n = 0
    for i, r in enumerate(tf.data.TFRecordDataset(path, "GZIP").as_numpy_iterator()):
        assert r == rec[: i % 10000]
        n += 1
    assert n == 3000


def test_text_line_dataset_matches_tensorflow(tmp_path):
    want = [bytes.fromhex(h) for h in json.load(open(os.path.join(DATA, "lines.json")))]
    assert [t.numpy() for t in tf.data.TextLineDataset(os.path.join(DATA, "lines.txt"))] == want
    gz = str(tmp_path / "lines.txt.gz")
    open(gz, "wb").write(gzip.compress(open(os.path.join(DATA, "lines.txt"), "rb").read()))
    assert list(tf.data.TextLineDataset(gz, compression_type="GZIP").as_numpy_iterator()) == want


def test_fixed_length_record_dataset(tmp_path):
    path = str(tmp_path / "fixed.bin")
    open(path, "wb").write(b"HDR" + bytes(range(12)) + b"FT")
    ds = tf.data.FixedLengthRecordDataset(path, 4, header_bytes=3, footer_bytes=2)
    got = list(ds.as_numpy_iterator())
    assert got == [bytes(range(0, 4)), bytes(range(4, 8)), bytes(range(8, 12))]
    decoded = ds.map(lambda r: tf.io.decode_raw(r, tf.uint8))
    np.testing.assert_array_equal(next(iter(decoded)).numpy(), [0, 1, 2, 3])
    with pytest.raises(tf.errors.InvalidArgumentError, match="not an exact multiple"):
        list(tf.data.FixedLengthRecordDataset(path, 5, header_bytes=3, footer_bytes=2))

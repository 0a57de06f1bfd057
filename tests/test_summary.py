"""ferroflow.summary: event files read back by TensorBoard's own reader, TFRecord CRCs, writer and step semantics."""

from __future__ import annotations

import glob
import os
import re
import struct

import numpy as np
import pytest
from tensorboard.backend.event_processing.plugin_event_accumulator import EventAccumulator
from tensorboard.compat.proto import event_pb2, graph_pb2
from tensorboard.compat.tensorflow_stub import errors as tb_errors
from tensorboard.compat.tensorflow_stub.pywrap_tensorflow import PyRecordReader_New
from tensorboard.util import tensor_util

import ferroflow as tf
from ferroflow.framework.function import FuncGraph
from ferroflow.framework.ops import apply
from ferroflow.summary import _record


def _files(logdir):
    return sorted(glob.glob(os.path.join(str(logdir), "events.out.tfevents.*")))


def _records(path):
    with open(path, "rb") as f:
        return list(_record.read_records(f))


def _accumulator(logdir):
    acc = EventAccumulator(str(logdir), size_guidance={"tensors": 0})
    acc.Reload()
    return acc


def _values(acc, tag):
    return [(e.step, tensor_util.make_ndarray(e.tensor_proto)) for e in acc.Tensors(tag)]


def _bitwise_crc32c(data: bytes) -> int:
    # Reference CRC-32C computed bit by bit, independent of the table used by the writer.
    crc = 0xFFFFFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
    return crc ^ 0xFFFFFFFF


def test_crc32c_check_value_and_mask():
    assert _record.crc32c(b"123456789") == 0xE3069283  # the CRC-32C check value
    data = bytes(range(256)) * 3
    crc = _bitwise_crc32c(data)
    assert _record.masked_crc32c(data) == ((((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF)


def test_file_name_first_record_and_crcs(tmp_path):
    writer = tf.summary.create_file_writer(str(tmp_path))
    with writer.as_default(step=1):
        assert tf.summary.scalar("loss", 0.5)
    writer.close()
    (path,) = _files(tmp_path)
    assert re.fullmatch(r"events\.out\.tfevents\.\d{10}\.[^/]+\.\d+\.\d+\.v2", os.path.basename(path))
    raw = open(path, "rb").read()
    at, n = 0, 0
    while at < len(raw):  # every record's two masked CRCs match the bitwise reference
        (length,) = struct.unpack("<Q", raw[at:at + 8])
        for start, size in ((at, 8), (at + 12, length)):
            crc = _bitwise_crc32c(raw[start:start + size])
            masked = (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF
            (stored,) = struct.unpack("<I", raw[start + size:start + size + 4])
            assert stored == masked
        at += 16 + length
        n += 1
    assert at == len(raw) and n == 2
    first = event_pb2.Event.FromString(_records(path)[0])
    assert first.file_version == "brain.Event:2"
    second = event_pb2.Event.FromString(_records(path)[1])
    assert second.step == 1 and second.summary.value[0].tag == "loss"


def test_bad_crc_is_rejected(tmp_path):
    writer = tf.summary.create_file_writer(str(tmp_path))
    with writer.as_default(step=0):
        tf.summary.scalar("a", 1.0)
    writer.close()
    (path,) = _files(tmp_path)
    raw = bytearray(open(path, "rb").read())
    raw[-6] ^= 0xFF  # a byte of the last record's data
    open(path, "wb").write(bytes(raw))
    with pytest.raises(ValueError, match="CRC mismatch"):
        _records(path)
    reader = PyRecordReader_New(path)
    reader.GetNext()  # the file_version record is intact
    with pytest.raises(tb_errors.DataLossError):
        reader.GetNext()
    assert "a" not in _accumulator(tmp_path).Tags()["tensors"]


def test_scalar_histogram_text_read_back(tmp_path):
    rng = np.random.default_rng(0)
    data = rng.normal(size=(40, 25))
    writer = tf.summary.create_file_writer(str(tmp_path))
    with writer.as_default():
        assert tf.summary.scalar("loss", 0.75, step=3, description="the loss")
        assert tf.summary.scalar("loss", tf.constant(0.5), step=4)
        assert tf.summary.histogram("weights", data, step=2)
        assert tf.summary.histogram("few", np.arange(6.0), step=2, buckets=3)
        assert tf.summary.text("note", "hello **world**", step=5)
        assert tf.summary.text("table", np.array([["a", "b"], ["c", "d"]]), step=6)
    writer.close()
    acc = _accumulator(tmp_path)
    assert [(s, float(v)) for s, v in _values(acc, "loss")] == [(3, 0.75), (4, 0.5)]
    assert acc.SummaryMetadata("loss").plugin_data.plugin_name == "scalars"
    assert acc.SummaryMetadata("loss").summary_description == "the loss"
    ((step, hist),) = _values(acc, "weights")
    assert step == 2 and hist.shape == (30, 3) and hist[:, 2].sum() == data.size
    counts, edges = np.histogram(data, bins=30, range=(data.min(), data.max()))
    np.testing.assert_allclose(hist[:, 0], edges[:-1])
    np.testing.assert_allclose(hist[:, 1], edges[1:])
    np.testing.assert_array_equal(hist[:, 2], counts)
    assert acc.SummaryMetadata("weights").plugin_data.plugin_name == "histograms"
    np.testing.assert_array_equal(_values(acc, "few")[0][1], [[0, 5 / 3, 2], [5 / 3, 10 / 3, 2], [10 / 3, 5, 2]])
    assert _values(acc, "note")[0][1].item() == b"hello **world**"
    assert acc.SummaryMetadata("note").plugin_data.plugin_name == "text"
    np.testing.assert_array_equal(_values(acc, "table")[0][1], np.array([[b"a", b"b"], [b"c", b"d"]], dtype=object))


def test_histogram_of_a_single_value():
    from ferroflow.summary._ops import histogram_buckets

    out = histogram_buckets(np.full(7, 2.5), 4)
    np.testing.assert_array_equal(out, [[2.5, 2.5, 0], [2.5, 2.5, 0], [2.5, 2.5, 0], [2.5, 2.5, 7]])
    assert histogram_buckets(np.zeros(0)).shape == (30, 3)


def test_graph_summary_keeps_scoped_names(tmp_path):
    tf.keras.backend.clear_session()  # names start again at "sequential" and "dense"
    model = tf.keras.Sequential([tf.keras.layers.Dense(4), tf.keras.layers.Dense(2)])
    model(np.zeros((1, 3), "float32"))
    graph = FuncGraph()
    with graph.as_default():
        model(apply("placeholder", [], {"dtype": "float32", "shape": [None, 3]}, op_name="x"))
    writer = tf.summary.create_file_writer(str(tmp_path))
    with writer.as_default():
        assert tf.summary.graph(graph)
    writer.close()
    graph_def = _accumulator(tmp_path).Graph()
    names = {n.name: n for n in graph_def.node}
    assert "sequential/dense/MatMul" in names and "sequential/dense_1/MatMul" in names
    # Dense adds its bias with tf.add, whose node TensorFlow names "Add" (op type AddV2).
    assert list(names["sequential/dense_1/MatMul"].input)[0] == "sequential/dense/Add"
    assert isinstance(graph_def, graph_pb2.GraphDef)


def test_no_default_writer_writes_nothing(tmp_path):
    assert tf.summary.scalar("x", 1.0, step=0) is False
    assert tf.summary.histogram("h", [1.0, 2.0], step=0) is False
    assert tf.summary.text("t", "a", step=0) is False
    writer = tf.summary.create_file_writer(str(tmp_path / "logs"))
    assert tf.summary.scalar("x", 1.0, step=0) is False  # created but not the default
    writer.close()
    (path,) = _files(tmp_path / "logs")
    assert len(_records(path)) == 1  # only the file_version record
    with tf.summary.create_noop_writer().as_default():
        assert tf.summary.scalar("x", 1.0, step=0) is False


def test_step_semantics(tmp_path):
    writer = tf.summary.create_file_writer(str(tmp_path))
    assert tf.summary.experimental.get_step() is None
    with writer.as_default():
        with pytest.raises(ValueError, match="No step set"):
            tf.summary.scalar("x", 1.0)
    with writer.as_default(step=7):
        assert tf.summary.experimental.get_step() == 7
        tf.summary.scalar("x", 1.0)
        with writer.as_default(step=9):
            tf.summary.scalar("x", 2.0)
        assert tf.summary.experimental.get_step() == 7
    assert tf.summary.experimental.get_step() is None
    step = tf.Variable(np.int64(11))
    tf.summary.experimental.set_step(step)
    try:
        writer.set_as_default()
        tf.summary.scalar("x", 3.0)
        step.assign(12)
        tf.summary.scalar("x", 4.0)
        with tf.summary.record_if(False):
            assert tf.summary.scalar("x", 5.0) is False
        with tf.name_scope("outer"):
            tf.summary.scalar("y", 6.0)
    finally:
        tf.summary.experimental.set_step(None)
        writer.close()
    acc = _accumulator(tmp_path)
    assert [(s, float(v)) for s, v in _values(acc, "x")] == [(7, 1.0), (9, 2.0), (11, 3.0), (12, 4.0)]
    assert [s for s, _ in _values(acc, "outer/y")] == [12]
    with pytest.raises(RuntimeError, match="closed"):
        writer.as_default().__enter__()


def test_flush_and_queue_limits(tmp_path):
    writer = tf.summary.create_file_writer(str(tmp_path), max_queue=1000, flush_millis=10**7, filename_suffix=".x")
    (path,) = _files(tmp_path)
    assert path.endswith(".x")
    writer.set_as_default(step=0)
    try:
        for i in range(5):
            tf.summary.scalar("s", float(i), step=i)
        tf.summary.flush()  # the default writer's queue reaches the file
        assert len(_records(path)) == 6
        with pytest.raises(ValueError, match="integer"):
            tf.summary.scalar("s", 1.0, step=1.5)
        with pytest.raises(ValueError, match="scalar"):
            tf.summary.scalar("s", [1.0, 2.0])
    finally:
        writer.close()
    assert writer._file is not None and writer._file.closed

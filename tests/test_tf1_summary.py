"""tf.compat.v1.summary: the ops' serialized Summary protos (bytes checked against TensorFlow 2.21's),
tags and name scopes, merge / merge_all, FileWriter event files read back by TensorBoard's
EventAccumulator, the Summary / Event messages, and errors."""

import numpy as np
import pytest
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

import ferroflow as tf

v1 = tf.compat.v1

# Serialized by TensorFlow 2.21 (tf.compat.v1.summary in a graph): scalar 0.0 tagged "s"; histograms of
# [0, 1, 1, -2.5] tagged "h" and of an empty tensor tagged "e" (TensorFlow's exponential buckets).
TF_SCALAR_ZERO = "0a080a01731500000000"
TF_HISTOGRAM = (
    "0aa7010a01682aa1010900000000000004c011000000000000f03f19000000000000104021000000000000e0bf290000000000802040"
    "3238ea360f76a3ef04c077603c0e660803c0000000000000000011ea2d819997713d08996919155aed3f2b14facdbe24f03fffffffff"
    "ffffef7f3a380000000000000000000000000000f03f0000000000000000000000000000f03f00000000000000000000000000000040"
    "0000000000000000"
)
TF_EMPTY_HISTOGRAM = "0a2b0a01652a2609ffffffffffffef7f11ffffffffffffefff3208ffffffffffffef7f3a080000000000000000"


def test_scalar_and_histogram_bytes_equal_tensorflows():
    with tf.Graph().as_default():
        s = v1.summary.scalar("s", tf.constant(0.0))
        h = v1.summary.histogram("h", tf.constant([0.0, 1.0, 1.0, -2.5]))
        e = v1.summary.histogram("e", tf.zeros([0]))
        assert s.dtype == tf.string and s.shape == [] and s.op.type == "ScalarSummary"
        with v1.Session() as sess:
            got = sess.run({"s": s, "h": h, "e": e})
    assert got["s"].hex() == TF_SCALAR_ZERO
    assert got["h"].hex() == TF_HISTOGRAM
    assert got["e"].hex() == TF_EMPTY_HISTOGRAM
    histo = v1.Summary.FromString(got["h"]).value[0].histo
    assert (histo.min, histo.max, histo.num, histo.sum, histo.sum_squares) == (-2.5, 1.0, 4.0, -0.5, 8.25)
    assert histo.bucket == [0, 1, 0, 1, 0, 2, 0]


def test_tags_follow_name_scopes_uniqueness_and_family():
    with tf.Graph().as_default():
        with tf.name_scope("outer"):
            a = v1.summary.scalar("loss", 1.0)
            b = v1.summary.scalar("loss", 2.0)
            c = v1.summary.scalar("my loss", 3.0, family="fam")
        merged = v1.summary.merge_all()
        assert (a.name, b.name, c.name, merged.name) == (
            "outer/loss:0",
            "outer/loss_1:0",
            "outer/fam/my_loss:0",
            "Merge/MergeSummary:0",
        )
        with v1.Session() as sess:
            values = v1.Summary.FromString(sess.run(merged)).value
    assert [(v.tag, v.simple_value) for v in values] == [
        ("outer/loss", 1.0),
        ("outer/loss_1", 2.0),
        ("fam/outer/fam/my_loss", 3.0),
    ]


def test_merge_all_picks_up_every_summary_and_collections():
    with tf.Graph().as_default():
        x = v1.placeholder(tf.float32, [None, 2])
        ops = [
            v1.summary.scalar("mean", tf.reduce_mean(x)),
            v1.summary.histogram("x", x),
            v1.summary.text("note", tf.constant("hello")),
            v1.summary.image("img", tf.reshape(x, [-1, 1, 2, 1]), max_outputs=2),
        ]
        extra = v1.summary.scalar("elsewhere", 1.0, collections=["mine"])
        assert v1.get_collection(v1.GraphKeys.SUMMARIES) == ops and v1.get_collection("mine") == [extra]
        merged = v1.summary.merge_all()
        assert v1.summary.merge_all("mine") is not None and v1.summary.merge_all("empty") is None
        with v1.Session() as sess:
            data = np.array([[0.0, 1.0], [2.0, 3.0], [4.0, 5.0]], np.float32)
            tags = [v.tag for v in v1.Summary.FromString(sess.run(merged, {x: data})).value]
            both = sess.run(v1.summary.merge([ops[0], extra]), {x: data})
    assert tags == ["mean", "x", "note", "img/image/0", "img/image/1"]
    assert [v.tag for v in v1.Summary.FromString(both).value] == ["mean", "elsewhere"]


def test_image_normalization_as_tensorflow():
    rng = np.random.default_rng(3)
    signed = rng.normal(size=(1, 3, 4, 3)).astype(np.float32)
    positive = np.abs(signed)
    positive[0, 1, 2, 0] = np.nan
    with tf.Graph().as_default():
        s1 = v1.summary.image("a", signed, max_outputs=1)
        s2 = v1.summary.image("b", positive, max_outputs=1)
        s3 = v1.summary.image("c", np.zeros((1, 3, 4, 1), np.uint8), max_outputs=1)
        with v1.Session() as sess:
            a, b, c = (v1.Summary.FromString(x).value[0] for x in sess.run([s1, s2, s3]))
    assert a.tag == "a/image" and (a.image.height, a.image.width, a.image.colorspace) == (3, 4, 3)
    # Signed images: scaled by 127 / max|x| and centred on 128; non-negative ones: scaled so the max is 255.
    want_a = (signed[0] * np.float32(127.0 / np.abs(signed).max()) + np.float32(128.0)).astype(np.uint8)
    np.testing.assert_array_equal(tf.io.decode_png(a.image.encoded_image_string).numpy(), want_a)
    finite = positive[0].copy()
    bad = ~np.isfinite(finite).all(axis=-1)
    want_b = (np.nan_to_num(finite) * np.float32(255.0 / np.nanmax(finite[~bad]))).astype(np.uint8)
    want_b[bad] = [255, 0, 0]  # a pixel with a non-finite channel is shown red
    np.testing.assert_array_equal(tf.io.decode_png(b.image.encoded_image_string).numpy(), want_b)
    assert c.image.colorspace == 1


def test_filewriter_events_read_by_tensorboard(tmp_path):
    with tf.Graph().as_default():
        with tf.name_scope("model"):
            x = v1.placeholder(tf.float32, [None], name="x")
            loss = tf.reduce_mean(tf.square(x), name="loss")
        v1.summary.scalar("loss", loss)
        v1.summary.histogram("values", x)
        v1.summary.text("note", tf.constant("**step**"))
        v1.summary.image("img", tf.reshape(x, [1, 2, 2, 1]), max_outputs=1)
        merged = v1.summary.merge_all()
        with v1.Session() as sess, v1.summary.FileWriter(str(tmp_path), sess.graph) as writer:
            assert writer.get_logdir() == str(tmp_path)
            for step in range(3):
                writer.add_summary(sess.run(merged, {x: np.arange(4, dtype=np.float32) + step}), step)
            writer.add_summary(v1.Summary(value=[v1.Summary.Value(tag="manual", simple_value=0.0)]), 7)
            writer.flush()
            writer.add_summary(sess.run(merged, {x: np.zeros(4, np.float32)}), 10)
    acc = EventAccumulator(str(tmp_path), size_guidance={"scalars": 0, "histograms": 0, "images": 0, "tensors": 0})
    acc.Reload()
    tags = acc.Tags()
    assert set(tags["scalars"]) == {"loss", "manual"} and tags["histograms"] == ["values"]
    assert tags["images"] == ["img/image"] and "note" in tags["tensors"] and tags["graph"]
    losses = [(e.step, e.value) for e in acc.Scalars("loss")]
    assert losses == [(s, np.mean(np.square(np.arange(4) + s))) for s in range(3)] + [(10, 0.0)]
    assert [(e.step, e.value) for e in acc.Scalars("manual")] == [(7, 0.0)]
    histo = acc.Histograms("values")[1].histogram_value
    assert (histo.min, histo.max, histo.num, histo.sum) == (1.0, 4.0, 4.0, 10.0)
    assert acc.Images("img/image")[0].width == 2
    assert acc.Tensors("note")[0].tensor_proto.string_val == [b"**step**"]
    node_names = {n.name for n in acc.Graph().node}
    assert {"model/x", "model/loss"} <= node_names


def test_summary_messages_and_summary_iterator(tmp_path):
    summary = v1.Summary(
        value=[
            v1.Summary.Value(tag="a", simple_value=1.5),
            v1.Summary.Value(tag="img", image=v1.Summary.Image(height=2, width=3)),
        ]
    )
    again = v1.Summary.FromString(summary.SerializeToString())
    assert again == summary and again.value[0].simple_value == 1.5 and again.value[1].image.width == 3
    with pytest.raises(ValueError, match='no "bogus" field'):
        v1.Summary.Value(bogus=1)
    with tf.Graph().as_default():
        writer = v1.summary.FileWriter(str(tmp_path), filename_suffix=".test")
        writer.add_summary(summary, global_step=4)
        writer.add_session_log(v1.SessionLog(status=v1.SessionLog.START), 4)
        writer.close()
        with pytest.warns(UserWarning, match="closed FileWriter"):
            writer.add_summary(summary, 5)  # dropped
        writer.reopen()
        writer.add_summary(summary, 6)
        writer.close()
    files = sorted(tmp_path.iterdir())
    assert len(files) == 2 and all(f.name.endswith(".test") for f in files)
    runs = sorted((list(v1.train.summary_iterator(str(f))) for f in files), key=lambda evs: evs[0].wall_time)
    events = runs[0]
    assert [e.step for e in runs[1][1:]] == [6]  # after reopen(): a new file
    assert events[0].file_version == "brain.Event:2"
    assert events[1].step == 4 and events[1].summary == summary
    assert events[2].session_log.status == v1.SessionLog.START


def test_eager_and_bad_input():
    with pytest.raises(RuntimeError, match="not compatible with eager execution"):
        v1.summary.FileWriter("/tmp/never")
    with pytest.raises(RuntimeError, match="eager"):
        v1.summary.merge_all()
    # Eagerly (no default tf.summary writer) the serialized Summary comes back at once, as in TensorFlow 2.
    eager = v1.summary.scalar("x", 1.0)
    assert eager.numpy() == bytes.fromhex("0a080a0178150000803f")
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="Expected tensor .* to have dtype string"):
            v1.summary.text("t", tf.constant(1.0))
        with pytest.raises(TypeError, match="numeric"):
            v1.summary.scalar("s", tf.constant("a"))
        bad = v1.summary.scalar("vec", tf.constant([1.0, 2.0]))
        nan = v1.summary.histogram("h", tf.constant([1.0, np.nan]))
        dup = v1.summary.merge([v1.summary.scalar("d", 1.0, collections=[]), bad])
        with v1.Session() as sess:
            with pytest.raises(tf.errors.InvalidArgumentError, match=r"tags and values are not the same shape"):
                sess.run(bad)
            with pytest.raises(tf.errors.InvalidArgumentError, match="Nan in summary histogram for: h"):
                sess.run(nan)
            with pytest.raises(tf.errors.InvalidArgumentError, match="not the same shape"):
                sess.run(dup)
            same = v1.summary.scalar("d", 2.0, collections=[])
            twice = v1.summary.merge([same, same])
            with pytest.raises(tf.errors.InvalidArgumentError, match="Duplicate tag d_1"):
                sess.run(twice)

"""tf.train.Example messages (byte-compatible with TensorFlow's) and tf.io.parse_example /
parse_single_example with fixed, sequence and variable-length features, eagerly and in Dataset.map."""

import json
import os

import numpy as np
import pytest

import ferroflow as tf

DATA = os.path.join(os.path.dirname(__file__), "data", "records")
GOLDEN = json.load(open(os.path.join(DATA, "golden.json")))
RECORDS = [bytes.fromhex(h) for h in GOLDEN["records"]]


def _golden_example(i):
    feature = {
        "label": tf.train.Feature(int64_list=tf.train.Int64List(value=[i, -i - 1, 2**40])),
        "image": tf.train.Feature(bytes_list=tf.train.BytesList(value=[bytes(range(i, i + 6)), b""])),
        "score": tf.train.Feature(float_list=tf.train.FloatList(value=[0.5 * i, -1.25, 0.1])),
    }
    return tf.train.Example(features=tf.train.Features(feature=feature))


def test_examples_serialize_to_tensorflow_bytes():
    for i in range(3):
        assert _golden_example(i).SerializeToString() == RECORDS[i]
    empty_feature = tf.train.Example(features=tf.train.Features(feature={"empty": tf.train.Feature()}))
    assert empty_feature.SerializeToString() == RECORDS[3]
    assert tf.train.Example().SerializeToString() == RECORDS[4] == b""


def test_examples_parse_back_with_attribute_access():
    ex = tf.train.Example.FromString(RECORDS[1])
    f = ex.features.feature
    assert list(f["label"].int64_list.value) == [1, -2, 2**40]
    assert f["image"].bytes_list.value[0] == bytes(range(1, 7))
    assert f["score"].float_list.value == [0.5, -1.25, np.float32(0.1).item()]
    assert f["score"].WhichOneof("kind") == "float_list"
    assert ex == _golden_example(1) and ex != _golden_example(2)
    other = tf.train.Example()
    assert other.ParseFromString(RECORDS[2]) == len(RECORDS[2])
    assert other.SerializeToString() == RECORDS[2]
    with pytest.raises(ValueError, match="parsing"):
        tf.train.Example.FromString(RECORDS[0][:-3])


def test_building_an_example_by_mutation():
    ex = tf.train.Example()
    ex.features.feature["label"].int64_list.value.append(3)
    ex.features.feature["label"].int64_list.value.extend([4, 5])
    ex.features.feature["name"].bytes_list.value.append("café")
    assert ex.features.feature["label"].HasField("int64_list")
    back = tf.train.Example.FromString(ex.SerializeToString())
    assert list(back.features.feature["label"].int64_list.value) == [3, 4, 5]
    assert back.features.feature["name"].bytes_list.value[0] == "café".encode()
    with pytest.raises(TypeError):
        tf.train.Int64List(value=[1.5])
    with pytest.raises(TypeError):
        tf.train.BytesList(value=[1])


def test_text_format_matches_tensorflow():
    # TensorFlow printed its map in hash order: score, label, image. The same order here prints the same.
    ex = _golden_example(0)
    f = ex.features.feature
    ordered = tf.train.Features(feature={k: f[k] for k in ("score", "label", "image")})
    assert str(tf.train.Example(features=ordered)) == GOLDEN["example_text"]


SPEC = {
    "label": tf.io.FixedLenFeature([3], tf.int64),
    "score": tf.io.FixedLenFeature([3], tf.float32),
    "image": tf.io.VarLenFeature(tf.string),
    "missing": tf.io.FixedLenFeature([2], tf.float32, default_value=[7.0, 8.0]),
    "seq": tf.io.FixedLenSequenceFeature([], tf.int64, allow_missing=True),
}


def test_parse_example_matches_tensorflow():
    out = tf.io.parse_example(tf.constant(RECORDS[:3]), SPEC)
    np.testing.assert_array_equal(out["label"].numpy(), GOLDEN["parsed"]["label"])
    np.testing.assert_allclose(out["score"].numpy(), GOLDEN["parsed"]["score"])
    assert out["score"].dtype == tf.float32 and out["label"].dtype == tf.int64
    np.testing.assert_array_equal(out["missing"].numpy(), [[7, 8]] * 3)
    assert out["seq"].shape == (3, 0)
    sp = out["image"]
    np.testing.assert_array_equal(sp.indices.numpy(), [[0, 0], [0, 1], [1, 0], [1, 1], [2, 0], [2, 1]])
    np.testing.assert_array_equal(sp.dense_shape.numpy(), [3, 2])
    assert sp.values.numpy()[2] == bytes(range(1, 7))


def test_parse_single_example_shapes_and_varlen():
    out = tf.io.parse_single_example(RECORDS[0], SPEC)
    assert out["label"].shape == (3,)
    np.testing.assert_array_equal(out["image"].indices.numpy(), [[0], [1]])
    np.testing.assert_array_equal(out["image"].dense_shape.numpy(), [2])
    seq = tf.io.parse_single_example(RECORDS[0], {"label": tf.io.FixedLenSequenceFeature([], tf.int64, True)})
    np.testing.assert_array_equal(seq["label"].numpy(), [0, -1, 2**40])
    two = tf.io.parse_single_example(RECORDS[0], {"score": tf.io.FixedLenFeature([1, 3], tf.float32)})
    assert two["score"].shape == (1, 3)


def test_sequence_features_are_padded_with_the_default():
    a = tf.train.Example(
        features=tf.train.Features(feature={"s": tf.train.Feature(float_list=tf.train.FloatList(value=[1, 2, 3, 4]))})
    )
    b = tf.train.Example(
        features=tf.train.Features(feature={"s": tf.train.Feature(float_list=tf.train.FloatList(value=[5, 6]))})
    )
    spec = {"s": tf.io.FixedLenSequenceFeature([2], tf.float32, allow_missing=True, default_value=-1.0)}
    out = tf.io.parse_example([a.SerializeToString(), b.SerializeToString(), b""], spec)
    np.testing.assert_array_equal(out["s"].numpy(), [[[1, 2], [3, 4]], [[5, 6], [-1, -1]], [[-1, -1], [-1, -1]]])
    with pytest.raises(ValueError, match="allow_missing"):
        tf.io.parse_example([b""], {"s": tf.io.FixedLenSequenceFeature([2], tf.float32)})


def test_records_that_do_not_match_the_spec_name_the_key():
    with pytest.raises(tf.errors.InvalidArgumentError, match="Key: label.*Data type: int64 but expected type: float"):
        tf.io.parse_single_example(RECORDS[0], {"label": tf.io.FixedLenFeature([3], tf.float32)})
    with pytest.raises(tf.errors.InvalidArgumentError, match="Key: label.*Values size: 3 but output shape: \\[2\\]"):
        tf.io.parse_single_example(RECORDS[0], {"label": tf.io.FixedLenFeature([2], tf.int64)})
    with pytest.raises(tf.errors.InvalidArgumentError, match="Feature: nope .*required"):
        tf.io.parse_single_example(RECORDS[0], {"nope": tf.io.FixedLenFeature([], tf.int64)})
    with pytest.raises(tf.errors.InvalidArgumentError, match="TensorProto|Example"):
        tf.io.parse_single_example(RECORDS[0][:-2], {"label": tf.io.FixedLenFeature([3], tf.int64)})
    with pytest.raises(ValueError, match="tf.string, tf.int64 or tf.float32"):
        tf.io.parse_single_example(RECORDS[0], {"label": tf.io.FixedLenFeature([3], tf.int32)})


def test_parse_inside_a_traced_dataset_map(tmp_path):
    path = str(tmp_path / "ex.tfrecord")
    with tf.io.TFRecordWriter(path) as w:
        for i in range(10):
            img = np.arange(i, i + 4, dtype=np.uint8).tobytes()
            ex = tf.train.Example(
                features=tf.train.Features(
                    feature={
                        "image": tf.train.Feature(bytes_list=tf.train.BytesList(value=[img])),
                        "label": tf.train.Feature(int64_list=tf.train.Int64List(value=[i % 3])),
                    }
                )
            )
            w.write(ex.SerializeToString())
    spec = {"image": tf.io.FixedLenFeature([], tf.string), "label": tf.io.FixedLenFeature([], tf.int64)}
    traces = []

    def parse(record):
        traces.append(1)
        ex = tf.io.parse_single_example(record, spec)
        image = tf.cast(tf.io.decode_raw(ex["image"], tf.uint8), tf.float32) / 255.0
        return tf.reshape(image, [2, 2]), ex["label"]

    ds = tf.data.TFRecordDataset(path).map(parse).batch(4)
    assert ds.element_spec[0].shape.as_list() == [None, 2, 2]
    batches = list(ds.as_numpy_iterator())
    assert len(traces) == 1 and len(batches) == 3
    np.testing.assert_allclose(batches[1][0][0].ravel(), np.arange(4, 8) / 255.0, rtol=1e-6)
    np.testing.assert_array_equal(batches[0][1], [0, 1, 2, 0])
    batched = tf.data.TFRecordDataset(path).batch(5).map(lambda r: tf.io.parse_example(r, spec)["label"])
    np.testing.assert_array_equal(next(iter(batched)).numpy(), [0, 1, 2, 0, 1])


def test_corrupt_examples_raise_ordinary_errors_never_internal_ones():
    rng = np.random.default_rng(0)
    spec = {"label": tf.io.FixedLenFeature([3], tf.int64), "image": tf.io.VarLenFeature(tf.string)}
    for _ in range(300):
        data = bytearray(RECORDS[int(rng.integers(3))])
        for i in rng.integers(len(data), size=int(rng.integers(1, 4))):
            data[i] = int(rng.integers(256))
        cut = bytes(data[: int(rng.integers(len(data) + 1))])
        for parse in (
            lambda c: tf.io.parse_single_example(c, spec),
            tf.train.Example.FromString,
            lambda c: tf.io.parse_tensor(c, tf.float32),
        ):
            try:
                parse(cut)
            except tf.errors.InternalError:
                raise
            except Exception:
                pass


def _golden_sequence_example():
    ints = [tf.train.Feature(int64_list=tf.train.Int64List(value=v)) for v in ([1, 2], [3, 4], [5, 6])]
    words = [tf.train.Feature(bytes_list=tf.train.BytesList(value=v)) for v in ([b"a"], [], [b"b", b"c"])]
    return tf.train.SequenceExample(
        context=tf.train.Features(feature={"id": tf.train.Feature(bytes_list=tf.train.BytesList(value=[b"s1"]))}),
        feature_lists=tf.train.FeatureLists(
            feature_list={"words": tf.train.FeatureList(feature=words), "pairs": tf.train.FeatureList(feature=ints)}
        ),
    )


def test_sequence_examples_match_tensorflow():
    data = bytes.fromhex(GOLDEN["sequence_example"])
    assert _golden_sequence_example().SerializeToString() == data
    back = tf.train.SequenceExample.FromString(data)
    assert back == _golden_sequence_example()
    assert list(back.feature_lists.feature_list["pairs"].feature[1].int64_list.value) == [3, 4]
    assert back.context.feature["id"].bytes_list.value == [b"s1"]
    context, seq = tf.io.parse_single_sequence_example(
        data,
        context_features={"id": tf.io.FixedLenFeature([], tf.string)},
        sequence_features={
            "pairs": tf.io.FixedLenSequenceFeature([2], tf.int64),
            "words": tf.io.VarLenFeature(tf.string),
            "absent": tf.io.FixedLenSequenceFeature([], tf.float32, allow_missing=True),
        },
    )
    want = GOLDEN["sequence_parsed"]
    assert context["id"].numpy() == bytes.fromhex(want["id"])
    np.testing.assert_array_equal(seq["pairs"].numpy(), want["pairs"])
    np.testing.assert_array_equal(seq["words"].indices.numpy(), want["words_indices"])
    np.testing.assert_array_equal(seq["words"].dense_shape.numpy(), want["words_shape"])
    assert list(seq["words"].values.numpy()) == [b"a", b"b", b"c"]
    assert seq["absent"].shape == (0,)
    with pytest.raises(tf.errors.InvalidArgumentError, match="Feature list 'absent' is required"):
        tf.io.parse_single_sequence_example(
            data, sequence_features={"absent": tf.io.FixedLenSequenceFeature([], tf.int64)}
        )
    with pytest.raises(tf.errors.InvalidArgumentError, match="Key: pairs, Index: 0"):
        tf.io.parse_single_sequence_example(
            data, sequence_features={"pairs": tf.io.FixedLenSequenceFeature([3], tf.int64)}
        )


def test_varlen_features_densify_inside_a_tf_function():
    @tf.function
    def dense(records):
        sp = tf.io.parse_example(records, {"label": tf.io.VarLenFeature(tf.int64)})["label"]
        return tf.sparse.to_dense(sp)

    out = dense(tf.constant([RECORDS[0], RECORDS[3], RECORDS[1]]))
    np.testing.assert_array_equal(out.numpy(), [[0, -1, 2**40], [0, 0, 0], [1, -2, 2**40]])

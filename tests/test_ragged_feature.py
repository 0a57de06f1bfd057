"""tf.io.RaggedFeature as the ragged tensor guide uses it (expected values from TensorFlow 2.21)."""

from __future__ import annotations

import pytest

import ferroflow as tf


def _example(colors: list, lengths: list) -> bytes:
    feature = {
        "colors": tf.train.Feature(bytes_list=tf.train.BytesList(value=colors)),
        "lengths": tf.train.Feature(int64_list=tf.train.Int64List(value=lengths)),
    }
    return tf.train.Example(features=tf.train.Features(feature=feature)).SerializeToString()


BATCH = [
    _example([b"red", b"blue"], [7]),
    _example([b"orange"], []),
    _example([b"black", b"yellow"], [1, 3]),
    _example([b"green"], [3, 5, 2]),
]
SPEC = {"colors": tf.io.RaggedFeature(tf.string), "lengths": tf.io.RaggedFeature(tf.int64)}


def test_parse_example_gives_ragged_rows_per_example():
    out = tf.io.parse_example(BATCH, SPEC)
    assert str(out["colors"]) == "<tf.RaggedTensor [[b'red', b'blue'], [b'orange'], [b'black', b'yellow'], [b'green']]>"
    assert str(out["lengths"]) == "<tf.RaggedTensor [[7], [], [1, 3], [3, 5, 2]]>"
    assert out["lengths"].dtype == tf.int64 and out["lengths"].shape.as_list() == [4, None]


def test_parse_single_example_and_value_key():
    out = tf.io.parse_single_example(BATCH[2], {"l": tf.io.RaggedFeature(tf.int64, value_key="lengths")})
    assert str(out["l"]) == "tf.Tensor([1 3], shape=(2,), dtype=int64)"


def test_in_tf_function_and_dataset():
    @tf.function
    def f(s):
        return tf.io.parse_example(s, SPEC)["colors"]

    assert f(tf.constant(BATCH)).to_list() == [[b"red", b"blue"], [b"orange"], [b"black", b"yellow"], [b"green"]]
    dataset = tf.data.Dataset.from_tensor_slices(tf.io.parse_example(BATCH, SPEC))
    rows = [e["lengths"].numpy().tolist() for e in dataset]
    assert rows == [[7], [], [1, 3], [3, 5, 2]]
    batched = [str(e["lengths"]) for e in dataset.batch(2)]
    assert batched == ["<tf.RaggedTensor [[7], []]>", "<tf.RaggedTensor [[1, 3], [3, 5, 2]]>"]


def test_partitions_are_reported_unsupported():
    spec = tf.io.RaggedFeature(tf.int64, value_key="lengths", partitions=("x",))
    with pytest.raises(NotImplementedError, match="partitions"):
        tf.io.parse_example(BATCH, {"l": spec})


def test_dataset_of_serialized_examples_keeps_trailing_nul_bytes():
    # An Example whose last feature is an empty list serializes to bytes ending in b"\x00".
    assert BATCH[1].endswith(b"\x00")
    assert [e.numpy() for e in tf.data.Dataset.from_tensor_slices(BATCH)] == BATCH
    ds = tf.data.Dataset.from_tensor_slices(BATCH).batch(2).map(lambda s: tf.io.parse_example(s, SPEC))
    got = [(str(e["colors"]), str(e["lengths"])) for e in ds]
    assert got == [
        ("<tf.RaggedTensor [[b'red', b'blue'], [b'orange']]>", "<tf.RaggedTensor [[7], []]>"),
        ("<tf.RaggedTensor [[b'black', b'yellow'], [b'green']]>", "<tf.RaggedTensor [[1, 3], [3, 5, 2]]>"),
    ]

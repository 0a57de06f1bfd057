"""``tf.data.experimental.TFRecordWriter``: a dataset of scalar strings written as TFRecords in one call, read
back by ``TFRecordDataset``; other datasets refused with TensorFlow's messages; an element that fails reported
as the writing op's error, the records before it kept."""

from __future__ import annotations

import warnings

import pytest

import ferroflow as tf


def read(path, compression_type=None):
    return [r.numpy() for r in tf.data.TFRecordDataset(path, compression_type=compression_type)]


@pytest.mark.parametrize("compression", [None, "GZIP", "ZLIB"])
def test_writes_every_element_in_order(tmp_path, compression):
    path = str(tmp_path / "out.tfrecord")
    records = [b"a", b"", b"ccc" * 100]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        writer = tf.data.experimental.TFRecordWriter(path, compression_type=compression)
    assert writer.write(tf.data.Dataset.from_tensor_slices(records)) is None
    assert read(path, compression) == records


def test_refuses_what_is_not_a_dataset_of_scalar_strings(tmp_path):
    writer = tf.data.experimental.TFRecordWriter(str(tmp_path / "x"))
    with pytest.raises(
        TypeError, match=r"^Invalid `dataset.` Expected a `tf.data.Dataset` object but got <class 'str'>.$"
    ):
        writer.write("notds")
    with pytest.raises(
        TypeError,
        match=r"produces scalar `tf.string` elements, but got a dataset which produces elements with shapes \(\)",
    ):
        writer.write(tf.data.Dataset.from_tensor_slices([1, 2]))


def test_a_failing_element_is_the_ops_error_and_keeps_earlier_records(tmp_path):
    def gen():
        yield b"first"
        raise AttributeError("broken")

    path = str(tmp_path / "x")
    dataset = tf.data.Dataset.from_generator(gen, output_types=tf.string, output_shapes=())
    with pytest.raises(tf.errors.UnknownError) as e:
        tf.data.experimental.TFRecordWriter(path).write(dataset)
    assert str(e.value).startswith(
        "{{function_node __wrapped__DatasetToTFRecord_device_/job:localhost/replica:0/task:0/device:CPU:0}} "
        "AttributeError: broken\nTraceback (most recent call last):"
    )
    assert read(path) == [b"first"]

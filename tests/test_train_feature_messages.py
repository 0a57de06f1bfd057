"""``tf.train.Feature`` and its lists as TensorFlow 2.21's protobuf has them: values converted (and refused)
as its upb runtime does, serialized on their own byte for byte as it writes them (bytes recorded from
TensorFlow), and floats printed with ``%.6g`` unless only ``%.9g`` reads back the same float32."""

from __future__ import annotations

import numpy as np
import pytest

import ferroflow as tf
from ferroflow.train.example import DecodeError  # google.protobuf.message.DecodeError's place


def int64_feature(value):
    return tf.train.Feature(int64_list=tf.train.Int64List(value=[value]))


@pytest.mark.parametrize(
    "value, error, message",
    [
        (True, TypeError, "Field tensorflow.Int64List.value: Expected an int, got a boolean."),
        (np.bool_(True), TypeError, "'numpy.bool' object cannot be interpreted as an integer"),
        (1.0, TypeError, "'float' object cannot be interpreted as an integer"),
        (np.float32(2), TypeError, "'numpy.float32' object cannot be interpreted as an integer"),
        ("a", TypeError, "'str' object cannot be interpreted as an integer"),
        (2**63, ValueError, "Value out of range: 9223372036854775808"),
        (np.uint64(2**64 - 1), ValueError, "Value out of range: 18446744073709551615"),
        (tf.constant(True), AttributeError, "'numpy.bool' object has no attribute '__index__'"),
    ],
)
def test_int64_list_refuses_what_protobuf_refuses(value, error, message):
    with pytest.raises(error) as e:
        int64_feature(value)
    assert str(e.value) == message


def test_int64_list_takes_integers_of_every_kind():
    values = [1, np.int32(-3), np.uint8(7), tf.constant(5), np.array(9), -(2**63)]
    assert list(tf.train.Int64List(value=values).value) == [1, -3, 7, 5, 9, -(2**63)]
    assert list(tf.train.Int64List(value=np.array([4, 5])).value) == [4, 5]
    with pytest.raises(TypeError, match="'numpy.bool' object cannot be interpreted"):
        tf.train.Int64List(value=np.array([True]))
    with pytest.raises(TypeError, match="must assign iterable"):
        tf.train.Int64List(value=5)


def test_float_and_bytes_lists_refuse_as_protobuf_does():
    assert list(tf.train.FloatList(value=[True, 1, np.float64(2.5), tf.constant(1.5)]).value) == [1, 1, 2.5, 1.5]
    with pytest.raises(TypeError, match="^must be real number, not str$"):
        tf.train.FloatList(value=["a"])
    with pytest.raises(TypeError, match="^must be real number, not NoneType$"):
        tf.train.FloatList(value=[None])
    with pytest.raises(TypeError, match="^expected bytes, int found$"):
        tf.train.BytesList(value=[3])
    with pytest.raises(TypeError, match="^expected bytes, bytearray found$"):
        tf.train.BytesList(value=[bytearray(b"x")])


@pytest.mark.parametrize(
    "value, text",
    [
        (np.exp(1), "2.71828175"),
        (0.9876, "0.9876"),
        (0.28432477782038224, "0.284324765"),
        (1 / 3, "0.333333343"),
        (123456789.0, "123456792"),
        (3.0, "3"),
        (1e-7, "1e-07"),
        (1e20, "1e+20"),
        (-0.0, "-0"),
        (float("nan"), "nan"),
        (float("-inf"), "-inf"),
    ],
)
def test_float_text_as_protobuf_prints_it(value, text):
    assert str(tf.train.FloatList(value=[value])) == f"value: {text}\n"


@pytest.mark.parametrize(
    "feature, wire",
    [
        (tf.train.Feature(float_list=tf.train.FloatList(value=[np.exp(1)])), b"\x12\x06\n\x04T\xf8-@"),
        (
            tf.train.Feature(int64_list=tf.train.Int64List(value=[-1, 0, 300])),
            b"\x1a\x0f\n\r" + b"\xff" * 9 + b"\x01\x00\xac\x02",
        ),
        (tf.train.Feature(bytes_list=tf.train.BytesList(value=[b"ab", b""])), b"\n\x06\n\x02ab\n\x00"),
        (tf.train.Feature(int64_list=tf.train.Int64List(value=[])), b"\x1a\x00"),
        (tf.train.Feature(), b""),
    ],
)
def test_feature_serializes_as_tensorflow_and_reads_back(feature, wire):
    assert feature.SerializeToString() == wire
    back = tf.train.Feature.FromString(wire)
    assert back == feature and back.WhichOneof("kind") == feature.WhichOneof("kind")


def test_lists_serialize_on_their_own():
    assert tf.train.BytesList(value=[b"x"]).SerializeToString() == b"\n\x01x"
    assert tf.train.FloatList(value=[1.5, -2]).SerializeToString() == b"\n\x08\x00\x00\xc0?\x00\x00\x00\xc0"
    assert list(tf.train.Int64List.FromString(b"\n\x02\x01\x02").value) == [1, 2]
    assert list(tf.train.Int64List.FromString(b"\x08\x07").value) == [7]  # unpacked form read too
    with pytest.raises(DecodeError, match="Error parsing message"):
        tf.train.Feature.FromString(b"\x1a\x05\n")


def test_feature_from_string_sets_the_oneof():
    f = tf.train.Feature.FromString(b"\x1a\x03\n\x01\x05")
    assert f.WhichOneof("kind") == "int64_list" and list(f.int64_list.value) == [5]
    assert str(f) == "int64_list {\n  value: 5\n}\n"

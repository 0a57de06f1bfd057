"""The ``tf.string`` dtype and the small integer dtypes: conversion in and out, shape ops, comparisons, casts."""

import numpy as np
import pytest

import ferroflow as tf

SMALL_INTS = ["uint8", "int8", "int16", "uint16", "uint32", "uint64"]


def test_string_constants_come_back_as_object_arrays_of_bytes():
    t = tf.constant(["a", "héllo", b"\xff\x00"])
    assert t.dtype == tf.string
    out = t.numpy()
    assert out.dtype == object
    assert list(out) == [b"a", "héllo".encode(), b"\xff\x00"]
    assert repr(tf.constant(["a", "b"])) == (
        "<tf.Tensor: shape=(2,), dtype=string, numpy=array([b'a', b'b'], dtype=object)>"
    )
    assert repr(tf.constant("x")) == "<tf.Tensor: shape=(), dtype=string, numpy=b'x'>"


@pytest.mark.parametrize(
    "value",
    [np.array([b"ab", b"c"]), np.array(["ab", "c"]), np.array([b"ab", "c"], dtype=object), [[b"ab"], [b"c"]]],
)
def test_numpy_bytes_str_and_object_arrays_convert(value):
    t = tf.constant(value)
    assert t.dtype == tf.string
    assert [bytes(v) for v in np.asarray(t.numpy()).reshape(-1)] == [b"ab", b"c"]


def test_strings_and_numbers_do_not_mix():
    with pytest.raises(TypeError, match=r"^Cannot convert \['a', 'b'\] to EagerTensor of dtype float$"):
        tf.constant(["a", "b"], dtype=tf.float32)
    with pytest.raises(TypeError, match="string"):
        tf.constant([1, 2], dtype=tf.string)
    with pytest.raises(TypeError, match="Cast string to float32 is not supported"):
        tf.cast(tf.constant("1"), tf.float32)
    with pytest.raises(TypeError, match="as_string"):
        tf.cast(tf.constant(1.0), tf.string)
    with pytest.raises(TypeError):
        tf.constant(["a"]) + tf.constant(["b"])


def test_shape_ops_move_strings():
    s = tf.constant(["a", "b", "c", "d"])
    np.testing.assert_array_equal(tf.reshape(s, [2, 2]).numpy(), np.array([[b"a", b"b"], [b"c", b"d"]], dtype=object))
    np.testing.assert_array_equal(tf.gather(s, [3, 3, 0]).numpy(), np.array([b"d", b"d", b"a"], dtype=object))
    np.testing.assert_array_equal(tf.transpose(tf.reshape(s, [2, 2])).numpy()[0], np.array([b"a", b"c"], dtype=object))
    assert list(tf.concat([s[:1], s[3:]], 0).numpy()) == [b"a", b"d"]
    assert list(tf.stack([tf.constant("x"), tf.constant("y")]).numpy()) == [b"x", b"y"]
    assert list(s[::-2].numpy()) == [b"d", b"b"]
    assert tf.expand_dims(s, 0).shape == (1, 4)
    assert list(tf.broadcast_to(tf.constant("z"), [3]).numpy()) == [b"z"] * 3
    assert tf.shape(s).numpy().tolist() == [4]


def test_string_equality_and_where():
    a, b = tf.constant(["a", "b"]), tf.constant(["a", "c"])
    assert (a == b).numpy().tolist() == [True, False]
    assert tf.not_equal(a, "b").numpy().tolist() == [True, False]
    assert list(tf.where([True, False], a, b).numpy()) == [b"a", b"c"]
    with pytest.raises(TypeError, match="only Equal and NotEqual"):
        tf.math.less(a, b)


def test_strings_flow_through_a_traced_function():
    @tf.function
    def f(x):
        return tf.strings.upper(x)[::-1]

    assert list(f(tf.constant(["ab", "cd"])).numpy()) == [b"CD", b"AB"]
    spec_fn = f.get_concrete_function(tf.TensorSpec([None], tf.string))
    assert list(spec_fn(tf.constant(["q"])).numpy()) == [b"Q"]


@pytest.mark.parametrize("name", SMALL_INTS)
def test_small_integer_dtypes_round_trip_and_compute(name):
    np_type = np.dtype(name)
    x = np.array([[1, 2, 3], [4, 5, 6]], dtype=np_type)
    t = tf.constant(x)
    assert t.dtype == getattr(tf, name)
    assert t.numpy().dtype == np_type
    np.testing.assert_array_equal((t + t).numpy(), x + x)
    np.testing.assert_array_equal((t * t).numpy(), x * x)
    np.testing.assert_array_equal(tf.reduce_sum(t, axis=1).numpy(), x.sum(axis=1).astype(np_type))
    np.testing.assert_array_equal(tf.reduce_max(t, axis=0).numpy(), x.max(axis=0))
    np.testing.assert_array_equal(tf.argmax(t, axis=1).numpy(), x.argmax(axis=1))
    np.testing.assert_array_equal((t > 2).numpy(), x > 2)
    np.testing.assert_array_equal(tf.cast(t, tf.float32).numpy(), x.astype(np.float32))
    np.testing.assert_array_equal(tf.cast(tf.constant([1.9, 7.2]), name).numpy(), np.array([1, 7], dtype=np_type))
    np.testing.assert_array_equal(tf.transpose(t).numpy(), x.T)
    assert getattr(tf, name).max == np.iinfo(np_type).max
    assert getattr(tf, name).min == np.iinfo(np_type).min


def test_integer_arithmetic_wraps_and_division_floors():
    u = tf.constant(np.array([250, 3], dtype=np.uint8))
    np.testing.assert_array_equal((u + tf.constant(np.array([10, 1], dtype=np.uint8))).numpy(), [4, 4])
    i = tf.constant(np.array([-7, 7], dtype=np.int8))
    np.testing.assert_array_equal((i // tf.constant(np.array([2, -2], dtype=np.int8))).numpy(), [-4, -4])
    np.testing.assert_array_equal((i % tf.constant(np.array([3, -3], dtype=np.int8))).numpy(), [2, -2])
    big = tf.constant(np.array([2**63 + 5], dtype=np.uint64))
    assert tf.cast(big, tf.float64).numpy()[0] == float(2**63 + 5)
    with pytest.raises(ValueError, match="division by zero"):
        tf.constant(np.array([1], dtype=np.uint16)) // tf.constant(np.array([0], dtype=np.uint16))


def test_uint8_images_convert_to_float():
    img = np.arange(12, dtype=np.uint8).reshape(2, 2, 3) * 20
    out = tf.image.convert_image_dtype(tf.constant(img), tf.float32)
    np.testing.assert_allclose(out.numpy(), img / 255.0, rtol=1e-6)


def test_mixed_dtypes_are_an_error():
    with pytest.raises(TypeError):
        tf.constant(np.array([1], dtype=np.uint8)) + tf.constant(np.array([1], dtype=np.int32))

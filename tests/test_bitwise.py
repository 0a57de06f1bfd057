"""tf.bitwise: AND/OR/XOR/NOT and shifts for every integer dtype, against NumPy, eager and in tf.function."""

import numpy as np
import pytest

import ferroflow as tf

DTYPES = ["int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64"]


def operands(dtype, shape=(64,), seed=0):
    info = np.iinfo(dtype)
    rng = np.random.default_rng(seed)
    x = rng.integers(info.min, info.max, size=shape, dtype=dtype, endpoint=True)
    y = rng.integers(info.min, info.max, size=shape, dtype=dtype, endpoint=True)
    # The extremes, zero and all-ones, where a wrong sign or carry would show.
    x.flat[:4] = [info.min, info.max, 0, info.max if info.min == 0 else -1]
    y.flat[:4] = [info.max, info.min, info.max, info.min]
    return x, y


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize(
    "name,ref",
    [("bitwise_and", np.bitwise_and), ("bitwise_or", np.bitwise_or), ("bitwise_xor", np.bitwise_xor)],
)
def test_binary_ops_match_numpy(dtype, name, ref):
    x, y = operands(dtype)
    got = getattr(tf.bitwise, name)(tf.constant(x), tf.constant(y))
    assert got.dtype == tf.as_dtype(dtype)
    np.testing.assert_array_equal(got.numpy(), ref(x, y))


@pytest.mark.parametrize("dtype", DTYPES)
def test_invert_matches_numpy(dtype):
    x, _ = operands(dtype)
    got = tf.bitwise.invert(tf.constant(x))
    assert got.dtype == tf.as_dtype(dtype)
    np.testing.assert_array_equal(got.numpy(), np.invert(x))


@pytest.mark.parametrize("dtype", DTYPES)
def test_shifts_in_range_match_numpy(dtype):
    x, _ = operands(dtype)
    bits = np.iinfo(dtype).bits
    s = np.arange(x.size, dtype=np.int64) % bits
    s = s.astype(dtype)
    np.testing.assert_array_equal(tf.bitwise.left_shift(x, s).numpy(), np.left_shift(x, s))
    np.testing.assert_array_equal(tf.bitwise.right_shift(x, s).numpy(), np.right_shift(x, s))


def test_shift_amounts_are_clamped_as_tensorflow():
    # TensorFlow 2.21: shifts below 0 act as 0 and shifts past the width act as bits - 1.
    x = tf.constant([-5, 7, -128, 127], tf.int8)
    y = tf.constant([1, 9, -1, 7], tf.int8)
    np.testing.assert_array_equal(tf.bitwise.left_shift(x, y).numpy(), [-10, -128, -128, -128])
    np.testing.assert_array_equal(tf.bitwise.right_shift(x, y).numpy(), [-3, 0, -128, 0])
    big = tf.constant([2**40 + 3, -(2**40)], tf.int64)
    np.testing.assert_array_equal(tf.bitwise.right_shift(big, tf.constant([100, 63], tf.int64)).numpy(), [0, -1])


def test_broadcasting_and_python_scalars():
    x = np.arange(24, dtype=np.int32).reshape(2, 3, 4) * 37 - 400
    np.testing.assert_array_equal(tf.bitwise.bitwise_and(tf.constant(x), 0xF0).numpy(), x & 0xF0)
    row = np.array([1, 2, 4, 8], dtype=np.int32)
    np.testing.assert_array_equal(tf.bitwise.bitwise_xor(tf.constant(x), tf.constant(row)).numpy(), x ^ row)
    np.testing.assert_array_equal(tf.bitwise.left_shift(tf.constant(x), 3).numpy(), x << 3)
    assert tf.bitwise.bitwise_or(tf.constant(5, tf.uint8), tf.constant(2, tf.uint8)).numpy() == 7


@pytest.mark.parametrize("dtype", ["int8", "int32", "int64", "uint16", "uint64"])
def test_inside_tf_function(dtype):
    x, y = operands(dtype, shape=(8, 16), seed=3)
    s = (np.arange(16) % np.iinfo(dtype).bits).astype(dtype)

    @tf.function
    def all_ops(a, b, shift):
        return (
            tf.bitwise.bitwise_and(a, b),
            tf.bitwise.bitwise_or(a, b),
            tf.bitwise.bitwise_xor(a, b),
            tf.bitwise.invert(a),
            tf.bitwise.left_shift(a, shift),
            tf.bitwise.right_shift(a, shift),
        )

    got = [t.numpy() for t in all_ops(tf.constant(x), tf.constant(y), tf.constant(s))]
    want = [x & y, x | y, x ^ y, ~x, np.left_shift(x, s), np.right_shift(x, s)]
    for g, w in zip(got, want):
        np.testing.assert_array_equal(g, w)


def test_realistic_size_int64():
    rng = np.random.default_rng(7)
    x = rng.integers(-(2**63), 2**63 - 1, size=(256, 1024), dtype=np.int64)
    y = rng.integers(-(2**63), 2**63 - 1, size=(256, 1024), dtype=np.int64)
    np.testing.assert_array_equal(tf.bitwise.bitwise_xor(x, y).numpy(), x ^ y)


def test_bad_dtypes_raise_invalid_argument():
    with pytest.raises(tf.errors.InvalidArgumentError, match="allowed values"):
        tf.bitwise.bitwise_and(tf.constant([1.0]), tf.constant([2.0]))
    with pytest.raises(tf.errors.InvalidArgumentError, match="allowed values"):
        tf.bitwise.invert(tf.constant([1.5]))
    with pytest.raises(tf.errors.InvalidArgumentError, match="expected to be a int32 tensor but is a int64"):
        tf.bitwise.bitwise_or(tf.constant([1]), tf.constant([2], tf.int64))
    with pytest.raises(tf.errors.InvalidArgumentError):
        tf.bitwise.left_shift(tf.constant([True]), tf.constant([True]))


def test_namespace():
    assert sorted(n for n in dir(tf.bitwise)) == [
        "bitwise_and",
        "bitwise_or",
        "bitwise_xor",
        "invert",
        "left_shift",
        "right_shift",
    ]
    assert "bitwise" in dir(tf)

"""Python values TensorFlow 2.21 converts given no dtype (lists mixing Python floats with NumPy scalars,
``tf.fill``, ``tf.Variable``, ``dtype_hint``), and the values out of range it refuses; every expected dtype,
value and message below is what tensorflow-cpu 2.21 gives for the same call."""

import numpy as np
import pytest

import ferroflow as tf

OUT_OF_RANGE_FLOAT = "Can't convert Python sequence with a value out of range for a double-precision float."
OUT_OF_RANGE_INT = "Can't convert Python sequence with out-of-range integer to Tensor."
F32_1E30 = float(np.float32(1e30))

RAISES = [
    # The first scalar decides the dtype (float32 unless it is a NumPy float64/float16); a finite value that
    # dtype cannot hold is refused, wherever it sits.
    (lambda: tf.fill([2], 1e300), OUT_OF_RANGE_FLOAT),
    (lambda: tf.fill([2], -1e300), OUT_OF_RANGE_FLOAT),
    (lambda: tf.fill([2, 1], 1e300, name="x"), OUT_OF_RANGE_FLOAT),
    (lambda: tf.fill([2], [1e300]), OUT_OF_RANGE_FLOAT),
    (lambda: tf.constant([1e300, np.float32(1)]), OUT_OF_RANGE_FLOAT),
    (lambda: tf.constant([np.float32(1), 1e300]), OUT_OF_RANGE_FLOAT),
    (lambda: tf.constant((1e300, np.float32(1))), OUT_OF_RANGE_FLOAT),
    (lambda: tf.constant([1e300, np.float64(1)]), OUT_OF_RANGE_FLOAT),
    (lambda: tf.constant([1.5, np.float64(1e300)]), OUT_OF_RANGE_FLOAT),
    (lambda: tf.constant([1, np.float64(1e300)]), OUT_OF_RANGE_FLOAT),
    (lambda: tf.constant([1, 1e300]), OUT_OF_RANGE_FLOAT),
    (lambda: tf.constant([np.float32(1), np.float64(1e300)]), OUT_OF_RANGE_FLOAT),
    (lambda: tf.constant([np.float16(1), 1e6]), OUT_OF_RANGE_FLOAT),
    (lambda: tf.constant([[1e300, np.float32(1)], [2.0, 3.0]]), OUT_OF_RANGE_FLOAT),
    (lambda: tf.constant([[1.5, 2.0], [np.float64(1), 1e300]]), OUT_OF_RANGE_FLOAT),
    (lambda: tf.constant([[1.0, 2.0], np.array([3.0, 1e300])]), OUT_OF_RANGE_FLOAT),
    (lambda: tf.convert_to_tensor([1e300, np.float32(1)]), OUT_OF_RANGE_FLOAT),
    (lambda: tf.convert_to_tensor([1e300, np.float32(1)], dtype_hint=tf.int32), OUT_OF_RANGE_FLOAT),
    (lambda: tf.Variable([1e300, np.float32(1)]), OUT_OF_RANGE_FLOAT),
    (lambda: tf.ones_like([1e300]), OUT_OF_RANGE_FLOAT),
    (lambda: tf.add([1e300, np.float32(1)], 1.0), OUT_OF_RANGE_FLOAT),
    # Python ints beyond int64.
    (lambda: tf.fill([2], 2**63), OUT_OF_RANGE_INT),
    (lambda: tf.fill([2], 2**64), OUT_OF_RANGE_INT),
    (lambda: tf.constant(2**63), OUT_OF_RANGE_INT),
    (lambda: tf.constant(-(2**63) - 1), OUT_OF_RANGE_INT),
    (lambda: tf.constant([1, 2**63]), OUT_OF_RANGE_INT),
    (lambda: tf.constant([2**64]), OUT_OF_RANGE_INT),
    (lambda: tf.constant(2**63, tf.int64), OUT_OF_RANGE_INT),
    (lambda: tf.constant(2**63, tf.int32), OUT_OF_RANGE_INT),
    (lambda: tf.convert_to_tensor(2**63, dtype_hint=tf.int64), OUT_OF_RANGE_INT),
    (lambda: tf.ones_like([2**63]), OUT_OF_RANGE_INT),
    (lambda: tf.Variable(2**63), OUT_OF_RANGE_INT),
]


@pytest.mark.parametrize("make, message", RAISES)
def test_out_of_range_raises(make, message):
    with pytest.raises(ValueError) as e:
        make()
    assert str(e.value) == message


CONVERTS = [
    # tf.fill: the value's own inferred dtype.
    (lambda: tf.fill([2], 1e30), "float32", [F32_1E30] * 2),
    (lambda: tf.fill([2], float("inf")), "float32", [np.inf] * 2),
    (lambda: tf.fill([2], np.float64(1e300)), "float64", [1e300] * 2),
    (lambda: tf.fill([2], np.float32(2.5)), "float32", [2.5] * 2),
    (lambda: tf.fill([2], np.float16(1.5)), "float16", [1.5] * 2),
    (lambda: tf.fill([2], tf.constant(1e300, tf.float64)), "float64", [1e300] * 2),
    (lambda: tf.fill([2], 2**31 - 1), "int32", [2**31 - 1] * 2),
    (lambda: tf.fill([2], 2**31), "int64", [2**31] * 2),
    (lambda: tf.fill([2], 2**40), "int64", [2**40] * 2),
    (lambda: tf.fill([2], -(2**31) - 1), "int64", [-(2**31) - 1] * 2),
    (lambda: tf.fill([2], -(2**63)), "int64", [-(2**63)] * 2),
    (lambda: tf.fill([2], [2**40]), "int64", [2**40] * 2),
    (lambda: tf.fill([2], True), "bool", [True] * 2),
    # Nested lists mixing Python and NumPy scalars: the first scalar decides.
    (lambda: tf.constant([1.5, np.float32(1)]), "float32", [1.5, 1.0]),
    (lambda: tf.constant([np.float32(1), np.float32(2)]), "float32", [1.0, 2.0]),
    (lambda: tf.constant([1.5, np.float64(1)]), "float32", [1.5, 1.0]),
    (lambda: tf.constant([np.float64(1e300)]), "float64", [1e300]),
    (lambda: tf.constant(np.float64(1e300)), "float64", 1e300),
    (lambda: tf.constant([np.float64(1), np.float32(2)]), "float64", [1.0, 2.0]),
    (lambda: tf.constant([np.float32(1), np.float64(2)]), "float32", [1.0, 2.0]),
    (lambda: tf.constant([np.float64(1), 1.5]), "float64", [1.0, 1.5]),
    (lambda: tf.constant([np.float64(1), 1e300]), "float64", [1.0, 1e300]),
    (lambda: tf.constant([np.float16(1), 1.5]), "float16", [1.0, 1.5]),
    (lambda: tf.constant([1.5, np.float16(1)]), "float32", [1.5, 1.0]),
    (lambda: tf.constant([np.longdouble(1.5), 1.0]), "float32", [1.5, 1.0]),
    (lambda: tf.constant([[1.5, np.float32(1)], [2.0, 3.0]]), "float32", [[1.5, 1.0], [2.0, 3.0]]),
    (lambda: tf.constant([[1.5, np.float64(1)], [2.0, 3.0]]), "float32", [[1.5, 1.0], [2.0, 3.0]]),
    (lambda: tf.constant([[np.float64(1), 1.5], [2.0, 1e300]]), "float64", [[1.0, 1.5], [2.0, 1e300]]),
    (lambda: tf.constant([1, np.float32(2)]), "float32", [1.0, 2.0]),
    (lambda: tf.constant([1, np.float64(2)]), "float32", [1.0, 2.0]),
    (lambda: tf.constant([np.float32(2), 1]), "float32", [2.0, 1.0]),
    (lambda: tf.constant([np.int32(1), 1.5]), "float32", [1.0, 1.5]),
    (lambda: tf.constant([np.int64(1), 1.5]), "float32", [1.0, 1.5]),
    (lambda: tf.constant([np.int64(2**40), 1]), "int64", [2**40, 1]),
    (lambda: tf.constant([2**40, np.float32(1)]), "float32", [2.0**40, 1.0]),
    (lambda: tf.constant([2**40, 1.5]), "float32", [2.0**40, 1.5]),
    (lambda: tf.constant(2**31), "int64", 2**31),
    (lambda: tf.constant([np.float32(1), np.array(2.0)]), "float32", [1.0, 2.0]),
    (lambda: tf.constant([np.array(1.5), 1e300]), "float64", [1.5, 1e300]),
    (lambda: tf.constant([np.array([1.0, 2.0]), [3.0, 4.0]]), "float64", [[1.0, 2.0], [3.0, 4.0]]),
    # An explicit dtype converts (too large floats become inf).
    (lambda: tf.constant([1e300, np.float32(1)], tf.float32), "float32", [np.inf, 1.0]),
    (lambda: tf.constant([1e300, np.float32(1)], tf.float64), "float64", [1e300, 1.0]),
    (lambda: tf.constant(2**64 - 1, tf.uint64), "uint64", 2**64 - 1),
    # dtype_hint: tried first, the inferred dtype when the values do not fit it.
    (lambda: tf.convert_to_tensor([1e300, np.float32(1)], dtype=tf.float64), "float64", [1e300, 1.0]),
    (lambda: tf.convert_to_tensor([1e300, np.float32(1)], dtype_hint=tf.float64), "float64", [1e300, 1.0]),
    (lambda: tf.convert_to_tensor([1e300, np.float32(1)], dtype_hint=tf.float32), "float32", [np.inf, 1.0]),
    (lambda: tf.convert_to_tensor([1.5, np.float32(1)], dtype_hint=tf.float64), "float64", [1.5, 1.0]),
    (lambda: tf.convert_to_tensor([np.float64(1.5)], dtype_hint=tf.float32), "float32", [1.5]),
    (lambda: tf.convert_to_tensor([1.5, np.float32(1)], dtype_hint=tf.float16), "float16", [1.5, 1.0]),
    (lambda: tf.convert_to_tensor([1.5, np.float32(1)], dtype_hint=tf.int32), "float32", [1.5, 1.0]),
    (lambda: tf.convert_to_tensor([1e300], dtype_hint=tf.float16), "float16", [np.inf]),
    # tf.Variable converts as tf.constant.
    (lambda: tf.Variable([1.5, np.float32(1)]), "float32", [1.5, 1.0]),
    (lambda: tf.Variable([1.5, np.float64(1)]), "float32", [1.5, 1.0]),
    (lambda: tf.Variable([np.float64(1), 1e300]), "float64", [1.0, 1e300]),
    (lambda: tf.Variable([1e300, np.float32(1)], dtype=tf.float64), "float64", [1e300, 1.0]),
    (lambda: tf.Variable([1e300, np.float32(1)], dtype=tf.float32), "float32", [np.inf, 1.0]),
    (lambda: tf.Variable([2**40, 1]), "int64", [2**40, 1]),
    # zeros / ones / *_like with a dtype.
    (lambda: tf.zeros([2], tf.float16), "float16", [0.0, 0.0]),
    (lambda: tf.zeros([2], tf.float64), "float64", [0.0, 0.0]),
    (lambda: tf.zeros([2], "int64"), "int64", [0, 0]),
    (lambda: tf.zeros([2], tf.uint64), "uint64", [0, 0]),
    (lambda: tf.ones([2], tf.int8), "int8", [1, 1]),
    (lambda: tf.ones([2], tf.bool), "bool", [True, True]),
    (lambda: tf.ones([2], tf.complex64), "complex64", [1.0, 1.0]),
    (lambda: tf.ones([2], tf.bfloat16), "bfloat16", [1.0, 1.0]),
    (lambda: tf.zeros_like(tf.constant([1.0], tf.float64), dtype=tf.int8), "int8", [0]),
    (lambda: tf.zeros_like([2**40]), "int64", [0]),
    (lambda: tf.zeros_like([1.5, np.float32(1)]), "float32", [0.0, 0.0]),
    (lambda: tf.ones_like([np.float64(1.0), 2.0]), "float64", [1.0, 1.0]),
]


@pytest.mark.parametrize("make, dtype, expected", CONVERTS)
def test_converts_as_tensorflow(make, dtype, expected):
    t = make()
    assert t.dtype.name == dtype
    values = t.numpy()
    if dtype == "bfloat16":
        values = np.asarray(values, np.float32)
    np.testing.assert_array_equal(values, np.asarray(expected))


def test_zeros_string_and_ones_string():
    assert tf.zeros([2], tf.string).numpy().tolist() == [b"", b""]
    with pytest.raises(TypeError) as e:
        tf.ones([2], tf.string)
    assert str(e.value) == "Cannot convert 1 to EagerTensor of dtype string"


@pytest.mark.parametrize(
    "make, text",
    [
        (lambda: tf.constant(1e300, tf.int32), "1e+300"),
        (lambda: tf.constant(3e9, tf.int32), "3000000000.0"),
        (lambda: tf.constant([1.0, 1e300], tf.int32), "[1.0, 1e+300]"),
        (lambda: tf.constant([1.0, 1.5], tf.int32), "[1.0, 1.5]"),
        (lambda: tf.convert_to_tensor([1.0, 1e300], tf.int32), "[1.0, 1e+300]"),
    ],
)
def test_python_floats_an_int_dtype_cannot_hold(make, text):
    with pytest.raises(TypeError) as e:
        make()
    assert str(e.value) == f"Cannot convert {text} to EagerTensor of dtype int32"

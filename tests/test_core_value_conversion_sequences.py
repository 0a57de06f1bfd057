"""Python scalars and lists as TensorFlow 2.21 converts them: NumPy scalars inside lists, element types a
sequence may not mix, Python ints becoming floats, and Python floats refused by an explicit int, bool or string
dtype while NumPy floats are cast. Every expected dtype, value and message is what tensorflow-cpu 2.21 gives
for the same call."""

import numpy as np
import pytest

import ferroflow as tf

MIXED = "Can't convert Python sequence with mixed types to Tensor."
OUT_OF_RANGE_FLOAT = "Can't convert Python sequence with a value out of range for a double-precision float."
OUT_OF_RANGE_INT = "Can't convert Python sequence with out-of-range integer to Tensor."
BIG = 2**200  # a Python int beyond int64 that a double holds
F64_BIG = float(BIG)

CONVERTS = [
    # NumPy scalars inside lists count as Python scalars of their kind: ints give int32 (int64 when needed).
    (lambda: tf.constant([np.int64(1), 2]), "int32", [1, 2]),
    (lambda: tf.constant([2, np.int64(1)]), "int32", [2, 1]),
    (lambda: tf.constant([np.uint8(1), 2]), "int32", [1, 2]),
    (lambda: tf.constant([np.int16(1), 2]), "int32", [1, 2]),
    (lambda: tf.constant([np.uint64(1)]), "int32", [1]),
    (lambda: tf.constant([np.int64(1), np.int64(2)]), "int32", [1, 2]),
    (lambda: tf.constant([np.int64(5)] * 3), "int32", [5, 5, 5]),
    (lambda: tf.constant([[np.int64(1), 2], [3, 4]]), "int32", [[1, 2], [3, 4]]),
    (lambda: tf.constant([[1, 2], [np.int64(3), 4]]), "int32", [[1, 2], [3, 4]]),
    (lambda: tf.constant([[np.uint8(1)]]), "int32", [[1]]),
    (lambda: tf.constant([np.uint64(5), -1]), "int32", [5, -1]),
    (lambda: tf.constant([np.array(1, np.int64), 2]), "int32", [1, 2]),
    (lambda: tf.constant([np.array([1, 2], np.int64), [3, 4]]), "int32", [[1, 2], [3, 4]]),
    (lambda: tf.constant([np.array([1, 2], np.uint8)]), "int32", [[1, 2]]),
    (lambda: tf.constant([np.int64(2**40)]), "int64", [2**40]),
    (lambda: tf.constant([1, np.int64(2**40)]), "int64", [1, 2**40]),
    (lambda: tf.constant([np.uint64(2**63 - 1)]), "int64", [2**63 - 1]),
    (lambda: tf.constant([np.uint32(2**31)]), "int64", [2**31]),
    (lambda: tf.constant([np.int64(1), 2], shape=[2]), "int32", [1, 2]),
    (lambda: tf.convert_to_tensor([np.int64(1), 2]), "int32", [1, 2]),
    (lambda: tf.convert_to_tensor([np.int64(1), 2], dtype_hint=tf.int64), "int64", [1, 2]),
    (lambda: tf.Variable([np.int64(1), 2]), "int32", [1, 2]),
    (lambda: tf.fill([2], [np.int64(3)]), "int32", [3, 3]),
    (lambda: tf.zeros_like([np.int64(1)]), "int32", [0]),
    (lambda: tf.add([np.int64(1)], 1), "int32", [2]),
    # A bare NumPy scalar keeps its dtype.
    (lambda: tf.constant(np.int64(1)), "int64", 1),
    (lambda: tf.constant(np.uint8(1)), "uint8", 1),
    (lambda: tf.constant(np.int16(1)), "int16", 1),
    (lambda: tf.constant(np.complex64(1)), "complex64", 1),
    (lambda: tf.fill([2], np.int64(3)), "int64", [3, 3]),
    # Complex, bool and string kinds.
    (lambda: tf.constant([np.complex64(1)]), "complex128", [1]),
    (lambda: tf.constant([np.complex64(1), 2]), "complex128", [1, 2]),
    (lambda: tf.constant([1j, 1]), "complex128", [1j, 1]),
    (lambda: tf.constant([1j, 1.5]), "complex128", [1j, 1.5]),
    (lambda: tf.constant([1j, True]), "complex128", [1j, 1]),
    (lambda: tf.constant([np.bool_(True), True]), "bool", [True, True]),
    (lambda: tf.constant([True, np.bool_(False)]), "bool", [True, False]),
    (lambda: tf.constant([np.str_("a")]), "string", [b"a"]),
    (lambda: tf.constant([np.bytes_(b"a")]), "string", [b"a"]),
    # Python bools among ints or floats are numbers.
    (lambda: tf.constant([1, True]), "int32", [1, 1]),
    (lambda: tf.constant([1.5, True]), "float32", [1.5, 1.0]),
    (lambda: tf.constant([np.float32(1), True]), "float32", [1.0, 1.0]),
    # Python ints among floats convert through a double: inf when the float dtype cannot hold them.
    (lambda: tf.constant([1.5, BIG]), "float32", [1.5, np.inf]),
    (lambda: tf.constant([1, 1.5, BIG]), "float32", [1.0, 1.5, np.inf]),
    (lambda: tf.constant([[1.5], [BIG]]), "float32", [[1.5], [np.inf]]),
    (lambda: tf.constant([1.5, 2**63]), "float32", [1.5, 2.0**63]),
    (lambda: tf.constant([1.5, np.uint64(2**63)]), "float32", [1.5, 2.0**63]),
    (lambda: tf.constant([np.float64(1), BIG]), "float64", [1.0, F64_BIG]),
    (lambda: tf.constant([np.float16(1), BIG]), "float16", [1.0, np.inf]),
    # An explicit dtype whose converter takes every element.
    (lambda: tf.constant(BIG, tf.float32), "float32", np.inf),
    (lambda: tf.constant([BIG], tf.float32), "float32", [np.inf]),
    (lambda: tf.constant(BIG, tf.float64), "float64", F64_BIG),
    (lambda: tf.constant(BIG, tf.float16), "float16", np.inf),
    (lambda: tf.constant([1.5, BIG], tf.float64), "float64", [1.5, F64_BIG]),
    (lambda: tf.constant([1.5, BIG], tf.float16), "float16", [1.5, np.inf]),
    (lambda: tf.constant(2**63, tf.float32), "float32", 2.0**63),
    (lambda: tf.constant(2**63, tf.uint64), "uint64", 2**63),
    (lambda: tf.constant([np.uint64(2**63)], tf.uint64), "uint64", [2**63]),
    (lambda: tf.constant([1.5, np.float32(1e6)], tf.float16), "float16", [1.5, np.inf]),
    (lambda: tf.constant([np.float64(1.5)], tf.float32), "float32", [1.5]),
    (lambda: tf.constant([1], tf.float64), "float64", [1.0]),
    (lambda: tf.constant([1, 2], tf.bfloat16), "bfloat16", [1.0, 2.0]),
    (lambda: tf.constant([True], tf.float32), "float32", [1.0]),
    (lambda: tf.constant([True], tf.int32), "int32", [1]),
    (lambda: tf.constant([True, 1], tf.int32), "int32", [1, 1]),
    (lambda: tf.constant(True, tf.int32), "int32", 1),
    (lambda: tf.constant([1.5], tf.complex64), "complex64", [1.5]),
    (lambda: tf.constant([np.int64(1), 2], tf.int64), "int64", [1, 2]),
    (lambda: tf.convert_to_tensor([True, 1], dtype_hint=tf.int32), "int32", [1, 1]),
    (lambda: tf.convert_to_tensor([1.0, 2.0], dtype_hint=tf.int32), "float32", [1.0, 2.0]),
    # NumPy floats (arrays and scalars) given an int or bool dtype are cast, truncating toward zero.
    (lambda: tf.constant(np.array([1.5]), tf.int32), "int32", [1]),
    (lambda: tf.constant(np.array([1.5, -2.7]), tf.int64), "int64", [1, -2]),
    (lambda: tf.constant(np.float64(1.5), tf.int32), "int32", 1),
    (lambda: tf.constant(np.float32(1.5), tf.int32), "int32", 1),
    (lambda: tf.convert_to_tensor(np.array([1.5]), tf.int32), "int32", [1]),
    (lambda: tf.convert_to_tensor(np.float64(2.7), tf.int32), "int32", 2),
    (lambda: tf.constant(np.array([1.5]), tf.bool), "bool", [True]),
    (lambda: tf.constant(np.array([1 + 2j]), tf.float32), "float32", [1.0]),
]


@pytest.mark.parametrize("make, dtype, expected", CONVERTS)
def test_converts_as_tensorflow(make, dtype, expected):
    t = make()
    assert t.dtype.name == dtype
    values = t.numpy()
    if dtype == "bfloat16":
        values = np.asarray(values, np.float32)
    np.testing.assert_array_equal(values, np.asarray(expected))


VALUE_ERRORS = [
    # The first scalar picks the converter; elements it does not take are mixed types.
    (lambda: tf.constant([True, 1]), MIXED),
    (lambda: tf.constant([True, 1.5]), MIXED),
    (lambda: tf.constant([[True], [1]]), MIXED),
    (lambda: tf.constant([1.5, "a"]), MIXED),
    (lambda: tf.constant(["a", 1.5]), MIXED),
    (lambda: tf.constant(["a", 1]), MIXED),
    (lambda: tf.constant([1, "a"]), MIXED),
    (lambda: tf.constant([True, "a"]), MIXED),
    (lambda: tf.constant([1j, "a"]), MIXED),
    (lambda: tf.constant([1, 1j]), MIXED),
    (lambda: tf.constant([1.5, 1j]), MIXED),
    (lambda: tf.constant([True, 1j]), MIXED),
    (lambda: tf.constant([1, 1.5, "a"]), MIXED),
    (lambda: tf.constant([1, 1.5, 1j]), MIXED),
    (lambda: tf.constant([np.bool_(True), 1]), MIXED),
    (lambda: tf.constant([np.bool_(True), np.int64(1)]), MIXED),
    (lambda: tf.constant([1, np.bool_(True)]), MIXED),
    (lambda: tf.constant([np.float32(1), np.bool_(True)]), MIXED),
    (lambda: tf.constant([1j, np.bool_(True)]), MIXED),
    (lambda: tf.constant([1, np.complex64(1)]), MIXED),
    (lambda: tf.constant([1.5, None]), MIXED),
    (lambda: tf.constant([1, None]), MIXED),
    (lambda: tf.convert_to_tensor([True, 1]), MIXED),
    (lambda: tf.Variable([True, 1]), MIXED),
    (lambda: tf.constant(["a", 1], tf.string), MIXED),
    (lambda: tf.constant([1.5, "a"], tf.string), MIXED),
    (lambda: tf.constant([True, 1], tf.bool), MIXED),
    (lambda: tf.constant([1.5, "a"], tf.float32), MIXED),
    (lambda: tf.constant([1, 1j], tf.complex64), MIXED),
    (
        lambda: tf.constant([None]),
        "Attempt to convert a value (None) with an unsupported type (<class 'NoneType'>) to a Tensor.",
    ),
    # Ints beyond int64 met before any float, and ints beyond a double.
    (lambda: tf.constant([np.uint64(2**63)]), OUT_OF_RANGE_INT),
    (lambda: tf.constant([1, np.uint64(2**63)]), OUT_OF_RANGE_INT),
    (lambda: tf.constant([np.uint64(2**63), 1.5]), OUT_OF_RANGE_INT),
    (lambda: tf.constant([np.uint64(2**64 - 1), 1.5]), OUT_OF_RANGE_INT),
    (lambda: tf.constant([BIG, 1.5]), OUT_OF_RANGE_INT),
    (lambda: tf.constant([1, BIG, 1.5]), OUT_OF_RANGE_INT),
    (lambda: tf.constant([2**40, BIG, 1.5]), OUT_OF_RANGE_INT),
    (lambda: tf.constant([2**1100]), OUT_OF_RANGE_INT),
    (lambda: tf.constant(2**1100, tf.float32), OUT_OF_RANGE_INT),
    (lambda: tf.constant(2**1100, tf.float64), OUT_OF_RANGE_INT),
    (lambda: tf.constant([2**1100], tf.float64), OUT_OF_RANGE_INT),
    (lambda: tf.constant([np.uint64(2**63)], tf.int64), OUT_OF_RANGE_INT),
    (lambda: tf.constant([1.5, 2**1100]), OUT_OF_RANGE_FLOAT),
    (lambda: tf.constant([np.float64(1), 2**1100]), OUT_OF_RANGE_FLOAT),
    (lambda: tf.constant([np.float16(1), np.float32(1e6)]), OUT_OF_RANGE_FLOAT),
]


@pytest.mark.parametrize("make, message", VALUE_ERRORS)
def test_value_errors(make, message):
    with pytest.raises(ValueError) as e:
        make()
    assert str(e.value) == message


@pytest.mark.parametrize(
    "make, text, dtype",
    [
        (lambda: tf.constant([1.0, 2.0], tf.int32), "[1.0, 2.0]", "int32"),
        (lambda: tf.constant([1.0, 2.5], tf.int32), "[1.0, 2.5]", "int32"),
        (lambda: tf.constant(1.0, tf.int32), "1.0", "int32"),
        (lambda: tf.constant([1.0, 2.0], tf.int64), "[1.0, 2.0]", "int64"),
        (lambda: tf.constant(2.0, tf.int64), "2.0", "int64"),
        (lambda: tf.constant([1, 2.0], tf.int32), "[1, 2.0]", "int32"),
        (lambda: tf.constant([1.0, 2.0], tf.uint8), "[1.0, 2.0]", "uint8"),
        (lambda: tf.constant([1.0], tf.int8), "[1.0]", "int8"),
        (lambda: tf.constant([1.5, 2.0], tf.int32, shape=[2]), "[1.5, 2.0]", "int32"),
        (lambda: tf.constant([np.float64(1.0)], tf.int32), "[np.float64(1.0)]", "int32"),
        (lambda: tf.constant([np.float32(1.0), 2.0], tf.int32), "[np.float32(1.0), 2.0]", "int32"),
        (lambda: tf.constant([np.array(1.0)], tf.int32), "[array(1.)]", "int32"),
        (lambda: tf.constant([np.int64(1), 1.5], tf.int64), "[np.int64(1), 1.5]", "int64"),
        (lambda: tf.convert_to_tensor([1.0, 2.0], tf.int32), "[1.0, 2.0]", "int32"),
        (lambda: tf.Variable([1.0, 2.0], dtype=tf.int32), "[1.0, 2.0]", "int32"),
        (lambda: tf.Variable(1.0, dtype=tf.int32), "1.0", "int32"),
        (lambda: tf.constant([np.bool_(True)], tf.int32), "[np.True_]", "int32"),
        (lambda: tf.constant([np.bool_(True)], tf.float32), "[np.True_]", "float"),
        (lambda: tf.constant(["a"], tf.float32), "['a']", "float"),
        (lambda: tf.constant([1j], tf.float32), "[1j]", "float"),
        (lambda: tf.constant([True], tf.complex64), "[True]", "complex64"),
        (lambda: tf.constant([1.0], tf.bool), "[1.0]", "bool"),
        (lambda: tf.constant([1], tf.bool), "[1]", "bool"),
        (lambda: tf.constant(1, tf.bool), "1", "bool"),
        (lambda: tf.constant([1.0, 2.0], tf.string), "[1.0, 2.0]", "string"),
        (lambda: tf.constant([1.5], tf.string), "[1.5]", "string"),
    ],
)
def test_explicit_dtype_type_errors(make, text, dtype):
    with pytest.raises(TypeError) as e:
        make()
    assert str(e.value) == f"Cannot convert {text} to EagerTensor of dtype {dtype}"


def test_ragged_constant_converts_its_values_as_python_lists():
    r = tf.ragged.constant([[np.int64(1)], [2, 3]])
    assert r.dtype.name == "int32" and r.to_list() == [[1], [2, 3]]
    r = tf.ragged.constant([[1.5], [BIG]])
    assert r.dtype.name == "float32" and r.to_list() == [[1.5], [np.inf]]
    with pytest.raises(ValueError) as e:
        tf.ragged.constant([[True], [1]])
    assert str(e.value) == MIXED
    with pytest.raises(TypeError) as e:
        tf.ragged.constant([[1.5], [2.0, 3.0]], tf.int32)
    assert str(e.value) == "Cannot convert [1.5, 2.0, 3.0] to EagerTensor of dtype int32"

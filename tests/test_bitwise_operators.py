"""``&``, ``|``, ``^``, ``~`` on tensors and variables: bitwise on integers, logical on bools, as TensorFlow 2.21.

Expected values, node names and error texts were taken from TensorFlow 2.21 running the same code.
"""

import numpy as np
import pytest

import ferroflow as tf


def _allowed_error(dtype: str, op: str, signature: str, commutative: bool) -> str:
    allowed = "DT_INT8, DT_INT16, DT_INT32, DT_INT64, DT_UINT8, DT_UINT16, DT_UINT32, DT_UINT64"
    return (
        f"Value for attr 'T' of {dtype} is not in the list of allowed values: int8, int16, int32, int64, uint8, "
        f"uint16, uint32, uint64\n\t; NodeDef: {{{{node {op}}}}}; Op<name={op}; signature={signature}; "
        f"attr=T:type,allowed=[{allowed}]{'; is_commutative=true' if commutative else ''}> [Op:{op}] name: "
    )


def test_integer_operators_are_bitwise():
    x = tf.constant([12, -7, 5])
    y = tf.constant([10, 3, -1])
    np.testing.assert_array_equal((x & y).numpy(), [8, 1, 5])
    np.testing.assert_array_equal((x | y).numpy(), [14, -5, -1])
    np.testing.assert_array_equal((x ^ y).numpy(), [6, -6, -6])
    np.testing.assert_array_equal((~x).numpy(), [-13, 6, -6])
    assert (x & y).dtype == tf.int32


def test_python_numbers_on_either_side():
    x = tf.constant([12, -7, 5])
    np.testing.assert_array_equal((x & 6).numpy(), [4, 0, 4])
    np.testing.assert_array_equal((6 & x).numpy(), [4, 0, 4])
    np.testing.assert_array_equal((3 | x).numpy(), [15, -5, 7])
    np.testing.assert_array_equal((x ^ 1).numpy(), [13, -8, 4])
    np.testing.assert_array_equal((1 ^ x).numpy(), [13, -8, 4])
    np.testing.assert_array_equal((x & True).numpy(), [0, 1, 1])


@pytest.mark.parametrize("dtype", ["int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64"])
def test_every_integer_dtype_matches_numpy(dtype):
    info = np.iinfo(dtype)
    rng = np.random.default_rng(0)
    a = rng.integers(info.min, info.max, size=7, dtype=dtype, endpoint=True)
    b = rng.integers(info.min, info.max, size=7, dtype=dtype, endpoint=True)
    x, y = tf.constant(a), tf.constant(b)
    np.testing.assert_array_equal((x & y).numpy(), a & b)
    np.testing.assert_array_equal((x | y).numpy(), a | b)
    np.testing.assert_array_equal((x ^ y).numpy(), a ^ b)
    np.testing.assert_array_equal((~x).numpy(), ~a)
    assert (x ^ y).dtype.name == dtype


def test_uint8_values():
    u = tf.constant([200, 7], tf.uint8)
    np.testing.assert_array_equal((u & tf.constant([15, 3], tf.uint8)).numpy(), [8, 3])
    np.testing.assert_array_equal((~u).numpy(), [55, 248])


def test_bool_operators_are_logical():
    b = tf.constant([True, False])
    c = tf.constant([True, True])
    np.testing.assert_array_equal((b & c).numpy(), [True, False])
    np.testing.assert_array_equal((b | c).numpy(), [True, True])
    np.testing.assert_array_equal((b ^ c).numpy(), [False, True])
    np.testing.assert_array_equal((~b).numpy(), [False, True])
    np.testing.assert_array_equal((b & True).numpy(), [True, False])
    np.testing.assert_array_equal((True ^ b).numpy(), [False, True])
    assert (b ^ c).dtype == tf.bool


def test_variable_operators():
    v = tf.Variable([12, 5])
    np.testing.assert_array_equal((v & 6).numpy(), [4, 4])
    np.testing.assert_array_equal((v | 1).numpy(), [13, 5])
    np.testing.assert_array_equal((v ^ 3).numpy(), [15, 6])
    np.testing.assert_array_equal((~v).numpy(), [-13, -6])
    np.testing.assert_array_equal((6 & v).numpy(), [4, 4])


def test_float_operands_raise_tensorflow_errors():
    f = tf.constant([1.0])
    with pytest.raises(tf.errors.InvalidArgumentError) as err:
        f & tf.constant([2.0])
    assert str(err.value) == _allowed_error("float", "BitwiseAnd", "x:T, y:T -> z:T", True)
    with pytest.raises(tf.errors.InvalidArgumentError) as err:
        ~tf.constant(1.5, tf.float64)
    assert str(err.value) == _allowed_error("double", "Invert", "x:T -> y:T", False)
    with pytest.raises(tf.errors.InvalidArgumentError) as err:
        tf.bitwise.bitwise_or(f, f)
    assert str(err.value) == _allowed_error("float", "BitwiseOr", "x:T, y:T -> z:T", True)
    with pytest.raises(tf.errors.InvalidArgumentError) as err:
        tf.bitwise.left_shift(f, f)
    assert str(err.value) == _allowed_error("float", "LeftShift", "x:T, y:T -> z:T", False)
    with pytest.raises(tf.errors.InvalidArgumentError) as err:
        tf.bitwise.right_shift(tf.constant([True]), tf.constant([True]))
    assert str(err.value) == _allowed_error("bool", "RightShift", "x:T, y:T -> z:T", False)


def test_mixed_integer_dtypes_raise():
    x = tf.constant([1, 2, 3])
    with pytest.raises(tf.errors.InvalidArgumentError) as err:
        x & tf.constant([1, 2, 3], tf.int64)
    assert str(err.value) == (
        "cannot compute BitwiseAnd as input #1(zero-based) was expected to be a int32 tensor but is a int64 "
        "tensor [Op:BitwiseAnd] name: "
    )
    with pytest.raises(TypeError):
        x ^ 1.5


def test_graph_node_names():
    g = tf.Graph()
    with g.as_default():
        x = tf.constant(3)
        b = tf.constant(True)
        made = [
            x & 1,
            1 & x,
            x | x,
            x ^ x,
            ~x,
            b ^ b,
            tf.bitwise.bitwise_or(x, x, name="q"),
            tf.bitwise.invert(x, name="inv"),
            tf.bitwise.bitwise_and(x, x),
            tf.bitwise.left_shift(x, x),
        ]
        logical = [b & b, b | b, ~b]
    assert [t.name for t in made] == [
        "and/BitwiseAnd:0",
        "and_1/BitwiseAnd:0",
        "or/BitwiseOr:0",
        "xor/BitwiseXor:0",
        "Invert:0",
        "xor_1:0",
        "q:0",
        "inv:0",
        "BitwiseAnd:0",
        "LeftShift:0",
    ]
    assert [t.op.type for t in logical] == ["LogicalAnd", "LogicalOr", "LogicalNot"]
    assert made[5].op.type == "LogicalAnd" and str(made[4]) == 'Tensor("Invert:0", shape=(), dtype=int32)'
    with tf.compat.v1.Session(graph=g) as sess:
        assert sess.run([x & 6, x ^ 1, ~x]) == [2, 2, -4]


def test_operators_inside_tf_function():
    @tf.function
    def f(x, y):
        return x & y, x | y, x ^ y, ~x

    got = f(tf.constant([12, -7]), tf.constant([10, 3]))
    assert [t.numpy().tolist() for t in got] == [[8, 1], [14, -5], [6, -6], [-13, 6]]

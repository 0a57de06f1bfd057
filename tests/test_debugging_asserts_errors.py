"""tf.debugging's dtype/rank/iterable checks, is_numeric_tensor and Assert (TensorFlow 2.21's messages, eager and
in tf.function), and tf.errors' codes, the added error classes and error_code/message on all of them."""

import numpy as np
import pytest

import ferroflow as tf


def test_assert_integer_and_scalar():
    tf.debugging.assert_integer(tf.constant([1], tf.int64))
    with pytest.raises(TypeError, match=r'custom.  Expected "x" to be integer type.  Found: tensor of dtype <dtype'):
        tf.debugging.assert_integer(tf.constant([1.0]), message="custom")
    tf.debugging.assert_scalar(tf.constant(1.0))
    with pytest.raises(ValueError, match=r"Expected scalar shape, saw shape: \(1,\)"):
        tf.debugging.assert_scalar(tf.constant([1.0]))


def test_rank_checks_static_and_at_run_time():
    tf.debugging.assert_rank_at_least(tf.zeros([2, 3]), 2)
    tf.debugging.assert_rank_in(tf.zeros([2]), [0, 1])
    with pytest.raises(ValueError, match=r"mm.  Tensor  must have rank at least 2.  Received rank 1, shape \(1,\)"):
        tf.debugging.assert_rank_at_least(tf.constant([1.0]), 2, message="mm")
    with pytest.raises(ValueError, match=r"must have rank in \(0, 2\).  Received rank 1"):
        tf.debugging.assert_rank_in(tf.constant([1.0]), [0, 2])

    @tf.function(input_signature=[tf.TensorSpec(None, tf.float32)])
    def unknown_rank(x):
        tf.debugging.assert_rank_at_least(x, 2)
        tf.debugging.assert_rank_in(x, (2, 3))
        return x * 2

    assert unknown_rank(tf.ones([2, 2])).numpy().tolist() == [[2, 2], [2, 2]]
    with pytest.raises(tf.errors.InvalidArgumentError, match="must have rank at least 2"):
        unknown_rank(tf.ones([3]))


def test_assert_same_float_dtype():
    assert tf.debugging.assert_same_float_dtype([tf.constant([1.0]), tf.constant([2.0])]) == tf.float32
    assert tf.debugging.assert_same_float_dtype(None, tf.float64) == tf.float64
    assert tf.debugging.assert_same_float_dtype() == tf.float32
    with pytest.raises(ValueError, match=r"type=<dtype: 'float64'>, must be of the same type \(<dtype: 'float32'>\)"):
        tf.debugging.assert_same_float_dtype([tf.constant([1.0]), tf.constant([1.0], tf.float64)])
    with pytest.raises(ValueError, match="Expected floating point type, got <dtype: 'int32'>"):
        tf.debugging.assert_same_float_dtype([tf.constant([1])])
    with pytest.raises(ValueError, match=r"must be of the same type \(<dtype: 'float64'>\)\."):
        tf.debugging.assert_same_float_dtype([tf.constant([1.0])], tf.float64)


def test_assert_proper_iterable_and_is_numeric_tensor():
    tf.debugging.assert_proper_iterable([1, 2])
    tf.debugging.assert_proper_iterable((tf.constant(1),))
    for bad in (tf.constant([1, 2]), np.array([1, 2]), "ab", b"ab"):
        with pytest.raises(TypeError, match='to be a "proper" iterable'):
            tf.debugging.assert_proper_iterable(bad)
    with pytest.raises(TypeError, match='Expected argument "values" to be iterable'):
        tf.debugging.assert_proper_iterable(5)
    assert tf.debugging.is_numeric_tensor(tf.constant([1]))
    assert tf.debugging.is_numeric_tensor(tf.constant([1.0], tf.float64))
    assert tf.debugging.is_numeric_tensor(tf.constant([1], tf.uint8))
    assert not tf.debugging.is_numeric_tensor(tf.constant([True]))
    assert not tf.debugging.is_numeric_tensor(tf.constant(["a"]))
    assert not tf.debugging.is_numeric_tensor(np.array([1]))


def test_assert_eager_messages():
    tf.debugging.Assert(tf.constant(True), ["fine", tf.constant([1, 2])])
    tf.debugging.Assert(tf.constant([True, True]), ["fine"])
    # TensorFlow 2.21's messages.
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        tf.debugging.Assert(tf.constant(False), ["x is bad", tf.constant([1, 2, 3]), 5.0])
    assert str(info.value) == (
        "Expected 'tf.Tensor(False, shape=(), dtype=bool)' to be true. Summarized data: b'x is bad'\n1, 2, 3\n5.0"
    )
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        tf.debugging.Assert(False, [tf.range(10)], summarize=3)
    assert str(info.value) == "Expected 'False' to be true. Summarized data: 0, 1, 2, ..."


def test_assert_inside_tf_function_and_loops():
    @tf.function
    def positive(x):
        tf.debugging.Assert(tf.reduce_all(x > 0), ["neg found", x])
        return x + 1

    assert positive(tf.constant([1, 2])).numpy().tolist() == [2, 3]
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"assertion failed: \[neg found\] \[1 -2\]"):
        positive(tf.constant([1, -2]))

    @tf.function
    def loop(limit):
        def body(i):
            tf.debugging.Assert(i < 3, ["i too big", i])
            return (i + 1,)

        return tf.while_loop(lambda i: i < limit, body, [tf.constant(0)])

    assert int(loop(tf.constant(3))[0]) == 3
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"\[i too big\] \[3\]"):
        loop(tf.constant(5))


def test_error_codes_and_classes():
    codes = ["OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS",
             "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE",
             "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED"]  # fmt: skip
    assert [getattr(tf.errors, c) for c in codes] == list(range(17))
    added = [("CancelledError", 1), ("AlreadyExistsError", 6), ("PermissionDeniedError", 7),
             ("ResourceExhaustedError", 8), ("UnauthenticatedError", 16), ("UnimplementedError", 12)]  # fmt: skip
    for name, code in added:
        cls = getattr(tf.errors, name)
        error = cls(None, None, "went wrong")  # TensorFlow's (node_def, op, message)
        assert error.error_code == code and error.message == "went wrong" and str(error) == "went wrong"
        assert error.op is None and error.node_def is None
        assert str(cls("plain message")) == "plain message"
        with pytest.raises(tf.errors.OpError):
            raise error
    assert isinstance(tf.errors.UnimplementedError("x"), NotImplementedError)
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        tf.constant([1, 2]) + tf.constant([1, 2, 3])
    assert info.value.error_code == tf.errors.INVALID_ARGUMENT and info.value.message == str(info.value)
    assert tf.errors.OutOfRangeError("end").error_code == 11
    assert tf.errors.NotFoundError(None, None, "gone").message == "gone"

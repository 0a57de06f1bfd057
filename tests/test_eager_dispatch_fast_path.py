"""The eager fast paths of op dispatch (two eager tensors, or an eager tensor and a Python number) give the
same results, dtypes, errors and gradients as the general conversion path, and step aside for tapes,
tracing, debug observers and NumPy promotion."""

import numpy as np
import pytest

import ferroflow as tf
from ferroflow.framework import ops


def test_two_eager_tensors_add_and_operator():
    a = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    b = tf.constant([[0.5, -1.0], [2.0, 0.25]])
    expected = np.array([[1.5, 1.0], [5.0, 4.25]], np.float32)
    np.testing.assert_array_equal(tf.add(a, b).numpy(), expected)
    np.testing.assert_array_equal((a + b).numpy(), expected)
    np.testing.assert_array_equal((a + tf.constant([10.0, 20.0])).numpy(), [[11, 22], [13, 24]])  # broadcasting


def test_mismatched_dtypes_still_raise():
    with pytest.raises((TypeError, tf.errors.InvalidArgumentError)):
        tf.add(tf.constant([1.0]), tf.constant([1]))


@pytest.mark.parametrize(
    "dtype,scalar",
    [(tf.float32, 0.5), (tf.float64, 0.5), (tf.float16, 2.0), (tf.float32, 3), (tf.int32, 3), (tf.int64, 2**40)],
)
def test_python_scalar_takes_the_tensor_dtype(dtype, scalar):
    x = tf.constant([1, 2], dtype=dtype)
    for result, ref in [(x * scalar, lambda v: v * scalar), (scalar - x, lambda v: scalar - v)]:
        assert result.dtype == dtype
        want = ref(np.array([1, 2], dtype=dtype.as_numpy_dtype)).astype(dtype.as_numpy_dtype)
        np.testing.assert_array_equal(result.numpy(), want)
        general = ops.convert_to_tensor(scalar, dtype=dtype)
        assert general.dtype == dtype


def test_scalar_cases_left_to_the_general_path():
    i = tf.constant([1, 2])
    with pytest.raises(ValueError, match="int32"):
        i + 2**40  # out of int32's range
    with pytest.raises(TypeError):
        i + 0.5  # a fraction for an integer tensor
    assert (tf.constant(1, tf.int8) + 3).dtype == tf.int8
    assert (tf.constant(1.0, tf.bfloat16) * 2.0).dtype == tf.bfloat16
    assert (tf.constant([True]) == True).dtype == tf.bool  # noqa: E712


def test_gradient_under_tape_and_nested_tapes():
    x = tf.constant([1.0, 2.0], dtype=tf.float64)
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = x * x + 3.0 * x
        dy = inner.gradient(y, x)
    np.testing.assert_allclose(dy.numpy(), [5.0, 7.0])
    np.testing.assert_allclose(outer.gradient(dy, x).numpy(), [2.0, 2.0])


def test_stopped_tape_records_nothing():
    x = tf.constant(2.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        with tape.stop_recording():
            y = x * x
    assert tape.gradient(y, x) is None


def test_traced_function_and_variables():
    v = tf.Variable([1.0, 2.0])

    @tf.function
    def f(t):
        return tf.add(t, v) * 2.0 + 1

    np.testing.assert_array_equal(f(tf.constant([1.0, 1.0])).numpy(), [5.0, 7.0])
    np.testing.assert_array_equal((v + 1.0).numpy(), [2.0, 3.0])


def test_numpy_inputs_and_ragged():
    np.testing.assert_array_equal(tf.add(np.array([1.0, 2.0], np.float32), tf.constant([1.0, 1.0])).numpy(), [2, 3])
    r = tf.ragged.constant([[1, 2], [3]])
    assert tf.add(r, 1).to_list() == [[2, 3], [4]]


def test_observer_sees_each_eager_op(monkeypatch):
    seen = []
    monkeypatch.setattr(ops, "eager_op_observer", lambda op, result: seen.append(op.type_name))
    tf.add(tf.constant(1.0), tf.constant(2.0))
    assert len(seen) == 1


def test_numpy_promotion_applies_to_eager_tensors():
    calls = []

    def promote(a, b):
        calls.append((a, b))
        return a, b

    ops.NUMPY_PROMOTION[0] = promote
    try:
        tf.constant(1.0) + tf.constant(2.0)
        tf.constant(1.0) + 2.0
    finally:
        ops.NUMPY_PROMOTION[0] = None
    assert len(calls) == 2

"""Python floats out of float32's range, TensorShape conversion dtypes, and variables with a partly unknown
declared shape, as TensorFlow 2.21 handles them (expected values and messages as TensorFlow prints them)."""

import numpy as np
import pytest

import ferroflow as tf

OUT_OF_RANGE = "Can't convert Python sequence with a value out of range for a double-precision float."


@pytest.mark.parametrize(
    "make",
    [
        lambda: tf.constant(1e300),
        lambda: tf.constant([1.0, 1e300]),
        lambda: tf.constant([[1, 2], [1e300, 3]]),
        lambda: tf.constant(-1e300),
        lambda: tf.constant(3.40282357e38),
        lambda: tf.constant([float("inf"), 1e300]),
        lambda: tf.convert_to_tensor(1e300),
        lambda: tf.cast(1e300, tf.float32),
        lambda: tf.cast(1e300, tf.float64),
        lambda: tf.cast([1e300], tf.float32),
        lambda: tf.Variable(1e300),
        lambda: tf.add(1e300, 1.0),
    ],
)
def test_inferred_float32_overflow_raises(make):
    with pytest.raises(ValueError) as e:
        make()
    assert str(e.value) == OUT_OF_RANGE


@pytest.mark.parametrize(
    "make, dtype, expected",
    [
        (lambda: tf.constant(1e300, tf.float32), "float32", np.inf),
        (lambda: tf.constant([1e300], tf.float32), "float32", [np.inf]),
        (lambda: tf.constant(-1e300, tf.float32), "float32", -np.inf),
        (lambda: tf.constant(1e6, tf.float16), "float16", np.inf),
        (lambda: tf.constant(1e300, tf.bfloat16), "bfloat16", np.inf),
        (lambda: tf.constant(1e300, tf.complex64), "complex64", np.inf),
        (lambda: tf.constant(float("inf")), "float32", np.inf),
        (lambda: tf.constant(3.4028235e38), "float32", np.finfo(np.float32).max),
        (lambda: tf.cast(tf.constant(1e300, tf.float64), tf.float32), "float32", np.inf),
        (lambda: tf.cast(np.float64(1e300), tf.float32), "float32", np.inf),
        (lambda: tf.convert_to_tensor(1e300, dtype_hint=tf.float32), "float32", np.inf),
        (lambda: tf.convert_to_tensor(1e300, dtype_hint=tf.float64), "float64", 1e300),
        (lambda: tf.constant(1.0) + 1e300, "float32", np.inf),
    ],
)
def test_explicit_or_tensor_overflow_is_inf(make, dtype, expected):
    t = make()
    assert t.dtype.name == dtype
    np.testing.assert_array_equal(
        np.asarray(t.numpy(), dtype=np.complex128 if dtype == "complex64" else None), expected
    )


def test_nan_converts():
    assert np.isnan(tf.constant(float("nan")).numpy())


@pytest.mark.parametrize("dtype", [tf.float32, tf.string, tf.int16, "float32"])
def test_tensor_shape_to_other_dtype_raises(dtype):
    with pytest.raises(TypeError) as e:
        tf.convert_to_tensor(tf.TensorShape([2, 3]), dtype)
    name = tf.as_dtype(dtype).name
    assert str(e.value) == (
        f"Cannot convert TensorShape (2, 3) to dtype <dtype: '{name}'>. Allowed dtypes are tf.int32 and tf.int64."
    )


def test_tensor_shape_conversions_that_work():
    t = tf.convert_to_tensor(tf.TensorShape([2, 3]))
    assert t.dtype == tf.int32 and t.numpy().tolist() == [2, 3]
    assert tf.convert_to_tensor(tf.TensorShape([2, 3]), tf.int64).dtype == tf.int64
    hinted = tf.convert_to_tensor(tf.TensorShape([2, 3]), dtype_hint=tf.float32)
    assert hinted.dtype == tf.int32 and hinted.numpy().tolist() == [2, 3]
    # tf.constant and tf.cast convert the shape first, then cast.
    assert tf.constant(tf.TensorShape([2, 3]), tf.float32).numpy().tolist() == [2.0, 3.0]
    assert tf.cast(tf.TensorShape([2, 3]), tf.float32).numpy().tolist() == [2.0, 3.0]


def test_tensor_shape_empty_and_unknown():
    with pytest.raises(TypeError, match=r"Cannot convert TensorShape \(\) to dtype"):
        tf.convert_to_tensor(tf.TensorShape([]), tf.float32)
    # The partly known shape is refused before the dtype is looked at.
    with pytest.raises(ValueError, match=r"^Cannot convert a partially known TensorShape <unknown> to a Tensor\.$"):
        tf.convert_to_tensor(tf.TensorShape(None), tf.float32)
    with pytest.raises(ValueError, match=r"partially known TensorShape \(2, None\)"):
        tf.convert_to_tensor(tf.TensorShape([2, None]), tf.int32)


def test_variable_with_unknown_first_dim():
    v = tf.Variable(tf.zeros([2, 3]), shape=tf.TensorShape([None, 3]))
    assert v.shape.as_list() == [None, 3] and v.get_shape().as_list() == [None, 3]
    assert v.numpy().shape == (2, 3) and v.value().shape == (2, 3)
    assert tf.shape(v).numpy().tolist() == [2, 3]
    assert repr(v).startswith("<tf.Variable 'Variable:0' shape=(None, 3) dtype=float32, numpy=")
    r = v.assign(tf.zeros([5, 3]))
    assert r.shape.as_list() == [None, 3]
    assert v.shape.as_list() == [None, 3] and v.numpy().shape == (5, 3)
    assert tf.shape(v).numpy().tolist() == [5, 3]
    v.assign_add(tf.ones([5, 3]))
    np.testing.assert_array_equal(v.numpy(), np.ones([5, 3], np.float32))
    with pytest.raises(ValueError) as e:
        v.assign(tf.zeros([5, 4]))
    assert str(e.value) == (
        "Cannot assign value to variable ' Variable:0': Shape mismatch.The variable shape (None, 3), "
        "and the assigned value shape (5, 4) are incompatible."
    )
    with pytest.raises(tf.errors.InvalidArgumentError):
        v.assign_add(tf.ones([2, 3]))
    v.assign(tf.zeros([0, 3]))
    assert v.numpy().shape == (0, 3) and v.shape.as_list() == [None, 3]


def test_variable_unknown_dim_inside_function():
    v = tf.Variable(tf.zeros([2, 3]), shape=tf.TensorShape([None, 3]))
    v.assign(tf.zeros([5, 3]))
    seen = []

    @tf.function
    def f():
        seen.append((v.shape.as_list(), tf.convert_to_tensor(v).shape.as_list(), v.read_value().shape.as_list()))
        return tf.shape(v)

    assert f().numpy().tolist() == [5, 3]
    assert seen == [([None, 3], [None, 3], [None, 3])]


def test_variable_unknown_rank_and_declared_shapes():
    v = tf.Variable(tf.zeros([2, 3]), shape=tf.TensorShape(None))
    assert v.shape.rank is None
    v.assign(tf.zeros([4]))
    assert v.shape.rank is None and v.numpy().shape == (4,)
    assert tf.Variable(tf.zeros([2, 3]), shape=[None, 3]).shape.as_list() == [None, 3]
    assert tf.Variable(tf.zeros([2, 3]), shape=(2, 3)).shape.as_list() == [2, 3]
    assert tf.Variable(lambda: tf.zeros([2, 3]), shape=tf.TensorShape([None, 3])).shape.as_list() == [None, 3]
    fixed = tf.Variable(tf.zeros([2, 3]))
    with pytest.raises(ValueError, match="variable shape \\(2, 3\\), and the assigned value shape \\(5, 3\\)"):
        fixed.assign(tf.zeros([5, 3]))


@pytest.mark.parametrize(
    "shape, text",
    [(tf.TensorShape([None, 4]), "(None, 4)"), ([3, 2], "[3, 2]"), ([None], "[None]")],
)
def test_variable_incompatible_declared_shape(shape, text):
    with pytest.raises(ValueError) as e:
        tf.Variable(tf.zeros([2, 3]), shape=shape)
    assert str(e.value) == (
        "In this `tf.Variable` creation, the initial value's shape ((2, 3)) is not compatible with the "
        f"explicitly supplied `shape` argument ({text})."
    )

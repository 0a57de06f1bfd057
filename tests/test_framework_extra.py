"""``tf.get_logger``, ``tf.inside_function``, ``tf.is_symbolic_tensor``, ``tf.get_current_name_scope``, the
``VariableAggregation`` / ``VariableSynchronization`` enums on ``tf.Variable``, and TensorFlow 2's top-level
initializers (``tf.constant_initializer`` ...), with the errors TensorFlow raises."""

import logging

import numpy as np
import pytest

import ferroflow as tf


def test_get_logger_is_one_standard_logger():
    logger = tf.get_logger()
    assert isinstance(logger, logging.Logger) and logger.name == "ferroflow"
    assert tf.get_logger() is logger and logger is logging.getLogger("ferroflow")
    assert logger.getEffectiveLevel() <= logging.WARNING


def test_inside_function_and_symbolic_tensors():
    seen = {}

    @tf.function
    def f(x):
        seen["inside"], seen["symbolic"] = tf.inside_function(), tf.is_symbolic_tensor(x)
        return x + 1

    f(tf.constant(1.0))
    assert seen == {"inside": True, "symbolic": True}
    assert not tf.inside_function()
    assert not tf.is_symbolic_tensor(tf.constant(1.0))
    assert not tf.is_symbolic_tensor(np.ones(2)) and not tf.is_symbolic_tensor(tf.Variable(1.0))
    with tf.Graph().as_default():
        assert not tf.inside_function()  # a TF1 graph is not a function


def test_get_current_name_scope_eagerly_in_functions_and_in_graphs():
    assert tf.get_current_name_scope() == ""
    with tf.name_scope("outer"):
        with tf.name_scope("inner"):
            assert tf.get_current_name_scope() == "outer/inner"
        with tf.name_scope("inner"):
            assert tf.get_current_name_scope() == "outer/inner"  # eager scopes are not made unique
    seen = []

    @tf.function
    def f(x):
        seen.append(tf.get_current_name_scope())
        with tf.name_scope("a"):
            seen.append(tf.get_current_name_scope())
        return x

    f(tf.constant(1.0))
    assert seen == ["", "a"]
    with tf.Graph().as_default():
        with tf.name_scope("x"):
            assert tf.get_current_name_scope() == "x"
        with tf.name_scope("x"):
            assert tf.get_current_name_scope() == "x_1"


def test_variable_enums_have_tensorflows_members():
    assert [m.name for m in tf.VariableAggregation] == ["NONE", "SUM", "MEAN", "ONLY_FIRST_REPLICA"]
    assert [m.value for m in tf.VariableAggregation] == [0, 1, 2, 3]
    assert [m.name for m in tf.VariableSynchronization] == ["AUTO", "NONE", "ON_WRITE", "ON_READ"]
    assert [m.value for m in tf.VariableSynchronization] == [0, 1, 2, 3]


def test_variables_record_synchronization_and_aggregation():
    v = tf.Variable(1.0)
    assert v.synchronization is tf.VariableSynchronization.AUTO and v.aggregation is tf.VariableAggregation.NONE
    assert v.trainable
    on_read = tf.Variable(
        1.0, synchronization=tf.VariableSynchronization.ON_READ, aggregation=tf.VariableAggregation.MEAN
    )
    assert not on_read.trainable and on_read.aggregation is tf.VariableAggregation.MEAN
    assert tf.Variable(1.0, synchronization=tf.VariableSynchronization.ON_READ, trainable=True).trainable
    with tf.Graph().as_default():
        g = tf.Variable(1.0, aggregation=tf.VariableAggregation.SUM)
        assert g.aggregation is tf.VariableAggregation.SUM and g.trainable
    with pytest.raises(ValueError, match="Invalid variable aggregation mode: sum"):
        tf.Variable(1.0, aggregation="sum")
    with pytest.raises(ValueError, match="Invalid variable synchronization mode: x"):
        tf.Variable(1.0, synchronization="x")


def test_constant_initializer_broadcasts_a_scalar_and_reshapes_a_list():
    scalar = tf.constant_initializer(2.0)(shape=[3])
    assert scalar.dtype == tf.float32 and scalar.numpy().tolist() == [2.0, 2.0, 2.0]
    listed = tf.constant_initializer([0, 1, 2, 3])
    assert listed(shape=[2, 2]).dtype == tf.int32  # no dtype: the value's
    np.testing.assert_array_equal(listed(shape=[2, 2], dtype=tf.float32).numpy(), [[0.0, 1.0], [2.0, 3.0]])
    assert tf.constant_initializer(2.0).get_config() == {"value": 2.0}
    v = tf.Variable(tf.constant_initializer(np.arange(6.0))(shape=(2, 3), dtype=tf.float64))
    assert v.dtype == tf.float64 and v.numpy()[1, 2] == 5.0


@pytest.mark.parametrize("dtype", [tf.float32, tf.float64, tf.int32, tf.int64, tf.bool])
def test_zeros_and_ones_initializers_take_every_dtype(dtype):
    zeros, ones = tf.zeros_initializer()([2, 3], dtype), tf.ones_initializer()(shape=(2, 3), dtype=dtype)
    assert zeros.dtype == dtype and ones.dtype == dtype and zeros.shape == (2, 3)
    assert not np.any(zeros.numpy()) and np.all(ones.numpy())
    assert tf.zeros_initializer()([2]).dtype == tf.float32


def test_random_initializers():
    normal = tf.random_normal_initializer(mean=1.0, stddev=2.0, seed=3)
    a, b = normal([2000]), normal([2000])
    np.testing.assert_array_equal(a.numpy(), b.numpy())  # seeded: the same values on every call
    assert a.dtype == tf.float32 and abs(float(np.mean(a.numpy())) - 1.0) < 0.2
    assert abs(float(np.std(a.numpy())) - 2.0) < 0.2
    assert normal.get_config() == {"mean": 1.0, "stddev": 2.0, "seed": 3}
    uniform = tf.random_uniform_initializer(-1.0, 1.0)([500], tf.float64)
    assert uniform.dtype == tf.float64 and -1.0 <= uniform.numpy().min() and uniform.numpy().max() < 1.0
    ints = tf.random_uniform_initializer(0, 10, seed=1)([500], tf.int32)
    assert ints.dtype == tf.int32 and set(np.unique(ints.numpy())) <= set(range(10))
    clone = tf.random_uniform_initializer.from_config(tf.random_uniform_initializer(0, 3, seed=4).get_config())
    assert clone.minval == 0 and clone.maxval == 3 and clone.seed == 4


def test_initializers_work_in_keras_layers():
    layer = tf.keras.layers.Dense(
        2, kernel_initializer=tf.constant_initializer(0.5), bias_initializer=tf.ones_initializer()
    )
    out = layer(np.ones((1, 3), np.float32))
    np.testing.assert_allclose(out.numpy(), [[2.5, 2.5]])


@pytest.mark.parametrize(
    "call,error,message",
    [
        (lambda: tf.constant_initializer([1, 2, 3])(shape=[2, 2]), TypeError, r"shape \[2, 2\] from 3 values"),
        (lambda: tf.constant_initializer({"a": 1}), TypeError, "Invalid type for initial value: dict"),
        (lambda: tf.constant_initializer(tf.constant(2.0)), TypeError, "Invalid type for initial value: EagerTensor"),
        (lambda: tf.constant_initializer(2.0)([2], foo=1), TypeError, "Keyword argument should be one of"),
        (lambda: tf.constant_initializer(2.0)([2], partition_shape=[1]), ValueError, "doesn't support partition"),
        (lambda: tf.random_normal_initializer()([2], tf.int32), ValueError, "expected to be floating point"),
        (lambda: tf.random_uniform_initializer()([5], tf.int32), TypeError, "Cannot convert -0.05"),
        (lambda: tf.random_uniform_initializer()([5], tf.bool), ValueError, "numeric or boolean. Received bool"),
    ],
)
def test_bad_initializer_arguments_raise(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_partition_shape_sets_the_shape_made():
    assert tf.zeros_initializer()([4, 4], partition_shape=[2, 4], partition_offset=[2, 0]).shape == (2, 4)

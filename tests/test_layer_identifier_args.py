"""Regularizers and constraints given to layers as names or config dicts are resolved to objects, so that
``get_config`` serializes them and ``from_config`` rebuilds the same layer (as in Keras)."""

import numpy as np
import pytest

import ferroflow as tf

L2_DICT = {"class_name": "L2", "config": {"l2": 0.01}}


@pytest.mark.parametrize(
    "make",
    [
        lambda: tf.keras.layers.Dense(3, kernel_regularizer=L2_DICT, bias_constraint="non_neg"),
        lambda: tf.keras.layers.Conv2D(3, 2, kernel_regularizer=L2_DICT, bias_constraint="non_neg"),
        lambda: tf.keras.layers.Conv1D(3, 2, kernel_regularizer=L2_DICT, bias_constraint="non_neg"),
    ],
    ids=["Dense", "Conv2D", "Conv1D"],
)
def test_kernel_regularizer_dict_and_constraint_name_are_resolved(make):
    layer = make()
    assert isinstance(layer.kernel_regularizer, tf.keras.regularizers.L2)
    assert isinstance(layer.bias_constraint, tf.keras.constraints.NonNeg)
    config = layer.get_config()
    assert config["kernel_regularizer"]["class_name"] == "L2"
    assert config["kernel_regularizer"]["config"]["l2"] == pytest.approx(0.01)
    assert config["bias_constraint"]["class_name"] == "NonNeg"
    assert type(layer).from_config(config).get_config() == config


def test_conv2d_regularizer_from_a_dict_adds_its_loss():
    layer = tf.keras.layers.Conv2D(2, 3, kernel_regularizer=L2_DICT, use_bias=False)
    layer(np.zeros((1, 5, 5, 1), np.float32))
    expected = 0.01 * float(np.sum(np.square(layer.kernel.numpy())))
    assert len(layer.losses) == 1
    assert float(layer.losses[0]) == pytest.approx(expected, rel=1e-5)


def test_normalization_separable_and_prelu_resolve_names():
    bn = tf.keras.layers.BatchNormalization(gamma_regularizer="l2", beta_constraint="non_neg")
    assert bn.get_config()["gamma_regularizer"]["class_name"] == "L2"
    assert bn.get_config()["beta_constraint"]["class_name"] == "NonNeg"
    sep = tf.keras.layers.SeparableConv2D(2, 3, pointwise_regularizer=L2_DICT, depthwise_constraint="non_neg")
    assert sep.get_config()["pointwise_regularizer"]["class_name"] == "L2"
    assert sep.get_config()["depthwise_constraint"]["class_name"] == "NonNeg"
    prelu = tf.keras.layers.PReLU(alpha_regularizer="l1", alpha_constraint="non_neg")
    assert prelu.get_config()["alpha_regularizer"]["class_name"] == "L1"
    assert prelu.get_config()["alpha_constraint"]["class_name"] == "NonNeg"


def test_unknown_regularizer_name_is_a_value_error():
    with pytest.raises(ValueError, match="Could not interpret regularizer identifier"):
        tf.keras.layers.Conv2D(2, 3, kernel_regularizer="no_such_regularizer")

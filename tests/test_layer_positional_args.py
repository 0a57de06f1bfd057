"""Keras 3's rule for a layer's positional arguments: tensors, arrays or None only; Python numbers and strings
there raise its ValueError, except for preprocessing layers and functional models, which take Python values
(the answers TensorFlow 2.21's tf.keras gives, checked with it)."""

from __future__ import annotations

import numpy as np
import pytest

import ferroflow as tf

MESSAGE = (
    "Only input tensors may be passed as positional arguments. The following argument value should be "
    "passed as a keyword argument: 2.0 (of type <class 'float'>)"
)


@pytest.mark.parametrize(
    "make",
    [
        lambda: tf.keras.layers.Dense(2),
        lambda: tf.keras.layers.ReLU(),
        lambda: tf.keras.Sequential([tf.keras.layers.Dense(2)]),
    ],
)
def test_python_list_input_raises_as_keras(make):
    with pytest.raises(ValueError) as info:
        make()([[2.0, 2.0]])
    assert str(info.value) == MESSAGE


def test_python_scalar_and_int_lists_raise():
    with pytest.raises(ValueError, match="following argument value should be passed as a keyword argument: 3.0"):
        tf.keras.layers.Dense(2)(3.0)
    with pytest.raises(ValueError, match=r"argument: 1 \(of type <class 'int'>\)"):
        tf.keras.layers.Embedding(5, 2)([[1, 2]])


def test_a_positional_bool_after_the_inputs_raises():
    with pytest.raises(ValueError, match=r"argument: True \(of type <class 'bool'>\)"):
        tf.keras.layers.Dropout(0.5)(tf.ones((1, 2)), True)


def test_tensors_arrays_and_numpy_scalars_are_accepted():
    layer = tf.keras.layers.Dense(2, kernel_initializer="ones")
    x = np.array([[1.0, 2.0]], np.float32)
    np.testing.assert_array_equal(layer(x).numpy(), [[3.0, 3.0]])
    np.testing.assert_array_equal(layer(tf.constant(x)).numpy(), [[3.0, 3.0]])
    np.testing.assert_array_equal(layer(tf.Variable(x)).numpy(), [[3.0, 3.0]])
    out = tf.keras.layers.Concatenate()([tf.ones((1, 2)), np.zeros((1, 1), np.float32)])
    np.testing.assert_array_equal(out.numpy(), [[1.0, 1.0, 0.0]])
    assert tf.keras.layers.Rescaling(2.0)(np.float64(1.5)).numpy() == 3.0


def test_preprocessing_layers_take_python_values():
    np.testing.assert_array_equal(tf.keras.layers.Rescaling(2.0)([[1.0, 2.0]]).numpy(), [[2.0, 4.0]])
    np.testing.assert_array_equal(tf.keras.layers.StringLookup(vocabulary=["a"])(["a", "b"]).numpy(), [1, 0])
    np.testing.assert_array_equal(tf.keras.layers.IntegerLookup(vocabulary=[1])([1, 2]).numpy(), [1, 0])
    np.testing.assert_array_equal(tf.keras.layers.CategoryEncoding(3)([0, 1]).numpy(), [1.0, 1.0, 0.0])
    np.testing.assert_array_equal(tf.keras.layers.Discretization(bin_boundaries=[0.0])([1.0, -1.0]).numpy(), [1, 0])
    assert tf.keras.layers.Hashing(3)(["a", "b"]).shape == (2,)
    assert tf.keras.layers.TextVectorization(vocabulary=["a"])(["a b"]).numpy().tolist() == [[2, 1]]


def test_functional_model_takes_a_python_structure():
    """Keras's Functional allows Python values positionally; its input check then sees two inputs."""
    inputs = tf.keras.Input((2,))
    model = tf.keras.Model(inputs, tf.keras.layers.Dense(2)(inputs))
    with pytest.raises(ValueError, match="expects 1 input"):
        model([[1.0, 2.0]])
    assert model(np.ones((1, 2), np.float32)).shape == (1, 2)

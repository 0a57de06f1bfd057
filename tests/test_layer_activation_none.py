"""``layer.activation = None`` after construction (keras.io's Grad-CAM removes the last layer's softmax this
way) leaves Dense and convolution outputs linear, as Keras 3's ``call`` checks ``activation is not None``."""

import numpy as np

import ferroflow as tf
from ferroflow import keras
from ferroflow.keras import layers


def test_dense_with_activation_set_to_none():
    layer = layers.Dense(3, activation="softmax")
    x = np.array([[1.0, -2.0], [0.5, 3.0]], "float32")
    layer(x)
    layer.activation = None
    expected = x @ layer.kernel.numpy() + layer.bias.numpy()
    np.testing.assert_allclose(layer(x).numpy(), expected, rtol=1e-6)
    sparse = tf.sparse.from_dense(x)
    np.testing.assert_allclose(layer(sparse).numpy(), expected, rtol=1e-6)


def test_conv_with_activation_set_to_none_in_a_model_predict():
    inp = keras.Input((5, 5, 1))
    conv = layers.Conv2D(2, 3, activation="relu", kernel_initializer="ones", bias_initializer="zeros")
    model = keras.Model(inp, conv(inp))
    conv.activation = None
    x = -np.ones((1, 5, 5, 1), "float32")
    # Without the relu: every 3x3 window of -1s sums to -9.
    np.testing.assert_array_equal(model.predict(x, verbose=0), np.full((1, 3, 3, 2), -9.0, "float32"))

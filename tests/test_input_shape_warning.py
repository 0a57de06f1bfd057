"""A layer given ``input_shape`` in a Sequential model warns with Keras 3's message, word for word."""

import re

import pytest

import ferroflow as tf

MESSAGE = (
    "Do not pass an `input_shape`/`input_dim` argument to a layer. When using Sequential models, prefer using "
    "an `Input(shape)` object as the first layer in the model instead."
)


def test_sequential_warns_with_keras_message() -> None:
    with pytest.warns(UserWarning, match=f"^{re.escape(MESSAGE)}$"):
        model = tf.keras.Sequential([tf.keras.layers.Dense(2, input_shape=(3,))])
    assert model.layers[0].kernel.shape == (3, 2)

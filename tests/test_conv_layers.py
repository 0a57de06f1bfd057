"""Keras's convolution and pooling layers: shapes, values against the ops' references, configs, training."""

import numpy as np
import pytest

import ferroflow as tf
from test_conv_ops import np_conv2d, np_pool

layers = tf.keras.layers
RNG = np.random.default_rng(1)


def test_conv2d_layer_values_shapes_and_config():
    layer = layers.Conv2D(4, 3, strides=2, padding="same", activation="relu", name="c")
    x = RNG.standard_normal((2, 9, 8, 3)).astype("float32")
    y = layer(x)
    assert layer.kernel.shape == (3, 3, 3, 4) and layer.bias.shape == (4,)
    assert y.shape == (2, 5, 4, 4) == layer.compute_output_shape((2, 9, 8, 3))
    want = np.maximum(np_conv2d(x.astype("float64"), layer.kernel.numpy().astype("float64"), (2, 2), padding="SAME"), 0)
    np.testing.assert_allclose(y.numpy(), want, rtol=1e-5, atol=1e-5)  # the bias starts at zero
    config = layer.get_config()
    assert config["kernel_size"] == (3, 3) and config["strides"] == (2, 2) and config["padding"] == "same"
    assert config["data_format"] == "channels_last" and config["dilation_rate"] == (1, 1) and config["groups"] == 1
    clone = layers.Conv2D.from_config(config)
    assert clone(x).shape == y.shape


def test_channels_first_groups_and_conv1d_causal():
    x = RNG.standard_normal((2, 4, 7, 7)).astype("float32")
    layer = layers.Conv2D(6, (3, 2), data_format="channels_first", groups=2, use_bias=False)
    y = layer(x)
    assert layer.kernel.shape == (3, 2, 2, 6)
    want = np_conv2d(np.transpose(x, (0, 2, 3, 1)).astype("float64"), layer.kernel.numpy().astype("float64"))
    np.testing.assert_allclose(y.numpy(), np.transpose(want, (0, 3, 1, 2)), rtol=1e-5, atol=1e-5)
    seq = RNG.standard_normal((2, 10, 3)).astype("float32")
    causal = layers.Conv1D(5, 3, padding="causal", dilation_rate=2, use_bias=False)
    out = causal(seq)
    assert out.shape == (2, 10, 5)
    # output t sees inputs t-4, t-2, t only: changing the last input changes only the last output
    later = seq.copy()
    later[:, -1] += 1.0
    diff = np.abs(causal(later).numpy() - out.numpy()).sum(axis=(0, 2))
    assert np.all(diff[:-1] == 0) and diff[-1] > 0


def test_pooling_layers():
    x = RNG.standard_normal((2, 7, 7, 3)).astype("float32")
    y = layers.MaxPooling2D()(x)
    assert y.shape == (2, 3, 3, 3)
    np.testing.assert_allclose(y.numpy(), np_pool(x, (2, 2), (2, 2), "VALID", "max"))
    y = layers.AveragePooling2D(pool_size=3, strides=2, padding="same")(x)
    np.testing.assert_allclose(y.numpy(), np_pool(x.astype("float64"), (3, 3), (2, 2), "SAME", "avg"), rtol=1e-5)
    assert layers.MaxPooling2D(3, 2, "same").compute_output_shape((None, 7, 7, 3)) == (None, 4, 4, 3)
    gap = layers.GlobalAveragePooling2D(keepdims=True)(x)
    np.testing.assert_allclose(gap.numpy(), x.mean(axis=(1, 2), keepdims=True), rtol=1e-5, atol=1e-6)
    assert layers.GlobalMaxPooling1D()(x[:, 0]).shape == (2, 3)
    assert layers.MaxPool2D is layers.MaxPooling2D
    seq = RNG.standard_normal((2, 9, 4)).astype("float32")
    assert layers.AveragePooling1D(pool_size=2)(seq).shape == (2, 4, 4)


def test_bad_layer_arguments():
    with pytest.raises(ValueError, match="filters"):
        layers.Conv2D(0, 3)
    with pytest.raises(ValueError, match="padding"):
        layers.Conv2D(2, 3, padding="causal")
    with pytest.raises(ValueError, match="groups"):
        layers.Conv2D(3, 3, groups=2)
    with pytest.raises(ValueError, match="kernel_size"):
        layers.Conv2D(2, (3, 3, 3))
    with pytest.raises(ValueError, match="groups"):
        layers.Conv2D(4, 3, groups=2)(np.zeros((1, 5, 5, 3), "float32"))


def test_a_small_convnet_learns():
    # Two classes that differ only in where a bright bar lies: a dense layer on pooled conv features separates them.
    tf.keras.utils.set_random_seed(0)
    n = 256
    x = RNG.random((n, 12, 12, 1)).astype("float32") * 0.2
    y = RNG.integers(0, 2, n)
    x[y == 0, 2:4, :, 0] += 1.0
    x[y == 1, :, 2:4, 0] += 1.0
    model = tf.keras.Sequential(
        [
            tf.keras.Input((12, 12, 1)),
            layers.Conv2D(4, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(2, activation="softmax"),
        ]
    )
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x, y, batch_size=32, epochs=8, verbose=0)
    assert model.evaluate(x, y, verbose=0)[1] > 0.95

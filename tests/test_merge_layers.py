"""Merge layers and their functional forms against NumPy, in a functional residual model."""

import numpy as np
import pytest

import ferroflow as tf

layers = tf.keras.layers
RNG = np.random.default_rng(3)


def test_elementwise_merges():
    a, b, c = (RNG.standard_normal((2, 3, 4)).astype("float32") for _ in range(3))
    np.testing.assert_allclose(layers.Add()([a, b, c]).numpy(), a + b + c, rtol=1e-6)
    np.testing.assert_allclose(layers.add([a, b]).numpy(), a + b, rtol=1e-6)
    np.testing.assert_allclose(layers.Subtract()([a, b]).numpy(), a - b, rtol=1e-6)
    np.testing.assert_allclose(layers.multiply([a, b, c]).numpy(), a * b * c, rtol=1e-6)
    np.testing.assert_allclose(layers.Average()([a, b, c]).numpy(), (a + b + c) / 3, rtol=1e-6)
    np.testing.assert_allclose(layers.maximum([a, b, c]).numpy(), np.maximum(np.maximum(a, b), c))
    np.testing.assert_allclose(layers.Minimum()([a, b]).numpy(), np.minimum(a, b))
    assert layers.Add().compute_output_shape([(None, 3, 4), (None, 1, 4)]) == (None, 3, 4)
    with pytest.raises(ValueError, match="at least 2"):
        layers.Add()([a])
    with pytest.raises(ValueError, match="exactly 2"):
        layers.Subtract()([a, b, c])


def test_concatenate_and_dot():
    a, b = RNG.standard_normal((2, 3, 4)), RNG.standard_normal((2, 3, 5))
    np.testing.assert_allclose(layers.Concatenate()([a, b]).numpy(), np.concatenate([a, b], -1))
    assert layers.Concatenate(axis=-1).compute_output_shape([(None, 3, 4), (None, 3, 5)]) == (None, 3, 9)
    assert layers.concatenate([a, a], axis=1).shape == (2, 6, 4)
    with pytest.raises(ValueError, match="matching shapes"):
        layers.Concatenate(axis=1).compute_output_shape([(None, 3, 4), (None, 3, 5)])
    got = layers.Dot(axes=1)([a, b]).numpy()
    np.testing.assert_allclose(got, np.einsum("bik,bil->bkl", a, b), rtol=1e-5, atol=1e-5)  # computed in float32
    u, v = RNG.standard_normal((4, 6)), RNG.standard_normal((4, 6))
    cos = layers.dot([u, v], axes=1, normalize=True).numpy()
    want = (u * v).sum(1) / np.linalg.norm(u, axis=1) / np.linalg.norm(v, axis=1)
    np.testing.assert_allclose(cos, want[:, None], rtol=1e-6)


def test_a_residual_block_trains_end_to_end():
    tf.keras.utils.set_random_seed(0)
    inputs = tf.keras.Input((8, 8, 1))
    x = layers.Conv2D(8, 3, padding="same", activation="relu")(inputs)
    shortcut = x
    x = layers.Conv2D(8, 3, padding="same")(x)
    x = layers.BatchNormalization(momentum=0.9)(x)  # moving averages settle within the short run
    x = layers.Activation("relu")(layers.add([x, shortcut]))
    x = layers.GlobalAveragePooling2D()(x)
    model = tf.keras.Model(inputs, layers.Dense(2, activation="softmax")(x))
    n, rng = 128, np.random.default_rng(0)
    images = rng.random((n, 8, 8, 1)).astype("float32") * 0.1
    labels = rng.integers(0, 2, n)
    images[labels == 1, 2:6, 2:6] += 1.0  # a bright square marks class 1
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(images, labels, batch_size=32, epochs=20, verbose=0)
    assert model.evaluate(images, labels, verbose=0)[1] > 0.95
    clone = tf.keras.Model.from_config(model.get_config())
    assert [type(layer).__name__ for layer in clone.layers] == [type(layer).__name__ for layer in model.layers]

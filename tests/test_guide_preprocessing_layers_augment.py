"""The guide's augmentation stage (RandomFlip("horizontal"), RandomRotation(0.1), RandomZoom(0.1) in a
Sequential) and its tf.data pipeline, checked by behaviour since the transforms are random in both libraries:
Keras 3's random layers augment when called directly (``training`` defaults to True) and pass images through
unchanged at inference; shapes and the float32 result dtype are kept; batches mapped through a dataset."""

from __future__ import annotations

import numpy as np

import ferroflow as tf
from ferroflow import keras
from ferroflow.keras import layers


def _augmentation() -> keras.Sequential:
    return keras.Sequential([layers.RandomFlip("horizontal"), layers.RandomRotation(0.1), layers.RandomZoom(0.1)])


def _images(n: int = 4) -> np.ndarray:
    return np.random.default_rng(1).integers(0, 256, size=(n, 32, 32, 3), dtype=np.uint8)


def test_direct_call_augments_and_keeps_shape() -> None:
    x = _images()
    out = _augmentation()(x).numpy()
    assert out.shape == x.shape and out.dtype == np.float32
    assert not np.allclose(out, x.astype(np.float32))
    assert out.min() >= 0.0 and out.max() <= 255.0 + 1e-3  # interpolated from the image, constant fill is 0


def test_inference_is_identity() -> None:
    x = _images()
    out = _augmentation()(x, training=False).numpy()
    np.testing.assert_array_equal(out, x.astype(np.float32))


def test_horizontal_flip_only_mirrors_columns() -> None:
    x = _images(16).astype(np.float32)
    out = layers.RandomFlip("horizontal", seed=3)(x).numpy()
    for a, b in zip(out, x):
        assert np.array_equal(a, b) or np.array_equal(a, b[:, ::-1])
    assert any(np.array_equal(a, b[:, ::-1]) for a, b in zip(out, x))


def test_dataset_pipeline_batches() -> None:
    x, y = _images(40), np.arange(40).reshape(40, 1) % 10
    aug = _augmentation()
    ds = tf.data.Dataset.from_tensor_slices((x, y)).batch(16).map(lambda a, b: (aug(a), b))
    shapes = [(tuple(a.shape), tuple(b.shape)) for a, b in ds]
    assert shapes == [((16, 32, 32, 3), (16, 1)), ((16, 32, 32, 3), (16, 1)), ((8, 32, 32, 3), (8, 1))]

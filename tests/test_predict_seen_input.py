"""``Model.predict`` on an input of a shape it has predicted before: the single-plan-run short path gives what
the full path gives, and steps aside for anything the full path must handle.

The convnet's one-image prediction also runs the direct convolution kernels (a first layer with few taps,
Winograd's F(2x2, 3x3) for the 3 x 3 layer over 32 channels); it is checked against NumPy's convolution.
"""

from __future__ import annotations

import numpy as np
import pytest

from ferroflow import keras

layers = keras.layers


def _convnet() -> keras.Model:
    keras.utils.set_random_seed(3)
    return keras.Sequential(
        [
            keras.Input(shape=(28, 28, 1)),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(2),
            layers.Conv2D(64, 3, activation="relu"),
            layers.MaxPooling2D(2),
            layers.Flatten(),
            layers.Dense(10, activation="softmax"),
        ]
    )


def _conv_valid(x: np.ndarray, w: np.ndarray, b: np.ndarray) -> np.ndarray:
    """relu(conv2d(x, w) + b), VALID, stride 1, in float64: the definition, one tap at a time."""
    n, h, wd, _ = x.shape
    kh, kw, _, cout = w.shape
    out = np.zeros((n, h - kh + 1, wd - kw + 1, cout))
    for ky in range(kh):
        for kx in range(kw):
            out += np.einsum("nhwc,cd->nhwd", x[:, ky : ky + h - kh + 1, kx : kx + wd - kw + 1], w[ky, kx])
    return np.maximum(out + b, 0.0)


def _max_pool(x: np.ndarray) -> np.ndarray:
    n, h, w, c = x.shape
    return x[:, : h // 2 * 2, : w // 2 * 2].reshape(n, h // 2, 2, w // 2, 2, c).max(axis=(2, 4))


def _reference(model: keras.Model, x: np.ndarray) -> np.ndarray:
    (k1, b1), (k2, b2), (kd, bd) = [[v.astype(np.float64) for v in layer.get_weights()]
                                    for layer in model.layers if layer.get_weights()]
    h = _max_pool(_conv_valid(x.astype(np.float64), k1, b1))
    h = _max_pool(_conv_valid(h, k2, b2)).reshape(len(x), -1)
    logits = h @ kd + bd
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def test_one_image_convnet_predictions_match_numpy_on_the_short_path() -> None:
    model = _convnet()
    rng = np.random.default_rng(0)
    images = rng.random((5, 28, 28, 1), dtype=np.float32)
    first = model.predict(images[:1], verbose=0)  # builds the plan: the full path
    np.testing.assert_allclose(first, _reference(model, images[:1]), rtol=1e-4, atol=1e-6)
    for i in range(1, 5):  # the same shape again: one plan run each
        got = model.predict(images[i : i + 1], verbose=0)
        assert isinstance(got, np.ndarray) and got.shape == (1, 10)
        np.testing.assert_allclose(got, _reference(model, images[i : i + 1]), rtol=1e-4, atol=1e-6)
    batch = model.predict(images, verbose=0)  # five images: another shape, the full path
    np.testing.assert_allclose(batch, _reference(model, images), rtol=1e-4, atol=1e-6)


def test_short_path_keeps_the_output_structure_of_a_multi_output_model() -> None:
    inputs = keras.Input(shape=(4,))
    outputs = {"a": layers.Dense(2)(inputs), "b": layers.Dense(3)(inputs)}
    model = keras.Model(inputs, outputs)
    x = np.arange(8, dtype=np.float32).reshape(2, 4)
    first, again = model.predict(x, verbose=0), model.predict(x, verbose=0)
    assert sorted(again) == ["a", "b"]
    for key in first:
        np.testing.assert_array_equal(again[key], first[key])
    pair = keras.Model(inputs, [outputs["a"], outputs["b"]])
    pair.predict(x, verbose=0)
    listed = pair.predict(x, verbose=0)
    assert isinstance(listed, list) and [a.shape for a in listed] == [(2, 2), (2, 3)]


def test_inputs_the_short_path_does_not_take_still_predict_correctly() -> None:
    model = keras.Sequential([keras.Input(shape=(3,)), layers.Dense(2, use_bias=False)])
    kernel = model.layers[0].get_weights()[0]
    x = np.arange(12, dtype=np.float32).reshape(4, 3)
    model.predict(x, verbose=0)
    strided = np.asarray(x[:, ::-1])  # a view: not C-contiguous
    np.testing.assert_allclose(model.predict(strided, verbose=0), x[:, ::-1] @ kernel, rtol=1e-6)
    np.testing.assert_allclose(model.predict(x, batch_size=2, verbose=0), x @ kernel, rtol=1e-6)
    np.testing.assert_allclose(model.predict(x.astype(np.float64), verbose=0), x @ kernel, rtol=1e-6)
    model.run_eagerly = True  # now every batch runs the Python step
    np.testing.assert_allclose(model.predict(x, verbose=0), x @ kernel, rtol=1e-6)
    with pytest.raises(ValueError, match="verbose"):
        model.predict(x, verbose=3)

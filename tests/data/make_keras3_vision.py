"""Writes Keras-3-made models of the vision layers added after make_keras3_layers.py (run once, with Keras 3):

KERAS_BACKEND=jax python tests/data/make_keras3_vision.py   # in an environment with keras>=3.15 and h5py

``keras3/vision_<name>.keras`` holds random weights; ``keras3/vision_<name>.npz`` its input ``arr_0`` and
Keras's outputs in inference mode (``y0`` ...). tests/test_keras3_vision_interop.py checks that ferroflow
loads them and computes the same. The JAX backend computes a strided dilated convolution by definition (the
TensorFlow backend does not), so the ``DepthwiseConv1D`` with both is checked against it.
"""

import os

import keras
import numpy as np
from keras import layers as L
from make_keras3_convnet import deflate

keras.utils.set_random_seed(0)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "keras3")
rng = np.random.default_rng(0)


def save(name, model, x):
    for w in model.weights:
        if "float" in str(w.dtype):  # not the seed generators' states
            w.assign(rng.normal(0.0, 0.5, size=w.shape).astype("float32"))
    y = model(x, training=False)
    y = [np.asarray(t) for t in (y if isinstance(y, (list, tuple)) else [y])]
    path = f"{OUT}/vision_{name}.keras"
    model.save(path)
    deflate(path)
    np.savez_compressed(f"{OUT}/vision_{name}.npz", x, **{f"y{i}": t for i, t in enumerate(y)})


def functional(name, shape, branches):
    """One input, one output per branch (a list of layers applied in turn)."""
    inputs = keras.Input(shape)
    outputs = []
    for branch in branches:
        h = inputs
        for layer in branch:
            h = layer(h)
        outputs.append(h)
    save(name, keras.Model(inputs, outputs, name=name), rng.normal(size=(3,) + shape).astype("float32"))


functional(
    "seq1d",
    (17, 6),
    [
        [
            L.SeparableConv1D(5, 3, padding="same", depth_multiplier=2, activation="relu"),
            L.DepthwiseConv1D(3, depth_multiplier=2),
            L.SeparableConv1D(4, 3, strides=2, padding="same", use_bias=False),
            L.DepthwiseConv1D(2, dilation_rate=2, padding="same"),
            L.AdaptiveMaxPooling1D(5),
        ],
        [L.DepthwiseConv1D(3, strides=2, dilation_rate=2, padding="same"), L.AdaptiveAveragePooling1D(4)],
        [L.SeparableConvolution1D(3, 4, strides=3, depth_multiplier=3), L.AdaptiveAveragePooling1D(7)],
    ],
)
functional(
    "img",
    (11, 13, 3),
    [
        [L.RandomCrop(6, 7, seed=3), L.AdaptiveAveragePooling2D((4, 5))],
        [L.AdaptiveMaxPooling2D(3)],
        [L.AdaptiveAveragePooling2D(16)],
    ],
)
functional(
    "vol",
    (7, 6, 5, 2),
    [
        [L.SpatialDropout3D(0.3), L.AdaptiveAveragePooling3D((3, 4, 2))],
        [L.AdaptiveMaxPooling3D((2, 6, 3))],
    ],
)

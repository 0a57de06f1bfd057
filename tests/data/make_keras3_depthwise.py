"""Writes Keras-3-made depthwise models (run once, with TensorFlow 2.21 / Keras 3 and h5py):

python tests/data/make_keras3_depthwise.py

``keras3/depthwise2d.keras`` and ``keras3/depthwise2d.weights.h5``: a model of two DepthwiseConv2D layers and a
SeparableConv2D with random weights; ``keras3/depthwise1d.weights.h5``: two DepthwiseConv1D layers.
``keras3/depthwise.npz`` holds the inputs (``x2d``, ``x1d``) and Keras's outputs (``y2d``, ``y1d``);
``keras3/depthwise.json`` the weight paths, a layer config and the ``tf.train.Checkpoint`` keys Keras 3 gives
these layers. tests/test_depthwise_keras3_names.py checks ferroflow against them.
"""

import json
import os
import tempfile

import keras
import numpy as np
import tensorflow as tf
from keras import layers as L
from make_keras3_convnet import deflate

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "keras3")
rng = np.random.default_rng(0)


def randomize(model):
    for w in model.weights:
        w.assign(rng.normal(0.0, 0.5, size=w.shape).astype("float32"))


def model2d():
    inputs = keras.Input((12, 12, 4))
    h = L.DepthwiseConv2D(3, strides=2, padding="same", depth_multiplier=2, name="dw_a")(inputs)
    h = L.DepthwiseConv2D(3, use_bias=False, activation="relu", name="dw_b")(h)
    h = L.SeparableConv2D(5, 3, padding="same", depth_multiplier=2, name="sep")(h)
    return keras.Model(inputs, h, name="dw2d")


def model1d():
    inputs = keras.Input((10, 3))
    h = L.DepthwiseConv1D(3, depth_multiplier=3, name="dw1_a")(inputs)
    h = L.DepthwiseConv1D(2, strides=2, padding="same", name="dw1_b")(h)
    return keras.Model(inputs, h, name="dw1d")


def main():
    m2, m1 = model2d(), model1d()
    randomize(m2)
    randomize(m1)
    x2 = rng.normal(size=(2, 12, 12, 4)).astype("float32")
    x1 = rng.normal(size=(2, 10, 3)).astype("float32")
    m2.save(f"{OUT}/depthwise2d.keras")
    deflate(f"{OUT}/depthwise2d.keras")
    m2.save_weights(f"{OUT}/depthwise2d.weights.h5")
    m1.save_weights(f"{OUT}/depthwise1d.weights.h5")
    np.savez_compressed(f"{OUT}/depthwise.npz", x2d=x2, x1d=x1, y2d=np.asarray(m2(x2)), y1d=np.asarray(m1(x1)))
    with tempfile.TemporaryDirectory() as tmp:
        prefix = tf.train.Checkpoint(model=m2).save(os.path.join(tmp, "ckpt"))
        keys = sorted(k for k, _ in tf.train.list_variables(prefix) if not k.startswith(("_CHECKPOINTABLE", "save_")))
    meta = {
        "paths2d": [w.path for w in m2.weights],
        "paths1d": [w.path for w in m1.weights],
        "config_dw_a": m2.get_layer("dw_a").get_config(),
        "config_dw1_a": m1.get_layer("dw1_a").get_config(),
        "checkpoint_keys": keys,
    }
    with open(f"{OUT}/depthwise.json", "w") as f:
        json.dump(meta, f, indent=1, default=list)


if __name__ == "__main__":
    main()

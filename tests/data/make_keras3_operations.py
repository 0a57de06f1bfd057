"""Writes a Keras-3-made functional model whose graph holds operations on KerasTensors (``x + y``, slicing,
``keras.ops.mean`` / ``concatenate`` / ``where`` / ``clip`` ...) (run once, with Keras 3):

KERAS_BACKEND=tensorflow python tests/data/make_keras3_operations.py   # with keras>=3.15 and h5py

``keras3/operations.keras`` holds random weights; ``keras3/operations.npz`` its input ``x`` and Keras's output
``y``. tests/test_keras_ops_symbolic.py checks that ferroflow loads it and computes the same.
"""

import os

import keras
import numpy as np
from keras import ops
from make_keras3_convnet import deflate

keras.utils.set_random_seed(0)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "keras3")


def main() -> None:
    x = keras.Input((6,), name="x")
    h = keras.layers.Dense(6, name="dense")(x)
    r = h + x
    m = ops.mean(r[:, :3], axis=1, keepdims=True) * 2.0 - ops.abs(x[:, None][:, 0, 1:2])
    w = ops.where(r > 0, r, 0.5 * r)
    s = ops.clip(ops.softmax(w), 0.05, 0.9) / ops.sqrt(ops.square(x) + 1)
    y = ops.concatenate([m, s, ops.expand_dims(ops.max(r, axis=-1), 1)], -1)
    model = keras.Model(x, y, name="operations")
    xs = np.random.default_rng(0).normal(size=(5, 6)).astype("float32")
    path = f"{OUT}/operations.keras"
    model.save(path)
    deflate(path)
    np.savez_compressed(f"{OUT}/operations.npz", x=xs, y=np.asarray(model.predict(xs, verbose=0)))


if __name__ == "__main__":
    main()

"""Writes a Keras-3-made model of the sequence layers: Embedding, Masking, Attention, AdditiveAttention and
MultiHeadAttention, with Keras masks flowing between them (run once, with Keras 3):

KERAS_BACKEND=jax python tests/data/make_keras3_sequence.py   # in an environment with keras>=3.15 and h5py

``keras3/sequence_text.keras`` holds random weights; ``keras3/sequence_text.npz`` its inputs ``ids`` and
``feats`` and Keras's output ``y`` in inference mode. tests/test_keras3_sequence_interop.py checks that
ferroflow loads it and computes the same.
"""

import os

import keras
import numpy as np
from keras import layers as L
from make_keras3_convnet import deflate

keras.utils.set_random_seed(0)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "keras3")
rng = np.random.default_rng(0)


def main() -> None:
    ids_in = keras.Input((12,), dtype="int32", name="ids")
    feats_in = keras.Input((10, 8), name="feats")
    e = L.Embedding(40, 16, mask_zero=True, name="emb")(ids_in)
    f = L.Dense(16, name="proj")(L.Masking(0.0, name="pad")(feats_in))
    a = L.Attention(use_scale=True, score_mode="concat", name="att")([e, e])
    b = L.AdditiveAttention(name="add_att")([e, f])
    c = L.MultiHeadAttention(2, 8, use_gate=True, output_shape=16, name="cross")(a, f)
    d = L.MultiHeadAttention(4, 4, name="self")(e, e, use_causal_mask=True)
    x = L.GlobalAveragePooling1D(name="gap")(L.Add(name="sum")([a, b, c, d]))
    model = keras.Model([ids_in, feats_in], L.Dense(3, name="out")(x), name="sequence_text")
    for w in model.weights:
        w.assign(rng.normal(0.0, 0.3, size=w.shape).astype("float32"))
    ids = rng.integers(1, 40, size=(6, 12)).astype("int32")
    ids[:, 8:] = 0
    ids[2, 4:] = 0
    feats = rng.normal(size=(6, 10, 8)).astype("float32")
    feats[:, 7:] = 0.0
    feats[1, 3:] = 0.0
    y = np.asarray(model([ids, feats], training=False))
    path = f"{OUT}/sequence_text.keras"
    model.save(path)
    deflate(path)
    np.savez_compressed(f"{OUT}/sequence_text.npz", ids=ids, feats=feats, y=y)


if __name__ == "__main__":
    main()

"""Writes a Keras-3-made model of the recurrent layers: Embedding(mask_zero) -> Bidirectional(LSTM) ->
TimeDistributed(Dense) -> RNN([GRUCell(reset_after=False), LSTMCell]) -> GRU(go_backwards) -> SimpleRNN ->
Dense, with the padding mask flowing through (run once, with Keras 3):

KERAS_BACKEND=tensorflow python tests/data/make_keras3_recurrent.py   # with keras>=3.15 and h5py

``keras3/recurrent.keras`` holds random weights; ``keras3/recurrent.npz`` its input ``ids`` and Keras's
output ``y``. tests/test_keras3_recurrent_interop.py checks that ferroflow loads it and computes the same.
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
    h = L.Embedding(40, 8, mask_zero=True, name="emb")(ids_in)
    h = L.Bidirectional(L.LSTM(6, return_sequences=True), name="bi")(h)
    h = L.TimeDistributed(L.Dense(5, activation="tanh"), name="td")(h)
    h = L.RNN([L.GRUCell(4, reset_after=False), L.LSTMCell(3)], return_sequences=True, name="stacked")(h)
    h = L.GRU(4, go_backwards=True, return_sequences=True, name="gru")(h)
    h = L.SimpleRNN(3, name="simple")(h)
    model = keras.Model(ids_in, L.Dense(2, name="out")(h), name="recurrent")
    for w in model.weights:
        w.assign(rng.normal(0.0, 0.4, size=w.shape).astype("float32"))
    ids = rng.integers(1, 40, size=(6, 12)).astype("int32")
    ids[:, 9:] = 0
    ids[2, 4:] = 0
    y = np.asarray(model(ids, training=False))
    path = f"{OUT}/recurrent.keras"
    model.save(path)
    deflate(path)
    np.savez_compressed(f"{OUT}/recurrent.npz", ids=ids, y=y)


if __name__ == "__main__":
    main()

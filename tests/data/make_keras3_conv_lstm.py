"""Writes a Keras-3-made model of the convolutional LSTM layers (run once, with Keras 3):

KERAS_BACKEND=tensorflow python tests/data/make_keras3_conv_lstm.py   # with keras>=3.15 and h5py

Four branches joined by a Dense layer: ConvLSTM2D("same", return_sequences) -> ConvLSTM2D(strides (2, 1),
go_backwards); ConvLSTM1D(dilation 2, return_sequences) -> ConvLSTM1D("same", relu, hard_sigmoid);
ConvLSTM3D("same"); ConvLSTM2D(channels_first, use_bias=False). ``keras3/conv_lstm.keras`` holds random weights;
``keras3/conv_lstm.npz`` the inputs ``x2d``, ``x1d``, ``x3d``, ``xcf``, Keras's output ``y``, and the first
layer's sequences (``masked``) when called with the mask ``mask`` (batch, time), and the final states
(``h``, ``c``) of a go_backwards, return_state copy of it. tests/test_conv_lstm_interop.py checks that
ferroflow loads the file and computes the same.
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
    x2d_in = keras.Input((4, 7, 7, 2), name="x2d")
    a = L.ConvLSTM2D(3, 3, padding="same", return_sequences=True, name="cl2d")(x2d_in)
    a = L.ConvLSTM2D(2, (2, 3), strides=(2, 1), go_backwards=True, name="cl2d_b")(a)
    x1d_in = keras.Input((5, 9, 2), name="x1d")
    b = L.ConvLSTM1D(3, 3, dilation_rate=2, return_sequences=True, name="cl1d")(x1d_in)
    b = L.ConvLSTM1D(2, 2, padding="same", activation="relu", recurrent_activation="hard_sigmoid", name="cl1d_b")(b)
    x3d_in = keras.Input((3, 4, 4, 4, 1), name="x3d")
    c = L.ConvLSTM3D(2, 2, padding="same", name="cl3d")(x3d_in)
    xcf_in = keras.Input((3, 2, 5, 5), name="xcf")
    d = L.ConvLSTM2D(2, 3, data_format="channels_first", use_bias=False, name="cl2d_cf")(xcf_in)
    joined = L.Concatenate()([L.Flatten()(t) for t in (a, b, c, d)])
    model = keras.Model([x2d_in, x1d_in, x3d_in, xcf_in], L.Dense(3, name="out")(joined), name="conv_lstm")
    for w in model.weights:
        w.assign(rng.normal(0.0, 0.4, size=w.shape).astype("float32"))
    xs = {
        "x2d": rng.normal(size=(3, 4, 7, 7, 2)).astype("float32"),
        "x1d": rng.normal(size=(3, 5, 9, 2)).astype("float32"),
        "x3d": rng.normal(size=(3, 3, 4, 4, 4, 1)).astype("float32"),
        "xcf": rng.normal(size=(3, 3, 2, 5, 5)).astype("float32"),
    }
    y = np.asarray(model([xs[k] for k in ("x2d", "x1d", "x3d", "xcf")], training=False))
    # The first layer under a mask (batch, time): masked steps keep the states and repeat the output.
    mask = np.array([[1, 1, 1, 1], [1, 1, 0, 0], [1, 0, 1, 0]], dtype=bool)
    masked = np.asarray(model.get_layer("cl2d")(xs["x2d"], mask=mask))
    cell = model.get_layer("cl2d").cell
    states = L.ConvLSTM2D(3, 3, padding="same", return_state=True, go_backwards=True)
    states.build(xs["x2d"].shape)
    states.set_weights([np.asarray(v) for v in cell.weights])
    _, h, c = (np.asarray(t) for t in states(xs["x2d"]))
    path = f"{OUT}/conv_lstm.keras"
    model.save(path)
    deflate(path)
    np.savez_compressed(f"{OUT}/conv_lstm.npz", y=y, mask=mask, masked=masked, h=h, c=c, **xs)


if __name__ == "__main__":
    main()

"""Recurrent layers and Keras 3's file format: a model of Keras's recurrent layers and wrappers saved by
Keras 3 itself (tests/data/keras3/recurrent.keras, made once by tests/data/make_keras3_recurrent.py) loads
and predicts as Keras did, and ferroflow writes such models in Keras's layout (the cell's weights below
``cell``, a Bidirectional's below ``forward_layer/cell`` and ``backward_layer/cell``) and reads them back."""

import io
import os
import zipfile

import numpy as np
import pytest

import ferroflow as tf

h5py = pytest.importorskip("h5py")

L = tf.keras.layers
DATA = os.path.join(os.path.dirname(__file__), "data", "keras3")


def test_keras_saved_recurrent_model_predicts_like_keras():
    expected = np.load(os.path.join(DATA, "recurrent.npz"))
    model = tf.keras.models.load_model(os.path.join(DATA, "recurrent.keras"))
    np.testing.assert_allclose(model(expected["ids"]).numpy(), expected["y"], atol=1e-5)
    np.testing.assert_allclose(model.predict(expected["ids"], verbose=0), expected["y"], atol=1e-5)
    bi = model.get_layer("bi")
    assert isinstance(bi, L.Bidirectional) and bi.backward_layer.go_backwards
    stacked = model.get_layer("stacked")
    assert [type(c).__name__ for c in stacked.cell.cells] == ["GRUCell", "LSTMCell"]
    assert stacked.cell.cells[0].reset_after is False
    assert model.get_layer("gru").go_backwards


def _h5_paths(archive):
    with zipfile.ZipFile(archive) as zf:
        data = zf.read("model.weights.h5")
    names = []
    with h5py.File(io.BytesIO(data), "r") as h5:
        h5.visit(names.append)
    return names


def test_ferroflow_writes_keras_layout_and_reads_it_back(tmp_path):
    inp = tf.keras.Input((7, 3))
    h = L.Bidirectional(L.GRU(4, return_sequences=True))(inp)
    h = L.TimeDistributed(L.Dense(2))(h)
    h = L.RNN([L.SimpleRNNCell(3), L.LSTMCell(2), L.LSTMCell(2)])(h)
    model = tf.keras.Model(inp, h)
    x = np.random.default_rng(2).standard_normal((5, 7, 3)).astype("float32")
    want = model(x).numpy()
    path = str(tmp_path / "m.keras")
    model.save(path)
    names = _h5_paths(path)
    for expected in (
        "layers/bidirectional/forward_layer/cell/vars/2",
        "layers/bidirectional/backward_layer/cell/vars/0",
        "layers/time_distributed/layer/vars/1",
        "layers/rnn/cell/cells/simple_rnn_cell/vars/0",
        "layers/rnn/cell/cells/lstm_cell_1/vars/2",
    ):
        assert expected in names
    loaded = tf.keras.models.load_model(path)
    np.testing.assert_allclose(loaded(x).numpy(), want, atol=1e-6)
    weights = str(tmp_path / "m.weights.h5")
    model.save_weights(weights)
    fresh = tf.keras.models.clone_model(model)
    fresh.load_weights(weights)
    np.testing.assert_allclose(fresh(x).numpy(), want, atol=1e-6)

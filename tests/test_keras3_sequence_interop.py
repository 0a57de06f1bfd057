"""Sequence layers in Keras 3's ``.keras`` format: a Keras-made model (tests/data/make_keras3_sequence.py)
with Embedding, Masking, Attention, AdditiveAttention and MultiHeadAttention, whose graph records the
mask ops Keras hands to layers, computes the same here; ferroflow writes MultiHeadAttention's weights in
Keras's sub-layer layout and reads them back; bad files are clear errors."""

import io
import json
import os
import zipfile

import numpy as np
import pytest

import ferroflow as tf

h5py = pytest.importorskip("h5py")
L = tf.keras.layers
DATA = os.path.join(os.path.dirname(__file__), "data", "keras3")
PATH = os.path.join(DATA, "sequence_text.keras")


def _expected():
    data = np.load(os.path.join(DATA, "sequence_text.npz"))
    return data["ids"], data["feats"], data["y"]


def test_keras_made_sequence_model_computes_like_keras():
    ids, feats, want = _expected()
    model = tf.keras.models.load_model(PATH)
    got = model.predict([ids, feats], verbose=0)
    np.testing.assert_allclose(got, want, atol=2e-5, rtol=1e-5)
    cross = model.get_layer("cross")
    assert [tuple(w.shape) for w in cross.weights][:2] == [(16, 2, 8), (2, 8)]
    assert cross.get_config()["use_gate"] is True
    assert model.get_layer("emb").mask_zero
    # the padding matters to Keras's numbers: ids past the padding would change them if unmasked
    noisy = np.where(ids == 0, 7, ids)
    assert np.abs(model.predict([noisy, feats], verbose=0) - want).max() > 1e-3


def test_mask_ops_of_keras_graph_become_lambdas_that_save_again(tmp_path):
    ids, feats, want = _expected()
    model = tf.keras.models.load_model(PATH)
    kinds = {type(layer).__name__ for layer in model.layers}
    assert "Lambda" in kinds  # NotEqual, ConvertToTensor, LogicalOr from Keras's graph
    model.save(tmp_path / "again.keras")
    again = tf.keras.models.load_model(tmp_path / "again.keras")
    np.testing.assert_allclose(again.predict([ids, feats], verbose=0), want, atol=2e-5, rtol=1e-5)


def _model():
    tf.keras.utils.set_random_seed(3)
    inputs = tf.keras.Input((12,), dtype="int32")
    x = L.Embedding(40, 16, mask_zero=True)(inputs)
    x = L.MultiHeadAttention(2, 8, value_dim=4, name="mha")(x, x)
    return tf.keras.Model(inputs, L.Dense(3)(L.GlobalAveragePooling1D()(x)))


def test_ferroflow_writes_multi_head_attention_in_keras_layout(tmp_path):
    model = _model()
    ids = np.random.default_rng(0).integers(0, 40, size=(5, 12))
    want = model.predict(ids, verbose=0)
    model.save(tmp_path / "m.keras")
    with zipfile.ZipFile(tmp_path / "m.keras") as zf:
        assert "config.json" in zf.namelist()
        h5 = h5py.File(io.BytesIO(zf.read("model.weights.h5")), "r")
    group = h5["layers/multi_head_attention"]
    assert sorted(group.keys()) == [
        "_dropout_layer",
        "_softmax",
        "key_dense",
        "output_dense",
        "query_dense",
        "value_dense",
        "vars",
    ]
    assert group["query_dense/vars"].attrs["name"] == "query"
    assert group["value_dense/vars/0"].shape == (16, 2, 4)
    assert group["output_dense/vars/0"].shape == (2, 4, 16)
    np.testing.assert_array_equal(group["key_dense/vars/1"][()], model.get_layer("mha").weights[3].numpy())
    assert h5["layers/embedding/vars/0"].shape == (40, 16)
    back = tf.keras.models.load_model(tmp_path / "m.keras")
    np.testing.assert_allclose(back.predict(ids, verbose=0), want, rtol=1e-6)
    # HDF5 weight files use the same layout
    model.save_weights(tmp_path / "w.weights.h5")
    other = _model()
    other.load_weights(tmp_path / "w.weights.h5")
    np.testing.assert_allclose(other.predict(ids, verbose=0), want, rtol=1e-6)


def test_mismatched_multi_head_attention_weights_are_value_errors(tmp_path):
    _model().save_weights(tmp_path / "w.weights.h5")
    inputs = tf.keras.Input((12,), dtype="int32")
    x = L.Embedding(40, 16, mask_zero=True)(inputs)
    x = L.MultiHeadAttention(2, 8, name="mha")(x, x)  # value_dim 8, not 4
    other = tf.keras.Model(inputs, L.Dense(3)(L.GlobalAveragePooling1D()(x)))
    mha = other.get_layer("mha")
    before = [w.numpy() for w in mha.weights]
    with pytest.raises(ValueError, match="value_dense.*shape"):
        other.load_weights(tmp_path / "w.weights.h5")
    for w, b in zip(mha.weights, before):
        np.testing.assert_array_equal(w.numpy(), b)  # no projection of the layer was half-loaded


def test_unknown_keras_op_is_a_value_error(tmp_path):
    with zipfile.ZipFile(PATH) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    config = json.loads(members["config.json"])
    for entry in config["config"]["layers"]:
        if entry["class_name"] == "NotEqual":
            entry["class_name"] = "NoSuchOperation"  # (Hypot, used before, is a keras.ops name now)
    members["config.json"] = json.dumps(config).encode()
    with zipfile.ZipFile(tmp_path / "bad.keras", "w") as zf:
        for n, data in members.items():
            zf.writestr(n, data)
    with pytest.raises(ValueError, match="operation 'NoSuchOperation'"):
        tf.keras.models.load_model(tmp_path / "bad.keras")

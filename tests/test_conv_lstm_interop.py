"""ConvLSTM layers and Keras 3's file format: a model of ConvLSTM1D/2D/3D saved by Keras 3 itself
(tests/data/keras3/conv_lstm.keras, made once by tests/data/make_keras3_conv_lstm.py) loads and predicts as
Keras did, masked and return_state calls included; ferroflow writes such models in Keras's layout (the
cell's weights below ``cell``, Keras's config keys) and reads them back; get_config round trips.
(tests/data/check_keras3_opens_ferroflow_files.py checks by hand that Keras 3 opens ferroflow's files.)"""

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

# ConvLSTM2D(4, 3).get_config() in Keras 3.15, keys in order
KERAS_KEYS = [
    "name", "trainable", "dtype", "return_sequences", "return_state", "go_backwards", "stateful", "unroll",
    "zero_output_for_mask", "filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate",
    "activation", "recurrent_activation", "use_bias", "kernel_initializer", "recurrent_initializer",
    "bias_initializer", "unit_forget_bias", "kernel_regularizer", "recurrent_regularizer", "bias_regularizer",
    "activity_regularizer", "kernel_constraint", "recurrent_constraint", "bias_constraint", "dropout",
    "recurrent_dropout", "seed",
]  # fmt: skip


def test_keras_saved_conv_lstm_model_predicts_like_keras():
    data = np.load(os.path.join(DATA, "conv_lstm.npz"))
    model = tf.keras.models.load_model(os.path.join(DATA, "conv_lstm.keras"))
    xs = [data[k] for k in ("x2d", "x1d", "x3d", "xcf")]
    np.testing.assert_allclose(model(xs).numpy(), data["y"], atol=1e-5)
    np.testing.assert_allclose(model.predict(xs, verbose=0), data["y"], atol=1e-5)
    first = model.get_layer("cl2d")
    np.testing.assert_allclose(first(data["x2d"], mask=data["mask"]).numpy(), data["masked"], atol=1e-5)
    assert model.get_layer("cl2d_b").go_backwards and model.get_layer("cl2d_b").strides == (2, 1)
    assert model.get_layer("cl1d").dilation_rate == (2,)
    assert model.get_layer("cl2d_cf").data_format == "channels_first" and not model.get_layer("cl2d_cf").use_bias
    assert isinstance(model.get_layer("cl3d"), L.ConvLSTM3D)
    states = L.ConvLSTM2D(3, 3, padding="same", return_state=True, go_backwards=True)
    states.build(data["x2d"].shape)
    states.set_weights(first.get_weights())
    _, h, c = states(data["x2d"])
    np.testing.assert_allclose(h.numpy(), data["h"], atol=1e-5)
    np.testing.assert_allclose(c.numpy(), data["c"], atol=1e-5)


def _archive(path):
    with zipfile.ZipFile(path) as zf:
        config = json.loads(zf.read("config.json"))
        data = zf.read("model.weights.h5")
    names = []
    with h5py.File(io.BytesIO(data), "r") as h5:
        h5.visit(names.append)
    return config, names


def test_ferroflow_writes_keras_layout_and_reads_it_back(tmp_path):
    inp = tf.keras.Input((3, 6, 6, 2))
    h = L.ConvLSTM2D(3, 3, padding="same", return_sequences=True, recurrent_dropout=0.1)(inp)
    h = L.BatchNormalization()(h)
    h = L.ConvLSTM2D(2, (2, 3), strides=(2, 1), go_backwards=True)(h)
    model = tf.keras.Model(inp, h)
    x = np.random.default_rng(2).standard_normal((4, 3, 6, 6, 2)).astype("float32")
    want = model(x).numpy()
    path = str(tmp_path / "m.keras")
    model.save(path)
    config, names = _archive(path)
    for i in range(3):
        assert f"layers/conv_lstm2d/cell/vars/{i}" in names
        assert f"layers/conv_lstm2d_1/cell/vars/{i}" in names
    entry = next(e for e in config["config"]["layers"] if e["class_name"] == "ConvLSTM2D")
    assert entry["module"] == "keras.layers" and list(entry["config"]) == KERAS_KEYS
    assert entry["config"]["dtype"]["class_name"] == "DTypePolicy"
    loaded = tf.keras.models.load_model(path)
    np.testing.assert_allclose(loaded(x).numpy(), want, atol=1e-6)
    weights = str(tmp_path / "m.weights.h5")
    model.save_weights(weights)
    fresh = tf.keras.models.clone_model(model)
    fresh.load_weights(weights)
    np.testing.assert_allclose(fresh(x).numpy(), want, atol=1e-6)


@pytest.mark.parametrize("cls", [L.ConvLSTM1D, L.ConvLSTM2D, L.ConvLSTM3D])
def test_get_config_round_trip(cls):
    layer = cls(
        5,
        2,
        strides=1,
        padding="same",
        dilation_rate=2,
        activation="relu",
        recurrent_activation="hard_sigmoid",
        kernel_regularizer="l2",
        recurrent_constraint="non_neg",
        unit_forget_bias=False,
        dropout=0.25,
        recurrent_dropout=0.5,
        seed=7,
        return_sequences=True,
        go_backwards=True,
        name="clstm",
    )
    config = layer.get_config()
    assert list(config) == KERAS_KEYS
    rank = {L.ConvLSTM1D: 1, L.ConvLSTM2D: 2, L.ConvLSTM3D: 3}[cls]
    assert config["kernel_size"] == (2,) * rank and config["dilation_rate"] == (2,) * rank
    assert config["data_format"] == "channels_last" and config["seed"] == 7 and config["dropout"] == 0.25
    clone = cls.from_config(config)
    assert clone.get_config() == config
    restored = L.deserialize(json.loads(json.dumps(L.serialize(layer))))
    assert type(restored) is cls and restored.get_config() == config  # tuples again after the JSON lists
    shape = (None, 4) + (6,) * rank + (3,)
    assert clone.compute_output_shape(shape) == (None, 4) + (6,) * rank + (5,)


def test_bidirectional_and_time_distributed_wrap_conv_lstm():
    x = np.random.default_rng(3).standard_normal((2, 3, 5, 5, 1)).astype("float32")
    bi = L.Bidirectional(L.ConvLSTM2D(2, 3, padding="same", return_sequences=True), merge_mode="concat")
    out = bi(x)
    assert out.shape == (2, 3, 5, 5, 4)
    fwd = bi.forward_layer(x).numpy()
    bwd = bi.backward_layer(x).numpy()[:, ::-1]
    np.testing.assert_allclose(out.numpy(), np.concatenate([fwd, bwd], -1), atol=1e-6)

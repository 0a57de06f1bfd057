"""Functional models whose graph holds operations (``x + Dense(x)``, slicing, ``keras.ops`` calls): training
with gradients through every branch, ``summary()`` rows and ``model.layers`` as in Keras 3, configs, ``.keras``
round trips, and a Keras-made file (tests/data/make_keras3_operations.py)."""

import io
import json
import os
import zipfile
from contextlib import redirect_stdout

import numpy as np
import pytest

import ferroflow as tf

keras = tf.keras
ops = keras.ops
DATA = os.path.join(os.path.dirname(__file__), "data", "keras3")


def _residual_model():
    keras.backend.clear_session()
    x = keras.Input((4,), name="x")
    h = keras.layers.Dense(4, name="inner")(x)
    r = h + x
    z = ops.mean(r[:, :2], axis=1, keepdims=True) * 2.0
    y = keras.layers.Dense(1, name="head")(ops.concatenate([z, ops.relu(r)], -1))
    return keras.Model(x, y)


def _numpy_forward(model, x):
    k1, b1, k2, b2 = model.get_weights()
    r = x @ k1 + b1 + x
    z = r[:, :2].mean(1, keepdims=True) * 2.0
    return np.concatenate([z, np.maximum(r, 0)], -1) @ k2 + b2


def test_residual_model_computes_like_numpy_and_lists_only_layers():
    model = _residual_model()
    x = np.random.default_rng(0).normal(size=(6, 4)).astype("float32")
    np.testing.assert_allclose(model(x), _numpy_forward(model, x), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(model.predict(x, verbose=0), _numpy_forward(model, x), rtol=1e-5, atol=1e-5)
    assert [layer.name for layer in model.layers] == ["x", "inner", "head"]  # operations are not layers
    assert len(model.trainable_weights) == 4


def test_gradients_flow_through_both_branches_of_the_residual_sum():
    x_in = keras.Input((3,))
    dense = keras.layers.Dense(3)
    model = keras.Model(x_in, dense(x_in) + x_in)
    x = tf.constant(np.random.default_rng(1).normal(size=(2, 3)).astype("float32"))
    with tf.GradientTape() as tape:
        tape.watch(x)
        out = tf.reduce_sum(model(x))
    dx, dk = tape.gradient(out, [x, dense.kernel])
    kernel = dense.kernel.numpy()
    np.testing.assert_allclose(dx, np.broadcast_to(1.0 + kernel.sum(1), (2, 3)), rtol=1e-6)  # identity + dense
    np.testing.assert_allclose(dk, np.broadcast_to(x.numpy().sum(0)[:, None], (3, 3)), rtol=1e-6)


def test_fit_trains_the_residual_model():
    model = _residual_model()
    rng = np.random.default_rng(2)
    x = rng.normal(size=(64, 4)).astype("float32")
    y = (x.sum(1, keepdims=True) * 0.5).astype("float32")
    inner_before = model.get_layer("inner").kernel.numpy().copy()
    model.compile(keras.optimizers.Adam(0.05), "mse")
    losses = model.fit(x, y, epochs=8, batch_size=16, verbose=0).history["loss"]
    assert losses[-1] < 0.5 * losses[0]
    assert np.abs(model.get_layer("inner").kernel.numpy() - inner_before).max() > 1e-3  # through Add and GetItem
    np.testing.assert_allclose(model.predict(x, verbose=0), _numpy_forward(model, x), rtol=1e-4, atol=1e-4)


def test_summary_shows_operations_as_keras():
    model = _residual_model()
    buf = io.StringIO()
    with redirect_stdout(buf):
        model.summary(line_length=120)
    text = buf.getvalue()
    for row in ("add (Add)", "get_item (GetItem)", "mean (Mean)", "multiply (Multiply)", "relu (Relu)"):
        assert row in text, row
    assert "concatenate (Concatenate)" in text and "inner[0][0], x[0][0]" in text
    assert "Total params: 26" in text


def test_config_round_trip_rebuilds_the_operations():
    model = _residual_model()
    config = model.get_config()
    entries = {e["name"]: e for e in config["layers"]}
    assert entries["mean"] == {
        "module": "keras.src.ops.numpy",
        "class_name": "Mean",
        "config": {"name": "mean", "axis": 1, "keepdims": True},
        "registered_name": "Mean",
        "name": "mean",
    }
    slices = [c["args"][1] for c in config["calls"] if c["layer"] == "get_item"][0]
    assert slices[1] == {"class_name": "__slice__", "config": {"start": None, "stop": 2, "step": None}}
    json.dumps(config)
    again = keras.Model.from_config(json.loads(json.dumps(config)))
    again.set_weights(model.get_weights())
    x = np.random.default_rng(3).normal(size=(3, 4)).astype("float32")
    np.testing.assert_allclose(again(x), model(x), rtol=1e-6)
    assert again.get_config() == config


def test_keras_file_round_trip_and_keras_3_config(tmp_path):
    model = _residual_model()
    x = np.random.default_rng(4).normal(size=(5, 4)).astype("float32")
    want = model.predict(x, verbose=0)
    model.save(tmp_path / "m.keras")
    with zipfile.ZipFile(tmp_path / "m.keras") as zf:
        config = json.loads(zf.read("config.json"))  # Keras 3's form, next to ferroflow's own
    layers = {e["name"]: e for e in config["config"]["layers"]}
    assert layers["add"]["module"] == "keras.src.ops.numpy" and layers["relu"]["module"] == "keras.src.ops.nn"
    args = layers["add"]["inbound_nodes"][0]["args"]
    assert [a["config"]["keras_history"] for a in args] == [["inner", 0, 0], ["x", 0, 0]]
    loaded = keras.models.load_model(tmp_path / "m.keras")
    np.testing.assert_allclose(loaded.predict(x, verbose=0), want, rtol=1e-6)
    with zipfile.ZipFile(tmp_path / "m.keras") as zf, zipfile.ZipFile(tmp_path / "k.keras", "w") as out:
        for name in zf.namelist():
            if name not in ("ferroflow_config.json", "metadata.json"):  # as Keras would have written it
                out.writestr(name, zf.read(name))
        out.writestr("metadata.json", json.dumps({"keras_version": "3.15.0", "date_saved": "2026-01-01@00:00:00"}))
    from_keras_form = keras.models.load_model(tmp_path / "k.keras")
    np.testing.assert_allclose(from_keras_form.predict(x, verbose=0), want, rtol=1e-6)


def test_keras_made_model_with_operations_computes_like_keras():
    data = np.load(os.path.join(DATA, "operations.npz"))
    model = keras.models.load_model(os.path.join(DATA, "operations.keras"))
    np.testing.assert_allclose(model.predict(data["x"], verbose=0), data["y"], rtol=1e-5, atol=1e-6)


def test_numpy_constant_operand_is_saved_with_the_model(tmp_path):
    w = np.arange(12, dtype="float32").reshape(4, 3) / 10
    x_in = keras.Input((4,))
    model = keras.Model(x_in, x_in @ w - np.float32(1.0))
    x = np.ones((2, 4), "float32")
    model.save(tmp_path / "c.keras")
    np.testing.assert_allclose(keras.models.load_model(tmp_path / "c.keras")(x), x @ w - 1.0, rtol=1e-6)


def test_eager_constant_operand_is_kept_as_its_value_in_the_config():
    x_in = keras.Input((4,))
    model = keras.Model(x_in, x_in + tf.constant([1.0, 2.0, 3.0, 4.0]))
    config = json.loads(json.dumps(model.get_config()))
    assert config["calls"][-1]["args"][1] == {
        "class_name": "__numpy__",
        "config": {"value": [1.0, 2.0, 3.0, 4.0], "dtype": "float32"},
    }
    np.testing.assert_array_equal(keras.Model.from_config(config)(np.ones((1, 4), "float32")), [[2.0, 3.0, 4.0, 5.0]])


def test_unknown_operation_in_a_config_is_a_clear_error():
    config = _residual_model().get_config()
    for entry in config["layers"]:
        if entry["class_name"] == "Mean":
            entry["class_name"] = "NoSuchOp"
    with pytest.raises(ValueError, match="Unknown Keras operation 'no_such_op'"):
        keras.Model.from_config(config)

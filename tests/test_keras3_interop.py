"""``load_model`` on ``.keras`` files written by Keras 3 itself (tests/data/keras3, made once by
tests/data/make_keras3_convnet.py; Keras is needed only to regenerate them): the same predictions as
Keras, the config details carried over, and clear errors for what cannot be loaded."""

import io
import json
import os
import sys
import zipfile

import numpy as np
import pytest

import ferroflow as tf

h5py = pytest.importorskip("h5py")

DATA = os.path.join(os.path.dirname(__file__), "data", "keras3")
FUNCTIONAL = os.path.join(DATA, "convnet_functional.keras")
SEQUENTIAL = os.path.join(DATA, "convnet_sequential.keras")
TWO_INPUT = os.path.join(DATA, "two_input.keras")
EXPECTED = np.load(os.path.join(DATA, "convnet_predictions.npz"))


@pytest.mark.parametrize("kind, path", [("functional", FUNCTIONAL), ("sequential", SEQUENTIAL)])
def test_convnet_predicts_like_keras_on_100_images(kind, path):
    model = tf.keras.models.load_model(path)
    images = EXPECTED["images"]
    assert images.shape == (100, 28, 28, 1)
    probs = model.predict(images.astype("float32"), verbose=0)
    keras_probs = EXPECTED[kind]
    np.testing.assert_array_equal(probs.argmax(-1), keras_probs.argmax(-1))
    np.testing.assert_allclose(probs, keras_probs, atol=1e-5)
    # the model is a real classifier (its BatchNormalization statistics matter)
    assert np.mean(probs.argmax(-1) == EXPECTED["labels"]) > 0.6


def test_batch_normalization_statistics_are_trained_values():
    model = tf.keras.models.load_model(FUNCTIONAL)
    bn = model.get_layer("bn1")
    mean, variance = bn.moving_mean.numpy(), bn.moving_variance.numpy()
    assert np.abs(mean).max() > 0.05 and np.abs(variance - 1).max() > 0.05
    model.get_layer("bn1").moving_mean.assign(np.zeros_like(mean))
    changed = model.predict(EXPECTED["images"].astype("float32"), verbose=0)
    assert np.abs(changed - EXPECTED["functional"]).max() > 1e-3


def test_functional_config_details_carry_over():
    model = tf.keras.models.load_model(FUNCTIONAL)
    assert model.name == "keras3_convnet"
    names = [layer.name for layer in model.layers]
    assert names == ["image", "scale", "conv1", "bn1", "pool1", "conv2", "bn2", "relu2", "gap", "drop", "probs"]
    bn1, bn2 = model.get_layer("bn1"), model.get_layer("bn2")
    assert (bn1.momentum, bn1.epsilon) == pytest.approx((0.9, 1e-3))
    assert (bn2.momentum, bn2.epsilon) == pytest.approx((0.95, 2e-3))
    conv1 = model.get_layer("conv1")
    assert conv1.get_config()["kernel_regularizer"]["config"]["l2"] == pytest.approx(1e-4)
    assert conv1.get_config()["activation"] == "relu"
    assert model.get_layer("conv2").get_config()["padding"] == "same"
    assert model.get_layer("scale").get_config()["scale"] == pytest.approx(1 / 255)
    assert model.get_layer("drop").rate == pytest.approx(0.1)
    assert model.input_shape == (None, 28, 28, 1) and model.output_shape == (None, 10)
    assert len(model.losses) == 1  # the L2 kernel regularizer


def test_sequential_config_details_carry_over():
    model = tf.keras.models.load_model(SEQUENTIAL)
    assert isinstance(model, tf.keras.Sequential) and model.name == "keras3_seq"
    bn = model.get_layer("batch_normalization_1")
    assert (bn.center, bn.scale, bn.momentum) == (True, False, pytest.approx(0.9))
    assert len(bn.weights) == 3
    assert tuple(model.get_layer("conv2d_1").get_config()["strides"]) == (2, 2)


def test_compile_config_and_optimizer_state_are_restored():
    model = tf.keras.models.load_model(FUNCTIONAL)
    assert isinstance(model.optimizer, tf.keras.optimizers.Adam)
    assert float(np.asarray(model.optimizer.learning_rate)) == pytest.approx(5e-3)
    assert int(model.optimizer.iterations.numpy()) == 300
    with zipfile.ZipFile(FUNCTIONAL) as zf, h5py.File(io.BytesIO(zf.read("model.weights.h5")), "r") as h5:
        # Keras: iterations, learning_rate, then (momentum, velocity) per variable; conv1's kernel is first
        momentum, velocity = h5["optimizer/vars/2"][()], h5["optimizer/vars/3"][()]
    variables = model.optimizer.variables  # in Keras's order too
    np.testing.assert_array_equal(variables[2].numpy(), momentum)
    np.testing.assert_array_equal(variables[3].numpy(), velocity)
    metrics = model.evaluate(EXPECTED["images"].astype("float32"), EXPECTED["labels"], verbose=0, return_dict=True)
    assert set(metrics) == {"loss", "accuracy"}
    uncompiled = tf.keras.models.load_model(FUNCTIONAL, compile=False)
    assert uncompiled.optimizer is None or not getattr(uncompiled, "compiled", False)


def test_two_inputs_shared_layer_nested_sequential_two_outputs():
    expected = np.load(os.path.join(DATA, "two_input_predictions.npz"))
    model = tf.keras.models.load_model(TWO_INPUT)
    out, diff = model.predict([expected["a"], expected["b"]], verbose=0)
    np.testing.assert_allclose(out, expected["out"], atol=1e-5)
    np.testing.assert_allclose(diff, expected["diff"], atol=1e-5)
    assert isinstance(model.get_layer("inner"), tf.keras.Sequential)


@pytest.mark.parametrize("name", ["img", "seq1d", "vol", "merge", "aug"])
def test_every_layer_class_computes_like_keras(name):
    """Models holding every Keras layer class ferroflow has (tests/data/make_keras3_layers.py)."""
    data = np.load(os.path.join(DATA, f"layers_{name}.npz"))
    inputs = [data[f"arr_{i}"] for i in range(int(data["n_in"]))]
    model = tf.keras.models.load_model(os.path.join(DATA, f"layers_{name}.keras"))
    outputs = model(inputs if len(inputs) > 1 else inputs[0], training=False)
    outputs = outputs if isinstance(outputs, (list, tuple)) else [outputs]
    assert len(outputs) == len([k for k in data.files if k.startswith("y")])
    for i, out in enumerate(outputs):
        np.testing.assert_allclose(np.asarray(out), data[f"y{i}"], atol=2e-5, rtol=1e-5)


def test_adapted_normalization_keeps_its_statistics_through_ferroflows_format(tmp_path):
    data = np.load(os.path.join(DATA, "layers_merge.npz"))
    model = tf.keras.models.load_model(os.path.join(DATA, "layers_merge.keras"))
    model.save(tmp_path / "again.keras")
    again = tf.keras.models.load_model(tmp_path / "again.keras")
    outputs = again([data["arr_0"], data["arr_1"]], training=False)
    np.testing.assert_allclose(np.asarray(outputs[0]), data["y0"], atol=1e-5)


def test_a_loaded_keras_model_round_trips_through_ferroflows_format(tmp_path):
    model = tf.keras.models.load_model(SEQUENTIAL)
    model.save(tmp_path / "again.keras")
    again = tf.keras.models.load_model(tmp_path / "again.keras")
    probs = again.predict(EXPECTED["images"].astype("float32"), verbose=0)
    np.testing.assert_allclose(probs, EXPECTED["sequential"], atol=1e-5)


def test_missing_h5py_says_how_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "h5py", None)
    with pytest.raises(ImportError, match="pip install h5py"):
        tf.keras.models.load_model(FUNCTIONAL)


# -- files that cannot be loaded -------------------------------------------------------------------


def _copy(tmp_path, source=FUNCTIONAL, config=None, weights=None, drop=()):
    """A copy of a Keras archive, with ``config(dict)`` / ``weights(h5 file)`` edits applied."""
    with zipfile.ZipFile(source) as zf:
        members = {n: zf.read(n) for n in zf.namelist() if n not in drop}
    if config is not None:
        data = json.loads(members["config.json"])
        config(data)
        members["config.json"] = json.dumps(data).encode()
    if weights is not None:
        buffer = io.BytesIO(members["model.weights.h5"])
        with h5py.File(buffer, "r+") as h5:
            weights(h5)
        members["model.weights.h5"] = buffer.getvalue()
    path = tmp_path / "edited.keras"
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def _layer_entry(config, name):
    return next(e for e in config["config"]["layers"] if e["config"].get("name") == name)


def test_unknown_layer_class_is_a_value_error_naming_it(tmp_path):
    def edit(config):
        _layer_entry(config, "drop")["class_name"] = "FancyKerasLayer"

    with pytest.raises(ValueError, match="FancyKerasLayer.*'drop'"):
        tf.keras.models.load_model(_copy(tmp_path, config=edit))


def test_unsupported_keras_argument_is_a_value_error(tmp_path):
    def edit(config):
        _layer_entry(config, "bn1")["config"]["renorm"] = True

    with pytest.raises(ValueError, match="renorm=True"):
        tf.keras.models.load_model(_copy(tmp_path, config=edit))


def test_mismatched_weight_shape_is_a_value_error(tmp_path):
    def edit(config):
        _layer_entry(config, "probs")["config"]["units"] = 12

    with pytest.raises(ValueError, match="'probs'.*shape"):
        tf.keras.models.load_model(_copy(tmp_path, config=edit))


def test_missing_and_unknown_weights_are_value_errors(tmp_path):
    def drop_bias(h5):
        del h5["layers/dense/vars/1"]

    with pytest.raises(ValueError, match="'probs'.*holds 1 weights"):
        tf.keras.models.load_model(_copy(tmp_path, weights=drop_bias))

    def add_layer(h5):
        h5.create_dataset("layers/mystery/vars/0", data=np.zeros(3, "float32"))

    with pytest.raises(ValueError, match="layers/mystery"):
        tf.keras.models.load_model(_copy(tmp_path, weights=add_layer))

    def drop_layer(h5):
        del h5["layers/conv2d_1"]

    with pytest.raises(ValueError, match="no weights for layer 'conv2'"):
        tf.keras.models.load_model(_copy(tmp_path, weights=drop_layer))


def test_corrupt_keras_archives_are_value_errors(tmp_path):
    with pytest.raises(ValueError, match="'model.weights.h5' is missing"):
        tf.keras.models.load_model(_copy(tmp_path, drop=["model.weights.h5"]))
    path = tmp_path / "garbage.keras"
    with zipfile.ZipFile(FUNCTIONAL) as zf, zipfile.ZipFile(path, "w") as out:
        for name in zf.namelist():
            out.writestr(name, b"not hdf5" if name == "model.weights.h5" else zf.read(name))
    with pytest.raises(ValueError, match="not a readable HDF5 file"):
        tf.keras.models.load_model(path)
    data = open(FUNCTIONAL, "rb").read()
    (tmp_path / "cut.keras").write_bytes(data[: len(data) // 2])
    with pytest.raises(ValueError, match="cut.keras"):
        tf.keras.models.load_model(tmp_path / "cut.keras")

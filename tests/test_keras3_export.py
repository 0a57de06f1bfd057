"""ferroflow's ``.keras`` files carry Keras 3's ``config.json`` and ``model.weights.h5`` too (checked here
without Keras: through ferroflow's own Keras-3 reader; tests/data/check_keras3_opens_ferroflow_files.py is
the manual check with Keras itself), and ``.weights.h5`` files are HDF5 in Keras's layout."""

import io
import json
import os
import shutil
import warnings
import zipfile

import numpy as np
import pytest

import ferroflow as tf
from ferroflow.layers import deserialize, serialize
from ferroflow.saving import keras3_export
from ferroflow.saving.keras3_config import translate_model_config
from ferroflow.saving.keras3_format import is_keras3_archive, load_keras3_model

h5py = pytest.importorskip("h5py")
L = tf.keras.layers
KERAS_FILE = os.path.join(os.path.dirname(__file__), "data", "keras3", "convnet_functional.keras")
KERAS_PREDICTIONS = os.path.join(os.path.dirname(__file__), "data", "keras3", "convnet_predictions.npz")


def _functional():
    a, b = tf.keras.Input((8, 8, 1), name="img"), tf.keras.Input((5,), name="extra")
    l2 = {"class_name": "L2", "config": {"l2": 0.01}}
    x = L.Conv2D(4, 3, activation="relu", kernel_regularizer=l2, name="conv")(a)
    x = L.BatchNormalization(momentum=0.9, name="bn")(x)
    x = L.Flatten()(L.MaxPooling2D()(x))
    inner = tf.keras.Sequential([tf.keras.Input((5,)), L.Dense(3, activation="tanh")], name="inner")
    shared = L.Dense(3, name="shared")
    merged = L.Add()([shared(L.Dense(5, name="pre")(x)), shared(b)])
    out = L.Dense(2, activation="softmax")(L.Dropout(0.3)(L.Concatenate()([merged, inner(b)])))
    return tf.keras.Model([a, b], out, name="two_in")


def _sequential():
    layers = [tf.keras.Input((8, 8, 1)), L.Conv2D(3, 3, use_bias=False), L.BatchNormalization(scale=False)]
    layers += [L.AveragePooling2D(), L.GlobalMaxPooling2D(), L.Dense(2)]
    return tf.keras.Sequential(layers, name="seq")


def _data(model, n=6):
    rng = np.random.default_rng(0)
    x = [rng.normal(size=(n, *t.shape[1:])).astype("float32") for t in model.inputs]
    return x if len(x) > 1 else x[0]


def _trained(make, optimizer="adam"):
    model = make()
    model.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy")
    model.fit(_data(model), np.array([0, 1, 0, 1, 1, 0]), batch_size=3, epochs=2, verbose=0)
    return model


def _member(path, name):
    with zipfile.ZipFile(path) as zf:
        return zf.read(name)


@pytest.mark.parametrize("make", [_functional, _sequential], ids=["functional", "sequential"])
def test_keras_config_reads_back_to_the_same_model_config(tmp_path, make):
    model = _trained(make)
    model.save(tmp_path / "m.keras")
    keras_config = json.loads(_member(tmp_path / "m.keras", "config.json"))
    own = json.loads(_member(tmp_path / "m.keras", "ferroflow_config.json"))
    translated = translate_model_config(keras_config)
    assert serialize(deserialize(translated)) == serialize(model)
    assert translated["build_config"] == own["build_config"]
    assert translated["compile_config"] == own["compile_config"]


def test_keras_config_is_in_keras_3_form(tmp_path):
    model = _functional()
    model.save(tmp_path / "m.keras")
    meta = json.loads(_member(tmp_path / "m.keras", "metadata.json"))
    assert meta["keras_version"].startswith("3.") and meta["date_saved"]
    assert (meta["format"], meta["format_version"]) == ("ferroflow.keras", 2)
    config = json.loads(_member(tmp_path / "m.keras", "config.json"))
    assert (config["module"], config["class_name"], config["registered_name"]) == (
        "keras.src.models.functional",
        "Functional",
        "Functional",
    )
    layers = {entry["name"]: entry for entry in config["config"]["layers"]}
    assert layers["img"]["config"]["batch_shape"] == [None, 8, 8, 1] and layers["img"]["inbound_nodes"] == []
    conv = layers["conv"]
    assert conv["config"]["dtype"] == {
        "module": "keras",
        "class_name": "DTypePolicy",
        "config": {"name": "float32"},
        "registered_name": None,
    }
    assert conv["config"]["kernel_regularizer"]["module"] == "keras.regularizers"
    assert conv["config"]["kernel_initializer"]["module"] == "keras.initializers"
    assert conv["inbound_nodes"] == [
        {
            "args": [
                {
                    "class_name": "__keras_tensor__",
                    "config": {"shape": [None, 8, 8, 1], "dtype": "float32", "keras_history": ["img", 0, 0]},
                }
            ],
            "kwargs": {},
        }
    ]
    assert [node["args"][0]["config"]["keras_history"] for node in layers["shared"]["inbound_nodes"]] == [
        ["pre", 0, 0],
        ["extra", 0, 0],
    ]
    assert layers["inner"]["class_name"] == "Sequential" and layers["inner"]["module"] == "keras"


def test_h5_layout_is_keras_3s(tmp_path):
    model = _trained(_functional)
    model.save(tmp_path / "m.keras")
    with h5py.File(io.BytesIO(_member(tmp_path / "m.keras", "model.weights.h5")), "r") as h5:
        assert h5["vars"].attrs["name"] == "two_in"
        assert h5["layers/conv2d/vars"].attrs["name"] == "conv"
        np.testing.assert_array_equal(h5["layers/conv2d/vars/0"][()], model.get_layer("conv").kernel.numpy())
        bn_mean = model.get_layer("bn").moving_mean.numpy()
        np.testing.assert_array_equal(h5["layers/batch_normalization/vars/2"][()], bn_mean)
        assert list(h5["layers/input_layer/vars"].keys()) == [] and "layers/input_layer_1" in h5
        inner_bias = model.get_layer("inner").layers[0].bias.numpy()
        np.testing.assert_array_equal(h5["layers/sequential/layers/dense/vars/1"][()], inner_bias)
        opt = h5["optimizer/vars"]
        variables = model.optimizer.variables
        n = len(model.trainable_weights)
        assert len(opt) == len(variables) == 2 + 2 * n
        assert int(opt["0"][()]) == 4  # iterations
        # Keras's order, optimizer.variables's too: each trainable variable's momentum then velocity
        for i, variable in enumerate(variables):
            np.testing.assert_array_equal(opt[str(i)][()], variable.numpy())
        assert variables[3].name.endswith("_velocity") and variables[5].name.endswith("_velocity")


@pytest.mark.parametrize("make", [_functional, _sequential], ids=["functional", "sequential"])
def test_keras_members_load_through_the_keras_3_reader(tmp_path, make):
    model = _trained(make)
    model.save(tmp_path / "m.keras")
    assert not is_keras3_archive(str(tmp_path / "m.keras"))  # ferroflow prefers its own members
    again = load_keras3_model(str(tmp_path / "m.keras"))
    x = _data(model)
    np.testing.assert_allclose(again.predict(x, verbose=0), model.predict(x, verbose=0), atol=1e-6)
    assert int(again.optimizer.iterations.numpy()) == int(model.optimizer.iterations.numpy())
    for a, b in zip(again.optimizer.variables, model.optimizer.variables):
        np.testing.assert_array_equal(a.numpy(), b.numpy())


def test_ferroflow_reads_its_own_config_and_each_weight_once_from_the_h5(tmp_path):
    model = _trained(_sequential)
    path = tmp_path / "m.keras"
    model.save(path)
    with zipfile.ZipFile(path) as zf:
        members = {name: zf.read(name) for name in zf.namelist()}
    # the weights and the optimizer state are in model.weights.h5 only (no npz copies)
    assert set(members) == {"metadata.json", "ferroflow_config.json", "config.json", "model.weights.h5"}
    members["config.json"] = b"{}"  # Keras's view is not what ferroflow reads
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    again = tf.keras.models.load_model(path)
    np.testing.assert_array_equal(again.predict(_data(model), verbose=0), model.predict(_data(model), verbose=0))
    for a, b in zip(again.optimizer.variables, model.optimizer.variables):
        np.testing.assert_array_equal(a.numpy(), b.numpy())


def test_version_2_files_of_the_earlier_layout_still_load_from_their_npz(tmp_path, monkeypatch):
    """Files written before the weights were held once carry npz copies beside model.weights.h5: ferroflow
    reads those."""
    model = _trained(_sequential)
    model.save(tmp_path / "m.keras")
    monkeypatch.setattr(keras3_export, "h5py_or_none", lambda: None)
    model.save(tmp_path / "own.keras")
    monkeypatch.undo()
    with zipfile.ZipFile(tmp_path / "m.keras") as zf:
        members = {name: zf.read(name) for name in zf.namelist()}
    with zipfile.ZipFile(tmp_path / "own.keras") as zf:
        earlier = ("model.weights.npz", "weights.json", "optimizer.npz", "optimizer.json")
        members.update({n: zf.read(n) for n in earlier})
    members["model.weights.h5"] = b"not hdf5"
    with zipfile.ZipFile(tmp_path / "old.keras", "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    again = tf.keras.models.load_model(tmp_path / "old.keras")
    np.testing.assert_array_equal(again.predict(_data(model), verbose=0), model.predict(_data(model), verbose=0))
    for a, b in zip(again.optimizer.variables, model.optimizer.variables):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    with zipfile.ZipFile(tmp_path / "m.keras") as zf:  # a ferroflow file damaged: a clear error
        members = {name: zf.read(name) for name in zf.namelist()}
    members["model.weights.h5"] = b"not hdf5"
    with zipfile.ZipFile(tmp_path / "bad.keras", "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    with pytest.raises(ValueError, match="bad.keras.*model.weights.h5 is not a readable HDF5 file"):
        tf.keras.models.load_model(tmp_path / "bad.keras")


def test_without_h5py_the_archive_is_ferroflows_own_as_before(tmp_path, monkeypatch):
    monkeypatch.setattr(keras3_export, "h5py_or_none", lambda: None)
    model = _trained(_functional)
    model.save(tmp_path / "m.keras")
    names = set(zipfile.ZipFile(tmp_path / "m.keras").namelist())
    assert names == {
        "metadata.json",
        "config.json",
        "model.weights.npz",
        "weights.json",
        "optimizer.npz",
        "optimizer.json",
    }
    meta = json.loads(_member(tmp_path / "m.keras", "metadata.json"))
    assert meta["format_version"] == 1 and "keras_version" not in meta
    monkeypatch.undo()
    again = tf.keras.models.load_model(tmp_path / "m.keras")  # a file of the earlier format still loads
    x = _data(model)
    np.testing.assert_array_equal(again.predict(x, verbose=0), model.predict(x, verbose=0))


@pytest.mark.parametrize(
    "layer",
    [lambda: L.Lambda(lambda t: t * 2.0)],  # (Normalization is written for Keras now: test_preprocessing_saving)
    ids=["Lambda"],
)
def test_a_model_keras_cannot_express_is_saved_ferroflow_only_without_error(tmp_path, layer):
    model = tf.keras.Sequential([tf.keras.Input((3,)), layer(), L.Dense(2)])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model.save(tmp_path / "m.keras")
    names = zipfile.ZipFile(tmp_path / "m.keras").namelist()
    assert "model.weights.h5" not in names and "ferroflow_config.json" not in names
    again = tf.keras.models.load_model(tmp_path / "m.keras", safe_mode=False)
    x = np.ones((2, 3), "float32")
    np.testing.assert_array_equal(again.predict(x, verbose=0), model.predict(x, verbose=0))


# -- .weights.h5 files -------------------------------------------------------------------------------


def test_save_weights_h5_is_hdf5_in_keras_layout_and_loads_back(tmp_path):
    model = _sequential()
    path = tmp_path / "m.weights.h5"
    model.save_weights(path)
    assert h5py.is_hdf5(path)
    with h5py.File(path, "r") as h5:
        np.testing.assert_array_equal(h5["layers/conv2d/vars/0"][()], model.layers[0].kernel.numpy())
        assert h5["layers/batch_normalization/vars"].attrs["name"] == model.layers[1].name
    other = _sequential()  # other layer names: matched by position, as in Keras
    other.load_weights(path)
    for a, b in zip(other.get_weights(), model.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_load_weights_reads_a_keras_3_weights_file(tmp_path):
    path = tmp_path / "keras.weights.h5"
    path.write_bytes(_member(KERAS_FILE, "model.weights.h5"))
    model = tf.keras.models.load_model(KERAS_FILE)
    model.set_weights([np.zeros_like(w) for w in model.get_weights()])
    model.load_weights(path)
    expected = np.load(KERAS_PREDICTIONS)
    probs = model.predict(expected["images"].astype("float32"), verbose=0)
    np.testing.assert_allclose(probs, expected["functional"], atol=1e-5)


def test_weights_h5_files_written_before_hdf5_support_still_load(tmp_path):
    from ferroflow.saving import write_weights_file

    model = _sequential()
    path = tmp_path / "old.weights.h5"
    write_weights_file(path, [(v.name, v.numpy()) for v in model.weights])  # the earlier zip format
    other = _sequential()
    other.load_weights(path)
    for a, b in zip(other.get_weights(), model.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_save_weights_h5_without_h5py_says_how_to_fix(tmp_path, monkeypatch):
    monkeypatch.setattr(keras3_export, "h5py_or_none", lambda: None)
    with pytest.raises(ImportError, match=r"h5py.*\.weights\.npz"):
        _sequential().save_weights(tmp_path / "m.weights.h5")
    assert not os.path.exists(tmp_path / "m.weights.h5")
    _sequential().save_weights(tmp_path / "m.weights.npz")


def test_unbuilt_model_cannot_save_weights_like_keras(tmp_path):
    with pytest.raises(ValueError, match="You are saving a model that has not yet been built"):
        tf.keras.Sequential([L.Dense(2)]).save_weights(tmp_path / "m.weights.h5")


def test_failed_h5_save_keeps_the_previous_file(tmp_path, monkeypatch):
    from ferroflow.saving import _atomic

    path = tmp_path / "m.weights.h5"
    model = _sequential()
    model.save_weights(path)
    before = path.read_bytes()

    def failing_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(_atomic.os, "replace", failing_replace)
    with pytest.raises(OSError, match="No space left"):
        _sequential().save_weights(path)
    monkeypatch.undo()
    assert path.read_bytes() == before and os.listdir(tmp_path) == ["m.weights.h5"]


def test_corrupt_h5_weights_file_is_a_value_error_naming_it(tmp_path):
    path = tmp_path / "bad.weights.h5"
    _sequential().save_weights(path)
    shutil.copyfile(path, tmp_path / "copy")
    path.write_bytes((tmp_path / "copy").read_bytes()[:600])
    with pytest.raises(ValueError, match="bad.weights.h5"):
        _sequential().load_weights(path)

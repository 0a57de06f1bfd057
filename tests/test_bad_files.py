"""Model files under failure: a failed or interrupted ``model.save`` keeps the previous file, loading a missing,
truncated or corrupt file raises an error naming it, and nothing in a model file can run code on load."""

import io
import json
import os
import zipfile

import numpy as np
import pytest

import ferroflow as tf


def _trained_model(seed=0):
    model = tf.keras.Sequential([tf.keras.Input((4,)), tf.keras.layers.Dense(3)])
    model.compile(tf.keras.optimizers.SGD(0.1), "mse")
    rng = np.random.RandomState(seed)
    model.fit(rng.rand(16, 4).astype("float32"), rng.rand(16, 3).astype("float32"), verbose=0)
    return model


def _fail_writes_of(member_suffix, exc, monkeypatch):
    real = zipfile.ZipFile.writestr

    def failing(self, name, data, *args, **kwargs):
        if str(name).endswith(member_suffix):
            real(self, name, data[: len(data) // 2], *args, **kwargs)  # half written, then the failure
            raise exc
        return real(self, name, data, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "writestr", failing)


@pytest.mark.parametrize("exc", [OSError(28, "No space left on device"), KeyboardInterrupt()])
def test_failed_save_keeps_the_previous_file(tmp_path, monkeypatch, exc):
    path = tmp_path / "m.keras"
    first = _trained_model(0)
    first.save(path)
    saved = [w.copy() for w in first.get_weights()]
    second = _trained_model(1)
    _fail_writes_of((".npz", ".h5"), exc, monkeypatch)  # the weights member: model.weights.h5 with h5py
    with pytest.raises(type(exc)):
        second.save(path)
    monkeypatch.undo()
    assert sorted(os.listdir(tmp_path)) == ["m.keras"]  # no temporary file left behind
    for a, b in zip(tf.keras.models.load_model(path).get_weights(), saved):
        np.testing.assert_array_equal(a, b)


def test_failed_save_weights_keeps_the_previous_file(tmp_path, monkeypatch):
    path = tmp_path / "m.weights.npz"  # .weights.h5 (HDF5): tests/test_keras3_export.py
    model = _trained_model(0)
    model.save_weights(path)
    saved = [w.copy() for w in model.get_weights()]
    _fail_writes_of(".npz", OSError(5, "I/O error"), monkeypatch)
    with pytest.raises(OSError, match="I/O error"):
        _trained_model(1).save_weights(path)
    monkeypatch.undo()
    fresh = tf.keras.Sequential([tf.keras.Input((4,)), tf.keras.layers.Dense(3)])
    fresh.load_weights(path)
    for a, b in zip(fresh.get_weights(), saved):
        np.testing.assert_array_equal(a, b)


def test_missing_file_is_named(tmp_path):
    path = tmp_path / "absent.keras"
    with pytest.raises(FileNotFoundError, match="absent.keras"):
        tf.keras.models.load_model(path)
    with pytest.raises(FileNotFoundError, match="absent.weights.h5"):
        _trained_model().load_weights(tmp_path / "absent.weights.h5")


@pytest.mark.parametrize("damage", ["truncate", "garbage", "empty"])
def test_truncated_or_corrupt_file_is_a_value_error_naming_it(tmp_path, damage):
    path = tmp_path / "broken.keras"
    _trained_model().save(path)
    data = path.read_bytes()
    path.write_bytes({"truncate": data[: len(data) // 2], "garbage": os.urandom(len(data)), "empty": b""}[damage])
    with pytest.raises(ValueError, match="broken.keras"):
        tf.keras.models.load_model(path)


def _rewrite_member(path, member, data):
    with zipfile.ZipFile(path) as zf:
        members = {name: zf.read(name) for name in zf.namelist()}
    members[member] = data
    with zipfile.ZipFile(path, "w") as zf:
        for name, content in members.items():
            zf.writestr(name, content)


def test_corrupt_config_is_a_value_error_naming_the_file(tmp_path):
    path = tmp_path / "cfg.keras"
    _trained_model().save(path)
    # ferroflow reads its own config member (Keras 3's config.json is there for Keras)
    member = "ferroflow_config.json" if "ferroflow_config.json" in zipfile.ZipFile(path).namelist() else "config.json"
    _rewrite_member(path, member, b"{not json")
    with pytest.raises(ValueError, match=r"cfg.keras.*config.json is not valid JSON"):
        tf.keras.models.load_model(path)


class _RunsOnUnpickle:
    """Unpickling this creates a marker file: proof that loading executed code from the file."""

    marker = ""

    def __reduce__(self):
        return (open, (self.marker, "w"))


def test_pickled_objects_in_a_model_file_are_refused_not_run(tmp_path):
    path = tmp_path / "evil.keras"
    _trained_model().save(path)
    marker = tmp_path / "executed"
    _RunsOnUnpickle.marker = str(marker)
    buffer = io.BytesIO()
    np.savez(buffer, np.array([_RunsOnUnpickle()], dtype=object), np.zeros(3, "float32"))
    _rewrite_member(path, "model.weights.npz", buffer.getvalue())
    # with h5py the file holds its weights in model.weights.h5 only: an index makes the npz the one read
    index = {"arrays": [{"name": "a", "shape": [1], "dtype": "|O"}, {"name": "b", "shape": [3], "dtype": "<f4"}]}
    _rewrite_member(path, "weights.json", json.dumps(index).encode())
    with pytest.raises(ValueError, match=r"evil.keras.*(pickle|allow_pickle)"):
        tf.keras.models.load_model(path)
    assert not marker.exists()

"""ferroflow.saving.archive: the .keras model archive and .weights.npz files."""

from __future__ import annotations

import io
import json
import os
import zipfile

import numpy as np
import pytest

from ferroflow import saving
from ferroflow.saving import archive

CONFIG = {"class_name": "Sequential", "config": {"name": "seq", "layers": [{"units": 10}]}}


def _weights():
    rng = np.random.default_rng(0)
    return [
        ("dense/kernel", rng.standard_normal((784, 10)).astype(np.float32)),
        ("dense/bias", np.zeros(10, np.float32)),
        ("dense/kernel", np.arange(6, dtype=np.int64).reshape(2, 3)),  # names may repeat
        ("step", np.array(7, np.int32)),
        ("mask", np.array([True, False])),
    ]


def _assert_same(got, want):
    assert [name for name, _ in got] == [name for name, _ in want]
    for (_, a), (_, b) in zip(got, want):
        assert a.dtype == b.dtype and a.shape == b.shape
        np.testing.assert_array_equal(a, b)


def test_model_archive_round_trip(tmp_path):
    path = tmp_path / "model.keras"
    opt = [("iterations", np.array(3, np.int64)), ("m/dense/kernel", np.ones((784, 10)))]
    saving.write_model_archive(path, CONFIG, _weights(), opt, {"ferroflow_version": "0.1.0"})
    result = saving.read_model_archive(path)
    assert isinstance(result, saving.ModelArchive)
    assert result.config == CONFIG
    _assert_same(result.weights, _weights())
    _assert_same(result.optimizer_state, opt)
    meta = result.metadata
    assert meta["format"] == "ferroflow.keras" and meta["format_version"] == 1
    assert meta["ferroflow_version"] == "0.1.0" and "date_saved" in meta


def test_archive_layout_is_plain_zip_json_and_npz(tmp_path):
    path = str(tmp_path / "model.keras")
    saving.write_model_archive(path, CONFIG, _weights(), None, {})
    with zipfile.ZipFile(path) as zf:
        assert set(zf.namelist()) == {
            "metadata.json",
            "config.json",
            "model.weights.npz",
            "weights.json",
        }
        index = json.loads(zf.read("weights.json"))["arrays"]
        assert [e["name"] for e in index][:2] == ["dense/kernel", "dense/bias"]
        assert index[0]["shape"] == [784, 10]
        npz = zf.read("model.weights.npz")
    assert saving.read_model_archive(path).optimizer_state is None
    (tmp_path / "w.npz").write_bytes(npz)
    with np.load(tmp_path / "w.npz", allow_pickle=False) as data:
        assert data.files == [f"arr_{i}" for i in range(5)]


def test_weights_file_round_trip_npz_and_h5_names(tmp_path):
    for name in ("m.weights.npz", "m.weights.h5"):
        path = tmp_path / name
        saving.write_weights_file(path, _weights())
        _assert_same(saving.read_weights_file(path), _weights())
        with zipfile.ZipFile(path) as zf:
            assert json.loads(zf.read("metadata.json"))["format"] == "ferroflow.weights"
    with pytest.raises(
        ValueError, match="format is 'ferroflow.weights', expected 'ferroflow.keras'"
    ):
        saving.read_model_archive(tmp_path / "m.weights.npz")


def test_empty_weights(tmp_path):
    saving.write_model_archive(tmp_path / "m.keras", {}, [], [], {})
    result = saving.read_model_archive(tmp_path / "m.keras")
    assert result.weights == [] and result.optimizer_state == []


def test_missing_file_raises_file_not_found_naming_path(tmp_path):
    path = tmp_path / "nope.keras"
    with pytest.raises(FileNotFoundError, match="nope.keras"):
        saving.read_model_archive(path)
    with pytest.raises(FileNotFoundError, match="nope.keras"):
        saving.read_weights_file(path)


def test_truncated_file_raises_value_error(tmp_path):
    path = tmp_path / "m.keras"
    saving.write_model_archive(path, CONFIG, _weights(), None, {})
    data = path.read_bytes()
    for cut in (10, len(data) // 2, len(data) - 5):
        path.write_bytes(data[:cut])
        with pytest.raises(ValueError, match="m.keras"):
            saving.read_model_archive(path)
    path.write_bytes(b"")
    with pytest.raises(ValueError, match="not a zip file"):
        saving.read_model_archive(path)


def _rewrite(path, drop=(), replace=None):
    """Copy the archive at ``path`` without the members in ``drop``, with ``replace``d ones."""
    with zipfile.ZipFile(path) as zf:
        members = {n: zf.read(n) for n in zf.namelist() if n not in drop}
    members.update(replace or {})
    with zipfile.ZipFile(path, "w") as zf:
        for n, data in members.items():
            zf.writestr(n, data)


@pytest.mark.parametrize(
    "drop, replace, message",
    [
        (["config.json"], None, "member 'config.json' is missing"),
        (["weights.json"], None, "member 'weights.json' is missing"),
        (["model.weights.npz"], None, "'model.weights.npz' is missing"),
        ([], {"config.json": b"{not json"}, "config.json is not valid JSON"),
        ([], {"config.json": b"[1, 2]"}, "config.json holds a list"),
        ([], {"metadata.json": b'{"keras_version": "3.5.0"}'}, "Keras-written"),
        ([], {"metadata.json": b'{"format": "ferroflow.keras", "format_version": 99}'}, "newer"),
        ([], {"model.weights.npz": b"garbage"}, "cannot read model.weights.npz"),
        ([], {"weights.json": b'{"arrays": [{"name": "a"}]}'}, "holds 5 arrays"),
        ([], {"weights.json": b'{"list": []}'}, "no valid 'arrays' list"),
    ],
)
def test_corrupt_members_raise_value_error(tmp_path, drop, replace, message):
    path = tmp_path / "m.keras"
    saving.write_model_archive(path, CONFIG, _weights(), None, {})
    _rewrite(path, drop, replace)
    with pytest.raises(ValueError, match=message) as info:
        saving.read_model_archive(path)
    assert str(path) in str(info.value)


def test_index_shape_mismatch_is_detected(tmp_path):
    path = tmp_path / "m.weights.npz"
    saving.write_weights_file(path, [("a", np.zeros((2, 3), np.float32))])
    index = {"arrays": [{"name": "a", "shape": [3, 2], "dtype": "<f4"}]}
    _rewrite(path, replace={"weights.json": json.dumps(index).encode()})
    with pytest.raises(ValueError, match="array 'a' has shape"):
        saving.read_weights_file(path)


def test_pickled_npz_is_refused(tmp_path):
    path = tmp_path / "m.weights.npz"
    saving.write_weights_file(path, [("a", np.zeros(2))])
    buf = io.BytesIO()
    np.savez(buf, np.array([{"evil": 1}], dtype=object))
    _rewrite(path, replace={"model.weights.npz": buf.getvalue()})
    with pytest.raises(ValueError, match="cannot read model.weights.npz"):
        saving.read_weights_file(path)


def test_invalid_inputs_are_rejected_before_writing(tmp_path):
    path = tmp_path / "m.keras"
    with pytest.raises(TypeError, match="object"):
        saving.write_model_archive(path, {}, [("w", np.array([object()]))], None, {})
    with pytest.raises(TypeError, match="JSON-serializable"):
        saving.write_model_archive(path, {"f": object()}, [], None, {})
    with pytest.raises(ValueError, match="pair"):
        saving.write_weights_file(path, [np.zeros(2)])
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(FileNotFoundError, match="missing"):
        saving.write_weights_file(tmp_path / "missing" / "w.weights.npz", [])


def test_failed_save_keeps_previous_file_and_leaves_no_temp(tmp_path, monkeypatch):
    path = tmp_path / "m.keras"
    saving.write_model_archive(path, CONFIG, _weights(), None, {"v": 1})
    before = path.read_bytes()

    def boom(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(archive.zipfile.ZipFile, "writestr", boom)
    with pytest.raises(OSError, match="disk full"):
        saving.write_model_archive(path, {"other": 1}, [], None, {"v": 2})
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["m.keras"]


def test_interrupted_replace_keeps_previous_file(tmp_path, monkeypatch):
    path = tmp_path / "w.weights.npz"
    saving.write_weights_file(path, [("a", np.ones(3))])

    def no_replace(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", no_replace)
    with pytest.raises(KeyboardInterrupt):
        saving.write_weights_file(path, [("a", np.zeros(3))])
    monkeypatch.undo()
    _assert_same(saving.read_weights_file(path), [("a", np.ones(3))])
    assert os.listdir(tmp_path) == ["w.weights.npz"]


def test_overwrite_replaces_content_and_respects_umask(tmp_path):
    path = tmp_path / "m.keras"
    saving.write_model_archive(path, {"a": 1}, [], None, {})
    saving.write_model_archive(path, {"a": 2}, [], None, {})
    assert saving.read_model_archive(path).config == {"a": 2}
    umask = os.umask(0)
    os.umask(umask)
    assert os.stat(path).st_mode & 0o777 == 0o666 & ~umask
    with pytest.raises(IsADirectoryError):
        saving.write_weights_file(tmp_path, [])

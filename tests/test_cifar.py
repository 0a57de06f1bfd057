"""keras.datasets.cifar10 / cifar100 from Keras's archive layout (files made here in the original format)."""

import io
import os
import pickle
import tarfile
import urllib.error

import numpy as np
import pytest

import ferroflow as tf
from ferroflow.datasets import _download, cifar


def _batch(n, seed, label_keys):
    rng = np.random.default_rng(seed)
    batch = {b"data": rng.integers(0, 256, (n, 3072), dtype=np.uint8)}
    for key in label_keys:
        batch[key] = rng.integers(0, 100, n).tolist()
    return batch


def _write(folder, name, archive: bool, tamper: bool = False):
    _, _, inner, train, test = cifar._ARCHIVES[name]
    keys = [b"labels"] if name == "cifar10" else [b"fine_labels", b"coarse_labels"]
    batches = {m: _batch(3, i, keys) for i, m in enumerate(train + [test])}
    blobs = {m: pickle.dumps(b, protocol=2) for m, b in batches.items()}
    if tamper:
        blobs[test] = pickle.dumps(os.getcwd, protocol=2)  # a callable from outside NumPy
    folder.mkdir(parents=True, exist_ok=True)
    if archive:
        with tarfile.open(folder / cifar._ARCHIVES[name][0], "w:gz") as tar:
            for m, blob in blobs.items():
                info = tarfile.TarInfo(f"{inner}/{m}")
                info.size = len(blob)
                tar.addfile(info, io.BytesIO(blob))
    else:
        (folder / inner).mkdir()
        for m, blob in blobs.items():
            (folder / inner / m).write_bytes(blob)
    return batches


@pytest.fixture
def root(tmp_path, monkeypatch):
    monkeypatch.setenv("FERROFLOW_DATASETS", str(tmp_path))

    def offline(url, *args, **kwargs):
        raise urllib.error.URLError("network disabled in tests")

    monkeypatch.setattr(_download, "urlopen", offline)
    return tmp_path


@pytest.mark.parametrize("archive", [False, True])
def test_cifar10_images_are_channels_last(root, archive):
    batches = _write(root / "cifar10", "cifar10", archive)
    (x_train, y_train), (x_test, y_test) = tf.keras.datasets.cifar10.load_data()
    assert x_train.shape == (15, 32, 32, 3) and y_train.shape == (15, 1) and x_test.shape == (3, 32, 32, 3)
    first = batches["data_batch_1"][b"data"][0]
    # the stored row is the red plane, then green, then blue
    np.testing.assert_array_equal(x_train[0, :, :, 0], first[:1024].reshape(32, 32))
    np.testing.assert_array_equal(x_train[0, :, :, 2], first[2048:].reshape(32, 32))
    assert y_test[:, 0].tolist() == [v % 256 for v in batches["test_batch"][b"labels"]]
    assert x_train.dtype == np.uint8 and y_train.dtype == np.uint8


def test_cifar100_fine_and_coarse_labels(root):
    batches = _write(root / "cifar100", "cifar100", archive=True)
    (_, fine), _ = tf.keras.datasets.cifar100.load_data()
    (_, coarse), _ = tf.keras.datasets.cifar100.load_data(label_mode="coarse")
    assert fine[:, 0].tolist() == batches["train"][b"fine_labels"]
    assert coarse[:, 0].tolist() == batches["train"][b"coarse_labels"]
    with pytest.raises(ValueError, match="label_mode"):
        tf.keras.datasets.cifar100.load_data(label_mode="medium")


def test_missing_offline_and_tampered_files_get_clear_errors(root):
    with pytest.raises(cifar.CifarNotFoundError, match="cifar-10-python.tar.gz"):
        tf.keras.datasets.cifar10.load_data()
    _write(root / "cifar10", "cifar10", archive=False, tamper=True)
    with pytest.raises(ValueError, match="test_batch: not a CIFAR batch.*only NumPy arrays"):
        tf.keras.datasets.cifar10.load_data()

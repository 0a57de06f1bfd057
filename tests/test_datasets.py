"""ferroflow.datasets.mnist: local IDX and npz loading, validation, and the offline downloader."""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import os
import urllib.error
from pathlib import Path

import numpy as np
import pytest

from ferroflow.datasets import _download, mnist
from ferroflow.datasets._idx import encode_idx, parse_idx

REPO_ROOT = Path(__file__).resolve().parents[1]


def _shared_datasets() -> Path:
    env = os.environ.get("FERROFLOW_DATASETS")
    if env:
        path = Path(env)
        return path if path.is_absolute() else (REPO_ROOT / path).resolve()
    return (REPO_ROOT / ".." / "shared" / "datasets").resolve()


SHARED = _shared_datasets()
needs_shared = pytest.mark.skipif(
    not (SHARED / "mnist" / "train-labels-idx1-ubyte.gz").is_file(),
    reason=f"MNIST not found in {SHARED}",
)


def _fake_split(n: int, seed: int) -> tuple:
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 256, size=(n, 28, 28), dtype=np.uint8)
    y = rng.integers(0, 10, size=(n,), dtype=np.uint8)
    return x, y


def _fake_mnist() -> dict:
    (xtr, ytr), (xte, yte) = _fake_split(6, 0), _fake_split(4, 1)
    return {"x_train": xtr, "y_train": ytr, "x_test": xte, "y_test": yte}


def _write_idx(folder: Path, arrays: dict, gz: bool = True) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for key, (name, _, _) in mnist.IDX_FILES.items():
        data = encode_idx(arrays[key])
        if gz:
            (folder / name).write_bytes(gzip.compress(data))
        else:
            (folder / name[: -len(".gz")]).write_bytes(data)


@pytest.fixture
def root(tmp_path, monkeypatch):
    """An empty dataset root in FERROFLOW_DATASETS, with all network access failing."""
    monkeypatch.setenv("FERROFLOW_DATASETS", str(tmp_path))

    def offline(url, *args, **kwargs):
        raise urllib.error.URLError("network disabled in tests")

    monkeypatch.setattr(_download, "urlopen", offline)
    return tmp_path


@needs_shared
def test_load_shared_mnist(monkeypatch):
    monkeypatch.setenv("FERROFLOW_DATASETS", str(SHARED))
    (x_train, y_train), (x_test, y_test) = mnist.load_data()
    assert x_train.shape == (60000, 28, 28) and y_train.shape == (60000,)
    assert x_test.shape == (10000, 28, 28) and y_test.shape == (10000,)
    for a in (x_train, y_train, x_test, y_test):
        assert a.dtype == np.uint8
    assert y_train[:5].tolist() == [5, 0, 4, 1, 9]
    assert y_test[:5].tolist() == [7, 2, 1, 0, 4]
    assert set(np.unique(y_train).tolist()) == set(range(10))
    assert x_train.max() == 255 and x_train.min() == 0
    # Every digit class is well represented (catches a label/image misalignment by offset).
    assert np.bincount(y_train, minlength=10).min() > 5000


def test_default_folder(monkeypatch):
    monkeypatch.delenv("FERROFLOW_DATASETS", raising=False)
    expected = Path(os.path.expanduser("~")) / ".ferroflow" / "datasets" / "mnist"
    assert mnist.dataset_dir() == expected


def test_npz_is_loaded_without_pickle(root):
    arrays = _fake_mnist()
    (root / "mnist").mkdir()
    np.savez(root / "mnist" / "mnist.npz", **arrays)
    (x_train, y_train), (x_test, y_test) = mnist.load_data()
    np.testing.assert_array_equal(x_train, arrays["x_train"])
    np.testing.assert_array_equal(y_test, arrays["y_test"])
    assert x_test.dtype == np.uint8 and y_train.dtype == np.uint8


def test_npz_custom_path_and_preference_over_idx(root):
    arrays = _fake_mnist()
    _write_idx(root / "mnist", _fake_mnist() | {"y_train": np.zeros(6, np.uint8)})
    np.savez(root / "mnist" / "other.npz", **arrays)
    (_, y_train), _ = mnist.load_data(path="other.npz")
    np.testing.assert_array_equal(y_train, arrays["y_train"])
    (_, y_train), _ = mnist.load_data()  # no mnist.npz: the IDX files
    assert not y_train.any()


@pytest.mark.parametrize("gz", [True, False])
def test_idx_files_gzip_or_plain(root, gz):
    arrays = _fake_mnist()
    _write_idx(root / "mnist", arrays, gz=gz)
    (x_train, y_train), (x_test, y_test) = mnist.load_data()
    for got, key in [(x_train, "x_train"), (y_train, "y_train"), (x_test, "x_test")]:
        np.testing.assert_array_equal(got, arrays[key])
    np.testing.assert_array_equal(y_test, arrays["y_test"])


def test_truncated_idx_raises_value_error_naming_file(root):
    _write_idx(root / "mnist", _fake_mnist())
    path = root / "mnist" / "t10k-images-idx3-ubyte.gz"
    path.write_bytes(path.read_bytes()[:-20])
    with pytest.raises(ValueError, match="t10k-images-idx3-ubyte.gz"):
        mnist.load_data()


def test_idx_truncated_payload_and_bad_magic(root):
    arrays = _fake_mnist()
    _write_idx(root / "mnist", arrays, gz=False)
    path = root / "mnist" / "train-labels-idx1-ubyte"
    path.write_bytes(path.read_bytes()[:-1])
    with pytest.raises(ValueError, match=r"train-labels-idx1-ubyte.*truncated"):
        mnist.load_data()
    data = bytearray(encode_idx(arrays["y_train"]))
    data[3] = 3  # claims three dimensions
    path.write_bytes(bytes(data))
    with pytest.raises(ValueError, match=r"train-labels-idx1-ubyte.*magic"):
        mnist.load_data()


def test_parse_idx_checks_sizes():
    data = encode_idx(np.arange(12, dtype=np.uint8).reshape(3, 4))
    np.testing.assert_array_equal(parse_idx(data, 2), np.arange(12).reshape(3, 4))
    with pytest.raises(ValueError, match="trailing"):
        parse_idx(data + b"\0", 2)
    with pytest.raises(ValueError, match="header"):
        parse_idx(data[:6], 2)


def test_mismatched_counts_and_bad_labels(root):
    arrays = _fake_mnist()
    arrays["y_test"] = np.zeros(3, np.uint8)
    np.savez(_mkdir(root / "mnist") / "mnist.npz", **arrays)
    with pytest.raises(ValueError, match="4 images.*3 labels"):
        mnist.load_data()
    arrays["y_test"] = np.full(4, 12, np.uint8)
    np.savez(root / "mnist" / "mnist.npz", **arrays)
    with pytest.raises(ValueError, match="label 12"):
        mnist.load_data()


def test_corrupt_npz_raises_value_error(root):
    (_mkdir(root / "mnist") / "mnist.npz").write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(ValueError, match="mnist.npz"):
        mnist.load_data()


def test_npz_missing_key(root):
    arrays = _fake_mnist()
    del arrays["x_test"]
    np.savez(_mkdir(root / "mnist") / "mnist.npz", **arrays)
    with pytest.raises(ValueError, match="missing array.*x_test"):
        mnist.load_data()


def test_offline_error_says_what_to_put_where(root):
    with pytest.raises(OSError) as info:
        mnist.load_data()
    err = info.value
    assert isinstance(err, mnist.MnistNotFoundError)
    message = str(err)
    assert "FERROFLOW_DATASETS" in message
    assert str(root / "mnist") in message
    assert "mnist.npz" in message
    for name, _, _ in mnist.IDX_FILES.values():
        assert name in message
    assert "network disabled in tests" in message
    assert list((root / "mnist").iterdir()) == []  # no partial downloads left


def _serve(monkeypatch, remote: Path, arrays: dict, npz_sha: str | None, idx_ok: bool) -> None:
    """Point the mirrors at file:// URLs under ``remote``, with chosen checksums."""
    np.savez(_mkdir(remote) / "mnist.npz", **arrays)
    _write_idx(remote / "idx", arrays)
    digest = _download.file_digest(remote / "mnist.npz", "sha256")
    md5s = {}
    for key, (name, _, _) in mnist.IDX_FILES.items():
        md5 = hashlib.md5((remote / "idx" / name).read_bytes()).hexdigest()
        md5s[key] = md5 if idx_ok else "0" * 32
    served = dataclasses.replace(
        mnist.MNIST,
        npz_url=(remote / "mnist.npz").as_uri(),
        npz_sha256=npz_sha or digest,
        idx_base_url=(remote / "idx").as_uri() + "/",
        idx_md5=md5s,
    )
    monkeypatch.setattr(mnist, "MNIST", served)


def test_download_npz_verified_and_cached(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("FERROFLOW_DATASETS", str(tmp_path / "cache"))
    arrays = _fake_mnist()
    _serve(monkeypatch, tmp_path / "remote", arrays, npz_sha=None, idx_ok=True)
    (x_train, _), _ = mnist.load_data()
    np.testing.assert_array_equal(x_train, arrays["x_train"])
    assert sorted(p.name for p in (tmp_path / "cache" / "mnist").iterdir()) == ["mnist.npz"]
    assert "Downloading data from file://" in capsys.readouterr().out

    # Cached now: loading again reads the file without any network.
    monkeypatch.setattr(_download, "urlopen", _fail)
    (x_again, _), _ = mnist.load_data()
    np.testing.assert_array_equal(x_again, arrays["x_train"])


def test_checksum_mismatch_falls_back_to_idx_mirror(tmp_path, monkeypatch):
    monkeypatch.setenv("FERROFLOW_DATASETS", str(tmp_path / "cache"))
    arrays = _fake_mnist()
    _serve(monkeypatch, tmp_path / "remote", arrays, npz_sha="0" * 64, idx_ok=True)
    (_, y_train), (x_test, _) = mnist.load_data()
    np.testing.assert_array_equal(y_train, arrays["y_train"])
    np.testing.assert_array_equal(x_test, arrays["x_test"])
    names = sorted(p.name for p in (tmp_path / "cache" / "mnist").iterdir())
    assert names == sorted(name for name, _, _ in mnist.IDX_FILES.values())  # no mnist.npz


def test_all_checksums_wrong_raises_and_leaves_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("FERROFLOW_DATASETS", str(tmp_path / "cache"))
    _serve(monkeypatch, tmp_path / "remote", _fake_mnist(), npz_sha="0" * 64, idx_ok=False)
    with pytest.raises(mnist.MnistNotFoundError, match="checksum mismatch"):
        mnist.load_data()
    assert list((tmp_path / "cache" / "mnist").iterdir()) == []


def test_interrupted_download_leaves_no_partial_file(tmp_path, monkeypatch):
    class Broken:
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def read(self, n):
            raise ConnectionResetError("connection dropped")

    monkeypatch.setattr(_download, "urlopen", lambda url, timeout: Broken())
    dest = tmp_path / "file.bin"
    with pytest.raises(ConnectionResetError):
        _download.download("https://example.invalid/x", dest, "md5", "0" * 32, quiet=True)
    assert list(tmp_path.iterdir()) == []


def test_original_checksums_are_the_documented_ones():
    assert mnist.NPZ_SHA256 == "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"
    assert mnist.IDX_FILES["x_train"][1] == "f68b3c2dcbeaaa9fbdd348bbdeb94873"
    assert mnist.IDX_FILES["y_test"][1] == "ec29112dd5afa0611ce80d1b7f02629c"


def _fail(*args, **kwargs):
    raise AssertionError("the network must not be used")


def _mkdir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


# -- Fashion-MNIST: the same loader rules, and Debian's package as a system folder


def test_fashion_mnist_from_its_folder_then_from_the_system_folder(root, monkeypatch):
    from ferroflow.datasets import fashion_mnist

    arrays = _fake_mnist()
    system = root / "usr-share-datasets" / "fashion-mnist"
    _write_idx(system, arrays)
    monkeypatch.setattr(
        fashion_mnist, "FASHION_MNIST", dataclasses.replace(fashion_mnist.FASHION_MNIST, system_folders=(str(system),))
    )
    (x_train, y_train), (x_test, _) = fashion_mnist.load_data()
    np.testing.assert_array_equal(x_train, arrays["x_train"])
    np.testing.assert_array_equal(x_test, arrays["x_test"])
    local = {k: v[::-1].copy() for k, v in arrays.items()}
    _write_idx(root / "fashion_mnist", local)  # the dataset folder comes first
    (_, y_local), _ = fashion_mnist.load_data()
    np.testing.assert_array_equal(y_local, local["y_train"])
    assert fashion_mnist.dataset_dir() == root / "fashion_mnist"


def test_fashion_mnist_missing_offline_says_where_to_put_it(root, monkeypatch):
    from ferroflow.datasets import fashion_mnist

    monkeypatch.setattr(
        fashion_mnist,
        "FASHION_MNIST",
        dataclasses.replace(fashion_mnist.FASHION_MNIST, system_folders=("/nonexistent",)),
    )
    with pytest.raises(fashion_mnist.FashionMnistNotFoundError) as info:
        fashion_mnist.load_data()
    message = str(info.value)
    assert "Fashion-MNIST is not in" in message and "fashion_mnist" in message and "/nonexistent" in message
    assert isinstance(info.value, OSError)


DEBIAN_FASHION = Path("/usr/share/datasets/fashion-mnist")


@pytest.mark.skipif(
    not (DEBIAN_FASHION / "train-images-idx3-ubyte.gz").is_file(),
    reason="Debian's dataset-fashion-mnist is not installed (apt-get install dataset-fashion-mnist)",
)
def test_fashion_mnist_from_debians_package(monkeypatch, tmp_path):
    import ferroflow as tf

    monkeypatch.setenv("FERROFLOW_DATASETS", str(tmp_path))  # nothing there: the system folder serves
    (x_train, y_train), (x_test, y_test) = tf.keras.datasets.fashion_mnist.load_data()
    assert x_train.shape == (60000, 28, 28) and x_test.shape == (10000, 28, 28) and x_train.dtype == np.uint8
    assert np.bincount(y_train).tolist() == [6000] * 10 and np.bincount(y_test).tolist() == [1000] * 10
    assert y_train[:5].tolist() == [9, 0, 0, 3, 0]  # Ankle boot, T-shirt, T-shirt, Dress, T-shirt

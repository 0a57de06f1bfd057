"""MNIST handwritten digits: ``load_data()`` like ``keras.datasets.mnist.load_data``."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path
from typing import Dict, List, Tuple

import numpy as np

from . import _download
from ._idx import load_idx

__all__ = ["load_data", "dataset_dir", "MnistNotFoundError"]

ENV_VAR = "FERROFLOW_DATASETS"
DEFAULT_ROOT = os.path.join("~", ".ferroflow", "datasets")

NPZ_URL = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz"
NPZ_SHA256 = "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"
IDX_BASE_URL = "https://ossci-datasets.s3.amazonaws.com/mnist/"
# key -> (file name, md5 of the original file, rank)
IDX_FILES: Dict[str, Tuple[str, str, int]] = {
    "x_train": ("train-images-idx3-ubyte.gz", "f68b3c2dcbeaaa9fbdd348bbdeb94873", 3),
    "y_train": ("train-labels-idx1-ubyte.gz", "d53e105ee54ea40749a09fcbcd1e9432", 1),
    "x_test": ("t10k-images-idx3-ubyte.gz", "9fb629c4189551a2d022fa330f9573f3", 3),
    "y_test": ("t10k-labels-idx1-ubyte.gz", "ec29112dd5afa0611ce80d1b7f02629c", 1),
}
_KEYS = ("x_train", "y_train", "x_test", "y_test")

Split = Tuple[np.ndarray, np.ndarray]


class MnistNotFoundError(FileNotFoundError):
    """MNIST is neither in the local dataset folder nor downloadable (e.g. no internet)."""


def dataset_dir() -> Path:
    """The folder MNIST is read from and downloaded to: ``$FERROFLOW_DATASETS/mnist``.

    Without ``FERROFLOW_DATASETS`` this is ``~/.ferroflow/datasets/mnist``.
    """
    root = os.environ.get(ENV_VAR) or DEFAULT_ROOT
    return Path(os.path.expanduser(root)) / "mnist"


def load_data(path: str = "mnist.npz") -> Tuple[Split, Split]:
    """Load the MNIST dataset of 28x28 grey-level images of the digits 0-9.

    Like ``keras.datasets.mnist.load_data``: returns ``(x_train, y_train), (x_test, y_test)``,
    uint8 arrays of shapes (60000, 28, 28), (60000,), (10000, 28, 28) and (10000,), pixel
    values 0-255 and labels 0-9.

    The data is read from ``$FERROFLOW_DATASETS/mnist/`` (default
    ``~/.ferroflow/datasets/mnist/``), in this order of preference:

    1. ``path`` (default ``mnist.npz``, relative to that folder): a numpy archive with the
       arrays ``x_train``, ``y_train``, ``x_test`` and ``y_test`` (loaded without pickle);
    2. the four original IDX files ``train-images-idx3-ubyte``, ``train-labels-idx1-ubyte``,
       ``t10k-images-idx3-ubyte`` and ``t10k-labels-idx1-ubyte``, gzip-compressed (``.gz``)
       or not.

    Local files are trusted as they are: their headers and sizes are validated, but their
    checksums are *not* compared with the original distribution's (a rebuilt copy of a file,
    such as the training images in the project's shared dataset folder, is accepted).

    When neither is present, the data is downloaded into that folder: first ``mnist.npz`` from
    Google's TensorFlow mirror (SHA-256 verified), falling back to the IDX files from
    ``ossci-datasets`` (MD5 verified against the original files). Downloads are atomic: an
    interrupted download leaves no partial file behind.

    Args:
        path: file name of the ``.npz`` cache, relative to the MNIST folder.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``.

    Raises:
        MnistNotFoundError: (an ``OSError``) the data is not local and could not be
            downloaded; the message says which files to put where.
        ValueError: a local file is truncated or corrupt; the message names the file.
    """
    folder = dataset_dir()
    npz_path = folder / path
    if npz_path.is_file():
        return _load_npz(npz_path)
    idx_paths = _find_idx_files(folder)
    if all(p is not None for p in idx_paths.values()):
        return _load_idx_files(idx_paths)  # type: ignore[arg-type]

    errors: List[str] = []
    try:
        _download.download(NPZ_URL, npz_path, "sha256", NPZ_SHA256)
        return _load_npz(npz_path)
    except OSError as e:  # URLError, timeouts, a read-only folder, a full disk
        errors.append(f"{NPZ_URL}: {e}")
    except _download.ChecksumError as e:
        errors.append(str(e))
    url = IDX_BASE_URL
    try:
        for key, (name, md5, _) in IDX_FILES.items():
            if idx_paths[key] is None:
                url = IDX_BASE_URL + name
                idx_paths[key] = _download.download(url, folder / name, "md5", md5)
        return _load_idx_files(idx_paths)  # type: ignore[arg-type]
    except OSError as e:
        errors.append(f"{url}: {e}")
    except _download.ChecksumError as e:
        errors.append(str(e))
    raise MnistNotFoundError(_not_found_message(folder, npz_path, idx_paths, errors))


def _find_idx_files(folder: Path) -> Dict[str, Path | None]:
    found: Dict[str, Path | None] = {}
    for key, (name, _, _) in IDX_FILES.items():
        gz, raw = folder / name, folder / name[: -len(".gz")]
        found[key] = gz if gz.is_file() else raw if raw.is_file() else None
    return found


def _load_idx_files(paths: Dict[str, Path]) -> Tuple[Split, Split]:
    arrays = {key: load_idx(paths[key], IDX_FILES[key][2]) for key in _KEYS}
    names = {key: str(paths[key]) for key in _KEYS}
    return _validated(arrays, names)


def _load_npz(path: Path) -> Tuple[Split, Split]:
    try:
        with np.load(path, allow_pickle=False) as data:
            missing = [k for k in _KEYS if k not in data.files]
            if missing:
                raise ValueError(f"{path}: missing array(s) {', '.join(missing)}")
            arrays = {k: data[k] for k in _KEYS}
    except (zipfile.BadZipFile, EOFError, OSError) as e:
        raise ValueError(f"{path}: not a valid .npz file, truncated or corrupt ({e})") from e
    except ValueError as e:
        if str(path) in str(e):
            raise
        raise ValueError(f"{path}: cannot read arrays ({e})") from e
    return _validated(arrays, {k: f"{path}[{k}]" for k in _KEYS})


def _validated(arrays: Dict[str, np.ndarray], names: Dict[str, str]) -> Tuple[Split, Split]:
    out = {}
    for key in _KEYS:
        a = arrays[key]
        want_ndim = 3 if key.startswith("x") else 1
        if a.ndim != want_ndim or (want_ndim == 3 and a.shape[1:] != (28, 28)):
            want = "(N, 28, 28)" if want_ndim == 3 else "(N,)"
            raise ValueError(f"{names[key]}: expected shape {want}, found {a.shape}")
        if a.dtype != np.uint8:
            if a.dtype.kind not in "iu" or (a.size and (a.min() < 0 or a.max() > 255)):
                raise ValueError(f"{names[key]}: expected uint8 values, found dtype {a.dtype}")
            a = a.astype(np.uint8)
        out[key] = a
    for split in ("train", "test"):
        x, y = out[f"x_{split}"], out[f"y_{split}"]
        if len(x) != len(y):
            raise ValueError(
                f"{names['x_' + split]} holds {len(x)} images but {names['y_' + split]} "
                f"holds {len(y)} labels"
            )
        if y.size and y.max() > 9:
            raise ValueError(f"{names['y_' + split]}: label {int(y.max())} is not a digit 0-9")
    return (out["x_train"], out["y_train"]), (out["x_test"], out["y_test"])


def _not_found_message(
    folder: Path, npz_path: Path, idx_paths: Dict[str, Path | None], errors: List[str]
) -> str:
    missing = [IDX_FILES[k][0] for k, p in idx_paths.items() if p is None]
    lines = [
        f"MNIST is not in {folder} and could not be downloaded.",
        "Put one of these there (or point the FERROFLOW_DATASETS environment variable at a",
        f"folder whose 'mnist/' subfolder holds them; it is now {os.environ.get(ENV_VAR)!r}):",
        f"  - {npz_path}  (numpy archive with x_train, y_train, x_test, y_test), or",
        f"  - the four IDX files (gzip-compressed or not) in {folder}/:",
    ]
    lines += [
        f"      {name}{'  (missing)' if name in missing else ''}"
        for name, _, _ in IDX_FILES.values()
    ]
    lines.append(f"The originals are at {NPZ_URL} and {IDX_BASE_URL}.")
    lines.append("Download errors:")
    lines += [f"  - {e}" for e in errors]
    return "\n".join(lines)

from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())

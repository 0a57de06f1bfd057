"""IMDB and Reuters as word-index sequences: ``load_data`` and ``get_word_index`` like ``keras.datasets.imdb`` and
``keras.datasets.reuters``, with Keras's files (``imdb.npz``, ``imdb_word_index.json``, ``reuters.npz``,
``reuters_word_index.json``) and Keras's rules for ``num_words``, ``skip_top``, ``maxlen``, ``seed``,
``start_char``, ``oov_char`` and ``index_from``.

A file is read from ``$FERROFLOW_DATASETS/<name>/`` (default ``~/.ferroflow/datasets/<name>/``), else from the
Keras cache (``$KERAS_HOME/datasets/``, default ``~/.keras/datasets/``); when neither has it, it is downloaded
into the first folder with its checksum verified. The ``.npz`` files store ragged sequences as pickled object
arrays; they are read with an unpickler that accepts only NumPy array reconstruction, so a tampered file
cannot run code.
"""

from __future__ import annotations

import io
import json
import os
import pickle
import zipfile
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import numpy as np

from . import _download
from ._idx_dataset import DEFAULT_ROOT, ENV_VAR, DatasetNotFoundError

BASE_URL = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
# file name -> (hash algorithm, digest of the published file)
CHECKSUMS: Dict[str, Tuple[str, str]] = {
    "imdb.npz": ("sha256", "69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f"),
    "imdb_word_index.json": ("md5", "bfafd718b763782e994055a2d397834f"),
    "reuters.npz": ("sha256", "d6586e694ee56d7a4e65172e12b3e987c03096cb01eab99753921ef915959916"),
    "reuters_word_index.json": ("md5", "4d44cc38712099c9e383dc6e5f11a921"),
}
_ALLOWED = {
    ("numpy", "ndarray"),
    ("numpy", "dtype"),
    ("numpy.core.multiarray", "_reconstruct"),
    ("numpy._core.multiarray", "_reconstruct"),
}


class WordSequencesNotFoundError(DatasetNotFoundError):
    """IMDB or Reuters is neither local nor downloadable (e.g. no internet)."""


class _ArraysOnly(pickle.Unpickler):
    def find_class(self, module: str, name: str):  # type: ignore[no-untyped-def]
        if (module, name) in _ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(
            f"Refusing to deserialize `{module}.{name}` while loading a dataset: the file may be corrupted or malicious"
        )


def _read_member(buffer: io.BytesIO) -> np.ndarray:
    try:
        return np.lib.format.read_array(buffer, allow_pickle=False)
    except ValueError:  # an object array: its pickle stream follows the header
        buffer.seek(0)
        version = np.lib.format.read_magic(buffer)
        if version[0] == 1:
            np.lib.format.read_array_header_1_0(buffer)
        elif version[0] in (2, 3):
            np.lib.format.read_array_header_2_0(buffer)
        else:
            raise ValueError(f"Unsupported `.npy` file version: {version}.") from None
        return _ArraysOnly(buffer).load()


def load_npz(path: Path) -> Dict[str, Any]:
    """The arrays of an ``.npz`` archive, object arrays included, without unrestricted unpickling."""
    arrays: Dict[str, Any] = {}
    try:
        with zipfile.ZipFile(path) as archive:
            for member in archive.namelist():
                if member.endswith(".npy"):
                    arrays[member[: -len(".npy")]] = _read_member(io.BytesIO(archive.read(member)))
    except (zipfile.BadZipFile, EOFError, pickle.UnpicklingError, OSError) as e:
        raise ValueError(f"{path}: not a readable .npz archive ({e})") from e
    return arrays


def dataset_dir(name: str) -> Path:
    return Path(os.path.expanduser(os.environ.get(ENV_VAR) or DEFAULT_ROOT)) / name


def keras_cache_dir() -> Path:
    return Path(os.environ.get("KERAS_HOME", Path.home() / ".keras")).expanduser() / "datasets"


def locate(name: str, fname: str, remote: str) -> Path:
    """The local copy of ``fname`` (the folder of dataset ``name``, then the Keras cache); else ``remote`` is
    downloaded from Keras's mirror into the dataset folder, checksum verified."""
    if os.path.isabs(fname) and os.path.isfile(fname):
        return Path(fname)
    folder = dataset_dir(name)
    for candidate in (folder / fname, keras_cache_dir() / fname):
        if candidate.is_file():
            return candidate  # local files are trusted as they are, as for MNIST
    target = Path(fname) if os.path.isabs(fname) else folder / fname
    algorithm, digest = CHECKSUMS[remote]
    try:
        return _download.download(BASE_URL + remote, target, algorithm, digest)
    except (OSError, _download.ChecksumError) as e:
        raise WordSequencesNotFoundError(
            f"{fname} is not in {folder} nor in the Keras cache {keras_cache_dir()}, and it could not be "
            f"downloaded ({e}). Put {remote} (from {BASE_URL + remote}) into {folder}, or point {ENV_VAR} at a "
            f"folder whose '{name}/' subfolder holds it (it is now {os.environ.get(ENV_VAR)!r})."
        ) from e


def read_word_index(name: str, fname: str, remote: str) -> Dict[str, int]:
    with open(locate(name, fname, remote), encoding="utf-8") as f:
        return json.load(f)


def shuffled(rng: np.random.RandomState, xs: np.ndarray, labels: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
    indices = np.arange(len(xs))
    rng.shuffle(indices)
    return xs[indices], labels[indices]


def offset(xs: Any, start_char: Optional[int], index_from: int) -> List[List[int]]:
    """Each sequence with ``index_from`` added to its word indices, led by ``start_char`` when set."""
    if start_char is not None:
        return [[start_char] + [w + index_from for w in x] for x in xs]
    if index_from:
        return [[w + index_from for w in x] for x in xs]
    return [list(x) for x in xs]


def remove_long(maxlen: int, xs: List[List[int]], labels: Any) -> Tuple[List[List[int]], List[Any]]:
    """Only the sequences shorter than ``maxlen`` (Keras drops the others rather than cutting them)."""
    kept = [(x, y) for x, y in zip(xs, labels) if len(x) < maxlen]
    return [x for x, _ in kept], [y for _, y in kept]


def limit_vocabulary(
    xs: List[List[int]], num_words: Optional[int], skip_top: int, oov_char: Optional[int]
) -> List[List[int]]:
    """Words outside ``[skip_top, num_words)`` become ``oov_char``, or are dropped when it is None."""
    if not num_words:
        num_words = max(max(x) for x in xs)
    if oov_char is not None:
        return [[w if skip_top <= w < num_words else oov_char for w in x] for x in xs]
    return [[w for w in x if skip_top <= w < num_words] for x in xs]

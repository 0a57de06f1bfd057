"""CIFAR-10 and CIFAR-100: ``load_data()`` like ``keras.datasets.cifar10`` / ``cifar100``.

The data is the "python version" archive Keras uses (``cifar-10-python.tar.gz``, ``cifar-100-python.tar.gz``):
read from ``$FERROFLOW_DATASETS/cifar10/`` (or ``cifar100/``) as the extracted folder or the archive, else
downloaded there with its MD5 verified. The batches are Python pickles; they are read with an unpickler that
accepts only the NumPy array reconstruction those files use, so a tampered file cannot run code.
"""

from __future__ import annotations

import io
import os
import pickle
import tarfile
from pathlib import Path
from typing import Dict, List, Tuple

import numpy as np

from . import _download
from ._idx_dataset import DEFAULT_ROOT, ENV_VAR, DatasetNotFoundError, Split

__all__ = ["CifarNotFoundError", "load_cifar10", "load_cifar100"]

SOURCE = "https://www.cs.toronto.edu/~kriz/"


class CifarNotFoundError(DatasetNotFoundError):
    """CIFAR is neither local nor downloadable (e.g. no internet)."""


_ARCHIVES = {
    # name: (archive, md5, folder inside the archive, training members, test member)
    "cifar10": (
        "cifar-10-python.tar.gz",
        "c58f30108f718f92721af3b95e74349a",
        "cifar-10-batches-py",
        [f"data_batch_{i}" for i in range(1, 6)],
        "test_batch",
    ),
    "cifar100": (
        "cifar-100-python.tar.gz",
        "eb9058c3a382ffc7106e4002c42a8d85",
        "cifar-100-python",
        ["train"],
        "test",
    ),
}
_ALLOWED = {
    ("numpy.core.multiarray", "_reconstruct"),
    ("numpy._core.multiarray", "_reconstruct"),
    ("numpy", "ndarray"),
    ("numpy", "dtype"),
    ("_codecs", "encode"),  # how Python 3's protocol-2 pickles store bytes
}


class _ArraysOnly(pickle.Unpickler):
    def find_class(self, module: str, name: str):  # type: ignore[no-untyped-def]
        if (module, name) in _ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"a CIFAR batch may hold only NumPy arrays, found {module}.{name}")


def _read_batch(data: bytes, where: str) -> dict:
    try:
        batch = _ArraysOnly(io.BytesIO(data), encoding="bytes").load()
    except Exception as e:  # a truncated or foreign file: name it
        raise ValueError(f"{where}: not a CIFAR batch ({e})") from e
    if not isinstance(batch, dict) or b"data" not in batch:
        raise ValueError(f"{where}: not a CIFAR batch (no 'data' entry)")
    return batch


def _images_and_labels(batch: dict, label_key: bytes, where: str) -> Split:
    data = np.asarray(batch[b"data"], dtype=np.uint8)
    labels = np.asarray(batch.get(label_key, []), dtype=np.uint8)
    if data.ndim != 2 or data.shape[1] != 3072 or len(labels) != len(data):
        raise ValueError(
            f"{where}: expected data of shape (N, 3072) and N '{label_key.decode()}', found {data.shape} and "
            f"{len(labels)} labels"
        )
    # stored channel-planar (R, G, B planes of 32x32): Keras returns channels-last images
    return data.reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1).copy(), labels.reshape(-1, 1)


def _members(name: str, folder: Path) -> Dict[str, bytes]:
    """The batch files' bytes, from the extracted folder or the archive; downloads the archive if neither."""
    archive, md5, inner, train, test = _ARCHIVES[name]
    wanted = train + [test]
    extracted = folder / inner
    if all((extracted / m).is_file() for m in wanted):
        return {m: (extracted / m).read_bytes() for m in wanted}
    path = folder / archive
    if not path.is_file():
        try:
            _download.download(SOURCE + archive, path, "md5", md5)
        except (OSError, _download.ChecksumError) as e:
            raise CifarNotFoundError(
                f"{name} is not in {folder} and could not be downloaded ({e}). Put {archive} there, or its "
                f"extracted folder {inner}/ holding {', '.join(wanted)} (or point {ENV_VAR} at a folder whose "
                f"'{name}/' subfolder does; it is now {os.environ.get(ENV_VAR)!r}). The original is at "
                f"{SOURCE + archive}."
            ) from e
    out: Dict[str, bytes] = {}
    try:
        with tarfile.open(path, "r:gz") as tar:
            for m in wanted:
                member = tar.extractfile(f"{inner}/{m}")
                if member is None:
                    raise KeyError(m)
                out[m] = member.read()
    except (tarfile.TarError, KeyError, EOFError, OSError) as e:
        raise ValueError(f"{path}: not a complete CIFAR archive ({e})") from e
    return out


def _load(name: str, label_key: bytes) -> Tuple[Split, Split]:
    folder = Path(os.path.expanduser(os.environ.get(ENV_VAR) or DEFAULT_ROOT)) / name
    _, _, inner, train, test = _ARCHIVES[name]
    files = _members(name, folder)
    parts: List[Split] = [_images_and_labels(_read_batch(files[m], m), label_key, m) for m in train]
    x_test, y_test = _images_and_labels(_read_batch(files[test], test), label_key, test)
    x_train = np.concatenate([p[0] for p in parts])
    y_train = np.concatenate([p[1] for p in parts])
    return (x_train, y_train), (x_test, y_test)


def load_cifar10() -> Tuple[Split, Split]:
    """``(x_train, y_train), (x_test, y_test)``: uint8 images ``(50000, 32, 32, 3)`` and ``(10000, 32, 32, 3)``,
    labels 0-9 of shape ``(N, 1)``."""
    return _load("cifar10", b"labels")


def load_cifar100(label_mode: str = "fine") -> Tuple[Split, Split]:
    """As ``load_cifar10`` with 100 ``"fine"`` classes or 20 ``"coarse"`` superclasses."""
    if label_mode not in ("fine", "coarse"):
        raise ValueError(f'`label_mode` must be one of `"fine"`, `"coarse"`. Received: label_mode={label_mode}.')
    return _load("cifar100", f"{label_mode}_labels".encode())


from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())

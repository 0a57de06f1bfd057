"""Datasets of 28x28 grey images stored as IDX files (MNIST, Fashion-MNIST): finding, reading, downloading.

A dataset is read from ``$FERROFLOW_DATASETS/<folder>/`` (default ``~/.ferroflow/datasets/<folder>/``): a
``.npz`` archive, or the four IDX files gzip-compressed or not; then from system folders where a package
manager puts them (Debian's ``dataset-fashion-mnist`` installs ``/usr/share/datasets/fashion-mnist``); else it
is downloaded into the first folder, checksums verified, atomically.
"""

from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import numpy as np

from . import _download
from ._idx import load_idx

ENV_VAR = "FERROFLOW_DATASETS"
DEFAULT_ROOT = os.path.join("~", ".ferroflow", "datasets")
KEYS = ("x_train", "y_train", "x_test", "y_test")
FILE_NAMES = {
    "x_train": "train-images-idx3-ubyte.gz",
    "y_train": "train-labels-idx1-ubyte.gz",
    "x_test": "t10k-images-idx3-ubyte.gz",
    "y_test": "t10k-labels-idx1-ubyte.gz",
}

Split = Tuple[np.ndarray, np.ndarray]


class DatasetNotFoundError(FileNotFoundError):
    """A dataset is neither in its local folder nor downloadable (e.g. no internet)."""


@dataclass(frozen=True)
class IdxDataset:
    """Where one dataset lives and how its downloads are checked."""

    title: str  # "MNIST", for messages
    folder: str  # its subfolder of the datasets root
    npz_url: Optional[str]
    npz_sha256: Optional[str]
    idx_base_url: str
    idx_md5: Dict[str, str]  # key -> md5 of the original gzip file
    system_folders: Tuple[str, ...] = ()
    not_found: type = DatasetNotFoundError
    labels: str = field(default="a class 0-9")

    @property
    def idx_files(self) -> Dict[str, Tuple[str, str, int]]:
        """key -> (file name, md5, rank)."""
        return {k: (FILE_NAMES[k], self.idx_md5[k], 3 if k.startswith("x") else 1) for k in KEYS}

    def dataset_dir(self) -> Path:
        root = os.environ.get(ENV_VAR) or DEFAULT_ROOT
        return Path(os.path.expanduser(root)) / self.folder

    def load(self, path: str) -> Tuple[Split, Split]:
        folder = self.dataset_dir()
        npz_path = folder / path
        if npz_path.is_file():
            return self._load_npz(npz_path)
        idx_paths = self._find_idx_files(folder)
        if all(p is not None for p in idx_paths.values()):
            return self._load_idx_files(idx_paths)  # type: ignore[arg-type]
        for system in self.system_folders:
            found = self._find_idx_files(Path(system))
            if all(p is not None for p in found.values()):
                return self._load_idx_files(found)  # type: ignore[arg-type]

        errors: List[str] = []
        if self.npz_url is not None:
            try:
                _download.download(self.npz_url, npz_path, "sha256", self.npz_sha256)
                return self._load_npz(npz_path)
            except OSError as e:  # URLError, timeouts, a read-only folder, a full disk
                errors.append(f"{self.npz_url}: {e}")
            except _download.ChecksumError as e:
                errors.append(str(e))
        url = self.idx_base_url
        try:
            for key, (name, md5, _) in self.idx_files.items():
                if idx_paths[key] is None:
                    url = self.idx_base_url + name
                    idx_paths[key] = _download.download(url, folder / name, "md5", md5)
            return self._load_idx_files(idx_paths)  # type: ignore[arg-type]
        except OSError as e:
            errors.append(f"{url}: {e}")
        except _download.ChecksumError as e:
            errors.append(str(e))
        raise self.not_found(self._not_found_message(folder, npz_path, idx_paths, errors))

    def _find_idx_files(self, folder: Path) -> Dict[str, Optional[Path]]:
        found: Dict[str, Optional[Path]] = {}
        for key, name in FILE_NAMES.items():
            gz, raw = folder / name, folder / name[: -len(".gz")]
            found[key] = gz if gz.is_file() else raw if raw.is_file() else None
        return found

    def _load_idx_files(self, paths: Dict[str, Path]) -> Tuple[Split, Split]:
        arrays = {key: load_idx(paths[key], 3 if key.startswith("x") else 1) for key in KEYS}
        return _validated(arrays, {key: str(paths[key]) for key in KEYS}, self.labels)

    def _load_npz(self, path: Path) -> Tuple[Split, Split]:
        try:
            with np.load(path, allow_pickle=False) as data:
                missing = [k for k in KEYS if k not in data.files]
                if missing:
                    raise ValueError(f"{path}: missing array(s) {', '.join(missing)}")
                arrays = {k: data[k] for k in KEYS}
        except (zipfile.BadZipFile, EOFError, OSError) as e:
            raise ValueError(f"{path}: not a valid .npz file, truncated or corrupt ({e})") from e
        except ValueError as e:
            if str(path) in str(e):
                raise
            raise ValueError(f"{path}: cannot read arrays ({e})") from e
        return _validated(arrays, {k: f"{path}[{k}]" for k in KEYS}, self.labels)

    def _not_found_message(
        self, folder: Path, npz_path: Path, idx_paths: Dict[str, Optional[Path]], errors: List[str]
    ) -> str:
        missing = [FILE_NAMES[k] for k, p in idx_paths.items() if p is None]
        lines = [
            f"{self.title} is not in {folder} and could not be downloaded.",
            "Put one of these there (or point the FERROFLOW_DATASETS environment variable at a",
            f"folder whose '{self.folder}/' subfolder holds them; it is now {os.environ.get(ENV_VAR)!r}):",
            f"  - {npz_path}  (numpy archive with x_train, y_train, x_test, y_test), or",
            f"  - the four IDX files (gzip-compressed or not) in {folder}/:",
        ]
        lines += [f"      {name}{'  (missing)' if name in missing else ''}" for name in FILE_NAMES.values()]
        if self.system_folders:
            lines.append(f"(also looked in {', '.join(self.system_folders)})")
        sources = [u for u in (self.npz_url, self.idx_base_url) if u]
        lines.append(f"The originals are at {' and '.join(sources)}.")
        lines.append("Download errors:")
        lines += [f"  - {e}" for e in errors]
        return "\n".join(lines)


def _validated(arrays: Dict[str, np.ndarray], names: Dict[str, str], labels: str) -> Tuple[Split, Split]:
    out = {}
    for key in KEYS:
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
                f"{names['x_' + split]} holds {len(x)} images but {names['y_' + split]} holds {len(y)} labels"
            )
        if y.size and y.max() > 9:
            raise ValueError(f"{names['y_' + split]}: label {int(y.max())} is not {labels}")
    return (out["x_train"], out["y_train"]), (out["x_test"], out["y_test"])

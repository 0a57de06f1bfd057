"""``tf.io.gfile``: file-system helpers on local paths (``GFile``, ``exists``, ``glob``, ``makedirs`` ...)."""

from __future__ import annotations

import glob as _glob
import os
import shutil
from typing import IO, Any, List

from ferroflow._api import public_dir as _public_dir


def _p(path: Any) -> str:
    return path.decode() if isinstance(path, bytes) else os.fspath(path)


class GFile:
    """``tf.io.gfile.GFile(name, mode='r')``: a file object (a context manager) over a local file."""

    def __init__(self, name: Any, mode: str = "r") -> None:
        self.name = _p(name)
        self.mode = mode
        self._f: IO[Any] = open(self.name, mode)

    def __getattr__(self, attr: str) -> Any:
        return getattr(self._f, attr)

    def __iter__(self) -> Any:
        return iter(self._f)

    def size(self) -> int:
        return os.path.getsize(self.name)

    def __enter__(self) -> GFile:
        return self

    def __exit__(self, *exc: Any) -> None:
        self._f.close()


Open = GFile


def exists(path: Any) -> bool:
    return os.path.exists(_p(path))


def isdir(path: Any) -> bool:
    return os.path.isdir(_p(path))


def listdir(path: Any) -> List[str]:
    if not os.path.isdir(_p(path)):
        from .._core import NotFoundError

        raise NotFoundError(f"Could not find directory {_p(path)}")
    return sorted(os.listdir(_p(path)))


def glob(pattern: Any) -> List[str]:
    """The sorted paths matching one pattern or any of a list of patterns."""
    patterns = [pattern] if isinstance(pattern, (str, bytes, os.PathLike)) else list(pattern)
    return sorted({m for p in patterns for m in _glob.glob(_p(p))})


def makedirs(path: Any) -> None:
    os.makedirs(_p(path), exist_ok=True)


def mkdir(path: Any) -> None:
    os.mkdir(_p(path))


def remove(path: Any) -> None:
    os.remove(_p(path))


def rmtree(path: Any) -> None:
    shutil.rmtree(_p(path))


def rename(src: Any, dst: Any, overwrite: bool = False) -> None:
    if not overwrite and os.path.exists(_p(dst)):
        raise FileExistsError(f"{_p(dst)} already exists")
    os.replace(_p(src), _p(dst))


def copy(src: Any, dst: Any, overwrite: bool = False) -> None:
    if not overwrite and os.path.exists(_p(dst)):
        raise FileExistsError(f"{_p(dst)} already exists")
    shutil.copyfile(_p(src), _p(dst))


def walk(top: Any, topdown: bool = True, onerror: Any = None) -> Any:
    return os.walk(_p(top), topdown=topdown, onerror=onerror)


__dir__ = _public_dir(globals())

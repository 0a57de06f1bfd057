"""``tf.compat.v1.gfile``: TF1's CamelCase file functions (``Exists``, ``MakeDirs``, ``ListDirectory``,
``GFile`` ...) over ``tf.io.gfile``, plus ``Stat`` (size, modification time, directory flag)."""

from __future__ import annotations

import collections
import os
from typing import Any, Iterator

from ...io import gfile as _gfile

GFile = _gfile.GFile
Open = _gfile.GFile
FastGFile = _gfile.GFile

FileStatistics = collections.namedtuple("FileStatistics", ["length", "mtime_nsec", "is_directory"])


def Copy(oldpath: Any, newpath: Any, overwrite: bool = False) -> None:  # noqa: N802 (TensorFlow's names)
    _gfile.copy(oldpath, newpath, overwrite=overwrite)


def DeleteRecursively(dirname: Any) -> None:  # noqa: N802
    _gfile.rmtree(dirname)


def Exists(filename: Any) -> bool:  # noqa: N802
    return _gfile.exists(filename)


def Glob(filename: Any) -> list:  # noqa: N802
    return _gfile.glob(filename)


def IsDirectory(dirname: Any) -> bool:  # noqa: N802
    return _gfile.isdir(dirname)


def ListDirectory(dirname: Any) -> list:  # noqa: N802
    return _gfile.listdir(dirname)


def MakeDirs(dirname: Any) -> None:  # noqa: N802
    _gfile.makedirs(dirname)


def MkDir(dirname: Any) -> None:  # noqa: N802
    _gfile.mkdir(dirname)


def Remove(filename: Any) -> None:  # noqa: N802
    _gfile.remove(filename)


def Rename(oldname: Any, newname: Any, overwrite: bool = False) -> None:  # noqa: N802
    _gfile.rename(oldname, newname, overwrite=overwrite)


def Stat(filename: Any) -> FileStatistics:  # noqa: N802
    """The file's size, modification time in nanoseconds and whether it is a directory; NotFoundError when
    there is no such file."""
    path = os.fspath(filename)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        from ...errors import NotFoundError

        raise NotFoundError(f"{path}; No such file or directory") from None
    return FileStatistics(info.st_size, int(info.st_mtime_ns), os.path.isdir(path))


def Walk(top: Any, in_order: bool = True) -> Iterator[tuple]:  # noqa: N802
    """``(directory, subdirectories, files)`` for each directory under ``top`` (parents first when
    ``in_order``)."""
    return _gfile.walk(top, topdown=in_order)


from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals(), hidden=("FileStatistics",))

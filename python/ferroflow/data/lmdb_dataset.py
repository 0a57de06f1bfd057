"""``tf.data.experimental.LMDBDataset``: the ``(key, value)`` records of LMDB databases, file after file."""

from __future__ import annotations

from typing import Any, Iterator

from ..framework.tensor_spec import TensorSpec
from .dataset_ops import Dataset
from .lmdb_file import lmdb_records
from .readers import _each_path, _name_inputs, _names, _scalar


class LMDBDataset(Dataset):
    """The records of LMDB databases as ``(key, value)`` pairs of string scalars, each database's in key order.

    Args:
        filenames: a path or paths (a string, a list or a 1-D string tensor): directories holding ``data.mdb``
            or LMDB files themselves (read as ``MDB_NOSUBDIR``, as TensorFlow does for a regular file).

    Each database is opened when the iteration reaches it: a missing one raises ``NotFoundError``, a file that
    is not an LMDB file ``InvalidArgumentError``.
    """

    _repr_name = "LMDBDataset"

    def __init__(self, filenames: Any) -> None:
        self._filenames = _names(filenames)
        super().__init__((TensorSpec((), "string"), TensorSpec((), "string")), _name_inputs(self._filenames))

    def _iterator(self) -> Iterator[tuple]:
        for path in _each_path(self._filenames):
            for key, value in lmdb_records(path):
                yield _scalar(key), _scalar(value)

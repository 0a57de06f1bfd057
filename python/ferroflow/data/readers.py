"""File datasets: ``TFRecordDataset``, ``TextLineDataset`` and ``FixedLengthRecordDataset``.

Records stream from the core's readers in chunks (read and decompressed with the GIL released), so a file
far larger than memory is read with one chunk in memory at a time.
"""

from __future__ import annotations

import os
from typing import Any, Iterator, List, Optional

import numpy as np

from .. import _core
from ..framework.tensor_spec import TensorSpec
from ..ops.io_ops import TFRecordOptions
from . import structure
from .dataset_ops import Dataset

_CHUNK_RECORDS = 1024
_CHUNK_BYTES = 4 << 20


def _names(filenames: Any) -> Any:
    """A list of file names, or the dataset of names itself (read lazily, on every iteration)."""
    if isinstance(filenames, Dataset):
        spec = filenames.element_spec
        if not isinstance(spec, TensorSpec) or spec.dtype.name != "string" or spec.shape.rank != 0:
            raise TypeError(f"`filenames` must be a dataset of scalar tf.string elements, received {spec}")
        return filenames
    if isinstance(filenames, (str, bytes, os.PathLike)):
        filenames = [filenames]
    arr = structure.to_component(list(filenames) if isinstance(filenames, tuple) else filenames)
    if not isinstance(arr, np.ndarray) or arr.dtype != object or arr.ndim > 1:
        raise TypeError(
            f"`filenames` must be a string, a list of strings or a 1-D string tensor, received {filenames!r}"
        )
    names = [v.decode() if isinstance(v, bytes) else os.fspath(v) for v in arr.ravel()]
    if not names:
        raise ValueError("`filenames` must not be empty")
    return names


def _name_inputs(names: Any) -> tuple:
    """The input datasets of a reader of ``names`` (from ``_names``): the dataset of names, if it is one."""
    return (names,) if isinstance(names, Dataset) else ()


def _each_path(names: Any) -> Iterator[str]:
    """The paths in ``names`` (from ``_names``), the dataset of names read anew on every call."""
    if isinstance(names, Dataset):
        for (name,) in names._iterator():
            v = name[()]
            yield v.decode() if isinstance(v, bytes) else str(v)
    else:
        yield from names


def _scalar(record: bytes) -> np.ndarray:
    arr = np.empty((), dtype=object)
    arr[()] = record
    return arr


def _reader_records(reader: Any) -> Iterator[bytes]:
    while True:
        chunk = reader.read_chunk(_CHUNK_RECORDS, _CHUNK_BYTES)
        if not chunk:
            return
        yield from chunk


class _FileDataset(Dataset):
    """A dataset of the records of each file in turn (or ``num_parallel_reads`` files in rotation), read by the
    native reader in the subclass's ``_format``. The signature is TFRecordDataset's and TextLineDataset's."""

    _format = ""

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        from .graph_deferred import DeferredDataset, any_deferred

        # file names (or other arguments) computed by a graph: the reader is made when the graph runs
        if any_deferred(*args, *kwargs.values()):
            return DeferredDataset(cls, (), args, kwargs)
        return super().__new__(cls)

    def __init__(
        self,
        filenames: Any,
        compression_type: Any = None,
        buffer_size: Optional[int] = None,
        num_parallel_reads: Any = None,
        name: Optional[str] = None,
    ) -> None:
        self._filenames = _names(filenames)
        self._compression = TFRecordOptions.get_compression_type_string(compression_type)
        if buffer_size is not None and int(buffer_size) < 0:
            raise ValueError(f"buffer_size must be >= 0, received {buffer_size}")
        self._buffer = int(buffer_size) if buffer_size else 256 * 1024
        n = num_parallel_reads
        self._parallel = 1 if n is None or int(n) == -1 else max(1, int(n))  # AUTOTUNE (-1): one at a time
        super().__init__(TensorSpec((), "string"), _name_inputs(self._filenames))

    def _open(self, path: str) -> Any:
        return _core.RecordReader(path, self._format, self._compression, self._buffer)

    def _paths(self) -> Iterator[str]:
        return _each_path(self._filenames)

    def _iterator(self) -> Iterator[tuple]:
        if self._parallel == 1:
            for path in self._paths():
                for record in _reader_records(self._open(path)):
                    yield (_scalar(record),)
            return
        # TensorFlow's interleave order: slots visited in turn, a finished file replaced in its slot at once.
        paths = self._paths()
        slots: List[Optional[Iterator[bytes]]] = [None] * self._parallel
        more = True
        while True:
            live = False
            for k in range(len(slots)):
                while True:
                    if slots[k] is None:
                        path = next(paths, None) if more else None
                        if path is None:
                            more = False
                            break
                        slots[k] = _reader_records(self._open(path))
                    record = next(slots[k], None)  # type: ignore[arg-type]
                    if record is not None:
                        live = True
                        yield (_scalar(record),)
                        break
                    slots[k] = None
            if not live and not more:
                return


class TFRecordDataset(_FileDataset):
    """``tf.data.TFRecordDataset``: the records of TFRecord files (plain, "GZIP" or "ZLIB" compressed)."""

    _repr_name = "TFRecordDatasetV2"
    _format = "tfrecord"


class TextLineDataset(_FileDataset):
    """``tf.data.TextLineDataset``: the lines of text files, without their line endings."""

    _repr_name = "TextLineDatasetV2"
    _format = "lines"


class FixedLengthRecordDataset(_FileDataset):
    """``tf.data.FixedLengthRecordDataset``: records of ``record_bytes`` bytes between an optional header and
    footer of each file."""

    _repr_name = "FixedLengthRecordDatasetV2"

    def __init__(
        self,
        filenames: Any,
        record_bytes: int,
        header_bytes: Optional[int] = None,
        footer_bytes: Optional[int] = None,
        buffer_size: Optional[int] = None,
        compression_type: Any = None,
        num_parallel_reads: Any = None,
        name: Optional[str] = None,
    ) -> None:
        if int(record_bytes) <= 0:
            raise ValueError(f"record_bytes must be > 0, received {record_bytes}")
        self._layout = (int(record_bytes), int(header_bytes or 0), int(footer_bytes or 0))
        super().__init__(filenames, compression_type, buffer_size, num_parallel_reads)

    def _open(self, path: str) -> Any:
        record, header, footer = self._layout
        return _core.RecordReader(path, "fixed", self._compression, self._buffer, record, header, footer)

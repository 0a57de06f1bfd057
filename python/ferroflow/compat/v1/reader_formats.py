"""The records of one work unit for each TF1 reader: ``(key, value)`` pairs, keyed as TensorFlow keys them.

TFRecord: ``"file:offset"`` (the record's byte offset in the uncompressed stream); text lines:
``"file:line"`` (1-based, header lines counted); fixed-length records: ``"file:index"``; whole files: the file
name; identity: the work string itself; LMDB: the database's own keys. TFRecord and text files stream through
the core's readers (a chunk of records in memory at a time); a fixed-length file, with its overlapping hops, is
read whole.
"""

from __future__ import annotations

import gzip
import zlib
from typing import Iterator, Optional, Tuple

from ... import _core

Record = Tuple[bytes, bytes]
_CHUNK = 256


def _path(work: bytes) -> str:
    return work.decode("utf-8", "surrogateescape")


def _chunks(reader: _core.RecordReader) -> Iterator[bytes]:
    while True:
        chunk = reader.read_chunk(_CHUNK, 4 << 20)
        if not chunk:
            return
        yield from chunk


def tfrecord_records(work: bytes, compression: str) -> Iterator[Record]:
    """The records of a TFRecord file; each takes 16 bytes of framing around its data."""
    reader = _core.RecordReader(_path(work), "tfrecord", compression, 256 * 1024)
    offset = 0
    for record in _chunks(reader):
        yield work + b":" + str(offset).encode(), record
        offset += len(record) + 16


def text_line_records(work: bytes, skip_header_lines: int) -> Iterator[Record]:
    """The lines of a text file without their line endings, after ``skip_header_lines`` lines."""
    reader = _core.RecordReader(_path(work), "lines", "", 256 * 1024)
    for number, line in enumerate(_chunks(reader), start=1):
        if number > skip_header_lines:
            yield work + b":" + str(number).encode(), line


def _read_file(work: bytes, encoding: str = "") -> bytes:
    path = _path(work)
    try:
        with open(path, "rb") as f:
            data = f.read()
    except FileNotFoundError as e:
        raise _core.NotFoundError(f"{path}; No such file or directory") from e
    except IsADirectoryError as e:
        raise _core.FailedPreconditionError(f"{path}; Is a directory") from e
    if encoding == "GZIP":
        return gzip.decompress(data)
    if encoding == "ZLIB":
        return zlib.decompress(data)
    return data


def fixed_length_records(
    work: bytes, record_bytes: int, header_bytes: int, footer_bytes: int, hop_bytes: int, encoding: str
) -> Iterator[Record]:
    """Records of ``record_bytes`` starting ``hop_bytes`` apart (``record_bytes`` when 0) after the header, each
    one followed by at least ``footer_bytes`` of the file."""
    data = _read_file(work, encoding)
    hop = hop_bytes or record_bytes
    index = 0
    start = header_bytes
    while start + record_bytes + footer_bytes <= len(data):
        yield work + b":" + str(index).encode(), data[start : start + record_bytes]
        index += 1
        start += hop


def whole_file_records(work: bytes) -> Iterator[Record]:
    yield work, _read_file(work)


def identity_records(work: bytes) -> Iterator[Record]:
    yield work, work


def lmdb_records(work: bytes) -> Iterator[Record]:
    """The records of an LMDB database (a directory holding ``data.mdb``, or the file itself) in key order,
    keyed by their LMDB keys."""
    from ...data.lmdb_file import lmdb_records as records

    return records(_path(work))


def compression_of(options: Optional[object]) -> str:
    from ...ops.io_ops import TFRecordOptions

    return TFRecordOptions.get_compression_type_string(options)

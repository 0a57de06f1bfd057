"""The TF1 readers by file format (``tf.compat.v1.TFRecordReader`` ...); what they share is in readers.py."""

from __future__ import annotations

from typing import Any, Iterator, Optional

from . import reader_formats as formats
from .readers import ReaderBase


class TFRecordReader(ReaderBase):
    """The records of TFRecord files; keys are ``"file:offset"``.

    Args:
        name: the name of the reader's node.
        options: a ``tf.io.TFRecordOptions`` or compression name ("", "GZIP", "ZLIB").
    """

    def __init__(self, name: Optional[str] = None, options: Any = None) -> None:
        self._compression = formats.compression_of(options)
        super().__init__(self._handle("TFRecordReaderV2", name))

    def _records(self, work: bytes) -> Iterator[formats.Record]:
        return formats.tfrecord_records(work, self._compression)


class TextLineReader(ReaderBase):
    """The lines of text files, without their line endings; keys are ``"file:line"`` (1-based).

    Args:
        skip_header_lines: how many lines to skip at the start of each file.
        name: the name of the reader's node.
    """

    def __init__(self, skip_header_lines: Optional[int] = None, name: Optional[str] = None) -> None:
        self._skip = int(skip_header_lines or 0)
        if self._skip < 0:
            raise ValueError(f"skip_header_lines must be >= 0, received {skip_header_lines}")
        super().__init__(self._handle("TextLineReaderV2", name))

    def _records(self, work: bytes) -> Iterator[formats.Record]:
        return formats.text_line_records(work, self._skip)


class FixedLengthRecordReader(ReaderBase):
    """Records of ``record_bytes`` bytes from files with an optional header and footer; keys are
    ``"file:index"``.

    Args:
        record_bytes: the length of a record.
        header_bytes: bytes skipped at the start of each file.
        footer_bytes: bytes left at the end of each file.
        hop_bytes: the distance between the starts of records (0: ``record_bytes``, records back to back).
        name: the name of the reader's node.
        encoding: the files' compression: None, "ZLIB" or "GZIP".
    """

    def __init__(
        self,
        record_bytes: int,
        header_bytes: Optional[int] = None,
        footer_bytes: Optional[int] = None,
        hop_bytes: Optional[int] = None,
        name: Optional[str] = None,
        encoding: Optional[str] = None,
    ) -> None:
        self._layout = [int(record_bytes), int(header_bytes or 0), int(footer_bytes or 0), int(hop_bytes or 0)]
        if self._layout[0] <= 0 or min(self._layout) < 0:
            raise ValueError(
                "record_bytes must be > 0 and header_bytes, footer_bytes, hop_bytes >= 0, received "
                f"record_bytes={record_bytes}, header_bytes={header_bytes}, footer_bytes={footer_bytes}, "
                f"hop_bytes={hop_bytes}"
            )
        if encoding not in (None, "", "ZLIB", "GZIP"):
            raise ValueError(f'encoding must be None, "ZLIB" or "GZIP", received {encoding!r}')
        self._encoding = encoding or ""
        super().__init__(self._handle("FixedLengthRecordReaderV2", name))

    def _records(self, work: bytes) -> Iterator[formats.Record]:
        record, header, footer, hop = self._layout
        return formats.fixed_length_records(work, record, header, footer, hop, self._encoding)


class WholeFileReader(ReaderBase):
    """Each file as one record: the key is its name, the value its contents."""

    _one_record_per_work = True

    def __init__(self, name: Optional[str] = None) -> None:
        super().__init__(self._handle("WholeFileReaderV2", name), supports_serialize=True)

    def _records(self, work: bytes) -> Iterator[formats.Record]:
        return formats.whole_file_records(work)


class LMDBReader(ReaderBase):
    """The records of LMDB databases in key order; keys and values are the database's. A work unit is a
    directory holding ``data.mdb`` or an LMDB file itself (read as ``MDB_NOSUBDIR``).

    Args:
        name: the name of the reader's node.
        options: unused (TensorFlow's ``LMDBRecordOptions`` slot).
    """

    def __init__(self, name: Optional[str] = None, options: Any = None) -> None:
        del options
        super().__init__(self._handle("LMDBReader", name))

    def _records(self, work: bytes) -> Iterator[formats.Record]:
        return formats.lmdb_records(work)


class IdentityReader(ReaderBase):
    """Each work string as one record, as both key and value."""

    _one_record_per_work = True

    def __init__(self, name: Optional[str] = None) -> None:
        super().__init__(self._handle("IdentityReaderV2", name), supports_serialize=True)

    def _records(self, work: bytes) -> Iterator[formats.Record]:
        return formats.identity_records(work)


from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals(), hidden=("Any", "Iterator", "Optional", "formats"))

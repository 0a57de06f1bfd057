"""The records of an LMDB database, read from its file in pure Python (read-only), for ``LMDBReader`` and
``LMDBDataset``.

An LMDB environment is one file of fixed-size pages (``data.mdb`` in a directory, or any file when opened with
``MDB_NOSUBDIR``, as TensorFlow does when given a regular file). Pages 0 and 1 are meta pages; the one with the
larger transaction id is current and names the root page of the main database's B+tree. Branch pages hold
``(key, child page)`` nodes, leaf pages ``(key, value)`` nodes in key order, and a value too large for a leaf
sits on consecutive overflow pages that its node points to. Layouts follow liblmdb's ``mdb.c`` for 64-bit
little-endian builds (8-byte page numbers, 16-byte page headers), which is what LMDB writes on x86-64 and
ARM64. Named sub-databases and sorted duplicates are not read: a database using them raises
``UnimplementedError`` rather than yielding their internal records.
"""

from __future__ import annotations

import mmap
import os
import struct
from typing import Iterator, List, Tuple

from ..errors import DataLossError, InvalidArgumentError, NotFoundError, UnimplementedError

Record = Tuple[bytes, bytes]

_MAGIC = 0xBEEFC0DE
_VERSION = 1  # MDB_DATA_VERSION
_HEADER = 16  # PAGEHDRSZ: pgno (8), pad (2), flags (2), lower (2), upper (2) / overflow page count (4)
_P_BRANCH, _P_LEAF, _P_OVERFLOW, _P_META, _P_LEAF2 = 0x01, 0x02, 0x04, 0x08, 0x20
_F_BIGDATA, _F_SUBDATA, _F_DUPDATA = 0x01, 0x02, 0x04
_MDB_DUPSORT = 0x04
_INVALID_PAGE = (1 << 64) - 1  # P_INVALID: the root of an empty database
_MAX_DEPTH = 64

# The meta page after its header: magic, version, address, map size, then two MDB_db records (free pages and
# main: pad/page size u32, flags u16, depth u16, branch/leaf/overflow page counts, entries, root page), the
# last used page and the transaction id.
_META = struct.Struct("<IIQQ" + "IHHQQQQQ" * 2 + "QQ")
_NODE = struct.Struct("<HHHH")  # lo, hi (data size or child page bits), flags (page bits on branches), key size


def database_path(path: str) -> str:
    """The file holding the environment at ``path``: ``path`` itself when it is a regular file (TensorFlow then
    opens with ``MDB_NOSUBDIR``), else ``path/data.mdb``."""
    return path if os.path.isfile(path) else os.path.join(path, "data.mdb")


class _Meta:
    """The fields of the current meta page that reading needs."""

    def __init__(self, fields: tuple) -> None:
        self.page_size = fields[4]
        self.main_flags, self.depth, self.root = fields[13], fields[14], fields[19]
        self.branch_pages, self.overflow_pages, self.entries = fields[15], fields[17], fields[18]
        self.last_page, self.txnid = fields[20], fields[21]


class LMDBFile:
    """An open LMDB file: ``records()`` yields its main database's ``(key, value)`` pairs in key order.

    Raises ``NotFoundError`` when there is no such file, ``InvalidArgumentError`` when the file is not an
    LMDB file (liblmdb's ``MDB_INVALID``), ``DataLossError`` for a damaged tree and ``UnimplementedError`` for
    layouts not read here (another word size or byte order, sub-databases, sorted duplicates)."""

    def __init__(self, path: str) -> None:
        self.path = database_path(path)
        try:
            with open(self.path, "rb") as f:
                size = os.fstat(f.fileno()).st_size
                self._map = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) if size else b""
        except FileNotFoundError as e:
            raise NotFoundError(None, None, f"{self.path}; No such file or directory") from e
        except IsADirectoryError as e:
            raise InvalidArgumentError(None, None, f"{self.path}; Is a directory, not an LMDB file") from e
        self.meta = self._current_meta()

    def close(self) -> None:
        if isinstance(self._map, mmap.mmap):
            self._map.close()

    def _fail(self, kind: type, what: str) -> Exception:
        return kind(None, None, f"{self.path}: {what}")

    def _read_meta(self, offset: int) -> _Meta:
        data = self._map
        if len(data) < offset + _HEADER + _META.size:
            raise self._fail(InvalidArgumentError, "MDB_INVALID: File is not an LMDB file (too short for a meta page)")
        flags = struct.unpack_from("<H", data, offset + 10)[0]
        fields = _META.unpack_from(data, offset + _HEADER)
        if fields[0] != _MAGIC or not flags & _P_META:
            if struct.unpack_from(">I", data, offset + _HEADER)[0] == _MAGIC or (
                struct.unpack_from("<I", data, offset + 12)[0] == _MAGIC
            ):
                raise self._fail(UnimplementedError, "LMDB file of a big-endian or 32-bit build; only 64-bit "
                                 "little-endian LMDB files are read")  # fmt: skip
            raise self._fail(InvalidArgumentError, "MDB_INVALID: File is not an LMDB file")
        if fields[1] != _VERSION:
            raise self._fail(
                InvalidArgumentError,
                f"MDB_VERSION_MISMATCH: Database environment version mismatch (version {fields[1]}, expected "
                f"{_VERSION})",
            )
        return _Meta(fields)

    def _current_meta(self) -> _Meta:
        first = self._read_meta(0)
        size = first.page_size
        if size < 512 or size & (size - 1):
            raise self._fail(InvalidArgumentError, f"MDB_INVALID: File is not an LMDB file (page size {size})")
        second = self._read_meta(size)
        meta = second if second.txnid > first.txnid else first
        if meta.main_flags & _MDB_DUPSORT:
            raise self._fail(UnimplementedError, "the database keeps sorted duplicate values (MDB_DUPSORT), "
                             "which LMDB readers do not read")  # fmt: skip
        return meta

    def _page(self, pgno: int, expected: int) -> int:
        """The offset of page ``pgno`` after checking it exists and is of the ``expected`` kind."""
        size = self.meta.page_size
        offset = pgno * size
        if pgno > self.meta.last_page or offset + size > len(self._map):
            raise self._fail(DataLossError, f"MDB_PAGE_NOTFOUND: Requested page not found (page {pgno})")
        own, _, flags = struct.unpack_from("<QHH", self._map, offset)
        if own != pgno or not flags & expected or flags & _P_LEAF2:
            raise self._fail(
                DataLossError, f"MDB_CORRUPTED: Located page was wrong type (page {pgno}, flags {flags:#x})"
            )
        return offset

    def _nodes(self, offset: int) -> List[int]:
        """The offsets of the nodes of the page at ``offset``, in key order."""
        lower, upper = struct.unpack_from("<HH", self._map, offset + 12)
        size = self.meta.page_size
        if lower < _HEADER or lower > upper or upper > size or (lower - _HEADER) % 2:
            raise self._fail(DataLossError, f"MDB_CORRUPTED: bad page bounds (lower {lower}, upper {upper})")
        count = (lower - _HEADER) // 2
        pointers = struct.unpack_from(f"<{count}H", self._map, offset + _HEADER)
        if any(p < upper or p + _NODE.size > size for p in pointers):
            raise self._fail(DataLossError, "MDB_CORRUPTED: node outside its page")
        return [offset + p for p in pointers]

    def _value(self, node: int, key_end: int, size: int, flags: int, key: bytes) -> bytes:
        data = self._map
        if flags & _F_SUBDATA:
            raise self._fail(UnimplementedError, f"the database holds a named sub-database ({key!r}); LMDB readers "
                             "read only the records of the main database of a file without sub-databases")  # fmt: skip
        if flags & _F_DUPDATA:
            raise self._fail(UnimplementedError, "the database keeps sorted duplicate values, which LMDB readers "
                             "do not read")  # fmt: skip
        if flags & _F_BIGDATA:
            (pgno,) = struct.unpack_from("<Q", data, key_end)
            start = self._page(pgno, _P_OVERFLOW)
            (pages,) = struct.unpack_from("<I", data, start + 12)
            if _HEADER + size > pages * self.meta.page_size or start + _HEADER + size > len(data):
                raise self._fail(DataLossError, f"MDB_CORRUPTED: value of {size} bytes overruns its overflow pages")
            return bytes(data[start + _HEADER : start + _HEADER + size])
        if key_end + size > (node // self.meta.page_size + 1) * self.meta.page_size:
            raise self._fail(DataLossError, "MDB_CORRUPTED: value overruns its page")
        return bytes(data[key_end : key_end + size])

    def records(self) -> Iterator[Record]:
        """The ``(key, value)`` pairs of the main database in key order (depth-first through the tree)."""
        if self.meta.root == _INVALID_PAGE:
            return
        data = self._map
        stack: List[Tuple[int, int]] = [(self.meta.root, 1)]
        while stack:
            pgno, depth = stack.pop()
            if depth > _MAX_DEPTH:
                raise self._fail(DataLossError, "MDB_CORRUPTED: the tree is deeper than any LMDB tree")
            offset = self._page(pgno, _P_BRANCH | _P_LEAF)
            is_branch = struct.unpack_from("<H", data, offset + 10)[0] & _P_BRANCH
            nodes = self._nodes(offset)
            if is_branch:
                children = []
                for node in nodes:
                    lo, hi, top, _ = _NODE.unpack_from(data, node)
                    children.append((lo | hi << 16 | top << 32, depth + 1))
                stack.extend(reversed(children))
                continue
            for node in nodes:
                lo, hi, flags, key_size = _NODE.unpack_from(data, node)
                key_end = node + _NODE.size + key_size
                key = bytes(data[node + _NODE.size : key_end])
                yield key, self._value(node, key_end, lo | hi << 16, flags, key)


def lmdb_records(path: str) -> Iterator[Record]:
    """The records of the LMDB environment at ``path`` (a directory holding ``data.mdb``, or a file); the file
    is opened, and its format errors raised, on the first ``next``."""
    database = LMDBFile(path)
    try:
        yield from database.records()
    finally:
        database.close()

"""Reading the IDX files of the MNIST distribution (optionally gzip-compressed) with numpy.

IDX layout: two zero bytes, a type code (0x08 = unsigned byte), the number of dimensions, then
one big-endian uint32 per dimension, then the data in C order.
"""

from __future__ import annotations

import gzip
import os
import zlib
from typing import Sequence

import numpy as np

_GZIP_MAGIC = b"\x1f\x8b"
_UBYTE = 0x08


def read_idx_bytes(path: str | os.PathLike) -> bytes:
    """Return the raw IDX bytes of ``path``, decompressing it when it is gzip-compressed.

    Raises:
        ValueError: the file is gzip-compressed but truncated or corrupt.
    """
    with open(path, "rb") as f:
        raw = f.read()
    if raw[:2] != _GZIP_MAGIC:
        return raw
    try:
        return gzip.decompress(raw)
    except (OSError, EOFError, zlib.error) as e:
        raise ValueError(f"{os.fspath(path)}: corrupt or truncated gzip data ({e})") from e


def parse_idx(data: bytes, ndim: int, name: str = "<bytes>") -> np.ndarray:
    """Parse IDX ``data`` holding unsigned bytes with ``ndim`` dimensions into a uint8 array.

    ``name`` is used in error messages (usually the file's path).

    Raises:
        ValueError: wrong magic number, unexpected type or rank, or a size that does not match
            the header (a truncated file, or one with trailing garbage).
    """
    header_len = 4 + 4 * ndim
    if len(data) < 4:
        raise ValueError(f"{name}: not an IDX file (only {len(data)} bytes)")
    zero0, zero1, type_code, rank = data[0], data[1], data[2], data[3]
    expected_magic = (_UBYTE << 8) | ndim
    if zero0 != 0 or zero1 != 0 or type_code != _UBYTE or rank != ndim:
        magic = int.from_bytes(data[:4], "big")
        raise ValueError(
            f"{name}: bad IDX magic number 0x{magic:08x}, expected 0x{expected_magic:08x} "
            f"(unsigned bytes, {ndim} dimension{'s' if ndim > 1 else ''})"
        )
    if len(data) < header_len:
        raise ValueError(f"{name}: truncated IDX header ({len(data)} of {header_len} bytes)")
    dims = tuple(int(d) for d in np.frombuffer(data, dtype=">u4", count=ndim, offset=4))
    expected = int(np.prod(dims, dtype=np.int64)) if dims else 1
    actual = len(data) - header_len
    if actual != expected:
        what = "truncated" if actual < expected else "has trailing data"
        raise ValueError(
            f"{name}: IDX data {what}: header says shape {dims} ({expected} bytes), file holds {actual} bytes"
        )
    return np.frombuffer(data, dtype=np.uint8, offset=header_len).reshape(dims).copy()


def load_idx(path: str | os.PathLike, ndim: int) -> np.ndarray:
    """Read an IDX file (gzip-compressed or not) holding unsigned bytes of rank ``ndim``."""
    return parse_idx(read_idx_bytes(path), ndim, name=os.fspath(path))


def encode_idx(array: np.ndarray) -> bytes:
    """Encode a uint8 array as IDX bytes (the inverse of :func:`parse_idx`); used by tests."""
    array = np.ascontiguousarray(array, dtype=np.uint8)
    header = bytes([0, 0, _UBYTE, array.ndim])
    dims: Sequence[int] = array.shape
    return header + np.asarray(dims, dtype=">u4").tobytes() + array.tobytes()

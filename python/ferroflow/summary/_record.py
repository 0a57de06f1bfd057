"""TFRecord framing of event files: length, masked CRC32C of the length, data, masked CRC32C of the data.

CRC32C (Castagnoli) comes from the ``google_crc32c`` or ``crc32c`` package when one is importable, and
otherwise from a 256-entry table: an event file gets a few records per epoch, so the table is fast enough.
"""

from __future__ import annotations

import struct
from typing import BinaryIO, Callable, Iterator, Optional


def _make_table() -> list:
    table = []
    for n in range(256):
        c = n
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1  # reflected Castagnoli polynomial
        table.append(c)
    return table


_TABLE = _make_table()


def _crc32c_table(data: bytes) -> int:
    crc = 0xFFFFFFFF
    table = _TABLE
    for byte in data:
        crc = table[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


def _native_crc32c() -> Optional[Callable[[bytes], int]]:
    try:
        import google_crc32c  # type: ignore[import-not-found]

        if google_crc32c.implementation == "c":
            return lambda data: int(google_crc32c.value(bytes(data)))
    except Exception:  # noqa: BLE001 - optional accelerator: any import problem means "not available"
        pass
    try:
        import crc32c as _crc32c  # type: ignore[import-not-found]

        return lambda data: int(_crc32c.crc32c(bytes(data)))
    except Exception:  # noqa: BLE001
        return None


crc32c: Callable[[bytes], int] = _native_crc32c() or _crc32c_table


def masked_crc32c(data: bytes) -> int:
    """TFRecord's masked CRC: the CRC rotated right by 15 bits plus 0xa282ead8, modulo 2**32."""
    crc = crc32c(data)
    return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def frame(data: bytes) -> bytes:
    """One TFRecord: little-endian uint64 length, its masked CRC, the data, the data's masked CRC."""
    header = struct.pack("<Q", len(data))
    return header + struct.pack("<I", masked_crc32c(header)) + data + struct.pack("<I", masked_crc32c(data))


def read_records(f: BinaryIO, check_crc: bool = True) -> Iterator[bytes]:
    """Yields the records of a TFRecord stream; raises ValueError on a bad CRC or a truncated record."""
    while True:
        header = f.read(12)
        if not header:
            return
        if len(header) < 12:
            raise ValueError(f"Truncated TFRecord header: expected 12 bytes, received {len(header)}")
        (length,) = struct.unpack("<Q", header[:8])
        (length_crc,) = struct.unpack("<I", header[8:])
        if check_crc and length_crc != masked_crc32c(header[:8]):
            raise ValueError(f"TFRecord length CRC mismatch: stored {length_crc:#x}, "
                             f"computed {masked_crc32c(header[:8]):#x}")
        data = f.read(length)
        footer = f.read(4)
        if len(data) < length or len(footer) < 4:
            raise ValueError(f"Truncated TFRecord: expected {length} data bytes and a 4-byte CRC")
        (data_crc,) = struct.unpack("<I", footer)
        if check_crc and data_crc != masked_crc32c(data):
            raise ValueError(f"TFRecord data CRC mismatch: stored {data_crc:#x}, computed {masked_crc32c(data):#x}")
        yield data

"""TFRecord framing of event files: length, masked CRC32C of the length, data, masked CRC32C of the data.

The framing and the CRC live in the core (``ferroflow-core``'s ``records``), shared with ``tf.io`` and
``tf.data.TFRecordDataset``.
"""

from __future__ import annotations

import struct
from typing import BinaryIO, Iterator

from .. import _core

crc32c = _core.crc32c
masked_crc32c = _core.masked_crc32c
frame = _core.tfrecord_frame


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
            raise ValueError(
                f"TFRecord length CRC mismatch: stored {length_crc:#x}, computed {masked_crc32c(header[:8]):#x}"
            )
        data = f.read(length)
        footer = f.read(4)
        if len(data) < length or len(footer) < 4:
            raise ValueError(f"Truncated TFRecord: expected {length} data bytes and a 4-byte CRC")
        (data_crc,) = struct.unpack("<I", footer)
        if check_crc and data_crc != masked_crc32c(data):
            raise ValueError(f"TFRecord data CRC mismatch: stored {data_crc:#x}, computed {masked_crc32c(data):#x}")
        yield data

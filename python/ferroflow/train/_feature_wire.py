"""The protobuf wire form of ``tf.train.BytesList``/``FloatList``/``Int64List`` and ``tf.train.Feature`` on
their own (``Feature.SerializeToString``), as TensorFlow's protobuf writes them: field 1 of each list repeated
(bytes one entry each, floats and int64s packed), a ``Feature`` its set list as field 1, 2 or 3."""

from __future__ import annotations

import struct
from typing import List, Tuple

import numpy as np


def _varint(n: int) -> bytes:
    n &= (1 << 64) - 1  # negative int64s are ten-byte two's complement varints
    out = bytearray()
    while True:
        byte, n = n & 0x7F, n >> 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def _read_varint(data: bytes, pos: int) -> Tuple[int, int]:
    result = shift = 0
    while True:
        if pos >= len(data):
            raise ValueError("truncated varint")
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return result, pos


def _field(number: int, payload: bytes) -> bytes:
    return _varint(number << 3 | 2) + _varint(len(payload)) + payload


def encode_list(kind: int, values: list) -> bytes:
    """A BytesList (1), FloatList (2) or Int64List (3) message."""
    if not values:
        return b""
    if kind == 1:
        return b"".join(_field(1, v) for v in values)
    if kind == 2:
        return _field(1, np.asarray(values, "<f4").tobytes())
    return _field(1, b"".join(_varint(v) for v in values))


def encode_feature(kind: int, values: list) -> bytes:
    return _field(kind, encode_list(kind, values)) if kind else b""


def decode_list(kind: int, data: bytes) -> list:
    """The values of a list message; packed and unpacked numbers both read, as protobuf does."""
    out: List = []
    pos = 0
    while pos < len(data):
        tag, pos = _read_varint(data, pos)
        number, wire = tag >> 3, tag & 7
        if wire == 2:
            size, pos = _read_varint(data, pos)
            chunk, pos = data[pos : pos + size], pos + size
            if len(chunk) != size:
                raise ValueError("truncated field")
            if number != 1:
                continue
            if kind == 1:
                out.append(bytes(chunk))
            elif kind == 2:
                out.extend(np.frombuffer(chunk, "<f4").tolist())
            else:
                p = 0
                while p < len(chunk):
                    v, p = _read_varint(chunk, p)
                    out.append(v - (1 << 64) if v >= 1 << 63 else v)
        elif wire == 0:
            v, pos = _read_varint(data, pos)
            if number == 1 and kind == 3:
                out.append(v - (1 << 64) if v >= 1 << 63 else v)
        elif wire == 5:
            if number == 1 and kind == 2:
                out.append(struct.unpack("<f", data[pos : pos + 4])[0])
            pos += 4
        elif wire == 1:
            pos += 8
        else:
            raise ValueError(f"invalid wire type {wire}")
    return out


def decode_feature(data: bytes) -> Tuple[int, list]:
    """``(kind, values)`` of a Feature message; the last list field read wins, as for a protobuf oneof."""
    kind, values, pos = 0, [], 0
    while pos < len(data):
        tag, pos = _read_varint(data, pos)
        number, wire = tag >> 3, tag & 7
        if wire != 2:
            raise ValueError(f"unexpected wire type {wire} for field {number}")
        size, pos = _read_varint(data, pos)
        chunk, pos = data[pos : pos + size], pos + size
        if len(chunk) != size:
            raise ValueError("truncated field")
        if number in (1, 2, 3):
            kind, values = number, decode_list(number, chunk)
    return kind, values

"""The protobuf wire form of ``tf.train.BytesList``/``FloatList``/``Int64List`` and ``tf.train.Feature`` on
their own (``Feature.SerializeToString``), as TensorFlow's protobuf writes them: field 1 of each list repeated
(bytes one entry each, floats and int64s packed), a ``Feature`` its set list as field 1, 2 or 3. The varints and
fields are the summary writer's wire helpers (``summary._proto``)."""

from __future__ import annotations

import struct
from typing import List, Tuple

import numpy as np

from ..summary import _proto


def _signed(v: int) -> int:
    return v - (1 << 64) if v >= 1 << 63 else v


def encode_list(kind: int, values: list) -> bytes:
    """A BytesList (1), FloatList (2) or Int64List (3) message."""
    if not values:
        return b""
    if kind == 1:
        return b"".join(_proto.f_bytes(1, v) for v in values)
    if kind == 2:
        return _proto.f_bytes(1, np.asarray(values, "<f4").tobytes())
    return _proto.f_bytes(1, b"".join(_proto.varint(v) for v in values))


def encode_feature(kind: int, values: list) -> bytes:
    return _proto.f_bytes(kind, encode_list(kind, values)) if kind else b""


def decode_list(kind: int, data: bytes) -> list:
    """The values of a list message; packed and unpacked numbers both read, as protobuf does."""
    out: List = []
    for number, wire, value in _proto.wire_fields(data):
        if number != 1:
            continue
        if wire == 2:
            if kind == 1:
                out.append(bytes(value))
            elif kind == 2:
                out.extend(np.frombuffer(value, "<f4").tolist())
            else:
                p = 0
                while p < len(value):
                    v, p = _proto.read_varint(value, p)
                    out.append(_signed(v))
        elif wire == 0 and kind == 3:
            out.append(_signed(value))
        elif wire == 5 and kind == 2:
            out.append(struct.unpack("<f", value)[0])
    return out


def decode_feature(data: bytes) -> Tuple[int, list]:
    """``(kind, values)`` of a Feature message; the last list field read wins, as for a protobuf oneof."""
    kind: int = 0
    values: list = []
    for number, wire, value in _proto.wire_fields(data):
        if wire != 2:
            raise ValueError(f"unexpected wire type {wire} for field {number}")
        if number in (1, 2, 3):
            kind, values = number, decode_list(number, value)
    return kind, values

"""Protocol-buffer wire encoding of the few TensorBoard messages the summary writer needs, and the wire
reading that the message classes decoding them (``compat.v1.summary_proto``, ``tf.train.Feature``) share.

Each message is a small function that concatenates ``(field number, wire type)`` keys and payloads; field
numbers follow TensorFlow's ``event.proto``, ``summary.proto``, ``tensor.proto``, ``graph.proto``,
``node_def.proto`` and ``attr_value.proto``.
"""

from __future__ import annotations

import struct
from typing import Any, Iterable, Iterator, Optional, Sequence, Tuple

import numpy as np

# tensorflow.DataType enum values.
DT_FLOAT, DT_DOUBLE, DT_INT32, DT_STRING, DT_INT64, DT_BOOL = 1, 2, 3, 7, 9, 10
_DTYPES = {"float32": DT_FLOAT, "float64": DT_DOUBLE, "int32": DT_INT32, "int64": DT_INT64, "bool": DT_BOOL,
           "string": DT_STRING, "float16": 19, "bfloat16": 14, "uint8": 4, "int16": 5, "int8": 6,
           "uint16": 17, "uint32": 22, "uint64": 23}
# SummaryMetadata.data_class values.
DATA_CLASS_SCALAR, DATA_CLASS_TENSOR, DATA_CLASS_BLOB_SEQUENCE = 1, 2, 3


def dtype_enum(name: str) -> int:
    """The ``tensorflow.DataType`` number of a dtype name (0, DT_INVALID, when unknown)."""
    return _DTYPES.get(name, 0)


def varint(n: int) -> bytes:
    """Base-128 varint; negative int64 values take ten bytes (two's complement), as protobuf does."""
    n &= (1 << 64) - 1
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


class DecodeError(ValueError):
    """``google.protobuf.message.DecodeError``: bytes that are not a valid serialized message."""


def read_varint(data: bytes, i: int) -> Tuple[int, int]:
    """``(value, position after it)`` of the varint at ``data[i]``."""
    shift = value = 0
    while True:
        if i >= len(data):
            raise DecodeError("truncated varint")
        byte = data[i]
        i += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, i
        shift += 7


def wire_fields(data: bytes) -> Iterator[Tuple[int, int, Any]]:
    """``(field number, wire type, value)`` of each field: an int for varints, the raw bytes otherwise."""
    i = 0
    while i < len(data):
        key, i = read_varint(data, i)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, i = read_varint(data, i)
        elif wire == 1:
            value, i = data[i : i + 8], i + 8
        elif wire == 2:
            n, i = read_varint(data, i)
            value, i = data[i : i + n], i + n
        elif wire == 5:
            value, i = data[i : i + 4], i + 4
        else:
            raise DecodeError(f"unsupported wire type {wire} of field {number}")
        if i > len(data):
            raise DecodeError(f"field {number} runs past the end of the message")
        yield number, wire, value


def _key(field: int, wire: int) -> bytes:
    return varint((field << 3) | wire)


def f_varint(field: int, value: int) -> bytes:
    return _key(field, 0) + varint(int(value))


def f_double(field: int, value: float) -> bytes:
    return _key(field, 1) + struct.pack("<d", float(value))


def f_float(field: int, value: float) -> bytes:
    return _key(field, 5) + struct.pack("<f", float(value))


def f_bytes(field: int, value: bytes) -> bytes:
    return _key(field, 2) + varint(len(value)) + value


def f_str(field: int, value: str) -> bytes:
    return f_bytes(field, value.encode("utf-8"))


def tensor_shape(dims: Optional[Sequence[Optional[int]]]) -> bytes:
    """TensorShapeProto: ``dim`` (2) with ``size`` (1, -1 when unknown), or ``unknown_rank`` (3)."""
    if dims is None:
        return f_varint(3, 1)
    return b"".join(f_bytes(2, f_varint(1, -1 if d is None else d)) for d in dims)


def tensor(array: np.ndarray) -> bytes:
    """TensorProto of a numeric or string array: strings as ``string_val`` (8), numbers as ``tensor_content`` (4)."""
    shape = tensor_shape(array.shape)
    if array.dtype.kind in "USO":
        values = b"".join(f_bytes(8, v if isinstance(v, bytes) else str(v).encode("utf-8")) for v in array.ravel())
        return f_varint(1, DT_STRING) + f_bytes(2, shape) + values
    name = "bool" if array.dtype == np.bool_ else array.dtype.name
    content = np.ascontiguousarray(array, dtype=array.dtype.newbyteorder("<")).tobytes()
    return f_varint(1, dtype_enum(name)) + f_bytes(2, shape) + f_bytes(4, content)


def summary_metadata(plugin_name: str, content: bytes = b"", description: str = "", data_class: int = 0) -> bytes:
    """SummaryMetadata: ``plugin_data`` (1: name 1, content 2), ``summary_description`` (3), ``data_class`` (4)."""
    plugin = f_str(1, plugin_name) + (f_bytes(2, content) if content else b"")
    out = f_bytes(1, plugin)
    if description:
        out += f_str(3, description)
    if data_class:
        out += f_varint(4, data_class)
    return out


def summary_value(tag: str, metadata: bytes = b"", tensor_proto: Optional[bytes] = None,
                  histo: Optional[bytes] = None, simple_value: Optional[float] = None) -> bytes:
    """Summary.Value: ``tag`` (1), ``simple_value`` (2), ``histo`` (5), ``tensor`` (8), ``metadata`` (9)."""
    out = f_str(1, tag)
    if simple_value is not None:
        out += f_float(2, simple_value)
    if histo is not None:
        out += f_bytes(5, histo)
    if tensor_proto is not None:
        out += f_bytes(8, tensor_proto)
    if metadata:
        out += f_bytes(9, metadata)
    return out


def summary(values: Iterable[bytes]) -> bytes:
    """Summary: repeated ``value`` (1)."""
    return b"".join(f_bytes(1, v) for v in values)


def event(wall_time: float, step: int = 0, file_version: Optional[str] = None,
          graph_def: Optional[bytes] = None, summary_proto: Optional[bytes] = None) -> bytes:
    """Event: ``wall_time`` (1), ``step`` (2), then one of ``file_version`` (3), ``graph_def`` (4), ``summary`` (5)."""
    out = f_double(1, wall_time)
    if step:
        out += f_varint(2, step)
    if file_version is not None:
        out += f_str(3, file_version)
    if graph_def is not None:
        out += f_bytes(4, graph_def)
    if summary_proto is not None:
        out += f_bytes(5, summary_proto)
    return out


def histogram_proto(values: np.ndarray, bucket_limit: Sequence[float], bucket: Sequence[float]) -> bytes:
    """HistogramProto: min, max, num, sum, sum_squares (1-5), packed ``bucket_limit`` (6) and ``bucket`` (7)."""
    v = np.asarray(values, dtype="float64").ravel()
    lo, hi = (float(v.min()), float(v.max())) if v.size else (0.0, 0.0)
    out = f_double(1, lo) + f_double(2, hi) + f_double(3, v.size) + f_double(4, float(v.sum()))
    # einsum, not np.dot: OpenBLAS's threaded dot is slow on a busy machine and its threads keep spinning
    # against the training step that follows.
    out += f_double(5, float(np.einsum("i,i->", v, v)))
    out += f_bytes(6, np.asarray(bucket_limit, dtype="<f8").tobytes())
    return out + f_bytes(7, np.asarray(bucket, dtype="<f8").tobytes())


def attr_value(*, s: Optional[bytes] = None, i: Optional[int] = None, dtype: Optional[int] = None,
               shape: Optional[bytes] = None, shapes: Optional[Sequence[bytes]] = None) -> bytes:
    """AttrValue: ``list`` (1: shape 7), ``s`` (2), ``i`` (3), ``type`` (6), ``shape`` (7)."""
    if s is not None:
        return f_bytes(2, s)
    if i is not None:
        return f_varint(3, i)
    if dtype is not None:
        return f_varint(6, dtype)
    if shape is not None:
        return f_bytes(7, shape)
    return f_bytes(1, b"".join(f_bytes(7, sh) for sh in shapes or []))


def node_def(name: str, op: str, inputs: Sequence[str], attrs: dict) -> bytes:
    """NodeDef: ``name`` (1), ``op`` (2), ``input`` (3), ``attr`` (5, map entries of key 1 and AttrValue 2)."""
    out = f_str(1, name) + f_str(2, op) + b"".join(f_str(3, i) for i in inputs)
    for key in sorted(attrs):
        out += f_bytes(5, f_str(1, key) + f_bytes(2, attrs[key]))
    return out


def graph_def(nodes: Iterable[bytes], producer: int = 1) -> bytes:
    """GraphDef: repeated ``node`` (1) and ``versions`` (4: VersionDef.producer 1)."""
    return b"".join(f_bytes(1, n) for n in nodes) + f_bytes(4, f_varint(1, producer))

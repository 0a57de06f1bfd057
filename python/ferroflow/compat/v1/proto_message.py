"""A small protobuf message base for TF1's session messages (``ConfigProto``, ``RunOptions``, ``RunMetadata``,
``StepStats`` ...): fields with TensorFlow's numbers, wire-format encoding and decoding, text format.

As with protobuf's Python messages, a sub-message field reads as an empty message until set, so
``config.gpu_options.allow_growth = True`` works on a fresh ``ConfigProto``; fields at their default are
left out of the bytes and the text.
"""

from __future__ import annotations

import struct
from typing import Any, Dict, Tuple

from ...summary import _proto
from .summary_proto import _wire_fields

_SCALARS = {"int": 0, "bool": False, "double": 0.0, "float": 0.0, "string": "", "bytes": b""}
_REPEATED = {"ints", "strings"}


class ProtoMessage:
    """``_FIELDS`` maps each attribute to ``(number, kind)``. A kind is one of ``int``, ``bool``, ``double``,
    ``float``, ``string``, ``bytes``, ``ints`` / ``strings`` (repeated), ``int_map`` (map<string, int32>),
    a ``ProtoMessage`` class, or ``[ProtoMessage class]`` (repeated)."""

    _FIELDS: Dict[str, Tuple[int, Any]] = {}

    def __init__(self, **kwargs: Any) -> None:
        for name, (_, kind) in self._FIELDS.items():
            object.__setattr__(self, name, _default(kind))
        for name, value in kwargs.items():
            if name not in self._FIELDS:
                raise ValueError(f'Protocol message {type(self).__name__} has no "{name}" field.')
            setattr(self, name, value)

    def __setattr__(self, name: str, value: Any) -> None:
        if name in self._FIELDS:
            kind = self._FIELDS[name][1]
            if isinstance(kind, list) or kind in _REPEATED:
                value = list(value)
            elif kind == "int_map":
                value = dict(value)
            elif kind == "bool":
                value = bool(value)
        elif not name.startswith("_"):
            raise AttributeError(f'Assignment not allowed (no field "{name}" in protocol message object).')
        object.__setattr__(self, name, value)

    # -- protobuf's methods
    def HasField(self, name: str) -> bool:  # noqa: N802 (protobuf's names)
        return bool(self._encode_field(name))

    def ListFields(self) -> list:  # noqa: N802
        return [(name, getattr(self, name)) for name in self._FIELDS if self._encode_field(name)]

    def SerializeToString(self) -> bytes:  # noqa: N802
        return b"".join(self._encode_field(name) for name in self._FIELDS)

    def ByteSize(self) -> int:  # noqa: N802
        return len(self.SerializeToString())

    def CopyFrom(self, other: ProtoMessage) -> None:  # noqa: N802
        self.Clear()
        self.MergeFromString(other.SerializeToString())

    def Clear(self) -> None:  # noqa: N802
        for name, (_, kind) in self._FIELDS.items():
            object.__setattr__(self, name, _default(kind))

    @classmethod
    def FromString(cls, data: bytes) -> Any:  # noqa: N802
        message = cls()
        message.MergeFromString(data)
        return message

    def ParseFromString(self, data: bytes) -> None:  # noqa: N802
        self.Clear()
        self.MergeFromString(data)

    def MergeFromString(self, data: bytes) -> None:  # noqa: N802
        by_number = {number: (name, kind) for name, (number, kind) in self._FIELDS.items()}
        for number, wire, raw in _wire_fields(bytes(data)):
            if number not in by_number:
                continue
            name, kind = by_number[number]
            current = getattr(self, name)
            if isinstance(kind, list):
                current.append(kind[0].FromString(raw))
            elif isinstance(kind, type):
                current.MergeFromString(raw)
            elif kind == "ints":
                current.extend(_unpacked(raw) if wire == 2 else [_signed(raw)])
            elif kind == "strings":
                current.append(bytes(raw).decode("utf-8"))
            elif kind == "int_map":
                entry = dict((n, v) for n, _, v in _wire_fields(raw))
                current[bytes(entry.get(1, b"")).decode("utf-8")] = _signed(entry.get(2, 0))
            else:
                object.__setattr__(self, name, _decode(kind, raw))

    # -- encoding
    def _encode_field(self, name: str) -> bytes:
        number, kind = self._FIELDS[name]
        value = getattr(self, name)
        if isinstance(kind, list):
            return b"".join(_proto.f_bytes(number, v.SerializeToString()) for v in value)
        if isinstance(kind, type):
            body = value.SerializeToString()
            return _proto.f_bytes(number, body) if body else b""
        if kind == "ints":
            return _proto.f_bytes(number, b"".join(_proto.varint(int(v)) for v in value)) if value else b""
        if kind == "strings":
            return b"".join(_proto.f_str(number, v) for v in value)
        if kind == "int_map":
            return b"".join(
                _proto.f_bytes(number, _proto.f_str(1, k) + _proto.f_varint(2, v)) for k, v in sorted(value.items())
            )
        if value == _SCALARS[kind]:
            return b""
        if kind in ("int", "bool"):
            return _proto.f_varint(number, int(value))
        if kind == "double":
            return _proto.f_double(number, value)
        if kind == "float":
            return _proto.f_float(number, value)
        if kind == "string":
            return _proto.f_str(number, value)
        return _proto.f_bytes(number, bytes(value))

    # -- comparison and text format
    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and self.SerializeToString() == other.SerializeToString()

    __hash__ = None  # type: ignore[assignment]  # mutable, as protobuf messages

    def __str__(self) -> str:
        return "".join(self._text(0))

    def __repr__(self) -> str:
        return str(self)

    def _text(self, indent: int) -> list:
        pad = "  " * indent
        lines = []
        for name, (_, kind) in self._FIELDS.items():
            value = getattr(self, name)
            if isinstance(kind, list) or isinstance(kind, type):
                for item in value if isinstance(kind, list) else ([value] if value.SerializeToString() else []):
                    lines += [f"{pad}{name} {{\n", *item._text(indent + 1), f"{pad}}}\n"]
            elif kind in _REPEATED:
                lines += [f"{pad}{name}: {_text_scalar(v)}\n" for v in value]
            elif kind == "int_map":
                for k, v in sorted(value.items()):
                    lines.append(f'{pad}{name} {{\n{pad}  key: "{k}"\n{pad}  value: {v}\n{pad}}}\n')
            elif value != _SCALARS[kind]:
                lines.append(f"{pad}{name}: {_text_scalar(value, getattr(self, '_ENUMS', {}).get(name))}\n")
        return lines


def _default(kind: Any) -> Any:
    if isinstance(kind, list) or kind in _REPEATED:
        return []
    if kind == "int_map":
        return {}
    if isinstance(kind, type):
        return kind()
    return _SCALARS[kind]


def _text_scalar(value: Any, enum_names: Any = None) -> str:
    if enum_names is not None and value in enum_names:
        return enum_names[value]
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.encode("unicode_escape").decode("ascii").replace('"', '\\"') + '"'
    if isinstance(value, bytes):
        return '"' + "".join(chr(b) if 32 <= b < 127 and b != 34 else f"\\{b:03o}" for b in value) + '"'
    return repr(value)


def _signed(raw: int) -> int:
    return raw - (1 << 64) if raw >= 1 << 63 else raw


def _unpacked(raw: bytes) -> list:
    values, i = [], 0
    while i < len(raw):
        value, i = _proto.read_varint(raw, i)
        values.append(_signed(value))
    return values


def _decode(kind: str, raw: Any) -> Any:
    if kind == "int":
        return _signed(raw)
    if kind == "bool":
        return bool(raw)
    if kind == "double":
        return struct.unpack("<d", raw)[0]
    if kind == "float":
        return struct.unpack("<f", raw)[0]
    if kind == "string":
        return bytes(raw).decode("utf-8")
    return bytes(raw)


from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())

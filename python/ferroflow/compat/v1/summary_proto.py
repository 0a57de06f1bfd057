"""TF1's summary messages as small Python classes: ``Summary`` (with ``Summary.Value`` / ``Summary.Image``),
``HistogramProto``, ``SessionLog`` and ``Event``, encoded and decoded in protobuf wire format.

TF1 loops build them by hand (``tf.compat.v1.Summary(value=[tf.compat.v1.Summary.Value(tag="loss",
simple_value=0.5)])``) and read event files back (``summary_iterator``). A field set explicitly is written
even when it holds its default if it belongs to a protobuf ``oneof`` (``simple_value=0.0`` is a value);
other fields at their default are left out, as protobuf does.
"""

from __future__ import annotations

import struct
from typing import Any, Dict, Tuple

from ...summary import _proto

DecodeError, _wire_fields = _proto.DecodeError, _proto.wire_fields


class Message:
    """A protobuf message: ``_FIELDS`` maps each attribute to ``(number, kind, default)``; a kind is a scalar
    type name, ``"doubles"`` (packed repeated), a ``Message`` class, or ``[Message class]`` (repeated)."""

    _FIELDS: Dict[str, Tuple[int, Any, Any]] = {}
    _ONEOF: frozenset = frozenset()  # fields with presence: written when set, even to their default

    def __init__(self, **kwargs: Any) -> None:
        object.__setattr__(self, "_set", set())
        for name, (_, _, default) in self._FIELDS.items():
            object.__setattr__(self, name, list(default) if isinstance(default, list) else default)
        for name, value in kwargs.items():
            if name not in self._FIELDS:
                raise ValueError(f'Protocol message {type(self).__name__} has no "{name}" field.')
            setattr(self, name, list(value) if isinstance(self._FIELDS[name][1], list) else value)

    def __setattr__(self, name: str, value: Any) -> None:
        if name in self._FIELDS:
            self._set.add(name)
        object.__setattr__(self, name, value)

    def HasField(self, name: str) -> bool:  # noqa: N802 (protobuf's name)
        return name in self._set

    def SerializeToString(self) -> bytes:  # noqa: N802
        out = b""
        for name, (number, kind, default) in self._FIELDS.items():
            value = getattr(self, name)
            if value is None or (value == default and not (name in self._ONEOF and name in self._set)):
                continue
            out += _encode(number, kind, value)
        return out

    @classmethod
    def FromString(cls, data: bytes) -> Any:  # noqa: N802
        message = cls()
        message.ParseFromString(data)
        return message

    def ParseFromString(self, data: bytes) -> None:  # noqa: N802
        by_number = {spec[0]: (name, spec[1]) for name, spec in self._FIELDS.items()}
        for number, wire, raw in _wire_fields(bytes(data)):
            if number not in by_number:
                continue  # a field this reduced message does not model
            name, kind = by_number[number]
            if isinstance(kind, list):
                getattr(self, name).append(kind[0].FromString(raw))
                self._set.add(name)
            elif kind == "doubles":
                values = getattr(self, name)
                values.extend(struct.unpack(f"<{len(raw) // 8}d", raw) if wire == 2 else struct.unpack("<d", raw))
                self._set.add(name)
            else:
                setattr(self, name, _decode(kind, raw))

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and self.SerializeToString() == other.SerializeToString()

    def __repr__(self) -> str:
        shown = ", ".join(f"{n}={getattr(self, n)!r}" for n in self._FIELDS if n in self._set)
        return f"{type(self).__name__}({shown})"


def _encode(number: int, kind: Any, value: Any) -> bytes:
    if isinstance(kind, list):
        return b"".join(_proto.f_bytes(number, v.SerializeToString()) for v in value)
    if isinstance(kind, type):
        return _proto.f_bytes(number, value.SerializeToString())
    if kind == "doubles":
        return _proto.f_bytes(number, struct.pack(f"<{len(value)}d", *value)) if value else b""
    if kind == "double":
        return _proto.f_double(number, value)
    if kind == "float":
        return _proto.f_float(number, value)
    if kind == "int":
        return _proto.f_varint(number, int(value))
    if kind == "string":
        return _proto.f_str(number, value)
    return _proto.f_bytes(number, bytes(value))


def _decode(kind: Any, raw: Any) -> Any:
    if isinstance(kind, type):
        return kind.FromString(raw)
    if kind == "double":
        return struct.unpack("<d", raw)[0]
    if kind == "float":
        return struct.unpack("<f", raw)[0]
    if kind == "int":
        return raw - (1 << 64) if raw >= 1 << 63 else raw
    if kind == "string":
        return raw.decode("utf-8")
    return bytes(raw)


class HistogramProto(Message):
    _FIELDS = {
        "min": (1, "double", 0.0),
        "max": (2, "double", 0.0),
        "num": (3, "double", 0.0),
        "sum": (4, "double", 0.0),
        "sum_squares": (5, "double", 0.0),
        "bucket_limit": (6, "doubles", []),
        "bucket": (7, "doubles", []),
    }


class _Image(Message):
    _FIELDS = {
        "height": (1, "int", 0),
        "width": (2, "int", 0),
        "colorspace": (3, "int", 0),
        "encoded_image_string": (4, "bytes", b""),
    }


class _Value(Message):
    # ``metadata`` (SummaryMetadata) and ``tensor`` (TensorProto) stay serialized bytes.
    _FIELDS = {
        "tag": (1, "string", ""),
        "simple_value": (2, "float", 0.0),
        "image": (4, _Image, None),
        "histo": (5, HistogramProto, None),
        "node_name": (7, "string", ""),
        "tensor": (8, "bytes", b""),
        "metadata": (9, "bytes", b""),
    }
    _ONEOF = frozenset({"simple_value", "image", "histo", "tensor"})


class Summary(Message):
    """``Summary``: a list of ``Summary.Value`` (tag plus a scalar, image, histogram or tensor)."""

    Value = _Value
    Image = _Image
    _FIELDS = {"value": (1, [_Value], [])}


_Value.__name__ = _Value.__qualname__ = "Value"
_Image.__name__ = _Image.__qualname__ = "Image"


class SessionLog(Message):
    """A session event in an event file: START, STOP, or CHECKPOINT with the checkpoint's path."""

    STATUS_UNSPECIFIED, START, STOP, CHECKPOINT = 0, 1, 2, 3
    _FIELDS = {"status": (1, "int", 0), "checkpoint_path": (2, "string", ""), "msg": (3, "string", "")}


class TaggedRunMetadata(Message):
    _FIELDS = {"tag": (1, "string", ""), "run_metadata": (2, "bytes", b"")}


class Event(Message):
    """One record of an event file: a time, a step, and one of a summary, a graph or a session log."""

    _FIELDS = {
        "wall_time": (1, "double", 0.0),
        "step": (2, "int", 0),
        "file_version": (3, "string", ""),
        "graph_def": (4, "bytes", b""),
        "summary": (5, Summary, None),
        "session_log": (7, SessionLog, None),
        "tagged_run_metadata": (8, TaggedRunMetadata, None),
        "meta_graph_def": (9, "bytes", b""),
    }
    _ONEOF = frozenset({"file_version", "graph_def", "summary", "session_log", "tagged_run_metadata", "meta_graph_def"})


from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals(), hidden=("Message",))

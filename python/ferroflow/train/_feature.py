"""``tf.train.BytesList``, ``FloatList``, ``Int64List`` and ``Feature``: protobuf-style messages whose
repeated ``value`` fields behave as lists; changing a list sets the ``Feature``'s oneof ``kind``."""

from __future__ import annotations

import operator
from typing import Any, Callable, Iterable, List, MutableSequence, Optional

import numpy as np

from . import _feature_wire as _wire


def _c_escape(b: bytes) -> str:
    """Bytes as protobuf's text format writes them (C escapes, octal for the unprintable)."""
    out = []
    for c in b:
        ch = chr(c)
        if ch in "\"'\\":
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif 32 <= c < 127:
            out.append(ch)
        else:
            out.append(f"\\{c:03o}")
    return "".join(out)


class _Repeated(MutableSequence):
    """A repeated field: a list whose elements are converted on the way in and whose changes are reported."""

    def __init__(self, convert: Callable[[Iterable[Any]], List[Any]], on_change: Callable[[], None]) -> None:
        self._items: List[Any] = []
        self._convert = convert
        self._on_change = on_change

    def __getitem__(self, i: Any) -> Any:
        return self._items[i]

    def __setitem__(self, i: Any, value: Any) -> None:
        self._items[i] = self._convert(value) if isinstance(i, slice) else self._convert([value])[0]
        self._on_change()

    def __delitem__(self, i: Any) -> None:
        del self._items[i]
        self._on_change()

    def __len__(self) -> int:
        return len(self._items)

    def insert(self, i: int, value: Any) -> None:
        self._items.insert(i, self._convert([value])[0])
        self._on_change()

    def extend(self, values: Iterable[Any]) -> None:
        self._items.extend(self._convert(values))
        self._on_change()

    def __eq__(self, other: object) -> bool:
        return list(self._items) == list(other) if isinstance(other, (list, tuple, _Repeated)) else NotImplemented

    def __repr__(self) -> str:
        return repr(self._items)


def _must_iterate(values: Any) -> None:
    if not isinstance(values, Iterable):
        raise TypeError("must assign iterable")


def _bytes_values(values: Iterable[Any]) -> List[bytes]:
    _must_iterate(values)
    out = []
    for v in values:
        if isinstance(v, str):
            v = v.encode()
        elif isinstance(v, np.bytes_):
            v = bytes(v)
        if not isinstance(v, bytes):
            kind = type(v)
            name = kind.__name__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__qualname__}"
            raise TypeError(f"expected bytes, {name} found")
        out.append(v)
    return out


def _float_values(values: Iterable[Any]) -> List[float]:
    _must_iterate(values)
    if isinstance(values, np.ndarray) and values.dtype.kind in "biuf":
        return values.astype(np.float32).ravel().tolist()
    out = []
    for v in values:  # protobuf takes any real number (bools, ints, tensors through __float__), not strings
        if isinstance(v, (str, bytes)) or not (hasattr(v, "__float__") or hasattr(v, "__index__")):
            raise TypeError(f"must be real number, not {type(v).__name__}")
        out.append(float(v))
    return np.asarray(out, np.float32).tolist()


_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1


def _int_values(values: Iterable[Any]) -> List[int]:
    """protobuf's int64 conversion: each value through ``__index__`` (so no floats, and no NumPy bools), a
    Python bool refused by name, values outside int64 a ValueError."""
    _must_iterate(values)
    if isinstance(values, np.ndarray) and values.dtype.kind in "iu" and values.dtype != np.uint64:
        return values.astype(np.int64).ravel().tolist()
    out = []
    for v in values:
        if isinstance(v, bool):
            raise TypeError("Field tensorflow.Int64List.value: Expected an int, got a boolean.")
        i = operator.index(v)
        if not _INT64_MIN <= i <= _INT64_MAX:
            raise ValueError(f"Value out of range: {i}")
        out.append(int(i))
    return out


def _float_text(v: float) -> str:
    """A float32 as protobuf's text format prints it: ``%.6g`` when that reads back as the same float32,
    else ``%.9g`` (``2.71828175``, ``0.9876``, ``3``, ``1e-07``)."""
    f = np.float32(v)
    if not np.isfinite(f):
        return "nan" if np.isnan(f) else ("inf" if f > 0 else "-inf")
    s = f"{float(f):.6g}"
    return s if np.float32(float(s)) == f else f"{float(f):.9g}"


class _List:
    _convert: Callable[[Iterable[Any]], List[Any]] = staticmethod(list)
    _kind = 0

    def __init__(self, value: Optional[Iterable[Any]] = None) -> None:
        self._owner: Optional[Callable[[], None]] = None
        self._value = _Repeated(type(self)._convert, self._changed)
        if value is not None:
            self._value._items = type(self)._convert(value)

    def _changed(self) -> None:
        if self._owner is not None:
            self._owner()

    @property
    def value(self) -> _Repeated:
        return self._value

    @value.setter
    def value(self, values: Iterable[Any]) -> None:
        self._value[:] = values

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and self._value == other._value  # type: ignore[attr-defined]

    def _text(self, indent: str) -> str:
        fmt = {1: lambda v: '"' + _c_escape(v) + '"', 2: _float_text, 3: str}[self._kind]
        return "".join(f"{indent}value: {fmt(v)}\n" for v in self._value)

    def __str__(self) -> str:
        return self._text("")

    __repr__ = __str__

    def SerializeToString(self, deterministic: bool = False) -> bytes:  # noqa: N802 - protobuf's name
        return _wire.encode_list(self._kind, self._value._items)

    def ParseFromString(self, serialized: bytes) -> int:  # noqa: N802
        try:
            self._value._items = _wire.decode_list(self._kind, bytes(serialized))
        except ValueError as e:
            raise _decode_error(e) from None
        return len(serialized)

    @classmethod
    def FromString(cls, serialized: bytes) -> Any:  # noqa: N802
        out = cls()
        out.ParseFromString(serialized)
        return out


def _decode_error(e: Exception) -> Exception:
    from .example import DecodeError  # example imports this module

    return DecodeError(f"Error parsing message: {e}")


class BytesList(_List):
    """``tf.train.BytesList(value=[...])``: a list of byte strings."""

    _convert = staticmethod(_bytes_values)
    _kind = 1


class FloatList(_List):
    """``tf.train.FloatList(value=[...])``: a list of float32 values."""

    _convert = staticmethod(_float_values)
    _kind = 2


class Int64List(_List):
    """``tf.train.Int64List(value=[...])``: a list of int64 values."""

    _convert = staticmethod(_int_values)
    _kind = 3


_KINDS = {"bytes_list": BytesList, "float_list": FloatList, "int64_list": Int64List}
_BY_NUMBER = {1: "bytes_list", 2: "float_list", 3: "int64_list"}


class Feature:
    """``tf.train.Feature(bytes_list=..., float_list=..., int64_list=...)``: one of the three lists."""

    def __init__(self, bytes_list: Any = None, float_list: Any = None, int64_list: Any = None) -> None:
        self._kind: Optional[str] = None
        self._lists: dict = {}
        for name, given in (("bytes_list", bytes_list), ("float_list", float_list), ("int64_list", int64_list)):
            if given is None:
                continue
            if not isinstance(given, _KINDS[name]):
                raise TypeError(f"{name} must be a tf.train.{_KINDS[name].__name__}, received {type(given).__name__}")
            msg = _KINDS[name](given.value)
            self._attach(name, msg)
            self._set_kind(name)

    def _attach(self, name: str, msg: _List) -> None:
        msg._owner = lambda: self._set_kind(name)
        self._lists[name] = msg

    def _set_kind(self, name: str) -> None:
        self._kind = name
        self._lists = {name: self._lists[name]}

    def _get(self, name: str) -> _List:
        if name not in self._lists:
            self._attach(name, _KINDS[name]())
        return self._lists[name]

    bytes_list = property(lambda self: self._get("bytes_list"))
    float_list = property(lambda self: self._get("float_list"))
    int64_list = property(lambda self: self._get("int64_list"))

    def WhichOneof(self, oneof_group: str) -> Optional[str]:  # noqa: N802 - protobuf's name
        if oneof_group != "kind":
            raise ValueError(f'Protocol message has no oneof "{oneof_group}" field.')
        return self._kind

    def HasField(self, field_name: str) -> bool:  # noqa: N802
        return self._kind == field_name

    def _wire(self) -> tuple:
        if self._kind is None:
            return 0, []
        msg = self._lists[self._kind]
        return msg._kind, msg.value._items

    @classmethod
    def _from_wire(cls, kind: int, values: list) -> Feature:
        f = cls()
        if kind:
            name = _BY_NUMBER[kind]
            msg = _KINDS[name]()
            msg.value._items = values
            f._attach(name, msg)
            f._set_kind(name)
        return f

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Feature) and self._wire() == other._wire()

    def SerializeToString(self, deterministic: bool = False) -> bytes:  # noqa: N802 - protobuf's name
        return _wire.encode_feature(*self._wire())

    def ParseFromString(self, serialized: bytes) -> int:  # noqa: N802
        try:
            parsed = Feature._from_wire(*_wire.decode_feature(bytes(serialized)))
        except ValueError as e:
            raise _decode_error(e) from None
        self._kind, self._lists = None, {}
        for name, msg in parsed._lists.items():
            self._attach(name, msg)
            self._set_kind(name)
        return len(serialized)

    @classmethod
    def FromString(cls, serialized: bytes) -> Feature:  # noqa: N802
        out = cls()
        out.ParseFromString(serialized)
        return out

    def _text(self, indent: str) -> str:
        if self._kind is None:
            return ""
        return f"{indent}{self._kind} {{\n{self._lists[self._kind]._text(indent + '  ')}{indent}}}\n"

    def __str__(self) -> str:
        return self._text("")

    __repr__ = __str__

"""``tf.train.BytesList``, ``FloatList``, ``Int64List`` and ``Feature``: protobuf-style messages whose
repeated ``value`` fields behave as lists; changing a list sets the ``Feature``'s oneof ``kind``."""

from __future__ import annotations

from typing import Any, Callable, Iterable, List, MutableSequence, Optional

from . import _feature_wire as _wire
from ._feature_values import bytes_values, c_escape, float_text, float_values, int_values


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
        fmt = {1: lambda v: '"' + c_escape(v) + '"', 2: float_text, 3: str}[self._kind]
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

    _convert = staticmethod(bytes_values)
    _kind = 1


class FloatList(_List):
    """``tf.train.FloatList(value=[...])``: a list of float32 values."""

    _convert = staticmethod(float_values)
    _kind = 2


class Int64List(_List):
    """``tf.train.Int64List(value=[...])``: a list of int64 values."""

    _convert = staticmethod(int_values)
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

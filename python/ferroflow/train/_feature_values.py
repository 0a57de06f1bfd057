"""The values of ``tf.train.BytesList``/``FloatList``/``Int64List`` as protobuf converts them on the way in
(bytes, float32, int64, with its errors) and writes them in its text format."""

from __future__ import annotations

import operator
from typing import Any, Iterable, List

import numpy as np


def c_escape(b: bytes) -> str:
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


def _must_iterate(values: Any) -> None:
    if not isinstance(values, Iterable):
        raise TypeError("must assign iterable")


def bytes_values(values: Iterable[Any]) -> List[bytes]:
    """protobuf's bytes conversion: str encoded as UTF-8, NumPy bytes as bytes, anything else a TypeError."""
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


def float_values(values: Iterable[Any]) -> List[float]:
    """protobuf's float conversion: real numbers rounded to float32 (as Python floats), strings refused."""
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


def int_values(values: Iterable[Any]) -> List[int]:
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


def float_text(v: float) -> str:
    """A float32 as protobuf's text format prints it: ``%.6g`` when that reads back as the same float32,
    else ``%.9g`` (``2.71828175``, ``0.9876``, ``3``, ``1e-07``)."""
    f = np.float32(v)
    if not np.isfinite(f):
        return "nan" if np.isnan(f) else ("inf" if f > 0 else "-inf")
    s = f"{float(f):.6g}"
    return s if np.float32(float(s)) == f else f"{float(f):.9g}"

"""Op attributes and tensor values as JSON for ``.meta`` files, and back.

Plain JSON values (strings, numbers, booleans, null, lists) stand for themselves; everything else is an
object with one tag: ``{"tuple": [...]}``, ``{"dict": [[key, value], ...]}``, ``{"float": "nan"}`` (and
``"inf"``, ``"-inf"``), ``{"bytes": base64}``, ``{"tensor": {dtype, shape, data}}`` (little-endian bytes in
base64; string tensors as ``strings``, one base64 item per element) and ``{"variable": index}`` (an entry
of the file's variable table). Decoding builds NumPy arrays and native tensors only: nothing is imported,
called or unpickled.
"""

from __future__ import annotations

import base64
import math
from typing import Any, Callable

import numpy as np

from ... import _core
from ...errors import DataLossError

_NUMERIC = frozenset(
    ("float32", "float64", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "bool")
)


class Unencodable(Exception):
    """An attribute value that has no JSON form (a Python function, a native graph)."""


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: Any, where: str) -> bytes:
    if not isinstance(text, str):
        raise DataLossError(f"{where}: expected base64 text, found {type(text).__name__}")
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError):
        raise DataLossError(f"{where}: malformed base64 data") from None


def encode_array(a: np.ndarray, dtype: str) -> dict:
    """A NumPy array of ferroflow dtype ``dtype`` as the ``tensor`` object."""
    shape = [int(d) for d in a.shape]
    if dtype == "string":
        return {"dtype": dtype, "shape": shape, "strings": [_b64(bytes(v)) for v in a.reshape(-1)]}
    if dtype not in _NUMERIC:
        raise Unencodable(f"a tensor of dtype {dtype}")
    a = np.ascontiguousarray(a, dtype=np.dtype(dtype).newbyteorder("<"))
    return {"dtype": dtype, "shape": shape, "data": _b64(a.tobytes())}


def encode_tensor(t: Any) -> dict:
    """A native tensor as the ``tensor`` object."""
    return encode_array(np.asarray(t.numpy()), t.dtype)


def decode_array(doc: Any, where: str) -> np.ndarray:
    if not isinstance(doc, dict) or not isinstance(doc.get("shape"), list):
        raise DataLossError(f"{where}: a tensor needs a dtype, a shape and data")
    dtype, shape = doc.get("dtype"), doc["shape"]
    if not all(isinstance(d, int) and not isinstance(d, bool) and d >= 0 for d in shape):
        raise DataLossError(f"{where}: bad tensor shape {shape}")
    size = int(np.prod(shape, dtype=np.int64))
    if dtype == "string":
        items = doc.get("strings")
        if not isinstance(items, list) or len(items) != size:
            raise DataLossError(f"{where}: a string tensor of shape {shape} needs {size} strings")
        out = np.empty(size, dtype=object)
        out[:] = [_unb64(s, where) for s in items]
        return out.reshape(shape)
    if dtype not in _NUMERIC:
        raise DataLossError(f"{where}: unknown tensor dtype {dtype!r}")
    raw = _unb64(doc.get("data"), where)
    np_dtype = np.dtype(dtype).newbyteorder("<")
    if len(raw) != size * np_dtype.itemsize:
        raise DataLossError(
            f"{where}: a {dtype} tensor of shape {shape} needs {size * np_dtype.itemsize} bytes, found {len(raw)}"
        )
    return np.frombuffer(raw, dtype=np_dtype).astype(np.dtype(dtype)).reshape(shape)


def decode_tensor(doc: Any, where: str) -> Any:
    """The native tensor of a ``tensor`` object."""
    return _core.Tensor.from_numpy(decode_array(doc, where))


def encode_value(value: Any, variable_index: Callable[[Any], int]) -> Any:
    """An attribute value as JSON; ``variable_index`` gives the table index of a native variable."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (int, np.integer)) and not isinstance(value, np.bool_):
        return int(value)
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, (float, np.floating)):
        v = float(value)
        if math.isnan(v):
            return {"float": "nan"}
        if math.isinf(v):
            return {"float": "inf" if v > 0 else "-inf"}
        return v
    if isinstance(value, bytes):
        return {"bytes": _b64(value)}
    if isinstance(value, list):
        return [encode_value(v, variable_index) for v in value]
    if isinstance(value, tuple):
        return {"tuple": [encode_value(v, variable_index) for v in value]}
    if isinstance(value, dict):
        if not all(isinstance(k, str) for k in value):
            raise Unencodable("a dict with non-string keys")
        return {"dict": [[k, encode_value(v, variable_index)] for k, v in value.items()]}
    if isinstance(value, _core.Tensor):
        return {"tensor": encode_tensor(value)}
    if isinstance(value, _core.Variable):
        return {"variable": variable_index(value)}
    if isinstance(value, np.ndarray):
        from ...framework.dtypes import as_dtype

        return {"tensor": encode_array(value, as_dtype(value.dtype).name)}
    raise Unencodable(f"a value of type {type(value).__name__}")


def decode_value(doc: Any, variables: list, where: str) -> Any:
    """The attribute value of ``doc``; ``variables`` holds the native variables of the file's table."""
    if doc is None or isinstance(doc, (bool, int, float, str)):
        return doc
    if isinstance(doc, list):
        return [decode_value(v, variables, where) for v in doc]
    if not isinstance(doc, dict) or len(doc) != 1:
        raise DataLossError(f"{where}: malformed attribute value {str(doc)[:80]}")
    ((tag, body),) = doc.items()
    if tag == "tuple" and isinstance(body, list):
        return tuple(decode_value(v, variables, where) for v in body)
    if tag == "dict" and isinstance(body, list):
        out = {}
        for item in body:
            if not (isinstance(item, list) and len(item) == 2 and isinstance(item[0], str)):
                raise DataLossError(f"{where}: malformed dict attribute")
            out[item[0]] = decode_value(item[1], variables, where)
        return out
    if tag == "float" and body in ("nan", "inf", "-inf"):
        return float(body)
    if tag == "bytes":
        return _unb64(body, where)
    if tag == "tensor":
        return decode_tensor(body, where)
    if tag == "variable":
        if not isinstance(body, int) or isinstance(body, bool) or not 0 <= body < len(variables):
            raise DataLossError(f"{where}: variable index {body!r} is not in the file's variable table")
        return variables[body]
    raise DataLossError(f"{where}: unknown attribute tag {tag!r}")


def snapshot(value: np.ndarray) -> tuple:
    """A variable's value kept as its initial value in a ``.meta`` file: ``("fill", scalar)`` when every element
    is the same (optimizer slots start so), else ``("array", copy)``."""
    a = np.asarray(value)
    if a.size and a.dtype != object and bool(np.all(a == a.reshape(-1)[0])):
        return ("fill", a.reshape(-1)[0].item())
    return ("array", a.copy())

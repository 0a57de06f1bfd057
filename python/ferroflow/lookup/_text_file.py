"""Reading a table's pairs from a text file, line by line, with TensorFlow's rules and messages.

One pair per line. A key or value is the line number (``LINE_NUMBER``, -1, plus ``value_index_offset``), the
whole line (``WHOLE_LINE``, -2), or column ``i`` of the line split at every ``delimiter`` (empty columns count).
A trailing ``\\r\\n`` or ``\\n`` ends a line; an empty line is an error, as is a field that does not parse as the
dtype. With ``vocab_size``, only the first ``vocab_size`` lines are read, and the file must have that many.
"""

from __future__ import annotations

import re
from typing import Any, List, Optional, Tuple

import numpy as np

from ..errors import InvalidArgumentError, NotFoundError, OutOfRangeError
from ..framework.dtypes import DType

LINE_NUMBER = -1
WHOLE_LINE = -2
_INTEGER = re.compile(rb"\s*[+-]?\d+\s*")
_RANGES = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}
_FLOAT_NAMES = {"float32": "float", "float64": "double"}


def _lines(filename: str, vocab_size: Optional[int]) -> List[bytes]:
    try:
        with open(filename, "rb") as f:
            data = f.read()
    except FileNotFoundError as e:
        raise NotFoundError(f"{filename}; No such file or directory") from e
    if not data:
        raise OutOfRangeError("Read less bytes than requested")
    lines, start = [], 0
    while start < len(data) and (vocab_size is None or len(lines) < vocab_size):
        end = data.find(b"\n", start)
        stop = len(data) if end < 0 else end + 1
        line = data[start:end] if end >= 0 else data[start:]
        if line.endswith(b"\r") and end >= 0:
            line = line[:-1]
        if not line:
            raise InvalidArgumentError(f"Invalid content in {filename}: empty line found at position {stop}.")
        lines.append(line)
        start = stop
    if vocab_size is not None and len(lines) < vocab_size:
        raise InvalidArgumentError(f"Invalid vocab_size in {filename}: expected {vocab_size} but got {len(lines)}")
    return lines


def _parse(field: bytes, dtype: DType, line: int) -> Any:
    name = dtype.name
    if name == "string":
        return field
    if name in _RANGES:
        low, high = _RANGES[name]
        if _INTEGER.fullmatch(field) and low <= int(field) <= high:
            return int(field)
        raise InvalidArgumentError(f"Field {field.decode('utf-8', 'replace')} in line {line} is not a valid {name}.")
    if name in _FLOAT_NAMES:
        text = field.decode("utf-8", "replace").strip()
        try:
            if "_" in text:
                raise ValueError(text)
            try:
                return float(text)
            except ValueError:
                return float.fromhex(text)  # C's strtod reads hexadecimal floats too
        except (ValueError, OverflowError):
            raise InvalidArgumentError(f"Field {text} in line {line} is not a valid {_FLOAT_NAMES[name]}.") from None
    raise InvalidArgumentError(f"Data type {'bool' if name == 'bool' else name} not supported.")


def _column(line: bytes, tokens: Optional[list], i: int, index: int, offset: int, dtype: DType) -> Any:
    if index == LINE_NUMBER:
        return i + offset
    if index == WHOLE_LINE:
        return _parse(line, dtype, i)
    return _parse(tokens[index], dtype, i)


def read_pairs(
    filename: str,
    key_index: int,
    value_index: int,
    key_dtype: DType,
    value_dtype: DType,
    vocab_size: Optional[int],
    delimiter: str,
    offset: int,
) -> Tuple[np.ndarray, np.ndarray]:
    """The keys and values the file gives, as arrays of the two dtypes (strings as ``bytes``)."""
    sep = delimiter.encode("utf-8") if isinstance(delimiter, str) else bytes(delimiter)
    if len(sep) != 1:
        raise InvalidArgumentError("delimiter should be only 1 char")
    columns = max(key_index, value_index) + 1
    keys, values = [], []
    for i, line in enumerate(_lines(filename, vocab_size)):
        tokens = line.split(sep) if columns > 0 else None
        if tokens is not None and len(tokens) < columns:
            raise InvalidArgumentError(
                f"Invalid number of columns in {filename} line {i} ({line.decode('utf-8', 'replace')}) : "
                f"expected at least {columns} got {len(tokens)}"
            )
        keys.append(_column(line, tokens, i, key_index, offset, key_dtype))
        values.append(_column(line, tokens, i, value_index, offset, value_dtype))
    return _array(keys, key_dtype), _array(values, value_dtype)


def _array(items: list, dtype: DType) -> np.ndarray:
    if dtype.name == "string":
        out = np.empty(len(items), dtype=object)
        out[:] = items
        return out
    with np.errstate(over="ignore"):  # a float beyond float32's range is inf, as strtof gives
        return np.asarray(items, dtype=dtype.as_numpy_dtype).reshape(len(items))

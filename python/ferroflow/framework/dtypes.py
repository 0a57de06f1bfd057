"""Element types with TensorFlow's names (``ferroflow.float32`` ...), convertible to and from NumPy."""

from __future__ import annotations

from typing import Any

import numpy as np


class DType:
    """An element type. Compares equal to its name, to NumPy dtypes and to other ``DType`` objects."""

    __slots__ = ("name", "as_numpy_dtype")

    def __init__(self, name: str) -> None:
        self.name = name
        self.as_numpy_dtype = np.dtype(name).type

    @property
    def is_floating(self) -> bool:
        return self.name in ("float32", "float64")

    @property
    def is_integer(self) -> bool:
        return self.name in ("int32", "int64")

    @property
    def is_bool(self) -> bool:
        return self.name == "bool"

    @property
    def base_dtype(self) -> DType:
        return self

    def __eq__(self, other: object) -> bool:
        try:
            return self.name == as_dtype(other).name  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return False

    def __hash__(self) -> int:
        return hash(self.name)

    def __repr__(self) -> str:
        return f"tf.{self.name}"

    def __str__(self) -> str:
        return f"<dtype: {self.name!r}>"

    def __reduce__(self) -> tuple:
        return (as_dtype, (self.name,))


float32 = DType("float32")
float64 = DType("float64")
int32 = DType("int32")
int64 = DType("int64")
bool_ = DType("bool")
double = float64

_BY_NAME = {d.name: d for d in (float32, float64, int32, int64, bool_)}
# NumPy types the core does not hold are widened to the nearest one it does.
_WIDEN = {
    "float16": "float32",
    "uint8": "int32",
    "int8": "int32",
    "int16": "int32",
    "uint16": "int32",
    "uint32": "int64",
    "uint64": "int64",
}


def as_dtype(value: Any) -> DType:
    """Resolves a ``DType``, a name, a NumPy dtype or a Python type to a supported ``DType``."""
    if isinstance(value, DType):
        return value
    if value is float:
        return float32
    if value is int:
        return int32
    if value is bool:
        return bool_
    try:
        name = np.dtype(value).name
    except TypeError:
        raise TypeError(f"cannot interpret {value!r} as a dtype") from None
    name = _WIDEN.get(name, name)
    if name not in _BY_NAME:
        raise TypeError(
            f"unsupported dtype {value!r}; expected one of float32, float64, int32, int64, bool"
        )
    return _BY_NAME[name]

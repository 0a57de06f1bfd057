"""Element types with TensorFlow's names (``ferroflow.float32`` ...), convertible to and from NumPy."""

from __future__ import annotations

from typing import Any

import numpy as np

_INTEGERS = ("int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64")


class DType:
    """An element type. Compares equal to its name, to NumPy dtypes and to other ``DType`` objects."""

    __slots__ = ("name", "as_numpy_dtype")

    def __init__(self, name: str) -> None:
        self.name = name
        if name != "bfloat16":  # NumPy has no bfloat16: see __getattr__
            # TensorFlow strings come back from NumPy as object arrays of bytes.
            self.as_numpy_dtype = np.object_ if name == "string" else np.dtype(name).type

    def __getattr__(self, attribute: str) -> Any:
        # Only reached for the unset slot of bfloat16: its NumPy type, ml_dtypes.bfloat16, imported when asked for.
        if attribute == "as_numpy_dtype" and self.name == "bfloat16":
            return _ml_dtypes().bfloat16
        raise AttributeError(f"'DType' object has no attribute '{attribute}'")

    @property
    def is_floating(self) -> bool:
        return self.name in ("float16", "bfloat16", "float32", "float64")

    @property
    def is_integer(self) -> bool:
        return self.name in _INTEGERS

    @property
    def is_unsigned(self) -> bool:
        return self.name.startswith("uint")

    @property
    def is_bool(self) -> bool:
        return self.name == "bool"

    @property
    def is_numeric(self) -> bool:
        return self.is_floating or self.is_integer or self.is_complex

    @property
    def is_complex(self) -> bool:
        return self.name in ("complex64", "complex128")

    @property
    def is_quantized(self) -> bool:
        return False

    @property
    def base_dtype(self) -> DType:
        return self

    @property
    def real_dtype(self) -> DType:
        """The dtype of a complex dtype's parts (``complex64`` -> ``float32``); other dtypes are their own."""
        return _BY_NAME[{"complex64": "float32", "complex128": "float64"}.get(self.name, self.name)]

    @property
    def size(self) -> int:
        """Bytes per element (a string element counts as one pointer-and-length slot, as in TensorFlow)."""
        if self.name in ("string", "bfloat16"):
            return 8 if self.name == "string" else 2
        return np.dtype(self.as_numpy_dtype).itemsize

    @property
    def min(self) -> Any:
        return self._limits()[0]

    @property
    def max(self) -> Any:
        return self._limits()[1]

    def _limits(self) -> tuple:
        if self.name == "bfloat16":
            info = _ml_dtypes().finfo(self.as_numpy_dtype)
            return float(info.min), float(info.max)
        if self.is_floating:
            info = np.finfo(self.as_numpy_dtype)
            return float(info.min), float(info.max)
        if self.is_integer:
            iinfo = np.iinfo(self.as_numpy_dtype)
            return int(iinfo.min), int(iinfo.max)
        if self.is_bool:
            return False, True
        raise TypeError(f"Cannot find minimum/maximum value for {self!r}")

    def is_compatible_with(self, other: Any) -> bool:
        return self == other

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
uint8 = DType("uint8")
int8 = DType("int8")
int16 = DType("int16")
uint16 = DType("uint16")
uint32 = DType("uint32")
uint64 = DType("uint64")
string = DType("string")
complex64 = DType("complex64")
complex128 = DType("complex128")


def _ml_dtypes() -> Any:
    """The ml_dtypes package, which gives NumPy its bfloat16 (as TensorFlow uses it), imported when needed."""
    try:
        import ml_dtypes
    except ImportError:
        raise ImportError(
            "NumPy has no bfloat16: bfloat16 values in NumPy need the ml_dtypes package (pip install ml_dtypes), "
            "as in TensorFlow; bfloat16 tensors themselves work without it"
        ) from None
    return ml_dtypes


float16 = DType("float16")
bfloat16 = DType("bfloat16")
double = float64
half = float16

_BY_NAME = {
    d.name: d
    for d in (
        float32,
        float64,
        int32,
        int64,
        bool_,
        uint8,
        int8,
        int16,
        uint16,
        uint32,
        uint64,
        string,
        complex64,
        complex128,
        float16,
        bfloat16,
    )
}


_ENUM_NAMES = {
    1: "float32",
    2: "float64",
    3: "int32",
    4: "uint8",
    5: "int16",
    6: "int8",
    7: "string",
    8: "complex64",
    9: "int64",
    10: "bool",
    14: "bfloat16",
    17: "uint16",
    18: "complex128",
    19: "float16",
    22: "uint32",
    23: "uint64",
}


def as_dtype(value: Any) -> DType:
    """Resolves a ``DType``, a name, a NumPy dtype or a Python type to a supported ``DType``."""
    if isinstance(value, DType):
        return value
    if isinstance(value, str) and value in _BY_NAME:
        return _BY_NAME[value]
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        # TensorFlow's DataType enum numbers (types.proto), as tf.as_dtype takes them: tf.zeros(1, 1) is float32
        name = _ENUM_NAMES.get(int(value))
        if name is None:
            raise TypeError(f"Cannot convert the argument `type_value`: {value!r} to a TensorFlow DType.")
        return _BY_NAME[name]
    if value is float:
        return float32
    if value is int:
        return int32
    if value is bool:
        return bool_
    if value is complex:
        return complex128
    if any(value is t for t in (str, bytes, object, np.object_)) or (isinstance(value, str) and value == "string"):
        return string
    try:
        dt = np.dtype(value)
    except TypeError:
        raise TypeError(f"cannot interpret {value!r} as a dtype") from None
    if dt.kind in "OSU":
        return string
    name = dt.name
    if name not in _BY_NAME:
        raise TypeError(f"unsupported dtype {value!r}; expected one of {', '.join(_BY_NAME)}")
    return _BY_NAME[name]

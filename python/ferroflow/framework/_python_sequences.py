"""TensorFlow's conversion rules for Python scalars and nested lists: the dtype inferred from the first scalar,
the element types each dtype's converter accepts, and its mixed-type and out-of-range errors."""

from __future__ import annotations

from typing import Any, Iterator, Optional

import numpy as np

from .dtypes import DType, as_dtype

OUT_OF_RANGE_FLOAT = "Can't convert Python sequence with a value out of range for a double-precision float."
OUT_OF_RANGE_INT = "Can't convert Python sequence with out-of-range integer to Tensor."
MIXED_TYPES = "Can't convert Python sequence with mixed types to Tensor."

_INT32_MIN, _INT32_MAX = -(2**31), 2**31 - 1
_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1
_DOUBLE_SAFE = 2**1023  # Python ints below this always convert to a double

# Scalar kinds: "pb" Python bool, "nb" NumPy bool, "i" int, "f"/"f64"/"f16" float (NumPy float64 and float16
# apart), "c" complex, "s" string, "none" None, "?" anything else (left to NumPy).
# Element kinds accepted by TensorFlow's converter for each requested dtype that has one.
_ACCEPTS = {
    "float16": {"pb", "i", "f", "f64", "f16"},
    "float32": {"pb", "i", "f", "f64", "f16"},
    "float64": {"pb", "i", "f", "f64", "f16"},
    "int32": {"pb", "i"},
    "int64": {"pb", "i"},
    "uint64": {"pb", "i"},
    "complex128": {"pb", "i", "f", "f64", "f16", "c"},
    "bool": {"pb", "nb"},
    "string": {"s"},
}
_ARRAY_KINDS = {"b": "nb", "c": "c", "U": "s", "S": "s"}
# TensorFlow's names for dtypes in its messages.
_TF_NAMES = {"float32": "float", "float64": "double", "float16": "half"}


def _kind(v: Any) -> str:
    if isinstance(v, bool):
        return "pb"
    if isinstance(v, np.bool_):
        return "nb"
    if isinstance(v, (int, np.integer)):
        return "i"
    if isinstance(v, np.floating):
        return {"float64": "f64", "float16": "f16"}.get(v.dtype.name, "f")
    if isinstance(v, float):
        return "f"
    if isinstance(v, (complex, np.complexfloating)):
        return "c"
    if isinstance(v, (str, bytes, np.str_, np.bytes_)):
        return "s"
    return "none" if v is None else "?"


_PY_KINDS = {float: "f", int: "i", bool: "pb", complex: "c", str: "s", bytes: "s"}


def _items(value: Any) -> Iterator[tuple]:
    """(kind, low, high, size) in order for each scalar, each nested NumPy array and each innermost list of
    one Python type (summarised at C speed): ``low``/``high`` bound ints, ``high`` is the largest finite
    float magnitude and ``size`` the floats' width in bytes."""
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, (list, tuple)):
            types = set(map(type, v))
            kind = _PY_KINDS.get(types.pop()) if len(types) == 1 else None
            if kind is None:
                stack.extend(reversed(v))
            elif kind == "i":
                yield kind, min(v), max(v), 0
            elif kind == "f":
                yield kind, 0, _finite_max(np.asarray(v, np.float64)), 8
            else:
                yield kind, 0, 0, 0
        elif isinstance(v, np.ndarray):
            if v.ndim == 0:
                stack.append(v[()])
            elif v.dtype.kind == "O":
                stack.extend(reversed(list(v)))
            elif v.size:
                yield _array_item(v)
        else:
            yield _scalar_item(v)


def _finite_max(arr: np.ndarray) -> float:
    finite = np.abs(arr[np.isfinite(arr)])
    return float(finite.max()) if finite.size else 0.0


def _array_item(arr: np.ndarray) -> tuple:
    kind = arr.dtype.kind
    if kind in "iu":
        return "i", int(arr.min()), int(arr.max()), 0
    if kind == "f":
        return _kind(arr.flat[0]), 0, _finite_max(arr), arr.dtype.itemsize
    return _ARRAY_KINDS.get(kind, "?"), 0, 0, 0


def _scalar_item(v: Any) -> tuple:
    kind = _kind(v)
    if kind in ("i", "pb"):
        return kind, int(v), int(v), 0
    if kind in ("f", "f64", "f16"):
        a = abs(float(v))
        return kind, 0, a if a != float("inf") else 0.0, v.dtype.itemsize if isinstance(v, np.floating) else 8
    return kind, 0, 0, 0


def _first_kind(value: Any) -> Optional[str]:
    """The kind of the first scalar, as TensorFlow samples it (None for no scalar at all)."""
    for item in _items(value):
        return item[0]
    return None


def infer_dtype(value: Any, _floats_wide: bool = False) -> Optional[DType]:
    """TensorFlow's dtype for a Python scalar or nested list given none, or None when NumPy decides (NumPy
    values at the top, or objects TensorFlow's sequence converter does not take).

    The first scalar picks the converter: ints int32 (int64 when one needs it), bools bool, complex
    complex128, strings string, NumPy float64 float64, NumPy float16 float16, any other float float32. Ints
    that meet a float switch to float32. Elements the converter does not take raise its mixed-types
    ValueError; ints beyond int64 its out-of-range one; floats too large for a narrower float dtype its
    double-precision one (ints converted to floats become inf instead). ``_floats_wide`` converts floats
    to float64, as TensorFlow does after a requested dtype's converter refused the values."""
    if isinstance(value, (np.ndarray, np.generic)):
        return None
    first = _first_kind(value)
    if first is None:
        return as_dtype("float32") if isinstance(value, (list, tuple)) else None
    if first == "i":
        return _int_dtype(value, "float64" if _floats_wide else "float32")
    if first == "none":
        raise ValueError("Attempt to convert a value (None) with an unsupported type (<class 'NoneType'>) to a Tensor.")
    if first in ("f", "f64", "f16"):
        name = "float64" if _floats_wide else {"f": "float32", "f64": "float64", "f16": "float16"}[first]
        return _float_dtype(value, name)
    modes = {"pb": "bool", "nb": "bool", "c": "complex128", "s": "string"}
    if first not in modes:
        return None
    name = modes[first]
    for kind, *_ in _items(value):
        if kind == "?":
            return None
        if kind not in _ACCEPTS[name]:
            raise ValueError(MIXED_TYPES)
    return as_dtype(name)


def _int_dtype(value: Any, float_name: str) -> Optional[DType]:
    wide = False
    for kind, lo, hi, _ in _items(value):
        if kind in ("i", "pb"):
            if not _INT32_MIN <= lo <= hi <= _INT32_MAX:
                if not _INT64_MIN <= lo <= hi <= _INT64_MAX:
                    raise ValueError(OUT_OF_RANGE_INT)
                wide = True
        elif kind in ("f", "f64", "f16"):
            return _float_dtype(value, float_name)
        elif kind == "?":
            return None
        else:
            raise ValueError(MIXED_TYPES)
    return as_dtype("int64" if wide else "int32")


def _beyond_double(lo: int, hi: int) -> bool:
    if -_DOUBLE_SAFE < lo and hi < _DOUBLE_SAFE:
        return False
    try:
        float(lo), float(hi)
    except OverflowError:
        return True
    return False


def _float_dtype(value: Any, name: str) -> Optional[DType]:
    """``name``, once every element is a number a float converter takes and no float overflows it."""
    target = np.dtype(name)
    biggest = 0.0  # the largest finite float magnitude that is wider than the target
    for kind, lo, hi, size in _items(value):
        if kind in ("f", "f64", "f16"):
            if size > target.itemsize:
                biggest = max(biggest, hi)
        elif kind == "i":
            if _beyond_double(lo, hi):
                raise ValueError(OUT_OF_RANGE_FLOAT)
        elif kind == "?":
            return None
        elif kind != "pb":
            raise ValueError(MIXED_TYPES)
    if biggest > float(np.finfo(target).max):
        with np.errstate(over="ignore"):
            if np.isinf(np.asarray(biggest, target)):
                raise ValueError(OUT_OF_RANGE_FLOAT)
    return as_dtype(name)


def check_requested(value: Any, want: DType) -> None:
    """A Python value given an explicit dtype: taken when that dtype's converter accepts every element, else
    converted by inference and refused (TensorFlow's TypeError) when the inferred dtype cannot be cast to
    ``want``: floats to ints or bools, numbers to strings, complex to reals, ints to bools."""
    if isinstance(value, (np.ndarray, np.generic)):
        return
    accepts = _ACCEPTS.get(want.name)
    if accepts is not None and _all_accepted(value, accepts, want):
        return
    # Converted again as if given no dtype, except that floats go to float64 (``[1.0, 1e300]`` to int32 is a
    # TypeError, not the float32 range error); mixed types still raise.
    inferred = infer_dtype(value, _floats_wide=True)
    if inferred is None or _compatible(want, inferred):
        return
    raise TypeError(f"Cannot convert {value!r} to EagerTensor of dtype {_TF_NAMES.get(want.name, want.name)}")


def _all_accepted(value: Any, accepts: set, want: DType) -> bool:
    unsigned = want.name == "uint64"
    for kind, lo, hi, _ in _items(value):
        if kind == "?":
            return True
        if kind not in accepts:
            return False
        if kind == "i" and want.is_integer:
            if lo < (0 if unsigned else _INT64_MIN) or hi > (2**64 - 1 if unsigned else _INT64_MAX):
                return False
        elif kind == "i" and _beyond_double(lo, hi):
            return False
    return True


def _compatible(want: DType, inferred: DType) -> bool:
    """TensorFlow's casts after inference: ints to any int or float, floats to floats, numbers to complex."""
    if want == inferred:
        return True
    if inferred.is_integer:
        return want.is_integer or want.is_floating or want.is_complex or want.is_quantized
    if inferred.is_floating:
        return want.is_floating or want.is_complex
    return inferred.is_complex and want.is_complex

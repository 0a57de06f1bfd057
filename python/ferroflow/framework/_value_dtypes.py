"""The dtype TensorFlow infers for Python values given no dtype, and its range checks on the way to it."""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from .dtypes import DType, as_dtype

# TensorFlow's messages (a ValueError each) for Python values its inferred dtype cannot hold.
OUT_OF_RANGE_FLOAT = "Can't convert Python sequence with a value out of range for a double-precision float."
OUT_OF_RANGE_INT = "Can't convert Python sequence with out-of-range integer to Tensor."

_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1
_ARRAY_KINDS = {"b": "b", "i": "i", "u": "i", "f": "f", "c": "c"}


def python_default_dtype(value: Any) -> Optional[DType]:
    """TensorFlow's dtype for a Python value (a scalar or nested lists) given none: ints -> int32, bools ->
    bool, complex -> complex128, strings -> string; with any float, the first scalar (found by following
    first elements, as TensorFlow samples it) decides: a NumPy float64 keeps float64, a NumPy float16 float16,
    anything else float32 (``[1.5, np.float64(1)]`` is float32, ``[np.float64(1), 1.5]`` float64). Python ints
    beyond int64 raise TensorFlow's ValueError unless a float makes the result floating.

    None (NumPy's own dtype) for NumPy arrays and scalars, and for lists of NumPy values with no float among
    them: ``[np.int64(1), 2]`` stays int64, where TensorFlow gives int32."""
    if isinstance(value, (np.ndarray, np.generic)):
        return None
    kinds = set()
    numpy_seen = too_big = False
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, (list, tuple)):
            stack.extend(v)
            continue
        if isinstance(v, np.ndarray):  # nested arrays count by their elements' kind
            if v.dtype.kind not in _ARRAY_KINDS:
                return None
            kinds.add(_ARRAY_KINDS[v.dtype.kind])
        elif isinstance(v, (bool, np.bool_)):
            kinds.add("b")
        elif isinstance(v, (str, bytes)):
            kinds.add("s")
        elif isinstance(v, (int, np.integer)):
            kinds.add("i")
            too_big = too_big or (isinstance(v, int) and not _INT64_MIN <= v <= _INT64_MAX)
        elif isinstance(v, (float, np.floating)):
            kinds.add("f")
        elif isinstance(v, (complex, np.complexfloating)):
            kinds.add("c")
        else:
            return None
        numpy_seen = numpy_seen or isinstance(v, (np.ndarray, np.generic))
    if "s" in kinds or "c" in kinds:
        if numpy_seen:
            return None
        return as_dtype("string" if "s" in kinds else "complex128")
    if "f" in kinds:
        return as_dtype(_first_float_name(value))
    if too_big:
        raise ValueError(OUT_OF_RANGE_INT)
    if numpy_seen:
        return None
    if "i" in kinds:
        return as_dtype("int32")
    if "b" in kinds:
        return as_dtype("bool")
    # An empty list: float32, as TensorFlow's default.
    return as_dtype("float32") if isinstance(value, (list, tuple)) else None


def _first_float_name(value: Any) -> str:
    """float64 or float16 when the first scalar is a NumPy float of that type, else float32."""
    while True:
        if isinstance(value, (list, tuple)):
            if not value:
                return "float32"
            value = value[0]
        elif isinstance(value, np.ndarray):
            if value.size == 0:
                return "float32"
            value = value.flat[0]
        else:
            break
    if isinstance(value, np.floating) and value.dtype.name in ("float64", "float16"):
        return value.dtype.name
    return "float32"


def check_float_range(arr: np.ndarray, want: DType) -> None:
    """An inferred float dtype narrower than the values (``tf.constant(1e300)``, ``[1e300, np.float32(1)]``):
    TensorFlow refuses finite values it cannot hold rather than storing inf. An explicit dtype gives inf."""
    target = np.dtype(want.as_numpy_dtype)
    if arr.dtype.kind != "f" or target.kind != "f" or arr.dtype.itemsize <= target.itemsize or arr.size == 0:
        return
    with np.errstate(over="ignore"):
        overflows = np.isfinite(arr) & np.isinf(arr.astype(target))
    if overflows.any():
        raise ValueError(OUT_OF_RANGE_FLOAT)


def floats_fit_integer(arr: np.ndarray, want: DType) -> bool:
    """Whether float values are whole numbers the integer dtype ``want`` holds; TensorFlow refuses others
    (``tf.constant(1e300, tf.int32)``) rather than wrapping them."""
    if arr.size == 0:
        return True
    if not np.isfinite(arr).all() or (np.floor(arr) != arr).any():
        return False
    info = np.iinfo(want.as_numpy_dtype)
    return info.min <= float(arr.min()) and float(arr.max()) <= info.max


def check_python_ints(value: Any, arr: np.ndarray, want: Optional[DType]) -> None:
    """Python ints beyond int64 for an int dtype other than uint64 (``tf.constant(2**63, tf.int64)``):
    TensorFlow's ValueError. Only looked for when NumPy made the values uint64 or objects."""
    if arr.dtype != np.uint64 and arr.dtype != object:
        return
    if isinstance(value, (np.ndarray, np.generic)) or arr.size == 0:
        return
    if want is not None and (not want.is_integer or want.name == "uint64"):
        return
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, (list, tuple)):
            stack.extend(v)
        elif isinstance(v, int) and not isinstance(v, bool) and not _INT64_MIN <= v <= _INT64_MAX:
            raise ValueError(OUT_OF_RANGE_INT)


def integer_range_checked(arr: np.ndarray, want: DType, inferred: bool) -> DType:
    """``want``, or int64 for inferred Python ints beyond int32 (as TensorFlow does); never a silent wrap."""
    target = np.dtype(want.as_numpy_dtype)
    if arr.dtype.kind not in "iu" or target.kind not in "iu" or arr.dtype == target or arr.size == 0:
        return want
    info = np.iinfo(target)
    lo, hi = int(arr.min()), int(arr.max())
    if info.min <= lo and hi <= info.max:
        return want
    if inferred and target == np.int32:
        if _INT64_MIN <= lo and hi <= _INT64_MAX:
            return as_dtype("int64")
        raise ValueError(OUT_OF_RANGE_INT)
    raise ValueError(
        f"cannot convert integer values in [{lo}, {hi}] to a tensor of dtype {want.name}: "
        f"expected values in [{info.min}, {info.max}]"
    )

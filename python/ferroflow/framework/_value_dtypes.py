"""Range checks TensorFlow makes converting Python and NumPy values to an integer dtype."""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from ._python_sequences import OUT_OF_RANGE_INT
from .dtypes import DType, as_dtype

_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1


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

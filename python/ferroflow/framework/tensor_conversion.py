"""``convert_to_tensor``: Python, NumPy and registered values as eager tensors of TensorFlow's dtypes."""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from .. import _core
from . import graph_constants
from ._python_sequences import OUT_OF_RANGE_FLOAT, OUT_OF_RANGE_INT, check_requested
from ._python_sequences import infer_dtype as _python_default_dtype
from ._value_dtypes import check_python_ints, floats_fit_integer, integer_range_checked
from .dtypes import DType, as_dtype
from .tensor import EagerTensor, Tensor
from .tensor_shape import TensorShape

# (base type, function, priority) from ``register_tensor_conversion_function``, lowest priority first.
CONVERSION_FUNCTIONS: list = []


def _converted(value: Any, dtype: Any, name: Any) -> Any:
    """The tensor a non-tensor object converts itself to (``__tf_tensor__``, or a registered conversion
    function), or None for the values convert_to_tensor handles itself."""
    if isinstance(value, (np.ndarray, np.generic, int, float, bool, str, bytes, list, tuple)) or value is None:
        return None
    method = getattr(type(value), "__tf_tensor__", None)
    if method is not None:
        return method(value, dtype, name)
    for base, function, _ in CONVERSION_FUNCTIONS:
        if isinstance(value, base):
            result = function(value, dtype=dtype, name=name, as_ref=False)
            if result is not NotImplemented:
                return result
    return None


def _shape_dims(shape: TensorShape, want: Optional[DType], dtype_hint: Any) -> tuple:
    """A fully known ``TensorShape`` as its list of dimensions (an int32 vector, int64 for larger ones), and
    the dtype hint still worth trying: a shape converts only to int32 or int64, as in TensorFlow."""
    if not shape.is_fully_defined():
        raise ValueError(f"Cannot convert a partially known TensorShape {shape} to a Tensor.")
    if want is not None and want.name not in ("int32", "int64"):
        raise TypeError(
            f"Cannot convert TensorShape {shape} to dtype {want}. Allowed dtypes are tf.int32 and tf.int64."
        )
    if dtype_hint is not None and as_dtype(dtype_hint).name not in ("int32", "int64"):
        dtype_hint = None
    return shape.as_list(), dtype_hint


def convert_to_tensor(value: Any, dtype: Any = None, dtype_hint: Any = None, name: Any = None) -> Tensor:
    """``tf.convert_to_tensor``: tensors pass through (dtype checked), other values become constants."""
    from .graph import SymbolicTensor
    from .variables import Variable

    want = as_dtype(dtype) if dtype is not None else None
    if isinstance(value, Variable):
        value = value.value()
    if isinstance(value, (EagerTensor, SymbolicTensor)):
        if want is not None and value.dtype != want:
            raise TypeError(
                f"expected a tensor of dtype {want.name}, received a tensor of dtype "
                f"{value.dtype.name}; use ferroflow.cast to convert it"
            )
        return value
    if isinstance(value, TensorShape):
        value, dtype_hint = _shape_dims(value, want, dtype_hint)
    converted = _converted(value, want, name)
    if converted is not None:
        return convert_to_tensor(converted, dtype=dtype, name=name)
    if isinstance(value, (list, tuple)) and value and graph_constants.holds_graph_tensor(value):
        return graph_constants.pack(value, want)
    if want is None and dtype_hint is not None and not isinstance(value, np.ndarray):
        # TensorFlow tries the hint first and falls back to the value's own dtype when it does not fit.
        try:
            return convert_to_tensor(value, dtype=dtype_hint, name=name)
        except (TypeError, ValueError, OverflowError):
            pass
    inferred = want is None
    if inferred:
        want = _python_default_dtype(value)
    elif isinstance(value, (np.ndarray, np.generic)):
        if value.dtype.kind == "c" and (want.is_integer or want.is_bool or want.is_floating):
            value = np.asarray(value).real  # NumPy values cast as TensorFlow casts them
        if value.dtype.kind == "f" and (want.is_integer or want.is_bool):
            with np.errstate(invalid="ignore"):  # truncated toward zero
                value = np.asarray(value).astype(want.as_numpy_dtype)
    else:
        check_requested(value, want)
    arr = as_array(value, want)
    if arr.dtype == object and want is not None and (want.is_floating or want.is_complex):
        arr = _wide_numbers(value, want, inferred)
    elif inferred and want is not None and want.is_integer and arr.dtype.kind == "f":
        arr = np.array(value, dtype=np.int64)  # NumPy promotes uint64 with signed ints to float64
    check_python_ints(value, arr, want)
    if arr.dtype.name == "bfloat16" or (want is not None and want.name == "bfloat16"):
        return _bfloat16_tensor(value, arr)
    if arr.dtype == object or arr.dtype.kind in "USV" or (want is not None and want.name == "string"):
        return _string_tensor(value, arr, want)
    if want is None:
        want = as_dtype(arr.dtype)
    elif arr.dtype.kind == "c" and not want.is_complex:
        raise TypeError(f"cannot convert {value!r} to a tensor of dtype {want.name}: the values are complex")
    elif arr.dtype.kind == "f" and want.is_integer and not floats_fit_integer(arr, want):
        raise TypeError(f"Cannot convert {value!r} to EagerTensor of dtype {want.name}")
    want = integer_range_checked(arr, want, dtype is None)
    arr = narrowed(arr, want.as_numpy_dtype)
    return EagerTensor(_core.Tensor.from_numpy(arr))


def _wide_numbers(value: Any, want: DType, inferred: bool) -> np.ndarray:
    """Python ints beyond int64 among values becoming floats: through float64 (inf in a narrower dtype);
    beyond float64 TensorFlow's out-of-range ValueError."""
    try:
        return np.array(value, dtype=np.complex128 if want.is_complex else np.float64)
    except OverflowError:
        raise ValueError(OUT_OF_RANGE_FLOAT if inferred else OUT_OF_RANGE_INT) from None


def narrowed(arr: np.ndarray, np_dtype: Any) -> np.ndarray:
    """``arr`` as ``np_dtype``, C-ordered. Floats too large for a narrower float type become +-inf without
    NumPy's overflow RuntimeWarning, as TensorFlow converts them (``tf.constant(70000.0, tf.float16)`` is inf)."""
    if arr.dtype.kind == "f" and np.dtype(np_dtype).itemsize <= arr.dtype.itemsize:
        with np.errstate(over="ignore"):
            return np.asarray(arr, dtype=np_dtype, order="C")
    return np.asarray(arr, dtype=np_dtype, order="C")


def as_array(value: Any, want: Optional[DType] = None) -> np.ndarray:
    """``value`` as a NumPy array; Python strings (str and bytes, mixed) become an object array."""
    try:
        if want is not None and want.name == "string" and not isinstance(value, np.ndarray):
            return np.array(value, dtype=object)
        return np.asarray(value)
    except ValueError:
        # NumPy's "inhomogeneous shape": rows of different lengths (a RaggedTensor's job), or str and
        # non-UTF-8 bytes mixed in one list.
        if want is None and _python_default_dtype(value) == "string":
            return as_array(value, as_dtype("string"))
        raise ValueError("Can't convert non-rectangular Python sequence to Tensor.") from None
    except TypeError as e:
        raise TypeError(f"cannot convert {type(value).__name__} to a tensor: {e}") from None


def _bfloat16_tensor(value: Any, arr: np.ndarray) -> Tensor:
    """A ``tf.bfloat16`` tensor: ``ml_dtypes.bfloat16`` arrays as they are; numbers through float32 and the
    core's round-to-nearest-even cast, so that NumPy (which has no bfloat16) needs no ml_dtypes for them."""
    if arr.dtype.name == "bfloat16":
        return EagerTensor(_core.Tensor.from_numpy(np.ascontiguousarray(arr)))
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"cannot convert {value!r} to a tensor of dtype bfloat16")
    wide = EagerTensor(_core.Tensor.from_numpy(narrowed(arr, np.float32)))
    from .ops import apply  # ops imports this module

    return apply("cast", [wide], {"dtype": "bfloat16"})


def _string_tensor(value: Any, arr: np.ndarray, want: Any) -> Tensor:
    """A ``tf.string`` tensor from bytes/str values (str is stored as UTF-8), or TensorFlow's TypeError."""
    is_text = arr.dtype.kind in "SU" or (
        arr.dtype == object and all(isinstance(v, (bytes, str)) for v in arr.reshape(-1))
    )
    if want is not None and want.name != "string":
        raise TypeError(f"cannot convert {value!r} to a tensor of dtype {want.name}: the values are strings")
    if not is_text:
        raise TypeError(
            f"cannot convert {value!r} to a tensor of dtype string"
            if want is not None
            else f"cannot convert a value of NumPy dtype {arr.dtype} to a tensor; expected numbers, bools or strings"
        )
    return EagerTensor(_core.Tensor.from_numpy(arr))

"""The values ``Session.run`` feeds: a ``feed_dict`` value as a NumPy array of the fed tensor's dtype and shape."""

from __future__ import annotations

from typing import Any

import numpy as np

from ...framework.graph import SymbolicTensor
from ...framework.tensor import EagerTensor
from ...framework.variables import Variable


def feed_value(t: SymbolicTensor, value: Any) -> Any:
    """``value`` as a NumPy array of the tensor's dtype, checked against its static shape."""
    if isinstance(value, (EagerTensor, Variable)):
        value = value.numpy()
    want = t.dtype
    try:
        raw = np.asarray(value)
    except (TypeError, ValueError) as e:
        raise TypeError(f"Cannot feed {type(value).__name__} to tensor {t.name}: {e}") from None
    if want.name == "string":
        return string_feed(t, raw)
    if raw.dtype == object or raw.dtype.kind in "USV":
        raise TypeError(f"Cannot feed a value of NumPy dtype {raw.dtype} to tensor {t.name} of dtype {want.name}")
    arr = np.asarray(raw, dtype=want.as_numpy_dtype, order="C")
    if raw.dtype.kind == "f" and want.is_integer and not np.array_equal(arr, raw):
        raise TypeError(
            f"Type of feed value {value!r} with type {raw.dtype} is not compatible with Tensor type "
            f"{want.name} of tensor {t.name}: it has a fractional part"
        )
    return check_shape(t, arr)


def check_shape(t: SymbolicTensor, arr: np.ndarray) -> np.ndarray:
    static = t.shape
    if static.rank is not None and (
        len(static) != arr.ndim or any(d is not None and d != a for d, a in zip(static, arr.shape))
    ):
        raise ValueError(f"Cannot feed value of shape {arr.shape} for Tensor {t.name}, which has shape {static}")
    return arr


def string_feed(t: SymbolicTensor, raw: np.ndarray) -> np.ndarray:
    """A value for a ``tf.string`` tensor: an object array of bytes (``str`` encoded as UTF-8)."""
    if raw.dtype.kind not in "OSU":
        raise TypeError(f"Cannot feed a value of NumPy dtype {raw.dtype} to tensor {t.name} of dtype string")
    items = []
    for v in raw.ravel():
        if not isinstance(v, (str, bytes)):
            raise TypeError(f"Cannot feed {type(v).__name__} {v!r} to tensor {t.name} of dtype string")
        items.append(v.encode() if isinstance(v, str) else bytes(v))
    arr = np.empty(len(items), dtype=object)
    arr[:] = items
    arr = arr.reshape(raw.shape)
    return check_shape(t, arr)

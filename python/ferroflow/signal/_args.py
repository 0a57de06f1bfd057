"""Argument checks shared by ``tf.signal``'s functions, with TensorFlow's error types and messages.

Lengths, steps and sizes are needed as Python integers when the graph is built: frame counts, paddings and
FFT sizes become static attributes of the ops (reshape targets and FFT lengths are attributes in the core).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..framework.dtypes import DType, as_dtype
from ..framework.graph_constants import eager_value
from ..framework.tensor import EagerTensor, Tensor


def static_value(value: Any, what: str) -> np.ndarray:
    """``value`` as a NumPy array; a graph tensor (whose value is only known when the graph runs) is refused."""
    value = eager_value(value)  # a graph constant's value is known
    if isinstance(value, EagerTensor):
        return value.numpy()
    if isinstance(value, Tensor):
        raise ValueError(
            f"{what} must be known when the graph is built (a Python number or an eager tensor), "
            f"received the graph tensor {value!r}"
        )
    if hasattr(value, "numpy"):
        return np.asarray(value.numpy())
    return np.asarray(value)


def scalar_int(value: Any, what: str) -> int:
    """A rank-0 integer argument: ValueError for another rank, TypeError for a non-integer, as TensorFlow."""
    arr = static_value(value, what)
    if arr.ndim != 0:
        raise ValueError(f"Shape {arr.shape} must have rank 0 ({what})")
    if arr.dtype.kind == "b" or arr.dtype.kind not in "iu":
        raise TypeError(f"{what} must be an integer, received {value!r} of dtype {arr.dtype.name}")
    return int(arr)


def scalar_bool(value: Any, what: str) -> bool:
    arr = static_value(value, what)
    if arr.ndim != 0:
        raise ValueError(f"Shape {arr.shape} must have rank 0 ({what})")
    return bool(arr)


def floating_dtype(dtype: Any) -> DType:
    """``dtype`` as a DType, which must be a floating point type (ValueError otherwise, as TensorFlow)."""
    d = as_dtype(dtype)
    if not d.is_floating:
        raise ValueError(f"dtype must be a floating point type. Found {d!r}")
    return d


def rank_at_least(t: Tensor, rank: int) -> int:
    """The static rank of ``t``, checked to be at least ``rank`` (ValueError, as TensorFlow's shape check)."""
    r = t.shape.rank
    if r is None:
        raise ValueError(f"a tensor of known rank >= {rank} is expected, received shape {t.shape}")
    if r < rank:
        raise ValueError(f"Shape {tuple(t.shape.as_list())} must have rank at least {rank}")
    return r


def real_signal(t: Tensor, what: str) -> None:
    """The transforms of real signals take float32 or float64 (TensorFlow's RFFT kernels)."""
    if t.dtype.name not in ("float32", "float64"):
        raise ValueError(f"{what} requires tf.float32 or tf.float64 inputs, received {t.dtype.name}")

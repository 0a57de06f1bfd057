"""Argument checks shared by the ops of ``math_extra_ops``, ``counting_ops``, ``array_extra_ops`` and
``partition_ops``: dtypes, values that must be known while tracing, and value checks that run eagerly at once
and inside a ``tf.function`` after each run."""

from __future__ import annotations

from typing import Any, List

import numpy as np

from .._core import InvalidArgumentError
from ..framework import context
from ..framework.ops import convert_to_tensor
from ..framework.tensor import EagerTensor, Tensor


def float_input(x: Any, op: str, what: str = "") -> Tensor:
    """``x`` as a tensor, after checking it holds float32 or float64 values (TypeError otherwise)."""
    t = convert_to_tensor(x)
    if not t.dtype.is_floating:
        raise TypeError(f"{op} expects a float32 or float64 tensor{what}, received {t.dtype.name}")
    return t


def int_input(x: Any, op: str, what: str = "") -> Tensor:
    """``x`` as a tensor, after checking it holds int32 or int64 values (TypeError otherwise)."""
    t = convert_to_tensor(x)
    if not t.dtype.is_integer:
        raise TypeError(f"{op} expects int32 or int64 {what or 'values'}, received {t.dtype.name}")
    return t


def same_dtype(x: Tensor, y: Tensor, op: str) -> None:
    if x.dtype != y.dtype:
        raise TypeError(f"{op} expects x and y of one dtype, received {x.dtype.name} and {y.dtype.name}")


def static_array(value: Any, what: str) -> np.ndarray:
    """The integer value of a Python list, NumPy array or eager tensor (graph nodes have none while tracing)."""
    if isinstance(value, Tensor):
        if not isinstance(value, EagerTensor):
            raise ValueError(f"{what} must be known when the graph is built (a Python list or an eager tensor)")
        value = value.numpy()
    arr = np.asarray(value)
    if arr.dtype.kind not in "iu" and not (arr.size == 0 and arr.dtype.kind == "f"):
        raise TypeError(f"{what} must be int32 or int64 values, received {value!r}")
    return arr.astype(np.int64)


def static_ints(value: Any, what: str) -> List[int]:
    return [int(v) for v in static_array(value, what).reshape(-1)]


def static_int(value: Any, what: str) -> int:
    arr = static_array(value, what)
    if arr.size != 1:
        raise ValueError(f"{what} must be a single integer, received shape {list(arr.shape)}")
    return int(arr.reshape(-1)[0])


def check_values(condition: Tensor, message: str) -> None:
    """Raises ``InvalidArgumentError(message)`` unless every element of the bool ``condition`` is True: at
    once eagerly, after each run inside a ``tf.function``; a TF1 graph has no hook to check it."""
    graph = context.current_graph()
    if graph is None:
        if not np.all(condition.numpy()):
            raise InvalidArgumentError(message)
        return
    if getattr(graph, "is_function", False):
        from .assert_ops import _check

        _check(condition, lambda values: message, None)

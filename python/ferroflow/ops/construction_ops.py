"""Tensors built from a few numbers: ``linspace``, ``eye``, ``meshgrid``."""

from __future__ import annotations

import builtins
from typing import Any, Optional, Sequence

import numpy as np

from ..framework import context
from ..framework.dtypes import as_dtype, float32
from ..framework.graph_constants import eager_value, in_graph
from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor
from .array_ops import _shape_list, broadcast_to, cast, concat, expand_dims, reshape


def _static_int(value: Any, what: str) -> int:
    if isinstance(value, Tensor):
        value = eager_value(value).numpy()
    try:
        return int(np.asarray(value).item())
    except (TypeError, ValueError):
        raise TypeError(f"{what} must be an integer, received {value!r}") from None


def linspace(start: Any, stop: Any, num: Any, name: Optional[str] = None, axis: int = 0) -> Tensor:
    """``tf.linspace``: ``num`` evenly spaced values from ``start`` to ``stop``, both included.

    ``start`` and ``stop`` may be tensors of one shape (or broadcastable); the new axis of length ``num`` is
    inserted at ``axis``. The last value is ``stop`` exactly, as in TensorFlow.
    """
    start = convert_to_tensor(start)
    stop = convert_to_tensor(stop, dtype=start.dtype) if isinstance(stop, (int, float)) else convert_to_tensor(stop)
    # Integer bounds give float64 values, as TensorFlow's (its step is a true division).
    if start.dtype.is_integer:
        start = cast(start, "float64")
    if stop.dtype.is_integer:
        stop = cast(stop, "float64")
    if not start.dtype.is_floating or not stop.dtype.is_floating:
        raise TypeError(
            f"linspace expects numbers for start and stop, received {start.dtype.name} and {stop.dtype.name}"
        )
    if start.dtype != stop.dtype:
        raise TypeError(
            f"linspace start and stop must have one dtype, received {start.dtype.name} and {stop.dtype.name}"
        )
    n = _static_int(num, "linspace num")
    if n < 0:
        raise ValueError(f"linspace num must be non-negative, received {n}")
    dtype = start.dtype
    shape = np.broadcast_shapes(tuple(start.shape), tuple(stop.shape))
    rank = len(shape) + 1
    if not -rank <= axis < rank:
        raise ValueError(f"linspace axis {axis} is out of range for a result of rank {rank}")
    axis = axis % rank
    first = expand_dims(broadcast_to(start, list(shape)), axis)
    last = expand_dims(broadcast_to(stop, list(shape)), axis)
    if n <= 1:
        return first if n == 1 else first[tuple(_empty_at(axis, rank))]
    steps = np.arange(n - 1, dtype=dtype.as_numpy_dtype).reshape(
        [n - 1 if d == axis else 1 for d in builtins.range(rank)]
    )
    delta = (last - first) / (n - 1)
    return concat([first + delta * steps, last], axis)


def _empty_at(axis: int, rank: int) -> list:
    return [slice(0, 0) if d == axis else slice(None) for d in builtins.range(rank)]


def eye(
    num_rows: Any,
    num_columns: Any = None,
    batch_shape: Optional[Sequence[int]] = None,
    dtype: Any = float32,
    name: Optional[str] = None,
) -> Tensor:
    """``tf.eye``: an identity matrix (ones on the diagonal), optionally repeated over ``batch_shape``."""
    rows = _static_int(num_rows, "eye num_rows")
    cols = rows if num_columns is None else _static_int(num_columns, "eye num_columns")
    if rows < 0 or cols < 0:
        raise ValueError(f"eye needs non-negative sizes, received num_rows={rows}, num_columns={cols}")
    batch = [] if batch_shape is None else _shape_list(batch_shape, "eye batch_shape")
    matrix = np.eye(rows, cols, dtype=as_dtype(dtype).as_numpy_dtype)
    value = convert_to_tensor(np.broadcast_to(matrix, batch + [rows, cols]) if batch else matrix)
    if context.current_graph() is None:
        return value
    with context.name_scope(name or "eye"):  # TensorFlow's node: eye/diag
        return in_graph(value, "diag")


def meshgrid(*args: Any, **kwargs: Any) -> list:
    """``tf.meshgrid(x, y, ..., indexing="xy")``: coordinate grids from 1-D coordinate vectors.

    With ``indexing="xy"`` (the default, as NumPy's) the first two output axes are swapped.
    """
    indexing = kwargs.pop("indexing", "xy")
    kwargs.pop("name", None)
    if kwargs:
        raise TypeError(f"meshgrid got unexpected keyword arguments {sorted(kwargs)}")
    if indexing not in ("xy", "ij"):
        raise ValueError(f"meshgrid indexing must be 'xy' or 'ij', received {indexing!r}")
    vectors = [reshape(convert_to_tensor(a), [-1]) for a in args]
    if not vectors:
        return []
    sizes = [int(v.shape[0]) for v in vectors]
    out_shape = list(sizes)
    if indexing == "xy" and len(vectors) > 1:
        out_shape[0], out_shape[1] = out_shape[1], out_shape[0]
    grids = []
    for i, v in enumerate(vectors):
        where = i
        if indexing == "xy" and len(vectors) > 1 and i < 2:
            where = 1 - i
        view = [1] * len(vectors)
        view[where] = sizes[i]
        grids.append(broadcast_to(reshape(v, view), out_shape))
    return grids

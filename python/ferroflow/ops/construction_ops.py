"""Tensors built from a few numbers: ``linspace``, ``eye``, ``meshgrid``."""

from __future__ import annotations

import builtins
from typing import Any, Optional, Sequence

import numpy as np

from .._core import InvalidArgumentError
from ..framework import context
from ..framework.dtypes import as_dtype, float32
from ..framework.graph_constants import constant_value, in_graph
from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor
from .array_ops import _shape_list, broadcast_to, cast, concat, expand_dims, reshape


def _static_int(value: Any, what: str) -> Optional[int]:
    """``value`` as an int when known before a graph runs; None for a graph tensor (known only when it runs).
    TypeError for a non-integer, as TensorFlow's."""
    if isinstance(value, Tensor):
        if not value.dtype.is_integer:
            raise TypeError(f"{what} must be of type integer, received a {value.dtype.name} tensor")
        known = constant_value(value)
        return None if known is None else int(np.asarray(known).item())
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{what} must be an integer, received {value!r}")
    return int(value)


def linspace(start: Any, stop: Any, num: Any, name: Optional[str] = None, axis: int = 0) -> Tensor:
    """``tf.linspace``: ``num`` evenly spaced values from ``start`` to ``stop``, both included.

    ``start`` and ``stop`` may be tensors of one shape (or broadcastable); the new axis of length ``num`` is
    inserted at ``axis``. The last value is ``stop`` exactly, as in TensorFlow.
    """
    with context.name_scope(name or "linspace"):  # TensorFlow's nodes: linspace/...
        return _linspace(start, stop, num, axis)


def _linspace(start: Any, stop: Any, num: Any, axis: int) -> Tensor:
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
    if n is not None and n < 0:
        raise InvalidArgumentError(f"linspace num must be non-negative, received {n}")
    dtype = start.dtype
    shape = np.broadcast_shapes(tuple(start.shape), tuple(stop.shape))
    rank = len(shape) + 1
    if not -rank <= axis < rank:
        raise ValueError(f"linspace axis {axis} is out of range for a result of rank {rank}")
    axis = axis % rank
    first = expand_dims(broadcast_to(start, list(shape)), axis)
    last = expand_dims(broadcast_to(stop, list(shape)), axis)
    if n is None:
        return _linspace_counted_at_run_time(first, last, num, axis, rank)
    if n <= 1:
        return first if n == 1 else first[tuple(_empty_at(axis, rank))]
    steps = np.arange(n - 1, dtype=dtype.as_numpy_dtype).reshape(
        [n - 1 if d == axis else 1 for d in builtins.range(rank)]
    )
    delta = (last - first) / (n - 1)
    return concat([first + delta * steps, last], axis)


def _linspace_counted_at_run_time(first: Tensor, last: Tensor, num: Tensor, axis: int, rank: int) -> Tensor:
    """``num`` values from ``first`` to ``last`` along ``axis`` for a ``num`` known only when the graph runs:
    ``first + i * step`` with the last one ``last`` exactly (one value: ``first``); a negative ``num`` fails
    when run (TensorFlow's ``Range`` error)."""
    from .array_ops import range as tf_range
    from .array_ops import where
    from .math_ops import equal, greater, logical_and, maximum

    dtype = first.dtype
    count = cast(num, dtype)
    steps = reshape(cast(tf_range(num), dtype), [-1 if d == axis else 1 for d in builtins.range(rank)])
    delta = (last - first) / maximum(count - 1, 1)
    is_last = logical_and(equal(steps, count - 1), greater(count, 1))
    return where(is_last, last, first + delta * steps)


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
    for size in (rows, cols):
        if size is not None and size < 0:
            raise InvalidArgumentError(f"Dimension {size} must be >= 0")
    batch = [] if batch_shape is None else _shape_list(batch_shape, "eye batch_shape")
    if rows is None or cols is None:
        with context.name_scope(name or "eye"):
            return _eye_sized_at_run_time(num_rows, num_rows if num_columns is None else num_columns, batch, dtype)
    matrix = np.eye(rows, cols, dtype=as_dtype(dtype).as_numpy_dtype)
    value = convert_to_tensor(np.broadcast_to(matrix, batch + [rows, cols]) if batch else matrix)
    if context.current_graph() is None:
        return value
    # TensorFlow's MatrixDiagV3 / MatrixSetDiagV3 nodes have no native op: the known matrix is one Const node.
    with context.name_scope(name or "eye"):  # TensorFlow's node: eye/diag
        return in_graph(value, "diag")


def _eye_sized_at_run_time(num_rows: Any, num_columns: Any, batch: list, dtype: Any) -> Tensor:
    """An identity matrix whose sizes are known only when the graph runs: row index == column index."""
    from .array_ops import range as tf_range
    from .math_ops import equal

    rows = expand_dims(tf_range(num_rows), 1)
    cols = expand_dims(tf_range(num_columns), 0)
    matrix = cast(equal(cast(rows, "int64"), cast(cols, "int64")), "int32")
    if batch:
        matrix = matrix + np.zeros(batch + [1, 1], np.int32)
    return cast(matrix, dtype)


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

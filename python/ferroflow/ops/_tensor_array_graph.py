"""A ``TensorArray`` in a graph: one ``[rows, *element_shape]`` buffer tensor, replaced by every write.

A write is the native ``write_row``: the buffer with one row replaced. In a while loop body the buffer (a loop
variable the loop hands over) is updated in place, one row per write, and the gradient of a write does not
read the buffer, so a loop that only writes an array keeps no per-iteration copy of it: n writes cost O(n).
A native module built without ``write_row`` gets the row selected in with ``where`` instead (each write then
copies the buffer, and a loop's gradient keeps every iteration's buffer: O(n^2) for n writes).
When the element shape is fully known at creation the buffer is preallocated: ``size`` rows of zeros, whose
shape never changes, which a while loop needs. Otherwise the buffer grows to the rows each write needs (zero
rows are padded in), so writes work with element shapes only known at run time, in any order: before the
first write it is empty, its unknown element dimensions 0, and the first write reshapes it to the written
value's shape (``reshape_like``: both hold no elements). Growing copies the buffer, so such writes cost
O(rows) each.
"""

from __future__ import annotations

import functools
from typing import Any, Optional

import numpy as np

from .. import _core
from ..framework.ops import apply, convert_to_tensor
from ..framework.tensor import EagerTensor, Tensor
from ..framework.tensor_shape import TensorShape


def initial_buffer(dtype: Any, element_shape: TensorShape, size: Any) -> tuple:
    """``(buffer, preallocated)`` before any write: ``size`` rows of zeros when the element shape is fully
    known (``size`` an int or a scalar tensor), else an empty buffer whose unknown dimensions are 0 (None
    when even the element rank is unknown)."""
    if element_shape.rank is None:
        return None, False
    dims = element_shape.as_list()
    if None in dims or size is None:
        return convert_to_tensor(np.zeros([0] + [d or 0 for d in dims], dtype.as_numpy_dtype)), False
    if isinstance(size, int):
        return convert_to_tensor(np.zeros([size] + dims, dtype.as_numpy_dtype)), True
    return zero_rows(size, convert_to_tensor(np.zeros(dims, dtype.as_numpy_dtype))), True


def _i32(x: Any) -> Tensor:
    t = convert_to_tensor(x)
    return t if t.dtype.name == "int32" else apply("cast", [t], {"dtype": "int32"})


def zero_rows(count: Any, like: Tensor) -> Tensor:
    """``count`` (a scalar tensor) rows of zeros shaped like ``like`` (one element)."""
    idx = apply("mul", [apply("range", [_i32(0), _i32(count), _i32(1)], {"dtype": "int32"}), _i32(0)])
    rows = apply("gather", [apply("expand_dims", [like], {"axis": 0}), idx], {"axis": 0})
    return apply("fill_like", [rows], {"value": 0.0, "dtype": None})


def num_rows(buffer: Tensor) -> Tensor:
    return apply("strided_slice", [apply("shape", [buffer], {"out_type": "int32"})], {"specs": [("index", 0)]})


def _fit(buffer: Tensor, value: Tensor, rows_needed: Tensor) -> Tensor:
    """``buffer`` with element dims of ``value`` and at least ``rows_needed`` rows (zero padded)."""
    k = num_rows(buffer)
    if buffer.shape.rank is None or buffer.shape[1:] != value.shape or not value.shape.is_fully_defined():
        buffer = apply("reshape_like", [buffer, zero_rows(k, value)])
    pad = apply("maximum", [apply("sub", [rows_needed, k]), _i32(0)])
    if buffer.shape[0] is not None and _static(rows_needed) is not None and _static(rows_needed) <= buffer.shape[0]:
        return buffer
    return apply("concat", [buffer, zero_rows(pad, value)], {"axis": 0})


def _static(t: Any) -> Optional[int]:
    from .structure_ops import get_static_value

    v = get_static_value(t)
    return None if v is None else int(v)


# Up to this many scattered rows are written one by one; more go through one select over the buffer.
_SCATTER_WRITES = 16


def write(buffer: Optional[Tensor], index: Any, value: Tensor, preallocated: bool = False) -> Tensor:
    """``buffer`` with row ``index`` replaced by ``value``; a buffer that is not ``preallocated`` first grows
    to the rows the write needs (its shape then changes from write to write)."""
    index = _i32(index)
    if buffer is None:
        buffer = initial_buffer(value.dtype, TensorShape([None] * value.shape.rank), None)[0]
    if not preallocated:
        buffer = _fit(buffer, value, apply("add", [index, _i32(1)]))
    return _write_row(buffer, index, value)


@functools.cache
def _native_write_row() -> bool:
    try:
        _core.Op("write_row")
    except ValueError:
        return False
    return True


def _write_row(buffer: Tensor, index: Tensor, value: Tensor) -> Tensor:
    if _native_write_row():
        return apply("write_row", [buffer, index, value])
    positions = apply("range", [_i32(0), num_rows(buffer), _i32(1)], {"dtype": "int32"})
    mask = apply("reshape", [apply("equal", [positions, index])], {"shape": [-1] + [1] * value.shape.rank})
    return apply("select", [mask, apply("expand_dims", [value], {"axis": 0}), buffer])


def scatter(buffer: Optional[Tensor], indices: Any, value: Tensor, preallocated: bool = False) -> Tensor:
    """Rows ``value[j]`` written at ``indices[j]`` (the last write of a row wins)."""
    indices = _i32(indices)
    row = apply("gather", [value, _i32(0)], {"axis": 0})
    if buffer is None:
        buffer = initial_buffer(value.dtype, TensorShape([None] * row.shape.rank), None)[0]
    if not preallocated:
        top = apply("reduce_max", [indices], {"axis": None, "keepdims": False})
        buffer = _fit(buffer, row, apply("add", [top, _i32(1)]))
    count = indices.shape[0] if indices.shape.rank == 1 else None
    if count is not None and count <= _SCATTER_WRITES and _native_write_row():
        # A few rows: one write each, in order (the last write of a row wins), touching only those rows.
        for j in range(count):
            at = apply("strided_slice", [indices], {"specs": [("index", j)]})
            buffer = _write_row(buffer, at, apply("strided_slice", [value], {"specs": [("index", j)]}))
        return buffer
    # Otherwise one select over the buffer: each row takes the value of the last index that hits it.
    positions = apply("range", [_i32(0), num_rows(buffer), _i32(1)], {"dtype": "int32"})
    column, row_of_indices = (
        apply("expand_dims", [positions], {"axis": 1}),
        apply("expand_dims", [indices], {"axis": 0}),
    )
    hits = apply("equal", [column, row_of_indices])
    order = apply("range", [_i32(1), apply("add", [num_rows(value), _i32(1)]), _i32(1)], {"dtype": "int32"})
    weights = apply("mul", [apply("cast", [hits], {"dtype": "int32"}), order])  # [rows, m]: j + 1 where row hit
    best = apply("reduce_max", [weights], {"axis": [1], "keepdims": False})
    source = apply("maximum", [apply("sub", [best, _i32(1)]), _i32(0)])
    covered = apply("greater", [best, _i32(0)])
    mask = apply("reshape", [covered], {"shape": [-1] + [1] * row.shape.rank})
    return apply("select", [mask, apply("gather", [value, source], {"axis": 0}), buffer])


def pad_to(buffer: Tensor, size: Any, element_shape: TensorShape, dtype: Any) -> Tensor:
    """``buffer`` padded with zero rows to ``size`` rows (possible when the element shape is fully known)."""
    if not element_shape.is_fully_defined():
        return buffer
    if buffer.shape[0] is not None and isinstance(size, int) and buffer.shape[0] >= size:
        return buffer
    row = convert_to_tensor(np.zeros(element_shape.as_list(), dtype.as_numpy_dtype))
    return _fit(buffer, row, _i32(size))


def refined(t: Tensor, shape: TensorShape) -> Tensor:
    """``t`` with its static shape narrowed to ``shape`` where that says more (graph tensors only)."""
    if isinstance(t, EagerTensor) or shape.rank is None or not t.shape.is_compatible_with(shape):
        return t
    merged = t.shape.merge_with(shape)
    if merged == t.shape and t.shape.rank is not None:
        return t
    out = apply("identity", [t])
    out.set_shape(merged)
    return out

"""TF1's sparse variable updates: ``scatter_update`` / ``scatter_add`` / ``scatter_sub`` / ``scatter_mul`` /
``scatter_div`` / ``scatter_min`` / ``scatter_max`` on rows, ``scatter_nd_update`` / ``_add`` / ``_sub`` on
coordinates, ``batch_scatter_update`` on rows per batch entry.

Each computes the variable's new value with the TF2 tensor ops (repeated indices combine as TensorFlow's
kernels do: sums add up, products multiply, min/max reduce) and assigns it, so in a graph the result is the
tensor of the updated value that ``Session.run`` fetches after the update, and eagerly the variable.
"""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from ...framework.ops import convert_to_tensor
from ...framework.tensor import EagerTensor
from ...ops import array_ops as _array
from ...ops import math_ops as _math
from ...ops import segment_ops as _segment
from ...ops.scatter_ops import tensor_scatter_nd_update
from .state_ops import _variable


def _prepared(ref: Any, indices: Any, updates: Any, what: str) -> tuple:
    var = _variable(ref, what)
    idx = convert_to_tensor(indices)
    if not idx.dtype.is_integer:
        raise TypeError(f"{what} expects int32 or int64 indices, received {idx.dtype.name}")
    upd = convert_to_tensor(updates, dtype=var.dtype)
    return var, idx, upd


def _rows(var: Any) -> int:
    rows = var.shape[0] if var.shape.rank else None
    if rows is None:
        raise ValueError(f"scatter updates need the first dimension of '{var.name}' to be known, shape {var.shape}")
    return rows


def _segment_update(what: str, combine: Any, reduce: Any) -> Any:
    def update(ref: Any, indices: Any, updates: Any, use_locking: bool = False, name: Optional[str] = None) -> Any:
        var, idx, upd = _prepared(ref, indices, updates, what)
        per_row = reduce(upd, idx, _rows(var))
        return var.assign(combine(var.value(), per_row), name=name)

    update.__name__ = update.__qualname__ = what
    update.__doc__ = f"TF1's ``{what}``: the rows of ``ref`` at ``indices`` combined with ``updates``."
    return update


def scatter_update(ref: Any, indices: Any, updates: Any, use_locking: bool = True, name: Optional[str] = None) -> Any:
    """Sets the rows of ``ref`` at ``indices`` (any shape) to ``updates`` (``indices.shape + ref.shape[1:]``)."""
    var, idx, upd = _prepared(ref, indices, updates, "scatter_update")
    if isinstance(idx, EagerTensor):
        new = tensor_scatter_nd_update(var.value(), idx.numpy()[..., None], upd)
    else:  # indices known only when the graph runs: each row takes its last update, found by a segment max
        rows, n = _rows(var), idx.shape.num_elements()
        if n is None:
            raise ValueError(f"scatter_update needs indices of a known shape, received {idx.shape}")
        flat_idx = _array.reshape(idx, [n])
        flat_upd = _array.reshape(upd, [n] + var.shape.as_list()[1:])
        last = _segment.unsorted_segment_max(_array.range(n, dtype=flat_idx.dtype), flat_idx, rows)
        written = _array.gather(flat_upd, _math.maximum(last, 0))
        hit = _array.reshape(_math.greater_equal(last, 0), [rows] + [1] * (var.shape.rank - 1))
        new = _array.where(hit, written, var.value())
    return var.assign(new, name=name)


scatter_add = _segment_update("scatter_add", _math.add, _segment.unsorted_segment_sum)
scatter_sub = _segment_update("scatter_sub", _math.subtract, _segment.unsorted_segment_sum)
scatter_mul = _segment_update("scatter_mul", _math.multiply, _segment.unsorted_segment_prod)
scatter_div = _segment_update("scatter_div", _math.divide, _segment.unsorted_segment_prod)
scatter_min = _segment_update("scatter_min", _math.minimum, _segment.unsorted_segment_min)
scatter_max = _segment_update("scatter_max", _math.maximum, _segment.unsorted_segment_max)


def _nd_update(what: str, scatter: Any) -> Any:
    def update(ref: Any, indices: Any, updates: Any, use_locking: bool = True, name: Optional[str] = None) -> Any:
        var, idx, upd = _prepared(ref, indices, updates, what)
        if not isinstance(idx, EagerTensor):
            raise ValueError(f"{what} needs indices known when the graph is built (a list or an array)")
        return var.assign(scatter(var.value(), idx.numpy(), upd), name=name)

    update.__name__ = update.__qualname__ = what
    update.__doc__ = f"TF1's ``{what}``: the elements or slices of ``ref`` at the coordinates ``indices``."
    return update


def _tensor_scatter(kind: str) -> Any:
    def scatter(tensor: Any, indices: Any, updates: Any) -> Any:
        from ...ops import scatter_ops

        return getattr(scatter_ops, f"tensor_scatter_nd_{kind}")(tensor, indices, updates)

    return scatter


scatter_nd_update = _nd_update("scatter_nd_update", _tensor_scatter("update"))
scatter_nd_add = _nd_update("scatter_nd_add", _tensor_scatter("add"))
scatter_nd_sub = _nd_update("scatter_nd_sub", _tensor_scatter("sub"))


def batch_scatter_update(
    ref: Any, indices: Any, updates: Any, use_locking: bool = True, name: Optional[str] = None
) -> Any:
    """``ref[b..., indices[b..., j]] = updates[b..., j]``: a row update per entry of the leading batch axes."""
    var, idx, upd = _prepared(ref, indices, updates, "batch_scatter_update")
    if not isinstance(idx, EagerTensor):
        raise ValueError("batch_scatter_update needs indices known when the graph is built (a list or an array)")
    arr = idx.numpy()
    if arr.ndim == 0:
        raise ValueError("batch_scatter_update needs indices with at least one axis")
    grids = np.meshgrid(*[np.arange(n) for n in arr.shape], indexing="ij")
    coords = np.stack([g for g in grids[:-1]] + [arr], axis=-1)
    return var.assign(tensor_scatter_nd_update(var.value(), coords, upd), name=name)

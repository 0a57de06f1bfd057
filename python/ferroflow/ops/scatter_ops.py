"""Writing slices at index tuples: ``scatter_nd``, ``tensor_scatter_nd_add/sub/update``, ``boolean_mask``.

The index tuples are turned into flat row numbers (as ``gather_nd`` does) and the slices are scatter-added
(``unsorted_segment_sum``), so gradients reach both the updates and the tensor written into.
"""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from .._core import InvalidArgumentError
from ..framework.ops import convert_to_tensor
from ..framework.tensor import EagerTensor, Tensor
from .array_ops import gather, reshape, where
from .segment_ops import unsorted_segment_sum
from .slicing_ops import _int_list, _static_shape


def _flat_rows(indices: Any, shape: list, op: str) -> tuple:
    """For index tuples into ``shape``: (each tuple's flat row number, the tuples' leading shape, the shape
    of one slice, the number of rows)."""
    idx = convert_to_tensor(indices)
    if not isinstance(idx, EagerTensor):
        raise ValueError(f"{op} needs indices known eagerly (a list or an eager tensor)")
    if not idx.dtype.is_integer:
        raise TypeError(f"{op} expects int32 or int64 indices, received {idx.dtype.name}")
    arr = idx.numpy()
    if arr.ndim == 0:
        raise ValueError(f"{op} indices need at least one axis (the index tuples are along the last)")
    k = arr.shape[-1]
    if k > len(shape):
        raise ValueError(f"{op} index tuples of length {k} are longer than the rank of shape {shape}")
    tuples = arr.reshape(-1, k)
    limits = np.asarray(shape[:k])
    bad = np.any((tuples < 0) | (tuples >= limits), axis=1)
    if bad.any():
        raise InvalidArgumentError(f"{op} index {tuples[np.argmax(bad)].tolist()} is out of bounds for shape {shape}")
    strides = np.cumprod([1] + list(limits[::-1]))[:-1][::-1]
    return (tuples * strides).sum(axis=1).astype(np.int64), list(arr.shape[:-1]), shape[k:], int(np.prod(limits))


def scatter_nd(indices: Any, updates: Any, shape: Any, name: Optional[str] = None) -> Tensor:
    """``tf.scatter_nd``: zeros of ``shape`` with ``updates`` added at the index tuples (repeats add up)."""
    dims = _int_list(shape, "scatter_nd shape")
    rows, lead, inner, n_rows = _flat_rows(indices, dims, "scatter_nd")
    updates = convert_to_tensor(updates)
    if _static_shape(updates, "scatter_nd") != lead + inner:
        raise ValueError(f"scatter_nd updates must have shape {lead + inner}, received {updates.shape}")
    flat_updates = reshape(updates, [len(rows)] + inner)
    return reshape(unsorted_segment_sum(flat_updates, rows, n_rows), dims, name=name)


def _scatter_into(tensor: Any, indices: Any, updates: Any, op: str) -> tuple:
    t = convert_to_tensor(tensor)
    dims = _static_shape(t, op)
    rows, lead, inner, n_rows = _flat_rows(indices, dims, op)
    updates = convert_to_tensor(updates, dtype=t.dtype) if not isinstance(updates, Tensor) else updates
    if _static_shape(updates, op) != lead + inner:
        raise ValueError(f"{op} updates must have shape {lead + inner}, received {updates.shape}")
    flat_updates = reshape(updates, [len(rows)] + inner)
    return t, dims, rows, inner, n_rows, unsorted_segment_sum(flat_updates, rows, n_rows)


def tensor_scatter_nd_add(tensor: Any, indices: Any, updates: Any, name: Optional[str] = None) -> Tensor:
    """``tensor`` with ``updates`` added at the index tuples."""
    t, dims, _, _, _, added = _scatter_into(tensor, indices, updates, "tensor_scatter_nd_add")
    return t + reshape(added, dims)


def tensor_scatter_nd_sub(tensor: Any, indices: Any, updates: Any, name: Optional[str] = None) -> Tensor:
    """``tensor`` with ``updates`` subtracted at the index tuples."""
    t, dims, _, _, _, added = _scatter_into(tensor, indices, updates, "tensor_scatter_nd_sub")
    return t - reshape(added, dims)


def tensor_scatter_nd_update(tensor: Any, indices: Any, updates: Any, name: Optional[str] = None) -> Tensor:
    """``tensor`` with the slices at the index tuples replaced by ``updates`` (the last of repeats wins)."""
    t, dims, rows, inner, n_rows, _ = _scatter_into(tensor, indices, updates, "tensor_scatter_nd_update")
    # Keep only each row's last update, so that repeated indices replace rather than add.
    last = {int(r): i for i, r in enumerate(rows)}
    chosen = np.fromiter(last.values(), np.int64, len(last))
    updates = reshape(
        convert_to_tensor(updates, dtype=t.dtype) if not isinstance(updates, Tensor) else updates, [len(rows)] + inner
    )
    written = unsorted_segment_sum(gather(updates, chosen), rows[chosen], n_rows)
    mask = np.zeros(n_rows, bool)
    mask[rows] = True
    block = reshape(t, [n_rows] + inner)
    return reshape(where(mask.reshape([n_rows] + [1] * len(inner)), written, block), dims)


def boolean_mask(tensor: Any, mask: Any, axis: Optional[int] = None, name: Optional[str] = None) -> Tensor:
    """``tf.boolean_mask``: the elements (or slices) of ``tensor`` where ``mask`` is True, flattened over
    the masked dimensions (``mask`` covers ``tensor``'s dimensions from ``axis``, default 0)."""
    t = convert_to_tensor(tensor)
    m = convert_to_tensor(mask)
    if not m.dtype.is_bool:
        raise TypeError(f"boolean_mask expects a bool mask, received {m.dtype.name}")
    if not isinstance(m, EagerTensor):
        return _graph_boolean_mask(t, m, axis)
    dims = _static_shape(t, "boolean_mask")
    mdims = list(m.shape)
    a = 0 if axis is None else int(axis) % len(dims)
    if not mdims or dims[a : a + len(mdims)] != mdims:
        raise ValueError(f"boolean_mask: mask of shape {mdims} does not match tensor dimensions {dims[a:]} at axis {a}")
    merged = dims[:a] + [int(np.prod(mdims))] + dims[a + len(mdims) :]
    keep = np.flatnonzero(m.numpy().reshape(-1))
    return gather(reshape(t, merged), keep, axis=a)


def _graph_boolean_mask(t: Tensor, m: Tensor, axis: Optional[int]) -> Tensor:
    """``boolean_mask`` with a mask known only when the graph runs: the masked axes are flattened and the
    kept positions, found then (``where``), gathered; the result's masked length is unknown (None)."""
    rank, mrank = t.shape.rank, m.shape.rank
    if rank is None or mrank is None or mrank == 0:
        raise ValueError(f"boolean_mask needs tensor and mask of known ranks, received {t.shape} and {m.shape}")
    a = 0 if axis is None else int(axis) % rank
    if not t.shape[a : a + mrank].is_compatible_with(m.shape):
        raise ValueError(f"boolean_mask: mask of shape {m.shape} does not match tensor dimensions {t.shape[a:]}")
    dims = t.shape.as_list()
    block = None if m.shape.num_elements() is None else m.shape.num_elements()
    merged = dims[:a] + [block] + dims[a + mrank :]
    if sum(d is None for d in merged) > 1:
        raise ValueError(
            f"boolean_mask in a graph needs all but one of the flattened sizes known, received tensor {t.shape} "
            f"and mask {m.shape}"
        )
    keep = reshape(where(reshape(m, [-1])), [-1])
    return gather(reshape(t, [-1 if d is None else d for d in merged]), keep, axis=a)

"""Routing rows by index: ``dynamic_partition``, ``dynamic_stitch``, ``tensor_scatter_nd_max`` and
``tensor_scatter_nd_min``.

The indices (partitions) must be known while tracing, as the output sizes depend on them; the data may be
traced. Rows move by gathers and scatter-adds, so gradients reach the data.
"""

from __future__ import annotations

from typing import Any, Callable, List, Optional

import numpy as np

from .._core import InvalidArgumentError
from ..framework.ops import convert_to_tensor
from ..framework.tensor import EagerTensor, Tensor
from .array_ops import cast, concat, gather, reshape, stop_gradient, where, zeros_like
from .math_extra_ops import _zero_with_gradient
from .math_ops import equal, maximum, minimum
from .scatter_ops import _flat_rows
from .segment_ops import unsorted_segment_max, unsorted_segment_min, unsorted_segment_sum
from .slicing_ops import _static_shape


def _known_int32(x: Any, op: str, what: str) -> np.ndarray:
    # Lists and NumPy arrays convert to int32 (when their values fit), as TensorFlow's; tensors must be int32.
    t = x if isinstance(x, Tensor) else convert_to_tensor(x, dtype="int32")
    if t.dtype != "int32":
        raise TypeError(f"{op} expects int32 {what}, received {t.dtype.name}")
    if not isinstance(t, EagerTensor):
        raise ValueError(f"{op} needs {what} known when the graph is built: the output sizes depend on them")
    return t.numpy()


def dynamic_partition(data: Any, partitions: Any, num_partitions: int, name: Optional[str] = None) -> List[Tensor]:
    """``num_partitions`` tensors: output ``i`` holds the slices of ``data`` whose partition is ``i``, in order
    (``partitions`` covers the leading dimensions of ``data``)."""
    x = convert_to_tensor(data)
    parts = _known_int32(partitions, "dynamic_partition", "partitions")
    num = int(num_partitions)
    if num < 1:
        raise InvalidArgumentError(f"dynamic_partition: num_partitions must be at least 1, received {num}")
    dims = _static_shape(x, "dynamic_partition")
    if dims[: parts.ndim] != list(parts.shape):
        raise InvalidArgumentError(
            "data.shape must start with partitions.shape, got data.shape = "
            f"{dims}, partitions.shape = {list(parts.shape)}"
        )
    flat = parts.reshape(-1)
    bad = (flat < 0) | (flat >= num)
    if bad.any():
        i = int(np.argmax(bad))
        raise InvalidArgumentError(f"partitions[{i}] = {flat[i]} is not in [0, {num})")
    rows = reshape(x, [flat.size] + dims[parts.ndim :])
    return [gather(rows, np.flatnonzero(flat == i).astype(np.int64)) for i in range(num)]


def _stitch_data(data: list) -> list:
    first = next((d for d in data if isinstance(d, Tensor)), None)
    dtype = first.dtype if first is not None else convert_to_tensor(data[0]).dtype
    tensors = [d if isinstance(d, Tensor) else convert_to_tensor(d, dtype=dtype) for d in data]
    for m, t in enumerate(tensors):
        if t.dtype != dtype:
            raise TypeError(f"dynamic_stitch data must have one dtype: data[{m}] is {t.dtype.name}, not {dtype.name}")
    return tensors


def dynamic_stitch(indices: List[Any], data: List[Any], name: Optional[str] = None) -> Tensor:
    """``merged[indices[m][i]] = data[m][i]``: rows of ``max(indices) + 1``, the last write of an index wins
    and indices nobody writes are 0."""
    if len(indices) != len(data):
        raise ValueError(
            f"List argument 'data' to 'dynamic_stitch' Op with length {len(data)} must match length "
            f"{len(indices)} of argument 'indices'."
        )
    if not indices:
        raise InvalidArgumentError("dynamic_stitch expects at least one indices tensor, received an empty list")
    idx = [_known_int32(i, "dynamic_stitch", "indices") for i in indices]
    tensors = _stitch_data(list(data))
    inner = None
    for m, (i, t) in enumerate(zip(idx, tensors)):
        dims = _static_shape(t, "dynamic_stitch")
        if dims[: i.ndim] != list(i.shape):
            raise InvalidArgumentError(
                f"data[{m}].shape = {dims} does not start with indices[{m}].shape = {list(i.shape)}"
            )
        if inner is not None and dims[i.ndim :] != inner:
            raise InvalidArgumentError(
                f"dynamic_stitch: data[{m}] has slices of shape {dims[i.ndim :]}, data[0] of shape {inner}"
            )
        inner = dims[i.ndim :]
    flat = np.concatenate([i.reshape(-1) for i in idx]).astype(np.int64)
    if (flat < 0).any():
        raise InvalidArgumentError(f"dynamic_stitch: indices[{int(np.argmax(flat < 0))}] is out of range")
    size = int(flat.max()) + 1 if flat.size else 0
    # The position of the last write of each index (-1: never written).
    source = np.full(size, -1, np.int64)
    last = flat.size - 1 - np.unique(flat[::-1], return_index=True)[1]
    source[flat[last]] = last
    rows = concat([reshape(t, [i.size] + inner) for i, t in zip(idx, tensors)], 0)
    out = gather(rows, np.maximum(source, 0))
    written = source >= 0
    if written.all():
        return out
    return where(written.reshape([size] + [1] * len(inner)), out, zeros_like(out))


def _shared_gradient(best: Tensor, current: Tensor, updates: Tensor, compact: np.ndarray, n: int) -> Tensor:
    """``best`` (a constant) plus zero-valued terms through which the gradient reaches every value equal
    to it, split evenly among ties, as TensorFlow's TensorScatterMax/Min gradient."""
    on_t = cast(equal(current, best), best.dtype)
    on_u = cast(equal(updates, gather(best, compact)), best.dtype)
    count = on_t + unsorted_segment_sum(on_u, compact, n)
    from_t = _zero_with_gradient(current) * on_t / count
    from_u = unsorted_segment_sum(_zero_with_gradient(updates) * on_u / gather(count, compact), compact, n)
    return best + from_t + from_u


def _scatter_extreme(
    tensor: Any, indices: Any, updates: Any, op: str, pick: Callable, segment: Callable, at: Any
) -> Tensor:
    t = convert_to_tensor(tensor)
    dims = _static_shape(t, op)
    rows, lead, inner, n_rows = _flat_rows(indices, dims, op)
    u = updates if isinstance(updates, Tensor) else convert_to_tensor(updates, dtype=t.dtype)
    if u.dtype != t.dtype:
        raise TypeError(f"{op}: updates must have the tensor's dtype {t.dtype.name}, received {u.dtype.name}")
    if _static_shape(u, op) != lead + inner:
        raise InvalidArgumentError(
            f"{op}: updates must have shape {lead + inner} (the indices' leading shape and then the slice "
            f"shape), received {u.shape}"
        )
    if rows.size == 0:
        return t
    touched, compact = np.unique(rows, return_inverse=True)
    compact = compact.reshape(-1)
    flat_t = reshape(t, [n_rows] + inner)
    flat_u = reshape(u, [rows.size] + inner)
    current = gather(flat_t, touched)
    if isinstance(flat_t, EagerTensor) and isinstance(flat_u, EagerTensor):
        # Eagerly NumPy combines them in place, without the segment ops' [segments, rows] mask.
        values = current.numpy().copy()
        at(values, compact, flat_u.numpy())
        best = convert_to_tensor(values)
    else:
        best = stop_gradient(pick(current, segment(flat_u, compact, touched.size)))
    if t.dtype.is_floating:
        best = _shared_gradient(best, current, flat_u, compact, touched.size)
    written = unsorted_segment_sum(best, touched, n_rows)
    mask = np.zeros([n_rows] + [1] * len(inner), bool)
    mask[touched] = True
    return reshape(where(mask, written, flat_t), dims)


def tensor_scatter_nd_max(
    tensor: Any, indices: Any, updates: Any, bad_indices_policy: str = "", name: Optional[str] = None
) -> Tensor:
    """``tensor`` with each slice at the index tuples replaced by its maximum with the updates there."""
    return _scatter_extreme(
        tensor, indices, updates, "tensor_scatter_nd_max", maximum, unsorted_segment_max, np.maximum.at
    )


def tensor_scatter_nd_min(
    tensor: Any, indices: Any, updates: Any, bad_indices_policy: str = "", name: Optional[str] = None
) -> Tensor:
    """``tensor`` with each slice at the index tuples replaced by its minimum with the updates there."""
    return _scatter_extreme(
        tensor, indices, updates, "tensor_scatter_nd_min", minimum, unsorted_segment_min, np.minimum.at
    )

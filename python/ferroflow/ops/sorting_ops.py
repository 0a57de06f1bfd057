"""Ordering ops: ``sort``, ``argsort``, ``math.top_k``, ``unique``, ``searchsorted``, ``math.bincount``.

The order is found with NumPy (stable sorts, as TensorFlow's ``stable=True``), so these run eagerly; the
values are then taken with a gather, which carries the gradient back to the sorted input.
"""

from __future__ import annotations

from typing import Any, NamedTuple, Optional

import numpy as np

from ..framework.ops import convert_to_tensor
from ..framework.tensor import EagerTensor, Tensor
from .array_ops import gather, reshape, transpose


def _eager(x: Any, op: str) -> EagerTensor:
    t = convert_to_tensor(x)
    if not isinstance(t, EagerTensor):
        raise NotImplementedError(f"{op} runs eagerly only for now: call it outside tf.function / graphs")
    return t


def _take_along_last(t: Tensor, order: np.ndarray) -> Tensor:
    """``t`` reordered along its last axis by ``order`` (same leading shape), by one flat gather."""
    dims = list(t.shape)
    rows = int(np.prod(dims[:-1])) if len(dims) > 1 else 1
    n = dims[-1]
    flat_index = (order.reshape(rows, -1) + (np.arange(rows) * n)[:, None]).reshape(-1).astype(np.int64)
    return reshape(gather(reshape(t, [-1]), flat_index), list(order.shape))


def _along(t: Tensor, axis: int, fn: Any) -> Any:
    """Applies ``fn`` (working on the last axis) along ``axis`` by moving that axis last and back."""
    rank = len(t.shape)
    axis %= rank
    if axis == rank - 1:
        return fn(t)
    perm = [i for i in range(rank) if i != axis] + [axis]
    back = list(np.argsort(perm))
    return transpose(fn(transpose(t, perm)), back)


def argsort(
    values: Any, axis: int = -1, direction: str = "ASCENDING", stable: bool = False, name: Any = None
) -> Tensor:
    """Indices that sort ``values`` along ``axis`` (int32), ``direction`` "ASCENDING" or "DESCENDING"."""
    if direction not in ("ASCENDING", "DESCENDING"):
        raise ValueError(f"direction must be 'ASCENDING' or 'DESCENDING', received {direction!r}")
    t = _eager(values, "argsort")
    arr = t.numpy()
    order = np.argsort(-arr if direction == "DESCENDING" else arr, axis=axis, kind="stable")
    return convert_to_tensor(order.astype(np.int32))


def sort(values: Any, axis: int = -1, direction: str = "ASCENDING", name: Any = None) -> Tensor:
    """``values`` sorted along ``axis``; the gradient flows back to each element's original position."""
    t = _eager(values, "sort")

    def last_axis(x: Tensor) -> Tensor:
        order = argsort(x, axis=-1, direction=direction).numpy()
        return _take_along_last(x, order)

    return _along(t, axis, last_axis)


class TopKV2(NamedTuple):
    values: Tensor
    indices: Tensor


def top_k(input: Any, k: int = 1, sorted: bool = True, index_type: Any = "int32", name: Any = None) -> TopKV2:  # noqa: A002
    """The ``k`` largest entries of the last axis and their indices (ties: the lower index first)."""
    t = _eager(input, "top_k")
    n = t.shape[-1]
    k = int(k)
    if not 0 <= k <= n:
        from .._core import InvalidArgumentError

        raise InvalidArgumentError(f"top_k: k={k} must be in [0, {n}] (the size of the last axis)")
    order = np.argsort(-t.numpy(), axis=-1, kind="stable")[..., :k]
    return TopKV2(
        _take_along_last(t, order),
        convert_to_tensor(order.astype(np.dtype(str(getattr(index_type, "name", index_type))))),
    )


class UniqueOutput(NamedTuple):
    y: Tensor
    idx: Tensor


def unique(x: Any, out_idx: Any = "int32", name: Any = None) -> UniqueOutput:
    """The distinct elements of a 1-D tensor in order of first appearance, and each element's position in them."""
    t = _eager(x, "unique")
    arr = t.numpy()
    if arr.ndim != 1:
        raise ValueError(f"unique expects a 1-D tensor, received shape {list(arr.shape)}")
    _, first, inverse = np.unique(arr, return_index=True, return_inverse=True)
    by_appearance = np.argsort(first, kind="stable")
    rank = np.empty_like(by_appearance)
    rank[by_appearance] = np.arange(len(by_appearance))
    dtype = np.dtype(str(getattr(out_idx, "name", out_idx)))
    return UniqueOutput(gather(t, np.sort(first).astype(np.int64)), convert_to_tensor(rank[inverse].astype(dtype)))


def searchsorted(
    sorted_sequence: Any, values: Any, side: str = "left", out_type: Any = "int32", name: Any = None
) -> Tensor:
    """Where each of ``values`` would go in each (sorted) row of ``sorted_sequence`` to keep it sorted."""
    if side not in ("left", "right"):
        raise ValueError(f"side must be 'left' or 'right', received {side!r}")
    seq = _eager(sorted_sequence, "searchsorted").numpy()
    vals = _eager(values, "searchsorted").numpy()
    if seq.ndim == 1 and vals.ndim == 1:
        out = np.searchsorted(seq, vals, side=side)
    else:
        if seq.shape[:-1] != vals.shape[:-1]:
            raise ValueError(f"searchsorted needs the same leading shape, received {seq.shape} and {vals.shape}")
        out = np.stack(
            [
                np.searchsorted(s, v, side=side)
                for s, v in zip(seq.reshape(-1, seq.shape[-1]), vals.reshape(-1, vals.shape[-1]))
            ]
        )
        out = out.reshape(vals.shape)
    return convert_to_tensor(out.astype(np.dtype(str(getattr(out_type, "name", out_type)))))


def bincount(
    arr: Any,
    weights: Any = None,
    minlength: Optional[int] = None,
    maxlength: Optional[int] = None,
    dtype: Any = "int32",
    name: Any = None,
    axis: Any = None,
    binary_output: bool = False,
) -> Tensor:
    """How often each non-negative integer occurs in ``arr`` (or the sum of its ``weights``)."""
    from .segment_ops import unsorted_segment_sum

    values = _eager(arr, "bincount")
    if not values.dtype.is_integer:
        raise TypeError(f"bincount expects integers, received {values.dtype.name}")
    flat = values.numpy().reshape(-1)
    if flat.size and flat.min() < 0:
        from .._core import InvalidArgumentError

        raise InvalidArgumentError("bincount expects non-negative values")
    size = int(flat.max()) + 1 if flat.size else 0
    if minlength is not None:
        size = max(size, int(minlength))
    keep = np.arange(flat.size)
    if maxlength is not None:
        size = min(size, int(maxlength))
        keep = np.flatnonzero(flat < size)
    if weights is None:
        if binary_output:
            out = np.zeros(size, np.dtype(str(getattr(dtype, "name", dtype))))
            out[flat[keep]] = 1
            return convert_to_tensor(out)
        counts = np.bincount(flat[keep], minlength=size)[:size]
        return convert_to_tensor(counts.astype(np.dtype(str(getattr(dtype, "name", dtype)))))
    w = reshape(convert_to_tensor(weights), [-1])
    return unsorted_segment_sum(gather(w, keep.astype(np.int64)), flat[keep].astype(np.int64), size)

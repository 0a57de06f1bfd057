"""Ordering ops: ``sort``, ``argsort``, ``math.top_k``, ``unique``, ``searchsorted``, ``math.bincount``.

``sort``, ``argsort``, ``top_k`` and ``unique`` are native ops (a stable sort; first-appearance hashing), so
they run eagerly and in graphs; values are taken with a gather, which carries the gradient back to the
input. ``searchsorted`` and ``bincount`` still run eagerly only.
"""

from __future__ import annotations

import builtins
from typing import Any, NamedTuple, Optional

import numpy as np

from ..framework.dtypes import as_dtype
from ..framework.ops import apply, convert_to_tensor
from ..framework.tensor import EagerTensor, Tensor
from .array_ops import gather, range, reshape, shape, size, transpose


def _eager(x: Any, op: str) -> EagerTensor:
    t = convert_to_tensor(x)
    if not isinstance(t, EagerTensor):
        raise NotImplementedError(f"{op} runs eagerly only for now: call it outside tf.function / graphs")
    return t


def _take_along_last(t: Tensor, order: Tensor) -> Tensor:
    """``t``'s last axis reordered by ``order`` (same leading shape, any length): one flat gather, built from
    shape ops so that it works on sizes known only when a graph runs; the gradient is the gather's."""
    from .array_ops import cast

    n = shape(t, out_type="int64")[-1]
    m = shape(order, out_type="int64")[-1]
    position = range(size(order, out_type="int64"), dtype="int64")
    flat_index = (position // m) * n + reshape(cast(order, "int64"), [-1])
    return apply("reshape_like", [gather(reshape(t, [-1]), flat_index), order])


def _along(t: Tensor, axis: int, fn: Any) -> Any:
    """Applies ``fn`` (working on the last axis) along ``axis`` by moving that axis last and back."""
    rank = t.shape.rank
    if rank is None:
        raise ValueError("sorting along an axis needs a tensor of known rank")
    if rank == 0:
        raise ValueError("sort expects a tensor of rank 1 or more, received a scalar")
    axis = int(axis)
    if not -rank <= axis < rank:
        raise ValueError(f"axis {axis} is out of range for a tensor of rank {rank}")
    axis %= rank
    if axis == rank - 1:
        return fn(t)
    perm = [i for i in builtins.range(rank) if i != axis] + [axis]
    back = [int(i) for i in np.argsort(perm)]
    return transpose(fn(transpose(t, perm)), back)


def _direction(direction: str) -> bool:
    if direction not in ("ASCENDING", "DESCENDING"):
        raise ValueError(f"direction must be 'ASCENDING' or 'DESCENDING', received {direction!r}")
    return direction == "DESCENDING"


def argsort(
    values: Any, axis: int = -1, direction: str = "ASCENDING", stable: bool = False, name: Any = None
) -> Tensor:
    """Indices that sort ``values`` along ``axis`` (int32), ``direction`` "ASCENDING" or "DESCENDING". The
    sort is always stable (ties keep their order), which ``stable=False`` allows."""
    descending = _direction(direction)
    t = convert_to_tensor(values)
    return _along(t, axis, lambda x: apply("argsort", [x], {"descending": descending}, op_name=name))


def sort(values: Any, axis: int = -1, direction: str = "ASCENDING", name: Any = None) -> Tensor:
    """``values`` sorted along ``axis``; the gradient flows back to each element's original position."""
    descending = _direction(direction)
    t = convert_to_tensor(values)
    return _along(t, axis, lambda x: _take_along_last(x, apply("argsort", [x], {"descending": descending})))


class TopKV2(NamedTuple):
    values: Tensor
    indices: Tensor


def top_k(input: Any, k: int = 1, sorted: bool = True, index_type: Any = "int32", name: Any = None) -> TopKV2:  # noqa: A002
    """The ``k`` largest entries of the last axis and their indices (ties: the lower index first)."""
    from .._core import InvalidArgumentError
    from .array_ops import cast

    t = convert_to_tensor(input)
    if t.shape.rank == 0:
        raise InvalidArgumentError("top_k expects a tensor of rank 1 or more, received a scalar")
    if isinstance(k, Tensor) and not isinstance(k, EagerTensor):
        raise TypeError("top_k needs k known when the graph is built (a Python int or an eager tensor)")
    k = int(k)
    n = t.shape[-1]
    if k < 0 or (n is not None and k > n):
        raise InvalidArgumentError(f"top_k: k={k} must be in [0, {n}] (the size of the last axis)")
    order = apply("argsort", [t], {"descending": True})[..., :k]
    return TopKV2(_take_along_last(t, order), cast(order, as_dtype(index_type)))


class UniqueOutput(NamedTuple):
    y: Tensor
    idx: Tensor


def unique_parts(t: Tensor, out_idx: Any, what: str) -> tuple:
    """The distinct values of 1-D ``t`` in order of first appearance, where each first appears (int64),
    and each element's index among them (``out_idx``)."""
    index_dtype = as_dtype(out_idx)
    if index_dtype.name not in ("int32", "int64"):
        raise TypeError(f"{what} out_idx must be int32 or int64, received {index_dtype.name}")
    if t.shape.rank is not None and t.shape.rank != 1:
        from .._core import InvalidArgumentError

        raise InvalidArgumentError(f"{what} expects a 1D vector, received shape {t.shape.as_list()}")
    positions = apply("unique", [t], {"positions": True})
    idx = apply("unique", [t], {"positions": False, "out_idx": index_dtype.name})
    return gather(t, positions), positions, idx


def unique(x: Any, out_idx: Any = "int32", name: Any = None) -> UniqueOutput:
    """The distinct elements of a 1-D tensor in order of first appearance, and each element's position in them
    (NaNs are all distinct and -0.0 equals 0.0, as in TensorFlow)."""
    y, _, idx = unique_parts(convert_to_tensor(x), out_idx, "unique")
    return UniqueOutput(y, idx)


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
    from ..framework.ragged_tensor import RaggedTensor
    from ..framework.sparse_tensor import SparseTensor
    from ._sparse_compose import symbolic
    from .segment_ops import unsorted_segment_sum

    if isinstance(arr, (SparseTensor, RaggedTensor)) or axis == -1 or symbolic(arr, weights):
        # Sparse and ragged inputs, counts per row and graph tensors: the dense form of the sparse counts.
        from .array_ops import cast
        from .sparse_count_ops import counts as sparse_counts
        from .sparse_ops import to_dense

        axis = -1 if axis == -1 else 0
        counts = to_dense(sparse_counts(arr, weights, axis, minlength, maxlength, binary_output, "dense"))
        return counts if weights is not None else cast(counts, dtype)
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

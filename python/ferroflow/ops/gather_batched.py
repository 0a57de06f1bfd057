"""``tf.gather`` with ``batch_dims``: the gather axis moved next to the batch axes, then one ``gather_nd``
over index tuples of length one per batch element, and the axes put back in TensorFlow's order:
``params.shape[:axis] + indices.shape[batch_dims:] + params.shape[axis + 1:]``."""

from __future__ import annotations

from typing import Any, Optional

from ..framework.tensor import Tensor
from .array_ops import expand_dims, transpose


def batched_gather(params: Tensor, indices: Tensor, batch_dims: int, axis: Optional[int]) -> Tensor:
    from .slicing_ops import gather_nd

    p_rank, i_rank = params.shape.rank, indices.shape.rank
    if p_rank is None or i_rank is None:
        raise ValueError("gather with batch_dims needs params and indices of known rank")
    b = batch_dims + i_rank if batch_dims < 0 else batch_dims
    a = b if axis is None else (int(axis) + p_rank if int(axis) < 0 else int(axis))
    if not 0 <= b <= i_rank:
        raise ValueError(f"batch_dims={batch_dims} must be in [-{i_rank}, {i_rank}] for indices of rank {i_rank}")
    if not b <= a < p_rank:
        raise ValueError(f"batch_dims ({b}) must be less than or equal to axis ({a}), below rank {p_rank}")
    if b == i_rank:  # one index per batch element: gather_nd needs an index axis, so add one and drop it
        return _squeeze_index_axis(batched_gather(params, expand_dims(indices, -1), b, a), a)
    perm = list(range(b)) + [a] + [d for d in range(b, p_rank) if d != a]
    moved = transpose(params, perm) if a != b else params
    out = gather_nd(moved, expand_dims(indices, -1), batch_dims=b)
    n_idx, n_mid = i_rank - b, a - b
    if n_mid == 0:
        return out
    rank = b + n_idx + n_mid + (p_rank - a - 1)
    back = list(range(b)) + list(range(b + n_idx, b + n_idx + n_mid)) + list(range(b, b + n_idx))
    return transpose(out, back + list(range(b + n_idx + n_mid, rank)))


def _squeeze_index_axis(out: Any, axis: int) -> Tensor:
    from .array_ops import squeeze

    return squeeze(out, axis=axis)

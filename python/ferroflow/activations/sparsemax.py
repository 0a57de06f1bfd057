"""``sparsemax`` (Martins & Astudillo, 2016): the Euclidean projection of logits onto the probability simplex."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor
from ..ops import array_ops, math_ops
from ..ops.sorting_ops import sort


def sparsemax(x: Any, axis: int = -1) -> Tensor:
    """``max(x - tau, 0)`` with ``tau`` chosen so that the result sums to 1 along ``axis`` (sparse probabilities).

    With the logits sorted in descending order ``z``, the support is the ``k`` largest with
    ``1 + j * z_j > z_1 + ... + z_j``, and ``tau = (z_1 + ... + z_k - 1) / k``. Keras 3.15 sums the cumulative
    sums over the support instead (keras-team/keras#23425, fixed upstream), which breaks the sum to 1 whenever
    two or more logits are in the support; this is the published algorithm.
    """
    logits = convert_to_tensor(x)
    rank = logits.shape.rank
    axis = axis % rank if rank else axis
    size = logits.shape.as_list()[axis]
    if size is None:
        raise ValueError(f"sparsemax needs the size of axis {axis} known, received a tensor of shape {logits.shape}")
    # Work along the last axis (the batch dimensions may be unknown while tracing).
    perm = [d for d in range(rank) if d != axis] + [axis]
    moved = logits if axis == rank - 1 else array_ops.transpose(logits, perm)
    ordered = sort(moved, axis=-1, direction="DESCENDING")
    # Cumulative sums as a product with a lower-triangular matrix of ones: cumulative[i] = sum_{j <= i} z_j.
    lower = convert_to_tensor(np.tril(np.ones((size, size))).astype(moved.dtype.as_numpy_dtype))
    cumulative = math_ops.reduce_sum(array_ops.expand_dims(ordered, -2) * lower, axis=-1)
    r = convert_to_tensor(np.arange(1, size + 1).astype(moved.dtype.as_numpy_dtype))
    support = array_ops.cast(math_ops.greater(1.0 + r * ordered, cumulative), moved.dtype)
    k = math_ops.reduce_sum(support, axis=-1, keepdims=True)
    tau = (math_ops.reduce_sum(ordered * support, axis=-1, keepdims=True) - 1.0) / k
    out = math_ops.maximum(moved - tau, 0.0)
    if axis == rank - 1:
        return out
    return array_ops.transpose(out, [perm.index(d) for d in range(rank)])

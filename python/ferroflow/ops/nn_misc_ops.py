"""Smaller ``tf.nn`` / ``tf.math`` names: ``batch_norm_with_global_normalization``, ``approx_max_k`` /
``approx_min_k`` (exact), and the space-to-batch family (``space_to_batch_nd``, ``batch_to_space_nd``,
``required_space_to_batch_paddings``) as pads, reshapes and transposes."""

from __future__ import annotations

from collections import namedtuple
from typing import Any, Optional

import numpy as np

from .._core import InvalidArgumentError
from ..framework.graph_constants import static_numpy
from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor
from . import array_ops, math_ops
from .tiling_ops import pad

ApproxTopK = namedtuple("ApproxTopK", ["values", "indices"])


def batch_norm_with_global_normalization(
    input: Any,
    mean: Any,
    variance: Any,
    beta: Any,
    gamma: Any,
    variance_epsilon: float,
    scale_after_normalization: bool,
    name: Optional[str] = None,
) -> Tensor:
    """``batch_normalization`` with ``gamma`` applied only if ``scale_after_normalization``."""
    from .normalization_ops import batch_normalization

    return batch_normalization(
        input, mean, variance, beta, gamma if scale_after_normalization else None, variance_epsilon
    )


def _approx_k(operand: Any, k: int, reduction_dimension: int, largest: bool) -> tuple:
    from .sorting_ops import top_k

    x = convert_to_tensor(operand)
    rank = x.shape.rank
    axis = int(reduction_dimension) % rank
    moved = x if axis == rank - 1 else array_ops.transpose(x, [a for a in range(rank) if a != axis] + [axis])
    values, indices = top_k(moved if largest else math_ops.negative(moved), int(k))
    if not largest:
        values = math_ops.negative(values)
    if axis != rank - 1:
        back = list(range(axis)) + [rank - 1] + list(range(axis, rank - 1))
        values, indices = array_ops.transpose(values, back), array_ops.transpose(indices, back)
    return ApproxTopK(values, indices)


def approx_max_k(
    operand: Any,
    k: int,
    reduction_dimension: int = -1,
    recall_target: float = 0.95,
    reduction_input_size_override: int = -1,
    aggregate_to_topk: bool = True,
    name: Optional[str] = None,
) -> tuple:
    """The ``k`` largest values along ``reduction_dimension`` and their int32 indices; exact here (recall 1)."""
    return _approx_k(operand, k, reduction_dimension, True)


def approx_min_k(
    operand: Any,
    k: int,
    reduction_dimension: int = -1,
    recall_target: float = 0.95,
    reduction_input_size_override: int = -1,
    aggregate_to_topk: bool = True,
    name: Optional[str] = None,
) -> tuple:
    """The ``k`` smallest values along ``reduction_dimension`` and their int32 indices; exact here."""
    return _approx_k(operand, k, reduction_dimension, False)


def _ints(value: Any, what: str) -> np.ndarray:
    return np.asarray(static_numpy(value), dtype=np.int64)


def space_to_batch_nd(input: Any, block_shape: Any, paddings: Any, name: Optional[str] = None) -> Tensor:
    """Zero-pads the ``M`` spatial dimensions after the batch by ``paddings`` and moves ``block_shape`` blocks of
    them into the batch: ``[batch * prod(block_shape), padded / block_shape ..., rest]``."""
    x = convert_to_tensor(input)
    block, pads = _ints(block_shape, "block_shape").reshape(-1), _ints(paddings, "paddings").reshape(-1, 2)
    m = len(block)
    dims = x.shape.as_list()
    if len(pads) != m or len(dims) < m + 1:
        raise InvalidArgumentError(
            f"space_to_batch: block_shape {block.tolist()} and paddings {pads.tolist()} do not fit {x.shape}"
        )
    x = pad(x, [[0, 0]] + pads.tolist() + [[0, 0]] * (len(dims) - m - 1)) if pads.any() else x
    padded = [dims[1 + i] + int(pads[i].sum()) for i in range(m)]
    for i in range(m):
        if padded[i] % block[i]:
            raise InvalidArgumentError(f"padded_shape[{i}]={padded[i]} is not divisible by block_shape[{i}]={block[i]}")
    rest = dims[m + 1 :]
    split = [-1]
    for i in range(m):
        split += [padded[i] // int(block[i]), int(block[i])]
    x = array_ops.reshape(x, split + rest)
    perm = (
        [2 + 2 * i for i in range(m)]
        + [0]
        + [1 + 2 * i for i in range(m)]
        + list(range(1 + 2 * m, 1 + 2 * m + len(rest)))
    )
    x = array_ops.transpose(x, perm)
    return array_ops.reshape(x, [-1] + [padded[i] // int(block[i]) for i in range(m)] + rest)


def batch_to_space_nd(input: Any, block_shape: Any, crops: Any, name: Optional[str] = None) -> Tensor:
    """The inverse of ``space_to_batch_nd``: blocks of the batch back into space, then ``crops`` removed."""
    x = convert_to_tensor(input)
    block, crop = _ints(block_shape, "block_shape").reshape(-1), _ints(crops, "crops").reshape(-1, 2)
    m = len(block)
    dims = x.shape.as_list()
    total = int(np.prod(block))
    if dims[0] is not None and dims[0] % total:
        raise InvalidArgumentError(
            f"Input batch dimension ({dims[0]}) is not divisible by product of block sizes ({total})"
        )
    rest = dims[m + 1 :]
    x = array_ops.reshape(x, [int(b) for b in block] + [-1] + dims[1 : m + 1] + rest)
    perm = [m]
    for i in range(m):
        perm += [m + 1 + i, i]
    perm += list(range(2 * m + 1, 2 * m + 1 + len(rest)))
    x = array_ops.transpose(x, perm)
    full = [dims[1 + i] * int(block[i]) for i in range(m)]
    x = array_ops.reshape(x, [-1] + full + rest)
    if not crop.any():
        return x
    specs = [("range", None, None, 1)]
    specs += [("range", int(crop[i, 0]), full[i] - int(crop[i, 1]), 1) for i in range(m)]
    specs += [("range", None, None, 1)] * len(rest)
    from ..framework.ops import apply

    return apply("strided_slice", [x], {"specs": specs})


def space_to_batch(input: Any, block_shape: Any, paddings: Any, name: Optional[str] = None) -> Tensor:
    """TensorFlow 2's ``space_to_batch``: ``space_to_batch_nd``."""
    return space_to_batch_nd(input, block_shape, paddings, name)


def batch_to_space(input: Any, block_shape: Any, crops: Any, name: Optional[str] = None) -> Tensor:
    """TensorFlow 2's ``batch_to_space``: ``batch_to_space_nd``."""
    return batch_to_space_nd(input, block_shape, crops, name)


def required_space_to_batch_paddings(
    input_shape: Any, block_shape: Any, base_paddings: Any = None, name: Optional[str] = None
) -> tuple:
    """``(paddings, crops)``, int32: the least extra end padding that makes ``input_shape`` plus
    ``base_paddings`` divisible by ``block_shape``, and the crops that undo it."""
    shape, block = _ints(input_shape, "input_shape").reshape(-1), _ints(block_shape, "block_shape").reshape(-1)
    base = (
        np.zeros((len(block), 2), np.int64)
        if base_paddings is None
        else _ints(base_paddings, "base_paddings").reshape(-1, 2)
    )
    padded = shape + base[:, 0] + base[:, 1]
    extra = (block - padded % block) % block
    paddings = np.stack([base[:, 0], base[:, 1] + extra], axis=1)
    crops = np.stack([np.zeros_like(extra), extra], axis=1)
    return convert_to_tensor(paddings.astype(np.int32)), convert_to_tensor(crops.astype(np.int32))

"""``tf.nn.fractional_max_pool`` and ``fractional_avg_pool``: pooling regions of random sizes ``k`` or ``k + 1``
for a non-integer ratio (Graham, 2014), drawn as TensorFlow's kernel draws them (a shuffled sequence, or the
pseudo-random ``ceil(alpha (i + u))`` one). The regions are drawn with NumPy when the op is built (so a traced
function keeps one draw); the pooling itself is gathers and segment reductions, rows then columns, so it has
gradients."""

from __future__ import annotations

from collections import namedtuple
from typing import Any, Optional

import numpy as np

from .._core import InvalidArgumentError
from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor
from . import array_ops, random_ops
from .conv_ops import _float_tensor

FractionalPool = namedtuple("FractionalPool", ["output", "row_pooling_sequence", "col_pooling_sequence"])


def _ratios(pooling_ratio: Any) -> list:
    values = [float(r) for r in pooling_ratio] if isinstance(pooling_ratio, (list, tuple)) else [float(pooling_ratio)]
    if len(values) == 1:
        values = [1.0, values[0], values[0], 1.0]
    if len(values) != 4 or values[0] != 1.0 or values[3] != 1.0:
        raise ValueError(
            "`pooling_ratio` should have first and last elements with value 1.0. Received: "
            f"pooling_ratio={pooling_ratio}"
        )
    return values


def _sequence(n_in: int, n_out: int, rng: np.random.Generator, pseudo_random: bool) -> np.ndarray:
    """Region boundaries ``[0, ..., n_in]`` (``n_out + 1`` of them) whose gaps are ``k`` or ``k + 1``."""
    k = n_in // n_out
    if pseudo_random:
        alpha = n_in / n_out
        u_max = min((k + 2) / alpha - 1, (n_in + 1 - k) / alpha - (n_out - 1))
        u = rng.random() * u_max
        points = [1] + [int(np.ceil(alpha * (i + u))) for i in range(1, n_out)] + [n_in + 1]
        diff = np.diff(points)
    else:
        diff = np.full(n_out, k)
        diff[: n_in % n_out] += 1
        rng.shuffle(diff)
    return np.concatenate([[0], np.cumsum(diff)]).astype(np.int64)


def _pool_axis(x: Tensor, axis: int, seq: np.ndarray, overlapping: bool, reduce: str) -> Tensor:
    """Pools ``x`` along ``axis`` over the regions ``[seq[i], seq[i + 1])`` (the end included when
    ``overlapping``, clipped to the input)."""
    from .segment_ops import unsorted_segment_max, unsorted_segment_mean

    n = x.shape[axis]
    rows, ids = [], []
    for i in range(len(seq) - 1):
        end = min(int(seq[i + 1]) if overlapping else int(seq[i + 1]) - 1, n - 1)
        span = list(range(int(seq[i]), end + 1))
        rows += span
        ids += [i] * len(span)
    rank = x.shape.rank
    perm = [axis] + [a for a in range(rank) if a != axis]
    moved = array_ops.gather(array_ops.transpose(x, perm), np.array(rows, np.int64))
    segment = unsorted_segment_max if reduce == "max" else unsorted_segment_mean
    pooled = segment(moved, np.array(ids, np.int64), len(seq) - 1)
    return array_ops.transpose(pooled, list(np.argsort(perm)))


def _fractional_pool(
    value: Any, pooling_ratio: Any, pseudo_random: bool, overlapping: bool, seed: int, reduce: str
) -> tuple:
    x = _float_tensor(value, f"fractional_{reduce}_pool")
    ratios = _ratios(pooling_ratio)
    if x.shape.rank != 4:
        raise ValueError(f"fractional pooling expects 4-D input [batch, height, width, channels], received {x.shape}")
    dims = x.shape.as_list()
    for axis in (1, 2):
        if dims[axis] is None:
            raise ValueError(f"fractional pooling needs the height and width known, received {x.shape}")
        if dims[axis] < ratios[axis]:
            raise InvalidArgumentError(
                f"Pooling ratio is higher than input dimension size for dimension {axis}. Input dim size: "
                f"{dims[axis]} pooling ratio: {ratios[axis]:g}"
            )
    s, step = random_ops.resolve_seed(None if not seed else int(seed))
    rng = np.random.default_rng([s & 0xFFFFFFFF, step])
    rows = _sequence(dims[1], int(np.floor(dims[1] / ratios[1])), rng, pseudo_random)
    cols = _sequence(dims[2], int(np.floor(dims[2] / ratios[2])), rng, pseudo_random)
    out = _pool_axis(_pool_axis(x, 1, rows, overlapping, reduce), 2, cols, overlapping, reduce)
    return FractionalPool(out, convert_to_tensor(rows), convert_to_tensor(cols))


def fractional_max_pool(
    value: Any,
    pooling_ratio: Any,
    pseudo_random: bool = False,
    overlapping: bool = False,
    seed: int = 0,
    name: Optional[str] = None,
) -> tuple:
    """``(output, row_pooling_sequence, col_pooling_sequence)``: the maximum of each region of a
    ``[batch, height, width, channels]`` input reduced by ``pooling_ratio`` (a number or ``[1, rh, rw, 1]``)."""
    return _fractional_pool(value, pooling_ratio, pseudo_random, overlapping, seed, "max")


def fractional_avg_pool(
    value: Any,
    pooling_ratio: Any,
    pseudo_random: bool = False,
    overlapping: bool = False,
    seed: int = 0,
    name: Optional[str] = None,
) -> tuple:
    """``(output, row_pooling_sequence, col_pooling_sequence)``: the mean of each region (see
    ``fractional_max_pool``)."""
    return _fractional_pool(value, pooling_ratio, pseudo_random, overlapping, seed, "avg")

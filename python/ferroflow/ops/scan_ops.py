"""Running sums and products along an axis: ``tf.math.cumsum`` and ``tf.math.cumprod``.

A Hillis-Steele scan: ceil(log2(n)) steps, each combining every element with the one ``2^k`` before it
(the first ``2^k`` with the identity). It is exact for integers, runs as a handful of whole-tensor ops in
eager mode and in graphs, and its gradient comes from those ops' gradients.
"""

from __future__ import annotations

from typing import Any, Callable, Optional

from .._core import InvalidArgumentError
from ..framework.ops import apply, convert_to_tensor
from ..framework.tensor import Tensor
from .array_ops import concat, fill
from .slicing_ops import _axis_range, _static_shape, reverse


def _scan(x: Any, axis: int, exclusive: bool, reverse_: bool, combine: Callable, identity: float, op: str) -> Tensor:
    x = convert_to_tensor(x)
    dims = _static_shape(x, op)
    rank = len(dims)
    if rank == 0:
        raise ValueError(f"{op} needs a tensor of rank at least 1, received a scalar")
    axis = int(axis)
    if not -rank <= axis < rank:
        raise InvalidArgumentError(f"{op} axis {axis} is out of range for a tensor of rank {rank}")
    axis %= rank
    n = dims[axis]
    if n == 0:
        return x
    if reverse_:
        x = reverse(x, [axis])

    def take(t: Tensor, start: int, stop: int) -> Tensor:
        return apply("strided_slice", [t], {"specs": _axis_range(rank, axis, start, stop)})

    def pad_front(t: Tensor, k: int) -> Tensor:
        block = fill(dims[:axis] + [k] + dims[axis + 1 :], convert_to_tensor(identity, dtype=x.dtype))
        return concat([block, take(t, 0, n - k)], axis)

    out = x
    step = 1
    while step < n:
        out = combine(out, pad_front(out, step))
        step *= 2
    if exclusive:
        out = pad_front(out, 1)
    if reverse_:
        out = reverse(out, [axis])
    return out


def cumsum(x: Any, axis: int = 0, exclusive: bool = False, reverse: bool = False, name: Optional[str] = None) -> Tensor:
    """``tf.math.cumsum``: running sums along ``axis``; ``exclusive`` leaves each element out of its own
    sum, ``reverse`` sums from the end."""
    return _scan(x, axis, exclusive, reverse, lambda a, b: a + b, 0, "cumsum")


def cumprod(
    x: Any, axis: int = 0, exclusive: bool = False, reverse: bool = False, name: Optional[str] = None
) -> Tensor:
    """``tf.math.cumprod``: running products along ``axis`` (``exclusive`` and ``reverse`` as ``cumsum``)."""
    return _scan(x, axis, exclusive, reverse, lambda a, b: a * b, 1, "cumprod")

"""A reshape whose gradient does not keep its input alive.

A reshape's own gradient reshapes to the shape of the input it was given, so that input stays alive until
the backward pass, and the forward reshape, finding its input shared, copies it instead of relabelling it
in place (an LSTM(128)'s projected sequence of 100 steps at batch 64 is 13 MB). This one's gradient
reshapes to the static shape known while tracing.
"""

from __future__ import annotations

from typing import Any, Sequence

from ..framework.custom_gradient import custom_gradient
from ..ops import array_ops


def reshape_releasing(x: Any, shape: Sequence[int]) -> Any:
    """``reshape(x, shape)``; a plain reshape when ``x`` has more than one unknown dimension."""
    dims = [-1 if d is None else int(d) for d in tuple(x.shape)]
    if dims.count(-1) > 1:
        return array_ops.reshape(x, list(shape))

    @custom_gradient
    def reshape(value: Any) -> tuple:
        def grad(upstream: Any) -> Any:
            return array_ops.reshape(upstream, dims)

        return array_ops.reshape(value, list(shape)), grad

    return reshape(x)

"""``tf.fill`` (and ``tf.zeros``/``tf.ones``) with sizes that are graph tensors: the value gathered at an index
tensor of zeros whose shape comes from one ``range`` per dimension, broadcast together (any dtype, strings
too)."""

from __future__ import annotations

import builtins
from typing import Any

from ..framework.graph_record import refine_shape as set_shape
from ..framework.ops import convert_to_tensor
from ..framework.tensor import EagerTensor, Tensor


def is_dynamic(dims: Any) -> bool:
    """Whether ``dims`` (a shape) is a graph tensor or lists one."""
    if isinstance(dims, Tensor):
        return not isinstance(dims, EagerTensor)
    return isinstance(dims, (list, tuple)) and any(
        isinstance(d, Tensor) and not isinstance(d, EagerTensor) for d in dims
    )


def fill(dims: Any, value: Tensor) -> Tensor:
    from .array_ops import cast, gather, range, reshape, zeros_like
    from .reshape_dynamic import partial_value

    if isinstance(dims, Tensor):
        if dims.shape.rank != 1 or dims.shape[0] is None:
            raise ValueError(f"fill inside a graph needs dims of known length, received {dims!r}")
        sizes = [dims[k] for k in builtins.range(dims.shape[0])]
    else:
        sizes = list(dims)
    index = convert_to_tensor(0, dtype="int64")
    for k, size in enumerate(sizes):
        axis = zeros_like(range(cast(convert_to_tensor(size), "int64"), dtype="int64"))
        index = index + reshape(axis, [1] * k + [-1] + [1] * (len(sizes) - k - 1))
    out = gather(reshape(value, [1]), index)
    known = partial_value(dims)  # the sizes the graph gives away without running, as TensorFlow's shape
    if known is not None and len(known) == len(sizes):
        set_shape(out.graph, out.node, known)
    return out

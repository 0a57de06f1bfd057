"""The sample shape of the gamma/poisson/binomial samplers: Python ints, or a tensor known only at run time.

``tf.random.gamma([tf.shape(x)[0]], 0.2)`` in a ``Dataset.map`` or a ``tf.function`` with an unknown batch
size has a shape whose values come with the data, as keras.io's MixUp draws its mixing weights. A shape is
kept as a list of ints when every value is known while building (constants, eager tensors), else as a 1-D
int32 tensor next to its static form (``[None]`` for the unknown values).
"""

from __future__ import annotations

from typing import Any, List, Optional, Tuple, Union

import numpy as np

from ..framework.graph_constants import constant_value
from ..framework.tensor import Tensor
from ..framework.tensor_shape import TensorShape

Shape = Union[List[int], Tensor]
Static = List[Optional[int]]


def _ints(values: Any, shape: Any, op: str) -> List[int]:
    values = np.asarray(values).reshape(-1)
    if values.size and values.dtype.kind not in "iu":
        raise TypeError(f"{op} expects shape to be a list of integers, received {shape!r}")
    return [int(v) for v in values]


def sample_shape(shape: Any, op: str) -> Tuple[Shape, Static]:
    """``(shape, static)``: the ints of ``shape`` (twice) when known now, else an int32 vector and its static
    form."""
    from . import array_ops

    if isinstance(shape, TensorShape):
        shape = shape.as_list()
    if isinstance(shape, Tensor):
        known = constant_value(shape)
        if known is not None:
            dims = _ints(known, shape, op)
            return dims, list(dims)
        if not shape.dtype.is_integer:
            raise TypeError(f"{op} expects shape to be a list of integers, received {shape!r}")
        rank = shape.shape.as_list()
        if len(rank) != 1 or rank[0] is None:
            raise ValueError(f"{op} expects shape to be a vector of known length, received {shape!r}")
        return array_ops.cast(shape, "int32"), [None] * rank[0]
    if isinstance(shape, (list, tuple)) and any(isinstance(d, Tensor) for d in shape):
        static: Static = []
        parts = []
        for d in shape:
            known = constant_value(d) if isinstance(d, Tensor) else np.asarray(d)
            if known is not None:
                (value,) = _ints(known, shape, op)
                static.append(value)
                parts.append(value)
            else:
                if not d.dtype.is_integer or d.shape.rank != 0:
                    raise TypeError(f"{op} expects shape to be a list of integers, received {shape!r}")
                static.append(None)
                parts.append(array_ops.cast(d, "int32"))
        if None not in static:
            return list(static), static
        return array_ops.stack(parts), static
    dims = _ints(shape, shape, op)
    return dims, list(dims)


def concat(a: Shape, b: Shape) -> Shape:
    """The shape ``a + b`` (ints when both are, else a tensor)."""
    from . import array_ops

    if isinstance(a, list) and isinstance(b, list):
        return a + b
    return array_ops.concat([array_ops.cast(a, "int32"), array_ops.cast(b, "int32")], 0)


def of(x: Tensor) -> Tuple[Shape, Static]:
    """``x``'s shape: its ints when static, else ``tf.shape(x)``."""
    from . import array_ops

    static = x.shape.as_list()
    return (static, static) if None not in static else (array_ops.shape(x), static)

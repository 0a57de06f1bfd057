"""``tf.where``: an elementwise choice between two tensors, or the coordinates of a condition's true
elements (found by NumPy eagerly, and by a host op while a graph runs, since their count is known only then)."""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from ..framework import context
from ..framework.ops import apply, convert_to_tensor
from ..framework.tensor import EagerTensor, Tensor


def where(condition: Any, x: Any = None, y: Any = None, name: Optional[str] = None) -> Tensor:
    """``tf.where``: elementwise choice with broadcasting, or (x, y None) the indices of true elements."""
    from ..framework.ops import binary_operands
    from .array_ops import cast

    if x is None and y is None:
        cond = convert_to_tensor(condition)
        if isinstance(cond, EagerTensor) and context.current_graph() is None:
            return convert_to_tensor(np.argwhere(np.asarray(cond.numpy(), dtype=bool)).astype(np.int64))
        return _true_coordinates(cond, name)
    if x is None or y is None:
        raise ValueError("where needs both x and y, or neither")
    x, y = binary_operands(x, y)
    cond = convert_to_tensor(condition)
    if not cond.dtype.is_bool:
        cond = cast(cond, "bool")
    if x.dtype.is_complex:  # x is a tensor or a variable here (binary_operands): no conversion, no read
        # The core's select is real-valued: choose the real and imaginary parts apart (gradients follow).
        from .complex_ops import complex as make_complex
        from .complex_ops import imag, real

        return make_complex(
            apply("select", [cond, real(x), real(y)]), apply("select", [cond, imag(x), imag(y)]), name=name
        )
    return apply("select", [cond, x, y], op_name=name)


def _true_coordinates(cond: Tensor, name: Optional[str]) -> Tensor:
    """``where(cond)`` in a graph: the coordinates' count is known only when it runs, so NumPy finds them
    then (a host op; int64 ``[None, rank]``)."""
    from .host_op import host_op

    def coordinates(arrays: list) -> list:
        return [np.argwhere(arrays[0].astype(bool)).astype(np.int64)]

    return host_op(name or "Where", coordinates, [cond], [("int64", [None, cond.shape.rank])])[0]

"""``GradientTape.jacobian`` and ``batch_jacobian``: one backward pass per target element.

Each row of the Jacobian is the gradient of the target weighted by a one-hot ``output_gradients``; the
rows are stacked and reshaped to ``target.shape + source.shape`` (``jacobian``) or, for targets and sources
whose rows are independent examples, ``[batch] + target.shape[1:] + source.shape[1:]`` (``batch_jacobian``).
"""

from __future__ import annotations

from typing import Any, List

import numpy as np

from . import nest
from .tensor import Tensor


def _static_dims(x: Any, what: str) -> List[int]:
    dims = x.shape.as_list() if x.shape.rank is not None else None
    if dims is None or any(d is None for d in dims):
        raise ValueError(f"{what} needs a {what.split()[-1]} of known shape, received shape {x.shape}")
    return dims


def _zeros_for(source: Any, leading: List[int]) -> Tensor:
    from ..ops.array_ops import zeros

    return zeros(leading + _static_dims(source, "jacobian source"), dtype=source.dtype)


def jacobian(tape: Any, target: Any, sources: Any, unconnected_gradients: Any = "none") -> Any:
    """d target / d sources, each shaped ``target.shape + source.shape``; None where unconnected."""
    from ..ops.array_ops import reshape, stack

    target = _as_tensor(target)
    dims = _static_dims(target, "jacobian target")
    size = int(np.prod(dims))
    flat_sources = nest.flatten(sources)
    rows: List[List[Any]] = [[] for _ in flat_sources]
    eye = np.eye(size, dtype=target.dtype.as_numpy_dtype)
    for i in range(size):
        grads = tape._gradient_again(target, flat_sources, eye[i].reshape(dims))
        for r, g in zip(rows, grads):
            r.append(g)
    out = []
    for source, r in zip(flat_sources, rows):
        src_dims = _static_dims(source, "jacobian source")
        if all(g is None for g in r):
            out.append(_zeros_for(source, dims) if _zero(unconnected_gradients) else None)
            continue
        filled = [g if g is not None else _zeros_for(source, []) for g in r]
        out.append(reshape(stack(filled), dims + src_dims) if filled else _zeros_for(source, dims))
    return nest.pack_sequence_as(sources, out)


def batch_jacobian(tape: Any, target: Any, source: Any, unconnected_gradients: Any = "none") -> Any:
    """d target[i] / d source[i] for each example ``i``: ``[batch] + target.shape[1:] + source.shape[1:]``.

    As in TensorFlow, rows are assumed independent (row ``i`` of the target depends only on row ``i`` of
    the source); the result is wrong otherwise, because each pass sums over the batch.
    """
    from ..ops.array_ops import reshape, stack

    target = _as_tensor(target)
    dims = _static_dims(target, "batch_jacobian target")
    src_dims = _static_dims(source, "batch_jacobian source")
    if not dims or not src_dims or dims[0] != src_dims[0]:
        raise ValueError(
            "batch_jacobian needs a target and a source with the same first (batch) dimension, received "
            f"shapes {dims} and {src_dims}"
        )
    batch, inner = dims[0], int(np.prod(dims[1:]))
    eye = np.eye(inner, dtype=target.dtype.as_numpy_dtype)
    rows = []
    for j in range(inner):
        weights = np.broadcast_to(eye[j], (batch, inner)).reshape(dims)
        (g,) = tape._gradient_again(target, [source], weights)
        rows.append(g)
    if all(g is None for g in rows):
        if _zero(unconnected_gradients):
            from ..ops.array_ops import zeros

            return zeros([batch] + dims[1:] + src_dims[1:], dtype=source.dtype)
        return None
    filled = [g if g is not None else _zeros_for(source, []) for g in rows]
    # Each row is [batch, *source[1:]]; stacked on axis 1: [batch, inner, *source[1:]].
    return reshape(stack(filled, axis=1), [batch] + dims[1:] + src_dims[1:])


def _as_tensor(x: Any) -> Any:
    from .ops import convert_to_tensor
    from .variables import Variable

    return x.value() if isinstance(x, Variable) else (x if isinstance(x, Tensor) else convert_to_tensor(x))


def _zero(unconnected_gradients: Any) -> bool:
    return str(getattr(unconnected_gradients, "value", unconnected_gradients)).lower() == "zero"

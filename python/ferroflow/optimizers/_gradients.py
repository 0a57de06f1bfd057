"""Gradients on their way to an update: None filtered out, cast to the variable's dtype, clipped as in Keras 3."""

from __future__ import annotations

import warnings
from typing import Any, Optional

from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor
from ..framework.variables import Variable
from ..ops import array_ops, math_ops


def clip_by_norm(g: Tensor, clipnorm: float) -> Tensor:
    """Scales ``g`` so its L2 norm is at most ``clipnorm``."""
    l2sum = math_ops.reduce_sum(math_ops.square(g), keepdims=True)
    positive = l2sum > 0.0
    # The two-select form keeps sqrt away from 0, whose gradient is infinite (Keras's NaN guard).
    safe = array_ops.where(positive, l2sum, array_ops.ones_like(l2sum))
    l2norm = array_ops.where(positive, math_ops.sqrt(safe), l2sum)
    return g * clipnorm / math_ops.maximum(l2norm, clipnorm)


def global_norm(grads: list) -> Tensor:
    """``sqrt(sum of all squared entries)`` over every gradient, in the first gradient's dtype."""
    total = None
    for g in grads:
        s = math_ops.reduce_sum(math_ops.square(array_ops.cast(g, grads[0].dtype)))
        total = s if total is None else total + s
    return math_ops.sqrt(total)


def clip_by_global_norm(grads: list, clip_norm: float) -> list:
    """Scales all gradients together so their global norm is at most ``clip_norm`` (NaN if the norm is not finite)."""
    use_norm = global_norm(grads)
    scale = clip_norm * math_ops.minimum(1.0 / use_norm, 1.0 / clip_norm)
    scale = scale + (use_norm - use_norm)  # inf or NaN norms make every gradient NaN, as in Keras
    return [g * array_ops.cast(scale, g.dtype) for g in grads]


def clip_gradients(
    grads: list, clipnorm: Optional[float], global_clipnorm: Optional[float], clipvalue: Optional[float]
) -> list:
    """Applies whichever clipping option is set (at most one is, the constructor checks)."""
    if clipnorm and clipnorm > 0:
        return [clip_by_norm(g, clipnorm) for g in grads]
    if global_clipnorm and global_clipnorm > 0:
        return clip_by_global_norm(grads, global_clipnorm)
    if clipvalue and clipvalue > 0:
        return [math_ops.clip_by_value(g, -clipvalue, clipvalue) for g in grads]
    return grads


def check_clip_options(clipnorm: Any, clipvalue: Any, global_clipnorm: Any) -> None:
    if sum(a is not None for a in (clipnorm, clipvalue, global_clipnorm)) > 1:
        raise ValueError(
            "Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set. Received: "
            f"clipnorm={clipnorm}, clipvalue={clipvalue}, global_clipnorm={global_clipnorm}"
        )
    for name, value in (("clipnorm", clipnorm), ("clipvalue", clipvalue), ("global_clipnorm", global_clipnorm)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0):
            raise ValueError(f"`{name}` must be a non-negative number or None. Received: {name}={value!r}")


def filter_empty_gradients(grads: list, variables: list) -> tuple:
    kept = [(g, v) for g, v in zip(grads, variables) if g is not None]
    if not kept:
        raise ValueError("No gradients provided for any variable.")
    if len(kept) < len(grads):
        missing = [v.name for g, v in zip(grads, variables) if g is None]
        warnings.warn(f"Gradients do not exist for variables {missing} when minimizing the loss.", stacklevel=3)
    return [g for g, _ in kept], [v for _, v in kept]


def as_gradient(g: Any, variable: Variable) -> Tensor:
    """The gradient as a tensor of the variable's dtype and shape."""
    g = convert_to_tensor(g, dtype=variable.dtype) if not isinstance(g, Tensor) else g
    if g.dtype != variable.dtype:
        g = array_ops.cast(g, variable.dtype)
    gs, vs = g.shape, variable.shape
    if (
        gs.rank is not None
        and vs.rank is not None
        and (gs.rank != vs.rank or any(a is not None and b is not None and a != b for a, b in zip(gs, vs)))
    ):
        raise ValueError(
            f"gradient of shape {tuple(gs)} does not match variable '{variable.name}' of shape {tuple(vs)}"
        )
    return g


def densified(grads: Any) -> list:
    """The gradients with IndexedSlices made dense: the update rules (moments included) then see the zero rows
    too, as Keras 3 optimizers do when they combine a sparse gradient with their dense slots."""
    from ..framework.indexed_slices import IndexedSlices

    return [convert_to_tensor(g) if isinstance(g, IndexedSlices) else g for g in grads]

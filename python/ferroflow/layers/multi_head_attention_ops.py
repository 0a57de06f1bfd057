"""The computations of ``MultiHeadAttention``: projections, the attention mask and the masked softmax.

Sequences ``(batch, T, dim)`` attended over axis 1 (the usual case) take a path of broadcasting matrix
products with the heads first, ``(batch, heads, T, dim)``, which needs no reshape, so any dimension may be
unknown in a graph. Other ranks and ``attention_axes`` use Keras's einsum equations.
"""

from __future__ import annotations

from typing import Any, Optional

from ..framework.ops import convert_to_tensor
from ..ops import array_ops, math_ops, nn_ops
from ..ops.einsum_ops import einsum
from .attention import causal_mask


def as_bool(mask: Any) -> Any:
    mask = convert_to_tensor(mask)
    return mask if mask.dtype.is_bool else array_ops.cast(mask, "bool")


def project(x: Any, equation: str, kernel: Any, bias: Any) -> Any:
    """Keras's ``EinsumDense``: ``einsum(equation, x, kernel) + bias``."""
    y = einsum(equation, x, kernel)
    return y if bias is None else math_ops.add(y, bias)


def project_heads(x: Any, kernel: Any, bias: Any) -> Any:
    """``(batch, T, dim)`` times a ``(dim, heads, size)`` kernel, as ``(batch, heads, T, size)``."""
    y = math_ops.matmul(array_ops.expand_dims(x, 1), array_ops.transpose(kernel, [1, 0, 2]))
    if bias is not None:
        y = math_ops.add(y, array_ops.expand_dims(bias, 1))
    return y


def output_heads(x: Any, kernel: Any, bias: Any) -> Any:
    """``(batch, heads, T, value_dim)`` times a ``(heads, value_dim, out)`` kernel, summed over the heads."""
    y = math_ops.reduce_sum(math_ops.matmul(x, kernel), axis=1)
    return y if bias is None else math_ops.add(y, bias)


def attention_mask(
    query: Any,
    value: Any,
    query_mask: Any,
    value_mask: Any,
    key_mask: Any,
    explicit: Any,
    use_causal_mask: bool,
    sliding_window: Optional[int],
) -> Any:
    """Keras's ``_compute_attention_mask``: ``(batch, T, S)`` booleans (None when nothing is masked)."""
    parts = []
    if explicit is not None:
        parts.append(as_bool(explicit))
    if query_mask is not None:
        parts.append(array_ops.expand_dims(as_bool(query_mask), -1))
    for m in (value_mask, key_mask):
        if m is not None:
            parts.append(array_ops.expand_dims(as_bool(m), -2))
    if use_causal_mask:
        parts.append(causal_mask(query, value))
    if sliding_window is not None:
        rows = array_ops.expand_dims(array_ops.range(array_ops.shape(query)[1]), -1)
        cols = array_ops.expand_dims(array_ops.range(array_ops.shape(value)[1]), 0)
        parts.append(array_ops.expand_dims(math_ops.less(math_ops.abs(rows - cols), sliding_window), 0))
    if not parts:
        return None
    mask = parts[0]
    for p in parts[1:]:
        mask = math_ops.logical_and(mask, p)
    return mask


def masked_softmax(scores: Any, mask: Any, n_attention_axes: int, norm_axes: tuple) -> Any:
    """Softmax over ``norm_axes`` with masked scores replaced by a large negative number (Keras's ``Softmax``)."""
    if mask is not None:
        axis = -n_attention_axes * 2 - 1  # the heads axis, which the mask lacks
        for _ in range(scores.shape.rank - mask.shape.rank):
            mask = array_ops.expand_dims(mask, axis)
        # Keras's Softmax layer: -1e9, or -3e4 in float16
        fill = array_ops.zeros_like(scores) + (-3e4 if scores.dtype.name == "float16" else -1e9)
        scores = array_ops.where(mask, scores, fill)
    if len(norm_axes) == 1:
        return nn_ops.softmax(scores, axis=norm_axes[0])
    axes = list(norm_axes)
    e = math_ops.exp(math_ops.subtract(scores, math_ops.reduce_max(scores, axis=axes, keepdims=True)))
    return math_ops.divide(e, math_ops.reduce_sum(e, axis=axes, keepdims=True))

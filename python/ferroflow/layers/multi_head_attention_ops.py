"""The computations of ``MultiHeadAttention``: projections, the attention mask and the masked softmax.

Sequences ``(batch, T, dim)`` attended over axis 1 (the usual case) take a path with the heads first,
``(batch, heads, T, dim)``: the projections are single matrix products over the batch x T rows when at
most one of batch and T is unknown, else products broadcast over the heads, which need no reshape. Other
ranks and ``attention_axes`` use Keras's einsum equations.
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


def _rows_shape(x: Any) -> Optional[list]:
    """``x``'s leading dimensions for a reshape back from rows, -1 for the one unknown; None if two are."""
    lead = [-1 if d is None else int(d) for d in tuple(x.shape)[:-1]]
    return None if lead.count(-1) > 1 else lead


def project_heads(x: Any, kernel: Any, bias: Any) -> Any:
    """``(batch, T, dim)`` times a ``(dim, heads, size)`` kernel, as ``(batch, heads, T, size)``.

    With at most one of batch and T unknown, one matrix product over all batch x T rows, then
    transposed. Else a product broadcast over the heads, whose gradients are per head and batch and then
    summed: heads x the input's size for the input, batch x the kernel's for the kernel. The input is
    multiplied as the stack of matrices it is (the product runs over its rows as one matrix): reshaped to
    rows first, it was copied, since the query, key, value and the residual all read it.
    """
    lead = _rows_shape(x)
    if lead is None:
        y = math_ops.matmul(array_ops.expand_dims(x, 1), array_ops.transpose(kernel, [1, 0, 2]))
        return y if bias is None else math_ops.add(y, array_ops.expand_dims(bias, 1))
    dim, heads, size = (int(d) for d in kernel.shape)
    y = math_ops.matmul(x, array_ops.reshape(kernel, [dim, heads * size]))
    if bias is not None:
        y = math_ops.add(y, array_ops.reshape(bias, [heads * size]))
    return array_ops.transpose(array_ops.reshape(y, lead + [heads, size]), [0, 2, 1, 3])


def output_heads(x: Any, kernel: Any, bias: Any) -> Any:
    """``(batch, heads, T, value_dim)`` times a ``(heads, value_dim, out)`` kernel, summed over the heads:
    one matrix product over the rows of the heads side by side, when at most one of batch and T is
    unknown; else per head, then summed."""
    heads, size, out = (int(d) for d in kernel.shape)
    batch, steps = tuple(x.shape)[0], tuple(x.shape)[2]
    if batch is None and steps is None:
        y = math_ops.reduce_sum(math_ops.matmul(x, kernel), axis=1)
        return y if bias is None else math_ops.add(y, bias)
    rows = array_ops.reshape(array_ops.transpose(x, [0, 2, 1, 3]), [-1, heads * size])
    y = math_ops.matmul(rows, array_ops.reshape(kernel, [heads * size, out]))
    if bias is not None:
        y = math_ops.add(y, bias)
    return array_ops.reshape(y, [-1 if batch is None else int(batch), -1 if steps is None else int(steps), out])


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
        # Keras's Softmax layer: -1e9, or -3e4 in float16. A scalar, which the select broadcasts: a filled
        # tensor of the scores' size would cost two more passes forward and a select backward.
        fill = convert_to_tensor(-3e4 if scores.dtype.name == "float16" else -1e9, dtype=scores.dtype)
        scores = array_ops.where(mask, scores, fill)
    if len(norm_axes) == 1:
        return nn_ops.softmax(scores, axis=norm_axes[0])
    axes = list(norm_axes)
    e = math_ops.exp(math_ops.subtract(scores, math_ops.reduce_max(scores, axis=axes, keepdims=True)))
    return math_ops.divide(e, math_ops.reduce_sum(e, axis=axes, keepdims=True))

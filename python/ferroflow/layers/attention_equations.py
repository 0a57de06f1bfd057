"""Einsum equations of ``MultiHeadAttention`` (Keras's construction, so kernels have Keras's layouts)."""

from __future__ import annotations

import string
from typing import Any

import numpy as np


def _letter(i: int) -> str:
    return string.ascii_lowercase[i]


def projection_equation(free_dims: int, bound_dims: int, output_dims: int) -> tuple:
    """``(equation, bias_axes, output_rank)`` of a dense projection: ``abc,cde->abde`` for (3-d input, 1, 2)."""
    input_str = kernel_str = output_str = bias_axes = ""
    for i in range(free_dims):
        input_str += _letter(i)
        output_str += _letter(i)
    for i in range(free_dims, free_dims + bound_dims):
        input_str += _letter(i)
        kernel_str += _letter(i)
    for i in range(free_dims + bound_dims, free_dims + bound_dims + output_dims):
        kernel_str += _letter(i)
        output_str += _letter(i)
        bias_axes += _letter(i)
    return f"{input_str},{kernel_str}->{output_str}", bias_axes, len(output_str)


def attention_equations(rank: int, attn_axes: tuple) -> tuple:
    """``(dot_product_equation, combine_equation, scores_rank)`` for projected tensors of ``rank``
    (``(batch, ..., heads, dim)``) attending over ``attn_axes``."""
    target = "".join(_letter(i) for i in range(rank))
    batch_dims = tuple(np.delete(range(rank), attn_axes + (rank - 1,)))
    offset = rank
    source = ""
    for i in range(rank):
        if i in batch_dims or i == rank - 1:
            source += target[i]
        else:
            source += _letter(offset)
            offset += 1
    product = "".join([target[i] for i in batch_dims] + [target[i] for i in attn_axes] + [source[i] for i in attn_axes])
    return f"{source},{target}->{product}", f"{product},{source}->{target}", len(product)


def fan_preserving(initializer: Any, in_dims: int) -> Any:
    """``initializer`` for an einsum kernel: variance-scaling ones see the fans of the matrix the kernel
    flattens to (contracted dims in, the rest out), as Keras's ``EinsumDense`` arranges."""
    from ..initializers.random_initializers import VarianceScaling

    if not isinstance(initializer, VarianceScaling):
        return initializer

    def init(shape: Any, dtype: Any = None, **kwargs: Any) -> Any:
        from ..ops import array_ops

        shape = tuple(shape)
        matrix = (int(np.prod(shape[:in_dims])), int(np.prod(shape[in_dims:])))
        return array_ops.reshape(initializer(matrix, dtype=dtype), shape)

    return init

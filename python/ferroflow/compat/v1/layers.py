"""``tf.compat.v1.layers``: TF1's functional layers, built from ``get_variable`` so scopes and reuse apply:
``dense`` here, ``conv2d`` / pooling / ``flatten`` in layers_conv.py, the other convolutions and pools in
layers_more.py, ``dropout`` / ``batch_normalization`` in layers_norm.py, and the layer classes (``Dense``,
``Conv2D`` ...) in layers_classes.py."""

from __future__ import annotations

from typing import Any, Optional

from ...framework.ops import convert_to_tensor
from . import initializers as init_ops
from .layers_classes import (  # noqa: F401
    AveragePooling1D,
    AveragePooling2D,
    AveragePooling3D,
    BatchNormalization,
    Conv1D,
    Conv2D,
    Conv2DTranspose,
    Conv3D,
    Conv3DTranspose,
    Dense,
    Dropout,
    Flatten,
    Layer,
    MaxPooling1D,
    MaxPooling2D,
    MaxPooling3D,
    SeparableConv1D,
    SeparableConv2D,
)
from .layers_conv import average_pooling2d, conv2d, flatten, max_pooling2d
from .layers_more import (
    average_pooling1d,
    average_pooling3d,
    conv1d,
    conv2d_transpose,
    conv3d,
    conv3d_transpose,
    max_pooling1d,
    max_pooling3d,
    separable_conv1d,
    separable_conv2d,
)
from .layers_norm import batch_normalization, dropout
from .variable_scope import get_variable, variable_scope

__all__ = [
    "average_pooling2d",
    "batch_normalization",
    "conv2d",
    "dense",
    "dropout",
    "flatten",
    "max_pooling2d",
    "average_pooling1d",
    "average_pooling3d",
    "conv1d",
    "conv2d_transpose",
    "conv3d",
    "conv3d_transpose",
    "max_pooling1d",
    "max_pooling3d",
    "separable_conv1d",
    "separable_conv2d",
    "AveragePooling1D",
    "AveragePooling2D",
    "AveragePooling3D",
    "BatchNormalization",
    "Conv1D",
    "Conv2D",
    "Conv2DTranspose",
    "Conv3D",
    "Conv3DTranspose",
    "Dense",
    "Dropout",
    "Flatten",
    "Layer",
    "MaxPooling1D",
    "MaxPooling2D",
    "MaxPooling3D",
    "SeparableConv1D",
    "SeparableConv2D",
]


def dense(
    inputs: Any,
    units: int,
    activation: Any = None,
    use_bias: bool = True,
    kernel_initializer: Any = None,
    bias_initializer: Any = None,
    kernel_regularizer: Any = None,
    bias_regularizer: Any = None,
    activity_regularizer: Any = None,
    kernel_constraint: Any = None,
    bias_constraint: Any = None,
    trainable: bool = True,
    name: Optional[str] = None,
    reuse: Any = None,
) -> Any:
    """``activation(inputs @ kernel + bias)`` with variables ``<name>/kernel`` and ``<name>/bias``."""
    from ... import matmul

    x = convert_to_tensor(inputs)
    last = x.shape[-1] if x.shape.rank else None
    if last is None:
        raise ValueError(f"The last dimension of the inputs to `dense` should be defined, received shape {x.shape}")
    with variable_scope(name, default_name="dense", reuse=reuse):
        kernel = get_variable(
            "kernel",
            [last, units],
            dtype=x.dtype,
            initializer=kernel_initializer,
            regularizer=kernel_regularizer,
            trainable=trainable,
        )
        y = matmul(x, kernel) if x.shape.rank == 2 else _matmul_nd(x, kernel, last, units)
        if use_bias:
            bias = get_variable(
                "bias",
                [units],
                dtype=x.dtype,
                initializer=bias_initializer if bias_initializer is not None else init_ops.Zeros(),
                regularizer=bias_regularizer,
                trainable=trainable,
            )
            y = y + bias
        if activation is not None:
            from ... import activations

            y = activations.get(activation)(y) if isinstance(activation, str) else activation(y)
    return y


def _matmul_nd(x: Any, kernel: Any, last: int, units: int) -> Any:
    """Applies the kernel to the last axis of a rank > 2 input, as a 2-D product."""
    from ... import concat, matmul, reshape, shape

    flat = matmul(reshape(x, [-1, last]), kernel)
    return reshape(flat, concat([shape(x)[:-1], [units]], axis=0))


from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals(), hidden=("convert_to_tensor", "get_variable", "variable_scope"))

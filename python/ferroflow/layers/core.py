"""``Dense`` and ``Activation``."""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from ..ops import math_ops
from . import _resolve
from .base_layer import Layer
from .input_spec import InputSpec


class Dense(Layer):
    """``output = activation(inputs @ kernel + bias)``, on the last axis of the input."""

    def __init__(
        self,
        units: int,
        activation: Any = None,
        use_bias: bool = True,
        kernel_initializer: Any = "glorot_uniform",
        bias_initializer: Any = "zeros",
        kernel_regularizer: Any = None,
        bias_regularizer: Any = None,
        activity_regularizer: Any = None,
        kernel_constraint: Any = None,
        bias_constraint: Any = None,
        lora_rank: Optional[int] = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        if isinstance(units, bool) or not isinstance(units, (int, np.integer)) or units <= 0:
            raise ValueError(
                f"Received an invalid value for `units`, expected a positive integer. Received: units={units}"
            )
        self.units = int(units)
        self.activation = _resolve.activation(activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = _resolve.initializer(kernel_initializer)
        self.bias_initializer = _resolve.initializer(bias_initializer)
        self.kernel_regularizer = _resolve.regularizer(kernel_regularizer)
        self.bias_regularizer = _resolve.regularizer(bias_regularizer)
        self.kernel_constraint = _resolve.constraint(kernel_constraint)
        self.bias_constraint = _resolve.constraint(bias_constraint)
        self.input_spec = InputSpec(min_ndim=2)
        self.supports_masking = True

    def build(self, input_shape: Any) -> None:
        input_dim = input_shape[-1]
        if input_dim is None:
            raise ValueError(
                f"The last dimension of the inputs to a Dense layer should be defined. Found None. "
                f"Full input shape received: {tuple(input_shape)}"
            )
        self.kernel = self.add_weight(
            shape=(input_dim, self.units),
            initializer=self.kernel_initializer,
            name="kernel",
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
        )
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                shape=(self.units,),
                initializer=self.bias_initializer,
                name="bias",
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )
        self.input_spec = InputSpec(min_ndim=2, axes={-1: input_dim})
        self.built = True

    def call(self, inputs: Any) -> Any:
        from ..framework.sparse_tensor import SparseTensor

        if isinstance(inputs, SparseTensor):
            # As Keras's Dense: a sparse-dense product, never densifying the (often very wide) input.
            from ..ops.array_ops import cast
            from ..ops.sparse_ops import sparse_dense_matmul

            if inputs.dtype != self.kernel.dtype:
                inputs = inputs.with_values(cast(inputs.values, self.kernel.dtype))
            x = sparse_dense_matmul(inputs, self.kernel)
            if self.bias is not None:
                x = math_ops.add(x, self.bias)
            return x if self.activation is None else self.activation(x)
        if inputs.dtype != self.kernel.dtype:
            from ..ops.array_ops import cast

            inputs = cast(inputs, self.kernel.dtype)
        x = math_ops.matmul(inputs, self.kernel)
        if self.bias is not None:
            x = math_ops.add(x, self.bias)
        # As Keras 3: `layer.activation = None` (Grad-CAM's way to read logits) leaves the output linear.
        return x if self.activation is None else self.activation(x)

    def compute_output_shape(self, input_shape: Any) -> tuple:
        return tuple(input_shape)[:-1] + (self.units,)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            units=self.units,
            activation=_resolve.serialize_activation(self.activation),
            use_bias=self.use_bias,
            kernel_initializer=_resolve.serialize_initializer(self.kernel_initializer),
            bias_initializer=_resolve.serialize_initializer(self.bias_initializer),
            kernel_regularizer=_resolve.serialize(self.kernel_regularizer),
            bias_regularizer=_resolve.serialize(self.bias_regularizer),
            activity_regularizer=_resolve.serialize(self.activity_regularizer),
            kernel_constraint=_resolve.serialize(self.kernel_constraint),
            bias_constraint=_resolve.serialize(self.bias_constraint),
        )
        return config


class Activation(Layer):
    """Applies an activation function (``Activation("relu")``)."""

    def __init__(self, activation: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.activation = _resolve.activation(activation)
        self.supports_masking = True

    def call(self, inputs: Any) -> Any:
        return self.activation(inputs)

    def compute_output_shape(self, input_shape: Any) -> tuple:
        return tuple(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config["activation"] = _resolve.serialize_activation(self.activation)
        return config

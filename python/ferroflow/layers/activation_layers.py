"""Activation layers: ``ReLU`` and ``Softmax``."""

from __future__ import annotations

from typing import Any, Optional

from ..ops import math_ops, nn_ops
from .base_layer import Layer


class ReLU(Layer):
    """``min(max(x, 0), max_value)``, with ``negative_slope * (x - threshold)`` below ``threshold``."""

    def __init__(
        self, max_value: Optional[float] = None, negative_slope: float = 0.0, threshold: float = 0.0, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        if max_value is not None and max_value < 0:
            raise ValueError(f"max_value of a ReLU layer cannot be negative. Received: max_value={max_value}")
        if negative_slope is None or negative_slope < 0:
            raise ValueError(f"negative_slope of a ReLU layer cannot be negative. Received: {negative_slope}")
        if threshold is None or threshold < 0:
            raise ValueError(f"threshold of a ReLU layer cannot be negative. Received: {threshold}")
        self.max_value = max_value
        self.negative_slope = float(negative_slope)
        self.threshold = float(threshold)

    def call(self, inputs: Any) -> Any:
        x = inputs
        if self.threshold == 0 and self.negative_slope == 0:
            y = nn_ops.relu(x)
        else:
            from ..ops.array_ops import where

            above = math_ops.greater_equal(x, self.threshold)
            y = where(above, x, math_ops.multiply(math_ops.subtract(x, self.threshold), self.negative_slope))
        if self.max_value is not None:
            y = math_ops.minimum(y, float(self.max_value))
        return y

    def compute_output_shape(self, input_shape: Any) -> tuple:
        return tuple(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(max_value=self.max_value, negative_slope=self.negative_slope, threshold=self.threshold)
        return config


class Softmax(Layer):
    """Softmax along ``axis``; an optional ``mask`` (true = keep) drives masked entries to 0."""

    def __init__(self, axis: int = -1, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.axis = axis

    def call(self, inputs: Any, mask: Any = None) -> Any:
        if mask is not None:
            from ..ops.array_ops import cast

            inputs = math_ops.add(inputs, math_ops.multiply(1.0 - cast(mask, inputs.dtype), -1e9))
        if isinstance(self.axis, (list, tuple)):
            e = math_ops.exp(
                math_ops.subtract(inputs, math_ops.reduce_max(inputs, axis=list(self.axis), keepdims=True))
            )
            return math_ops.divide(e, math_ops.reduce_sum(e, axis=list(self.axis), keepdims=True))
        return nn_ops.softmax(inputs, axis=self.axis)

    def compute_output_shape(self, input_shape: Any) -> tuple:
        return tuple(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config["axis"] = list(self.axis) if isinstance(self.axis, (list, tuple)) else self.axis
        return config

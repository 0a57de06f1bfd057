"""Activation layers: ``ReLU``, ``Softmax``, ``LeakyReLU``, ``ELU`` and ``PReLU``."""

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
        self.supports_masking = True

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
        self.supports_masking = True

    def call(self, inputs: Any, mask: Any = None) -> Any:
        if mask is not None:  # as Keras: masked entries (False, or <= 0.5) become a large negative number
            from ..framework.ops import convert_to_tensor
            from ..ops.array_ops import where, zeros_like

            mask = convert_to_tensor(mask)
            keep = mask if mask.dtype.is_bool else math_ops.greater(mask, 0.5)
            fill = zeros_like(inputs) + (-3e4 if inputs.dtype.name == "float16" else -1e9)
            inputs = where(keep, inputs, fill)
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


class LeakyReLU(Layer):
    """``x`` where positive, ``negative_slope * x`` elsewhere (Keras 3's name; ``alpha`` is the legacy one)."""

    def __init__(self, negative_slope: float = 0.3, **kwargs: Any) -> None:
        if "alpha" in kwargs:
            negative_slope = kwargs.pop("alpha")
        super().__init__(**kwargs)
        if negative_slope is None or negative_slope < 0:
            raise ValueError(
                "The negative_slope value of a Leaky ReLU layer cannot be None or negative value. "
                f"Expected a float. Received: negative_slope={negative_slope}"
            )
        self.negative_slope = float(negative_slope)
        self.supports_masking = True

    def call(self, inputs: Any) -> Any:
        return nn_ops.leaky_relu(inputs, alpha=self.negative_slope)

    def compute_output_shape(self, input_shape: Any) -> tuple:
        return tuple(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config["negative_slope"] = self.negative_slope
        return config


class ELU(Layer):
    """``x`` where positive, ``alpha * (exp(x) - 1)`` elsewhere."""

    def __init__(self, alpha: float = 1.0, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.alpha = float(alpha)
        self.supports_masking = True

    def call(self, inputs: Any) -> Any:
        out = nn_ops.elu(inputs)
        if self.alpha == 1.0:
            return out
        from ..ops.array_ops import where

        return where(math_ops.greater(inputs, 0.0), inputs, math_ops.multiply(out, self.alpha))

    def compute_output_shape(self, input_shape: Any) -> tuple:
        return tuple(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config["alpha"] = self.alpha
        return config


class PReLU(Layer):
    """Leaky ReLU whose slope ``alpha`` is learned, one per feature (shared along ``shared_axes``)."""

    def __init__(
        self,
        alpha_initializer: Any = "Zeros",
        alpha_regularizer: Any = None,
        alpha_constraint: Any = None,
        shared_axes: Any = None,
        **kwargs: Any,
    ) -> None:
        from . import _resolve

        super().__init__(**kwargs)
        self.alpha_initializer = _resolve.initializer(alpha_initializer)
        self.alpha_regularizer = _resolve.regularizer(alpha_regularizer)
        self.alpha_constraint = _resolve.constraint(alpha_constraint)
        self.supports_masking = True
        if shared_axes is None:
            self.shared_axes = None
        else:
            self.shared_axes = [
                int(a) for a in (shared_axes if isinstance(shared_axes, (list, tuple)) else [shared_axes])
            ]

    def build(self, input_shape: Any) -> None:
        shape = list(tuple(input_shape)[1:])
        for axis in self.shared_axes or []:
            shape[axis - 1] = 1
        self.alpha = self.add_weight(
            name="alpha",
            shape=shape,
            initializer=self.alpha_initializer,
            regularizer=self.alpha_regularizer,
            constraint=self.alpha_constraint,
        )
        self.built = True

    def call(self, inputs: Any) -> Any:
        positive = nn_ops.relu(inputs)
        negative = math_ops.multiply(self.alpha, math_ops.minimum(inputs, 0.0))
        return math_ops.add(positive, negative)

    def compute_output_shape(self, input_shape: Any) -> tuple:
        return tuple(input_shape)

    def get_config(self) -> dict:
        from . import _resolve

        config = super().get_config()
        config.update(
            alpha_initializer=_resolve.serialize_initializer(self.alpha_initializer),
            alpha_regularizer=_resolve.serialize(self.alpha_regularizer),
            alpha_constraint=_resolve.serialize(self.alpha_constraint),
            shared_axes=self.shared_axes,
        )
        return config

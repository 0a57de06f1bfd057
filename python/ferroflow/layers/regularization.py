"""``Dropout`` (inverted dropout while training, the identity at inference) and ``ActivityRegularization``."""

from __future__ import annotations

from typing import Any, Optional

from ..ops import nn_ops
from .base_layer import Layer


class Dropout(Layer):
    """Sets inputs to 0 with probability ``rate`` while training and scales the rest by ``1 / (1 - rate)``."""

    def __init__(self, rate: float, noise_shape: Any = None, seed: Optional[int] = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if not isinstance(rate, (int, float)) or isinstance(rate, bool) or not 0 <= rate < 1:
            raise ValueError(
                f"Invalid value received for argument `rate`. Expected a float value between 0 and 1. "
                f"Received: rate={rate}"
            )
        self.rate = float(rate)
        self.noise_shape = None if noise_shape is None else tuple(noise_shape)
        self.seed = seed
        self.supports_masking = True

    def call(self, inputs: Any, training: Any = False) -> Any:
        if not training or self.rate == 0:
            return inputs
        noise_shape = None
        if self.noise_shape is not None:
            shape = tuple(inputs.shape)
            if any(shape[i] is None for i, d in enumerate(self.noise_shape) if d is None):
                # A size known only when the graph runs (the batch): taken from the input's run-time shape.
                from ..ops.array_ops import shape as dynamic_shape

                shape = tuple(dynamic_shape(inputs)[i] if n is None else n for i, n in enumerate(shape))
            noise_shape = [shape[i] if d is None else d for i, d in enumerate(self.noise_shape)]
        return nn_ops.dropout(inputs, self.rate, noise_shape=noise_shape, seed=self.seed)

    def compute_output_shape(self, input_shape: Any) -> tuple:
        return tuple(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            rate=self.rate, seed=self.seed, noise_shape=None if self.noise_shape is None else list(self.noise_shape)
        )
        return config


class ActivityRegularization(Layer):
    """Passes its input through and adds ``l1 * sum(|x|) + l2 * sum(x^2)`` of it to the model's losses."""

    def __init__(self, l1: float = 0.0, l2: float = 0.0, **kwargs: Any) -> None:
        from ..regularizers import L1L2

        super().__init__(activity_regularizer=L1L2(l1=l1, l2=l2), **kwargs)
        self.l1, self.l2 = float(l1), float(l2)
        self.supports_masking = True

    def call(self, inputs: Any) -> Any:
        return inputs

    def compute_output_shape(self, input_shape: Any) -> tuple:
        return tuple(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(l1=self.l1, l2=self.l2)
        return config

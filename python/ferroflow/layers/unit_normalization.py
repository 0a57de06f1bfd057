"""``UnitNormalization``: Keras 3's layer scaling each sample to unit L2 norm over ``axis``."""

from __future__ import annotations

from typing import Any

from .base_layer import Layer


class UnitNormalization(Layer):
    """Scales each sample to unit L2 norm over ``axis``."""

    def __init__(self, axis: Any = -1, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.axis = axis if isinstance(axis, int) else list(axis)
        self.supports_masking = True

    def call(self, inputs: Any) -> Any:
        from ..ops.math_ops import l2_normalize

        return l2_normalize(inputs, axis=self.axis, epsilon=1e-12)

    def compute_output_shape(self, input_shape: Any) -> tuple:
        return tuple(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config["axis"] = self.axis
        return config

"""``Flatten`` and ``Reshape``."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..ops import array_ops
from .base_layer import Layer


def _prod(dims: Any) -> Any:
    return None if any(d is None for d in dims) else int(np.prod(dims, dtype=np.int64))


class Flatten(Layer):
    """Flattens every axis but the batch axis: ``(batch, 28, 28)`` -> ``(batch, 784)``."""

    def __init__(self, data_format: Any = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.data_format = data_format or "channels_last"

    def call(self, inputs: Any) -> Any:
        shape = tuple(inputs.shape)
        if len(shape) == 0:
            raise ValueError(f'Layer "{self.name}" expects an input with a batch axis, received a scalar')
        if len(shape) == 1:
            return array_ops.expand_dims(inputs, 1)
        if self.data_format == "channels_first" and len(shape) > 2:
            inputs = array_ops.transpose(inputs, [0] + list(range(2, len(shape))) + [1])
            shape = (shape[0],) + shape[2:] + (shape[1],)
        rest = _prod(shape[1:])
        if rest is not None:
            return array_ops.reshape(inputs, [-1, rest])
        if shape[0] is not None:
            return array_ops.reshape(inputs, [shape[0], -1])
        raise ValueError(f'Layer "{self.name}" cannot flatten an input of shape {shape}: two unknown axes')

    def compute_output_shape(self, input_shape: Any) -> tuple:
        shape = tuple(input_shape)
        return (shape[0], _prod(shape[1:]) if len(shape) > 1 else 1)

    def get_config(self) -> dict:
        config = super().get_config()
        config["data_format"] = self.data_format
        return config


class Reshape(Layer):
    """Reshapes every axis but the batch axis to ``target_shape`` (one entry may be -1)."""

    def __init__(self, target_shape: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        try:
            self.target_shape = tuple(int(d) for d in target_shape)
        except (TypeError, ValueError):
            raise ValueError(
                f"`target_shape` must be a tuple of integers (one of them may be -1). Received: {target_shape!r}"
            ) from None
        if any(d < -1 for d in self.target_shape):
            raise ValueError(
                "`target_shape` entries must be non-negative integers or -1 (one unknown dimension). "
                f"Received: target_shape={self.target_shape}"
            )
        if sum(1 for d in self.target_shape if d == -1) > 1:
            raise ValueError(f"There must be at most one unknown dimension (-1) in target_shape: {self.target_shape}")

    def _resolve(self, input_shape: tuple) -> tuple:
        target = list(self.target_shape)
        total = _prod(input_shape[1:])
        known = int(np.prod([d for d in target if d != -1], dtype=np.int64))
        if total is None:
            return tuple(None if d == -1 else d for d in target)
        if -1 in target:
            if known == 0 or total % known:
                raise ValueError(
                    f"total size of the input ({total}) is not divisible by the known target dimensions "
                    f"{self.target_shape} in layer '{self.name}'"
                )
            target[target.index(-1)] = total // known
        elif known != total:
            raise ValueError(
                f"total size of the new array must be unchanged, input_shape = {list(input_shape[1:])}, "
                f"output_shape = {list(self.target_shape)}"
            )
        return tuple(target)

    def call(self, inputs: Any) -> Any:
        target = self._resolve(tuple(inputs.shape))
        return array_ops.reshape(inputs, [-1] + [-1 if d is None else d for d in target])

    def compute_output_shape(self, input_shape: Any) -> tuple:
        return (tuple(input_shape)[0],) + self._resolve(tuple(input_shape))

    def get_config(self) -> dict:
        config = super().get_config()
        config["target_shape"] = list(self.target_shape)
        return config

"""Regularizing noise, active only while training: ``SpatialDropout1D/2D/3D``, ``GaussianNoise`` and
``GaussianDropout``."""

from __future__ import annotations

from typing import Any, Optional

from ..framework.ops import apply
from ..ops import math_ops, nn_ops, random_ops
from ._conv_utils import data_format_of
from .base_layer import Layer
from .input_spec import InputSpec


def _check_rate(rate: Any) -> float:
    if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not 0 <= rate < 1:
        raise ValueError(
            f"Invalid value received for argument `rate`. Expected a float value between 0 and 1. Received: rate={rate}"
        )
    return float(rate)


class _SpatialDropout(Layer):
    """Dropout of whole feature maps: one keep-or-drop per (sample, channel), shared over the spatial axes."""

    rank = 2

    def __init__(self, rate: float, data_format: Optional[str] = None, seed: Optional[int] = None, **kwargs: Any):
        super().__init__(**kwargs)
        self.rate = _check_rate(rate)
        self.seed = seed
        self.data_format = "channels_last" if self.rank == 1 else data_format_of(data_format)
        self.input_spec = InputSpec(ndim=self.rank + 2)

    def call(self, inputs: Any, training: Any = False) -> Any:
        if not training or self.rate == 0:
            return inputs
        shape = list(inputs.shape)
        channels_last = self.data_format == "channels_last"
        keep = [0, len(shape) - 1] if channels_last else [0, 1]
        # one random value per (sample, channel): the first element of each feature map's spatial extent
        specs = [("range", None, None, 1) if i in keep else ("range", 0, 1, 1) for i in range(len(shape))]
        per_map = apply("strided_slice", [inputs], {"specs": specs})
        mask = nn_ops.dropout(apply("fill_like", [per_map], {"value": 1.0, "dtype": None}), self.rate, seed=self.seed)
        return math_ops.multiply(inputs, mask)

    def compute_output_shape(self, input_shape: Any) -> tuple:
        return tuple(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(rate=self.rate, seed=self.seed, dtype=self.dtype_policy.name)  # Keras 3: a name here
        if self.rank > 1:
            config["data_format"] = self.data_format
        return config


class SpatialDropout1D(_SpatialDropout):
    """Drops whole channels of sequences ``(batch, steps, channels)``."""

    rank = 1

    def __init__(self, rate: float, seed: Optional[int] = None, **kwargs: Any) -> None:
        super().__init__(rate, None, seed, **kwargs)
        self.supports_masking = True


class SpatialDropout2D(_SpatialDropout):
    """Drops whole feature maps of images."""

    rank = 2


class SpatialDropout3D(_SpatialDropout):
    """Drops whole feature maps of volumes ``(batch, depth, height, width, channels)``."""

    rank = 3


class GaussianNoise(Layer):
    """Adds zero-centred Gaussian noise of standard deviation ``stddev`` while training."""

    def __init__(self, stddev: float, seed: Optional[int] = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if not 0 <= stddev <= 1:
            raise ValueError(
                "Invalid value received for argument `stddev`. Expected a float between 0 and 1. "
                f"Received: stddev={stddev}"
            )
        self.stddev, self.seed = float(stddev), seed
        self.supports_masking = True

    def call(self, inputs: Any, training: Any = False) -> Any:
        if not training or self.stddev == 0:
            return inputs
        s, step = random_ops.resolve_seed(self.seed)
        noise = apply("random_normal", [inputs], {"seed": s, "step": step, "dtype": inputs.dtype.name})
        return math_ops.add(inputs, math_ops.multiply(noise, self.stddev))

    def compute_output_shape(self, input_shape: Any) -> tuple:
        return tuple(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(stddev=self.stddev, seed=self.seed)
        return config


class GaussianDropout(Layer):
    """Multiplies by Gaussian noise of mean 1 and standard deviation ``sqrt(rate / (1 - rate))`` while training."""

    def __init__(self, rate: float, seed: Optional[int] = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.rate, self.seed = _check_rate(rate), seed
        self.supports_masking = True

    def call(self, inputs: Any, training: Any = False) -> Any:
        if not training or self.rate == 0:
            return inputs
        s, step = random_ops.resolve_seed(self.seed)
        noise = apply("random_normal", [inputs], {"seed": s, "step": step, "dtype": inputs.dtype.name})
        stddev = (self.rate / (1.0 - self.rate)) ** 0.5
        return math_ops.multiply(inputs, math_ops.add(math_ops.multiply(noise, stddev), 1.0))

    def compute_output_shape(self, input_shape: Any) -> tuple:
        return tuple(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(rate=self.rate, seed=self.seed)
        return config

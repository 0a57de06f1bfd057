"""Random image augmentations, active only while training (identity at inference) and seeded: ``RandomFlip``,
``RandomContrast`` and ``RandomBrightness``, drawing one value per image."""

from __future__ import annotations

from typing import Any, Optional

from ..framework.ops import apply
from ..ops import array_ops, math_ops, random_ops
from ._augment import base_factor
from ._conv_utils import data_format_of
from .base_layer import Layer
from .preprocessing import _as_float


def _spatial(inputs: Any, data_format: str) -> tuple:
    """(height axis, width axis) of a 3-D image or 4-D batch."""
    rank = len(inputs.shape)
    if data_format == "channels_last":
        return rank - 3, rank - 2
    return rank - 2, rank - 1


def _per_image(inputs: Any) -> Any:
    """A ``[batch, 1, 1, 1]`` slice of a batch (``[1, 1, 1]`` of one image): the shape of per-image draws."""
    specs = [("range", None, None, 1)] + [("range", 0, 1, 1)] * (len(inputs.shape) - 1)
    if len(inputs.shape) == 3:
        specs = [("range", 0, 1, 1)] * 3
    return apply("strided_slice", [inputs], {"specs": specs})


class RandomFlip(Layer):
    """While training, flips each image left-right and/or up-down at random (``"horizontal"``,
    ``"vertical"`` or ``"horizontal_and_vertical"``); the identity at inference."""

    _allow_non_tensor_positional_args = True  # a preprocessing layer, as in Keras

    def __init__(
        self,
        mode: str = "horizontal_and_vertical",
        seed: Optional[int] = None,
        data_format: Optional[str] = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        if mode not in ("horizontal", "vertical", "horizontal_and_vertical"):
            raise ValueError(
                "RandomFlip layer mode must be one of 'horizontal', 'vertical' or 'horizontal_and_vertical'. "
                f"Received: mode={mode}"
            )
        self.mode, self.seed = mode, seed
        self.data_format = data_format_of(data_format)

    def call(self, inputs: Any, training: Any = True) -> Any:
        x = _as_float(inputs, self.compute_dtype)
        if not training:
            return x
        h_axis, w_axis = _spatial(x, self.data_format)
        for axis, wanted in ((w_axis, "horizontal"), (h_axis, "vertical")):
            if wanted in self.mode:
                coin = random_ops.uniform_like(_per_image(x), seed=self.seed)
                specs = [("range", None, None, 1)] * len(x.shape)
                specs[axis] = ("range", None, None, -1)  # reversed, whatever the batch size
                mirrored = apply("strided_slice", [x], {"specs": specs})
                x = array_ops.where(math_ops.less(coin, 0.5), mirrored, x)
        return x

    def compute_output_shape(self, input_shape: Any) -> tuple:
        return tuple(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(mode=self.mode, seed=self.seed, data_format=self.data_format)
        return config


class RandomContrast(Layer):
    """While training, scales each image's deviation from its per-channel mean by a random factor in
    ``[1 - lower, 1 + upper]``, then clips to ``value_range``. As in Keras 3, one number ``f`` in ``[0, 1]``
    gives ``(lower, upper) = (0, f)``, i.e. factors in ``[1, 1 + f]``; a pair is sorted into ``(lower,
    upper)``."""

    _allow_non_tensor_positional_args = True  # a preprocessing layer, as in Keras

    def __init__(
        self,
        factor: Any,
        value_range: Any = (0, 255),
        seed: Optional[int] = None,
        data_format: Optional[str] = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        # Keras's contrast factor bounds are [0, 1]: a number f becomes (max(-|f|, 0), |f|) = (0, f).
        self.factor = base_factor(factor, bounds=(0, 1))
        self.value_range, self.seed = tuple(value_range), seed
        self.data_format = data_format_of(data_format)

    def call(self, inputs: Any, training: Any = True) -> Any:
        x = _as_float(inputs, self.compute_dtype)
        if not training:
            return x
        if len(x.shape) not in (3, 4):
            raise ValueError(f"Expected the input image to be rank 3 or 4. Received inputs.shape={tuple(x.shape)}")
        lower, upper = self.factor
        u = random_ops.uniform_like(_per_image(x), seed=self.seed)
        factor = math_ops.add(math_ops.multiply(u, lower + upper), 1.0 - lower)
        mean = math_ops.reduce_mean(x, axis=list(_spatial(x, self.data_format)), keepdims=True)
        out = math_ops.add(math_ops.multiply(math_ops.subtract(x, mean), factor), mean)
        return math_ops.minimum(math_ops.maximum(out, float(self.value_range[0])), float(self.value_range[1]))

    def compute_output_shape(self, input_shape: Any) -> tuple:
        return tuple(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(data_format=self.data_format, factor=self.factor, value_range=self.value_range, seed=self.seed)
        return config


class RandomBrightness(Layer):
    """While training, adds to each image a random delta in ``factor``'s range times the width of
    ``value_range`` (``factor`` one number ``f`` for ``(-f, f)``, or ``(lower, upper)``, within ``[-1, 1]``),
    then clips to ``value_range``."""

    _allow_non_tensor_positional_args = True  # a preprocessing layer, as in Keras

    def __init__(self, factor: Any, value_range: Any = (0, 255), seed: Optional[int] = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.factor = base_factor(factor)
        if not isinstance(value_range, (tuple, list)) or len(value_range) != 2:
            raise ValueError(
                f"The `value_range` argument should be a list of two numbers. Received: value_range={value_range}"
            )
        self.value_range, self.seed = sorted(value_range), seed

    def call(self, inputs: Any, training: Any = True) -> Any:
        x = _as_float(inputs, self.compute_dtype)
        if not training:
            return x
        if len(x.shape) not in (3, 4):
            raise ValueError(f"Expected the input image to be rank 3 or 4. Received inputs.shape={x.shape}")
        lower, upper = self.factor
        low, high = float(self.value_range[0]), float(self.value_range[1])
        u = random_ops.uniform_like(_per_image(x), seed=self.seed)
        delta = math_ops.multiply(math_ops.add(math_ops.multiply(u, upper - lower), lower), high - low)
        return math_ops.minimum(math_ops.maximum(math_ops.add(x, delta), low), high)

    def compute_output_shape(self, input_shape: Any) -> tuple:
        return tuple(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(factor=self.factor, value_range=self.value_range, seed=self.seed)
        return config

"""Random geometric augmentations with Keras 3's arguments and formulas: ``RandomRotation``, ``RandomZoom`` and
``RandomTranslation``. Active only while training (the identity at inference); each image of a batch draws its
own parameters, and the image is resampled by one projective transform (``image_projective_transform_v3``)."""

from __future__ import annotations

import math
from typing import Any, Optional

from ..ops import array_ops, math_ops
from ..ops.image_transform_ops import image_projective_transform_v3
from ._augment import FILL_MODES, INTERPOLATIONS, base_factor, check_choice, column, per_image_uniform
from ._augment import symmetric_factor as _symmetric
from ._conv_utils import data_format_of
from .base_layer import Layer
from .preprocessing import _as_float


def _matrix(*columns: Any) -> Any:
    """A ``[batch, 8]`` transform from eight ``[batch, 1]`` columns or Python numbers (constant columns)."""
    like = next(c for c in columns if not isinstance(c, (int, float)))
    zeros = array_ops.zeros_like(like)
    return array_ops.concat([math_ops.add(zeros, c) if isinstance(c, (int, float)) else c for c in columns], axis=1)


def _between(u: Any, lower: float, upper: float) -> Any:
    """Uniform draws ``u`` in ``[0, 1)`` mapped to ``[lower, upper)``, as ``keras.random.uniform``."""
    return math_ops.add(math_ops.multiply(u, float(upper - lower)), float(lower))


class _RandomAffine(Layer):
    """An augmentation that resamples each image by a random affine transform: subclasses give the number of
    draws per image and build the ``[batch, 8]`` transforms from them and the image's height and width."""

    _allow_non_tensor_positional_args = True  # a preprocessing layer, as in Keras

    _draws = 1

    def __init__(
        self,
        fill_mode: str = "reflect",
        interpolation: str = "bilinear",
        seed: Optional[int] = None,
        fill_value: float = 0.0,
        data_format: Optional[str] = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.fill_mode = check_choice(fill_mode, "fill_mode", FILL_MODES)
        self.interpolation = check_choice(interpolation, "interpolation", INTERPOLATIONS)
        self.seed, self.fill_value = seed, fill_value
        self.data_format = data_format_of(data_format)

    def _transforms(self, u: Any, height: int, width: int) -> Any:
        raise NotImplementedError

    def call(self, inputs: Any, training: Any = True) -> Any:
        x = _as_float(inputs, self.compute_dtype)
        if not training:
            return x
        rank = len(x.shape)
        if rank not in (3, 4):
            raise ValueError(
                f"Expected image tensor to have rank 3 (single image) or 4 (batch of images). Received: "
                f"inputs.shape={x.shape}"
            )
        if rank == 3:
            x = array_ops.expand_dims(x, 0)
        if self.data_format == "channels_first":
            x = array_ops.transpose(x, [0, 2, 3, 1])
        height, width = int(x.shape[1]), int(x.shape[2])
        transforms = self._transforms(per_image_uniform(x, self._draws, self.seed), height, width)
        out = image_projective_transform_v3(
            x, transforms, (height, width), float(self.fill_value), self.interpolation, self.fill_mode
        )
        if self.data_format == "channels_first":
            out = array_ops.transpose(out, [0, 3, 1, 2])
        return array_ops.squeeze(out, [0]) if rank == 3 else out

    def compute_output_shape(self, input_shape: Any) -> tuple:
        return tuple(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            fill_mode=self.fill_mode,
            interpolation=self.interpolation,
            seed=self.seed,
            fill_value=self.fill_value,
            data_format=self.data_format,
        )
        return config


class RandomRotation(_RandomAffine):
    """While training, rotates each image about its centre by a random angle in ``[lower, upper] * 360``
    degrees (``factor`` a fraction of a full turn: one number for ``(-factor, factor)`` or ``(lower, upper)``;
    positive is counter-clockwise), filling what comes from outside the image by ``fill_mode``."""

    def __init__(
        self,
        factor: Any,
        fill_mode: str = "reflect",
        interpolation: str = "bilinear",
        seed: Optional[int] = None,
        fill_value: float = 0.0,
        data_format: Optional[str] = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(fill_mode, interpolation, seed, fill_value, data_format, **kwargs)
        self.factor = base_factor(factor)

    def _transforms(self, u: Any, height: int, width: int) -> Any:
        degrees = _between(u, self.factor[0] * 360.0, self.factor[1] * 360.0)
        angle = math_ops.multiply(degrees, math.pi / 180.0)
        cos, sin = math_ops.cos(angle), math_ops.sin(angle)
        cx, cy = 0.5 * (width - 1), 0.5 * (height - 1)
        # rotation about (cx, cy): Keras's affine matrix with no scaling, shear or translation
        a2 = math_ops.add(math_ops.subtract(cx, math_ops.multiply(cos, cx)), math_ops.multiply(sin, cy))
        b2 = math_ops.subtract(math_ops.subtract(cy, math_ops.multiply(sin, cx)), math_ops.multiply(cos, cy))
        return _matrix(cos, math_ops.negative(sin), a2, sin, cos, b2, 0.0, 0.0)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(factor=self.factor)
        return config


class RandomZoom(_RandomAffine):
    """While training, zooms each image about its centre: the height by ``1 + z`` for a random ``z`` in
    ``height_factor``'s range (a positive factor zooms out, a negative one in), the width by ``width_factor``'s
    or, when that is None, by the same amount as the height (preserving the aspect ratio)."""

    _draws = 2

    def __init__(
        self,
        height_factor: Any,
        width_factor: Any = None,
        fill_mode: str = "reflect",
        interpolation: str = "bilinear",
        seed: Optional[int] = None,
        fill_value: float = 0.0,
        data_format: Optional[str] = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(fill_mode, interpolation, seed, fill_value, data_format, **kwargs)
        self.height_factor, self.width_factor = height_factor, width_factor
        self.height_lower, self.height_upper = _symmetric(height_factor, "height_factor", low_open=True)
        if width_factor is not None:
            self.width_lower, self.width_upper = _symmetric(width_factor, "width_factor", low_open=True)

    def _transforms(self, u: Any, height: int, width: int) -> Any:
        zoom_h = _between(column(u, 0), 1.0 + self.height_lower, 1.0 + self.height_upper)
        zoom_w = zoom_h
        if self.width_factor is not None:
            zoom_w = _between(column(u, 1), 1.0 + self.width_lower, 1.0 + self.width_upper)
        x_offset = math_ops.multiply((width - 1.0) / 2.0, math_ops.subtract(1.0, zoom_w))
        y_offset = math_ops.multiply((height - 1.0) / 2.0, math_ops.subtract(1.0, zoom_h))
        return _matrix(zoom_w, 0.0, x_offset, 0.0, zoom_h, y_offset, 0.0, 0.0)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(height_factor=self.height_factor, width_factor=self.width_factor)
        return config


class RandomTranslation(_RandomAffine):
    """While training, shifts each image by a random fraction of its height (in ``height_factor``'s range;
    positive is down) and of its width (``width_factor``; positive is right), filling by ``fill_mode``."""

    _draws = 2

    def __init__(
        self,
        height_factor: Any,
        width_factor: Any,
        fill_mode: str = "reflect",
        interpolation: str = "bilinear",
        seed: Optional[int] = None,
        fill_value: float = 0.0,
        data_format: Optional[str] = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(fill_mode, interpolation, seed, fill_value, data_format, **kwargs)
        self.height_factor, self.width_factor = height_factor, width_factor
        self.height_lower, self.height_upper = _symmetric(height_factor, "height_factor")
        self.width_lower, self.width_upper = _symmetric(width_factor, "width_factor")

    def _transforms(self, u: Any, height: int, width: int) -> Any:
        dy = math_ops.multiply(_between(column(u, 0), self.height_lower, self.height_upper), float(height))
        dx = math_ops.multiply(_between(column(u, 1), self.width_lower, self.width_upper), float(width))
        return _matrix(1.0, 0.0, math_ops.negative(dx), 0.0, 1.0, math_ops.negative(dy), 0.0, 0.0)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(height_factor=self.height_factor, width_factor=self.width_factor)
        return config

"""Random colour augmentations with Keras 3's arguments and formulas: ``RandomHue``, ``RandomSaturation``,
``RandomGrayscale``, ``RandomColorDegeneration`` and ``RandomColorJitter`` (brightness, contrast, saturation and
hue in turn). Active only while training; each image of a batch draws its own amounts."""

from __future__ import annotations

from typing import Any, Optional

from ..ops import array_ops, math_ops
from ..ops.image_color_ops import hsv_to_rgb, rgb_to_hsv
from ._augment import base_factor, column
from ._image_layer import ImageLayer, between, clip, luma, per_image, rescale, value_range_of

EPSILON = 1e-7  # keras.config.epsilon()


def _with_channel(hsv: Any, index: int, channel: Any) -> Any:
    parts = [hsv[..., i] for i in range(3)]
    parts[index] = channel
    return array_ops.stack(parts, axis=-1)


def shift_hue(images: Any, delta: Any, value_range: Any) -> Any:
    """RGB images (in ``value_range``) with their hue turned by ``delta`` ([batch, 1]) of a full turn."""
    hsv = rgb_to_hsv(rescale(images, value_range, (0, 1)))
    h = math_ops.add(hsv[..., 0], array_ops.reshape(delta, [-1, 1, 1]))
    h = array_ops.where(math_ops.greater(h, 1.0), math_ops.subtract(h, 1.0), h)
    h = array_ops.where(math_ops.less(h, 0.0), math_ops.add(h, 1.0), h)
    rgb = clip(hsv_to_rgb(_with_channel(hsv, 0, h)), 0.0, 1.0)
    return rescale(rgb, (0, 1), value_range)


def scale_saturation(images: Any, draw: Any, value_range: Any) -> Any:
    """Keras's saturation change for a drawn ``draw`` ([batch, 1]): the HSV saturation times
    ``draw / (1 - draw + epsilon)``, clipped to ``value_range`` (the images are used in their own range)."""
    factor = math_ops.divide(draw, math_ops.add(math_ops.subtract(1.0, draw), EPSILON))
    hsv = rgb_to_hsv(images)
    s = clip(math_ops.multiply(hsv[..., 1], array_ops.reshape(factor, [-1, 1, 1])), *value_range)
    return hsv_to_rgb(_with_channel(hsv, 1, s))


class RandomHue(ImageLayer):
    """While training, turns each RGB image's hue by a random ``±f / 2`` of a full turn, ``f`` drawn from
    ``factor``'s range (one number ``f`` means ``(0, f)``, within ``[0, 1]``); the sign is random too."""

    def __init__(
        self,
        factor: Any,
        value_range: Any = (0, 255),
        data_format: Optional[str] = None,
        seed: Optional[int] = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(seed, data_format, **kwargs)
        self.factor = base_factor(factor, bounds=(0, 1))
        self.value_range = value_range

    def _augment(self, images: Any) -> Any:
        u = self._uniform(images, 2)
        sign = array_ops.where(math_ops.greater(column(u, 0), 0.5), -1.0, 1.0)
        delta = math_ops.multiply(math_ops.multiply(sign, between(column(u, 1), *self.factor)), 0.5)
        return shift_hue(images, delta, self.value_range)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(factor=self.factor, value_range=self.value_range, seed=self.seed)
        return config


class RandomSaturation(ImageLayer):
    """While training, multiplies each RGB image's HSV saturation by ``f / (1 - f)`` for a random ``f`` in
    ``factor``'s range (one number ``f`` means ``(-f, f)``, within ``[-1, 1]``): 0.5 keeps the image, 0 makes it
    gray, 1 saturates it."""

    def __init__(
        self,
        factor: Any,
        value_range: Any = (0, 255),
        data_format: Optional[str] = None,
        seed: Optional[int] = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(seed, data_format, **kwargs)
        self.factor = base_factor(factor)
        self.value_range = value_range_of(value_range)

    def _augment(self, images: Any) -> Any:
        draw = between(self._uniform(images, 1), *self.factor)
        return scale_saturation(images, draw, self.value_range)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(factor=self.factor, value_range=self.value_range, seed=self.seed)
        return config


class RandomGrayscale(ImageLayer):
    """While training, replaces each image by its luma (repeated over the channels) with probability
    ``factor``; the output keeps the input's dtype."""

    _cast_in_training = False  # Keras converts integer images to gray and back, keeping their dtype

    def __init__(
        self, factor: float = 0.5, data_format: Optional[str] = None, seed: Optional[int] = None, **kwargs: Any
    ) -> None:
        super().__init__(seed, data_format, **kwargs)
        if not isinstance(factor, (int, float)) or isinstance(factor, bool):
            raise TypeError(f"`factor` should be a number between 0 and 1. Received: factor={factor}")
        if factor < 0 or factor > 1:
            raise ValueError(f"`factor` should be between 0 and 1. Received: factor={factor}")
        self.factor = factor

    def _augment(self, images: Any) -> Any:
        flt = images if images.dtype.is_floating else array_ops.cast(images, "float32")
        gray = luma(flt)
        if gray.dtype != images.dtype:
            gray = array_ops.cast(gray, images.dtype)  # truncates, as tf.cast does
        gray = array_ops.concat([gray] * int(images.shape[-1]), axis=-1)
        chosen = math_ops.less(per_image(self._uniform(images, 1)), float(self.factor))
        return array_ops.where(chosen, gray, images)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(factor=self.factor)  # Keras keeps no seed here
        return config


def _three_channels(input_shape: Any, data_format: str) -> None:
    if len(input_shape) not in (3, 4):
        raise ValueError(
            "Invalid images rank: expected rank 3 (single image) or rank 4 (batch of images). "
            f"Received: input_shape={tuple(input_shape)}"
        )
    channels = input_shape[-1 if data_format == "channels_last" else -3]
    if channels is not None and channels != 3:
        raise ValueError(f"Input images must have 3 channels, but received images with {channels} channels.")


class RandomColorDegeneration(ImageLayer):
    """While training, moves each image towards its luma by a random ``f`` of ``factor``'s range (one number
    ``f`` means ``(-f, f)``): ``image + f * (gray - image)``, clipped to ``value_range``."""

    def __init__(
        self,
        factor: Any,
        value_range: Any = (0, 255),
        data_format: Optional[str] = None,
        seed: Optional[int] = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(seed, data_format, **kwargs)
        self.factor = base_factor(factor)
        self.value_range = value_range_of(value_range)

    def _augment(self, images: Any) -> Any:
        f = per_image(between(self._uniform(images, 1), *self.factor))
        out = math_ops.add(images, math_ops.multiply(f, math_ops.subtract(luma(images), images)))
        return clip(out, *self.value_range)

    def compute_output_shape(self, input_shape: Any) -> tuple:
        _three_channels(input_shape, self.data_format)
        return tuple(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(factor=self.factor, value_range=self.value_range, seed=self.seed)
        return config


class RandomColorJitter(ImageLayer):
    """While training, applies in turn the random brightness, contrast, saturation and hue changes of
    ``RandomBrightness``, ``RandomContrast``, ``RandomSaturation`` and ``RandomHue`` for each factor given
    (None skips that step), all in ``value_range``."""

    def __init__(
        self,
        value_range: Any = (0, 255),
        brightness_factor: Any = None,
        contrast_factor: Any = None,
        saturation_factor: Any = None,
        hue_factor: Any = None,
        seed: Optional[int] = None,
        data_format: Optional[str] = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(seed, data_format, **kwargs)
        self.value_range = value_range
        self.brightness_factor, self.contrast_factor = brightness_factor, contrast_factor
        self.saturation_factor, self.hue_factor = saturation_factor, hue_factor
        # each step's factor is checked as its own layer checks it
        self._brightness = None if brightness_factor is None else base_factor(brightness_factor)
        self._contrast = None if contrast_factor is None else base_factor(contrast_factor, bounds=(0, 1))
        self._saturation = None if saturation_factor is None else base_factor(saturation_factor)
        self._hue = None if hue_factor is None else base_factor(hue_factor, bounds=(0, 1))
        if brightness_factor is not None:
            self._sorted_range = value_range_of(value_range)

    def _augment(self, images: Any) -> Any:
        u = self._uniform(images, 5)
        x = images
        if self._brightness is not None:
            low, high = self._sorted_range
            delta = math_ops.multiply(between(column(u, 0), *self._brightness), float(high) - float(low))
            x = clip(math_ops.add(x, per_image(delta)), low, high)
        if self._contrast is not None:
            # Keras draws the contrast factor from [1 - lower, 1 + upper]
            factor = per_image(between(column(u, 1), 1.0 - self._contrast[0], 1.0 + self._contrast[1]))
            mean = math_ops.reduce_mean(x, axis=[1, 2], keepdims=True)
            x = math_ops.add(math_ops.multiply(math_ops.subtract(x, mean), factor), mean)
            x = clip(x, *self.value_range)
        if self._saturation is not None:
            x = scale_saturation(x, between(column(u, 2), *self._saturation), value_range_of(self.value_range))
        if self._hue is not None:
            sign = array_ops.where(math_ops.greater(column(u, 3), 0.5), -1.0, 1.0)
            delta = math_ops.multiply(math_ops.multiply(sign, between(column(u, 4), *self._hue)), 0.5)
            x = shift_hue(x, delta, self.value_range)
        return x

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            value_range=self.value_range,
            brightness_factor=self.brightness_factor,
            contrast_factor=self.contrast_factor,
            saturation_factor=self.saturation_factor,
            hue_factor=self.hue_factor,
            seed=self.seed,
        )
        return config

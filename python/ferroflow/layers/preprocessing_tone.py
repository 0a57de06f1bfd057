"""Tone curves of Keras 3's image preprocessing: ``RandomInvert``, ``Solarization``, ``RandomPosterization``
(random, active only while training), ``AutoContrast`` (always on) and ``Equalization`` (histogram equalization
of each channel over the batch, while training). Pixel values are worked on the ``(0, 255)`` scale, mapped
from and back to ``value_range``."""

from __future__ import annotations

from typing import Any, Optional

from ..framework.ops import apply
from ..ops import array_ops, math_ops
from ..ops.scan_ops import cumsum
from ._augment import _is_number, base_factor, column
from ._image_layer import ImageLayer, between, clip, per_image, rescale, value_range_of


class RandomInvert(ImageLayer):
    """While training, replaces each image by ``value_range[1] - image`` with a probability drawn from
    ``factor``'s range (one number ``f`` means ``(0, f)``, within ``[0, 1]``)."""

    def __init__(
        self,
        factor: Any = 1.0,
        value_range: Any = (0, 255),
        seed: Optional[int] = None,
        data_format: Optional[str] = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(seed, data_format, **kwargs)
        self.factor = base_factor(factor, bounds=(0, 1))
        self.value_range = value_range

    def _augment(self, images: Any) -> Any:
        u = self._uniform(images, 2)
        chosen = math_ops.less(column(u, 1), between(column(u, 0), *self.factor))
        return array_ops.where(per_image(chosen), math_ops.subtract(float(self.value_range[1]), images), images)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(factor=self.factor, value_range=self.value_range, seed=self.seed)
        return config


def _unit_factor(factor: Any, name: str) -> tuple:
    """Solarization's factors: numbers in ``[0, 1]``; one number ``f`` means ``(0, f)``."""
    message = (
        "The `addition_factor` and `threshold_factor` arguments should be a number (or a list of two numbers) "
        "in the range [0, 1]. "
    )
    if isinstance(factor, (tuple, list)):
        if len(factor) != 2:
            raise ValueError(message + f"Received: {name}={factor}")
        values = list(factor)
    elif _is_number(factor):
        values = [0, factor]
    else:
        raise ValueError(message + f"Received: {name}={factor}")
    for v in values:
        if not _is_number(v) or v > 1.0 or v < 0:
            raise ValueError(message + f"Received: input_number={v}")
    lower, upper = sorted(values)
    return lower, upper


class Solarization(ImageLayer):
    """While training, adds to each image a random amount in ``[lower, upper * 255]`` of ``addition_factor``,
    clips to ``[0, 255]`` and inverts (``255 - x``) every pixel at or above a random threshold in
    ``[lower, upper * 255]`` of ``threshold_factor`` (on the ``(0, 255)`` scale)."""

    _cast_at_inference = True

    def __init__(
        self,
        addition_factor: Any = 0.0,
        threshold_factor: Any = 0.0,
        value_range: Any = (0, 255),
        seed: Optional[int] = None,
        **kwargs: Any,
    ) -> None:
        data_format = kwargs.pop("data_format", None)
        super().__init__(seed, data_format, **kwargs)
        self.addition_factor = _unit_factor(addition_factor, "addition_factor")
        self.threshold_factor = _unit_factor(threshold_factor, "threshold_factor")
        self.value_range = value_range_of(value_range)

    def _augment(self, images: Any) -> Any:
        u = self._uniform(images, 2)
        # Keras scales only the upper end of each range by 255
        additions = per_image(between(column(u, 0), self.addition_factor[0], self.addition_factor[1] * 255))
        thresholds = per_image(between(column(u, 1), self.threshold_factor[0], self.threshold_factor[1] * 255))
        x = clip(math_ops.add(rescale(images, self.value_range, (0, 255)), additions), 0, 255)
        x = array_ops.where(math_ops.less(x, thresholds), x, math_ops.subtract(255.0, x))
        return rescale(x, (0, 255), self.value_range)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            value_range=self.value_range,
            addition_factor=self.addition_factor,
            threshold_factor=self.threshold_factor,
            seed=self.seed,
        )
        return config


class RandomPosterization(ImageLayer):
    """While training, keeps only the top ``b`` bits of each 8-bit pixel value, ``b`` drawn per image from
    ``[lower, upper)`` of ``factor`` (one number ``f`` means ``(1, f)``, within ``[1, 8]``; equal ends fix it)."""

    def __init__(
        self,
        factor: Any,
        value_range: Any = (0, 255),
        data_format: Optional[str] = None,
        seed: Optional[int] = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(seed, data_format, **kwargs)
        self.factor = base_factor(factor, bounds=(1, 8))
        self.value_range = value_range_of(value_range)

    def _augment(self, images: Any) -> Any:
        lower, upper = self.factor
        if lower != upper:
            bits = math_ops.add(
                math_ops.floor(math_ops.multiply(self._uniform(images, 1), float(upper - lower))), lower
            )
        else:
            bits = math_ops.add(array_ops.zeros_like(self._uniform(images, 1)), float(lower))
        step = per_image(math_ops.pow(2.0, math_ops.subtract(8.0, bits)))
        # Keras casts to uint8 (truncation), then shifts right and back left
        x = math_ops.floor(clip(rescale(images, self.value_range, (0, 255)), 0, 255))
        x = math_ops.multiply(math_ops.floor(math_ops.divide(x, step)), step)
        return rescale(x, (0, 255), self.value_range)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(factor=self.factor, value_range=self.value_range, seed=self.seed)
        return config


class AutoContrast(ImageLayer):
    """Stretches each channel of each image so that its lowest value becomes ``value_range[0]`` and its highest
    ``value_range[1]``; a constant channel is left as it is. Works at inference too."""

    _always = True

    def __init__(self, value_range: Any = (0, 255), **kwargs: Any) -> None:
        data_format = kwargs.pop("data_format", None)
        super().__init__(None, data_format, **kwargs)
        self.value_range = value_range_of(value_range)

    def _augment(self, images: Any) -> Any:
        x = rescale(images, self.value_range, (0, 255))
        low = math_ops.reduce_min(x, axis=[1, 2], keepdims=True)
        high = math_ops.reduce_max(x, axis=[1, 2], keepdims=True)
        spread = math_ops.subtract(high, low)
        stretchable = math_ops.greater(spread, 0.0)  # Keras's 255 / 0 gives NaN there and keeps the input
        scale = math_ops.divide(255.0, array_ops.where(stretchable, spread, 1.0))
        offset = math_ops.multiply(math_ops.negative(low), scale)
        out = rescale(clip(math_ops.add(math_ops.multiply(x, scale), offset), 0.0, 255.0), (0, 255), self.value_range)
        out = array_ops.where(stretchable, out, images)
        return array_ops.where(math_ops.is_nan(out), images, out)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(value_range=self.value_range)
        return config


class Equalization(ImageLayer):
    """While training, equalizes the histogram of each channel, counted over the whole batch in ``bins``
    bins: each value is mapped through the rounded, rescaled cumulative histogram. A channel whose values
    fall in one bin is left as it is."""

    def __init__(
        self, value_range: Any = (0, 255), bins: int = 256, data_format: Optional[str] = None, **kwargs: Any
    ) -> None:
        super().__init__(None, data_format, **kwargs)
        if not isinstance(bins, int) or isinstance(bins, bool) or bins < 1:
            raise ValueError(f"`bins` should be a positive integer. Received: bins={bins}")
        self.bins = bins
        self.value_range = value_range_of(value_range)

    def _equalize(self, channel: Any) -> Any:
        low, high = (float(v) for v in self.value_range)
        scale = 255.0 / (high - low)
        channel = math_ops.add(math_ops.multiply(channel, scale), -low * scale)
        bins = self.bins
        position = math_ops.divide(math_ops.multiply(channel, float(bins - 1)), 255.0)
        index = math_ops.minimum(math_ops.maximum(array_ops.cast(position, "int32"), 0), bins - 1)
        flat = array_ops.reshape(index, [-1])
        # a scatter-add of ones (the core op takes a batch size known only when the graph runs); counts in
        # float64 keep the lookup table's rounding exactly as Keras's integer arithmetic
        ones = array_ops.ones_like(array_ops.cast(flat, "float64"))
        hist = apply("unsorted_segment_sum", [ones, flat, array_ops.zeros([bins], dtype="float64")], {"axis": 0})
        cdf = cumsum(hist)
        cdf_min = math_ops.reduce_min(array_ops.where(math_ops.greater(cdf, 0.0), cdf, float("inf")))
        denominator = math_ops.subtract(cdf[-1], cdf_min)
        denominator = array_ops.where(math_ops.equal(denominator, 0.0), 1.0, denominator)
        table = math_ops.divide(math_ops.multiply(math_ops.subtract(cdf, cdf_min), 255.0), denominator)
        table = array_ops.cast(clip(math_ops.round(table), 0.0, 255.0), channel.dtype)
        lookup = math_ops.multiply(math_ops.divide(channel, 255.0), float(bins - 1))
        lookup = array_ops.cast(clip(lookup, 0.0, float(bins - 1)), "int32")
        equalized = array_ops.gather(table, lookup)
        used = math_ops.reduce_sum(array_ops.cast(math_ops.greater(hist, 0.0), "int32"))
        out = array_ops.where(math_ops.less_equal(used, 1), channel, equalized)
        back = (high - low) / 255.0
        return math_ops.add(math_ops.multiply(out, back), low)

    def _augment(self, images: Any) -> Any:
        channels = [self._equalize(images[..., c]) for c in range(int(images.shape[-1]))]
        return array_ops.stack(channels, axis=-1)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(bins=self.bins, value_range=self.value_range)
        return config

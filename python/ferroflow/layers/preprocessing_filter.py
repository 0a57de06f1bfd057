"""Random neighbourhood filters of Keras 3's image preprocessing: ``RandomSharpness`` and ``RandomGaussianBlur``.
Active only while training; both filter each channel with a small kernel, zero padded at the edges (Keras's
``depthwise_conv`` with ``padding="same"``)."""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from ..ops import array_ops, math_ops
from ._augment import _is_number, base_factor, column
from ._image_layer import ImageLayer, between, clip, filter_same, per_image, value_range_of

# Keras's smoothing kernel: the centre weighs 5/13, each of the eight neighbours 1/13
_SMOOTH = np.full((3, 3), 1.0 / 13.0, dtype="float32")
_SMOOTH[1, 1] = 5.0 / 13.0


class RandomSharpness(ImageLayer):
    """While training, sharpens or blurs each image: ``image + (1 - 2 f) * (smoothed - image)`` for a random
    ``f`` in ``factor``'s range (one number ``f`` means ``(0, f)``, within ``[0, 1]``), clipped to
    ``value_range``: ``f = 0.5`` keeps the image, 0 gives the smoothed image, 1 sharpens it."""

    _cast_at_inference = True

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
        self.value_range = value_range_of(value_range)

    def _augment(self, images: Any) -> Any:
        sharpness = math_ops.multiply(per_image(between(self._uniform(images, 1), *self.factor)), 2.0)
        smoothed = filter_same(images, _SMOOTH)
        out = math_ops.add(images, math_ops.multiply(math_ops.subtract(1.0, sharpness), smoothed - images))
        return clip(out, *self.value_range)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(factor=self.factor, value_range=self.value_range, seed=self.seed)
        return config


def _kernel_size(size: Any) -> tuple:
    odd = f"kernel_size must be an odd number. Received: kernel_size={size}"
    if isinstance(size, (tuple, list)):
        if len(size) != 2:
            raise ValueError(
                f"The `kernel_size` argument should be a number (or a list of two numbers) Received: kernel_size={size}"
            )
        if not all(_is_number(s) and s > 0 for s in size) or size[0] % 2 == 0 or size[1] % 2 == 0:
            raise ValueError(odd)
        return int(size[0]), int(size[1])
    if not _is_number(size) or size <= 0 or size % 2 == 0:
        raise ValueError(odd)
    return int(size), int(size)


def _gaussian(size: int, sigma: Any) -> Any:
    """A normalised ``[1, size]`` Gaussian of standard deviation ``sigma`` (``[1, 1]``) about the centre."""
    offsets = (np.arange(size, dtype="float32") - (size - 1) / 2.0).reshape(1, size)
    scaled = math_ops.divide(offsets, sigma)
    weights = math_ops.exp(math_ops.multiply(math_ops.multiply(scaled, scaled), -0.5))
    return math_ops.divide(weights, math_ops.reduce_sum(weights))


class RandomGaussianBlur(ImageLayer):
    """While training, blurs each image with probability drawn from ``factor``'s range by a Gaussian kernel of
    ``kernel_size``, with standard deviations drawn (once per batch, one for each axis) from ``sigma``'s range
    (one number ``s`` means ``(0, s)``, within ``[0, 1]``); every image is then clipped to ``value_range``."""

    _cast_at_inference = True

    def __init__(
        self,
        factor: Any = 1.0,
        kernel_size: Any = 3,
        sigma: Any = 1.0,
        value_range: Any = (0, 255),
        data_format: Optional[str] = None,
        seed: Optional[int] = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(seed, data_format, **kwargs)
        self.factor = base_factor(factor, bounds=(0, 1))
        self.kernel_size = _kernel_size(kernel_size)
        self.sigma = base_factor(sigma, name="sigma", bounds=(0, 1))
        self.value_range = value_range_of(value_range, keep_order=True)

    def _augment(self, images: Any) -> Any:
        u = self._uniform(images, 4)
        chosen = math_ops.less(column(u, 1), between(column(u, 0), *self.factor))
        first = u[0:1]  # the standard deviations are drawn once for the batch
        sigma_x = math_ops.add(between(column(first, 2), *self.sigma), 1e-6)
        sigma_y = math_ops.add(between(column(first, 3), *self.sigma), 1e-6)
        size_x, size_y = self.kernel_size
        # Keras's outer product is [size_y, size_x], laid out again as [size_x, size_y]
        outer = math_ops.multiply(
            array_ops.reshape(_gaussian(size_y, sigma_y), [size_y, 1]), _gaussian(size_x, sigma_x)
        )
        kernel = array_ops.reshape(outer, [size_x, size_y])
        blurred = array_ops.where(per_image(chosen), filter_same(images, kernel), images)
        return clip(blurred, *self.value_range)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            factor=self.factor,
            kernel_size=self.kernel_size,
            sigma=self.sigma,
            value_range=self.value_range,
            seed=self.seed,
        )
        return config

"""``RandomErasing``: Keras 3's random erasing (cutout) of one rectangle per image, active only while
training."""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from ..ops import array_ops, math_ops
from ._augment import _is_number, base_factor, column
from ._image_layer import ImageLayer, between, clip, normal_like, per_image, value_range_of


def _fill_value(fill_value: Any) -> Any:
    if fill_value is None or _is_number(fill_value):
        return fill_value
    if isinstance(fill_value, (tuple, list)) and len(fill_value) == 3 and all(_is_number(v) for v in fill_value):
        return fill_value
    raise ValueError(
        f"The `fill_value` argument should be a number (or a list of three numbers). Received: fill_value={fill_value}"
    )


class RandomErasing(ImageLayer):
    """While training, with a probability drawn from ``factor``'s range, fills a random rectangle of each image
    with ``fill_value`` (a number, one per channel, or None for Gaussian noise times ``value_range[1]``),
    clipped to ``value_range``. The rectangle's sides are ``sqrt(s)`` of the image's, ``s`` drawn from
    ``scale``'s range for each side."""

    _cast_at_inference = True

    def __init__(
        self,
        factor: Any = 1.0,
        scale: Any = (0.02, 0.33),
        fill_value: Any = None,
        value_range: Any = (0, 255),
        seed: Optional[int] = None,
        data_format: Optional[str] = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(seed, data_format, **kwargs)
        self.factor = base_factor(factor, bounds=(0, 1))
        self.scale = base_factor(scale, name="scale", bounds=(0, 1))
        self.fill_value = _fill_value(fill_value)
        self.value_range = value_range_of(value_range, keep_order=True)

    def _bounds(self, u: Any, ratio: Any, length: int) -> tuple:
        crop = math_ops.multiply(ratio, float(length))
        start = math_ops.multiply(u, math_ops.subtract(float(length), crop))
        return per_image(start), per_image(math_ops.add(start, crop))

    def _augment(self, images: Any) -> Any:
        height, width = int(images.shape[1]), int(images.shape[2])
        u = self._uniform(images, 6)
        x0, x1 = self._bounds(column(u, 2), math_ops.sqrt(between(column(u, 0), *self.scale)), width)
        y0, y1 = self._bounds(column(u, 3), math_ops.sqrt(between(column(u, 1), *self.scale)), height)
        grid_x = np.arange(width, dtype="float32").reshape(1, 1, width, 1)
        grid_y = np.arange(height, dtype="float32").reshape(1, height, 1, 1)
        inside_x = math_ops.logical_and(math_ops.greater_equal(grid_x, x0), math_ops.less(grid_x, x1))
        inside_y = math_ops.logical_and(math_ops.greater_equal(grid_y, y0), math_ops.less(grid_y, y1))
        box = math_ops.logical_and(inside_x, inside_y)  # [batch, height, width, 1]
        low, high = (float(v) for v in self.value_range)
        if self.fill_value is None:
            fill = clip(math_ops.multiply(normal_like(images, self.seed), high), low, high)
        else:
            value = np.broadcast_to(np.asarray(self.fill_value, dtype="float32"), (int(images.shape[-1]),))
            fill = math_ops.add(array_ops.zeros_like(images), np.clip(value, low, high).astype("float32"))
        erased = array_ops.where(box, fill, images)
        chosen = math_ops.less(column(u, 5), between(column(u, 4), *self.factor))
        return array_ops.where(per_image(chosen), erased, images)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            factor=self.factor,
            scale=self.scale,
            fill_value=self.fill_value,
            value_range=self.value_range,
            seed=self.seed,
        )
        return config

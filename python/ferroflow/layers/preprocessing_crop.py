"""``RandomCrop``: while training, a random ``height x width`` window of each image (for images smaller than
the window, the largest centred window of the target's aspect ratio, resized to it); at inference the images
pass unchanged, as in Keras 3."""

from __future__ import annotations

from typing import Any, Optional

from ..ops import array_ops, math_ops
from ..ops.image_resize_ops import resize
from ..ops.image_transform_ops import image_projective_transform_v3
from ._augment import column, per_image_uniform
from .preprocessing import _as_float, _aspect_window, _center_crop, _SizedImages


def _known_size(x: Any) -> tuple:
    """(height, width) of channels-last images, which must be known."""
    h, w = x.shape[-3], x.shape[-2]
    if h is None or w is None:
        raise ValueError(
            f"RandomCrop requires the input to have a fully defined height and width. Received: images.shape={x.shape}"
        )
    return int(h), int(w)


class RandomCrop(_SizedImages):
    """While training, crops a random ``height x width`` window out of each image (each image of a batch its
    own window); images smaller than the window give the largest centred window of the target's aspect ratio,
    resized to ``height x width`` (bilinear). At inference the input is returned as it is (its size and dtype
    too), which is what Keras 3.15 does; call with ``training=True`` to crop at inference."""

    def __init__(
        self, height: int, width: int, seed: Optional[int] = None, data_format: Optional[str] = None, **kwargs: Any
    ) -> None:
        super().__init__(height, width, data_format, **kwargs)
        self.seed = seed

    def call(self, inputs: Any, training: Any = True) -> Any:
        if not training:
            return inputs
        x = _as_float(inputs, self.compute_dtype)
        first = self.data_format == "channels_first"
        batched = len(x.shape) == 4
        if first:
            x = array_ops.transpose(x, [0, 2, 3, 1] if batched else [1, 2, 0])
        h, w = _known_size(x)
        out = self._random_window(x, h, w) if h >= self.height and w >= self.width else self._sized(x)
        if first:
            out = array_ops.transpose(out, [0, 3, 1, 2] if batched else [2, 0, 1])
        return out

    def _sized(self, x: Any) -> Any:
        if _known_size(x) == (self.height, self.width):
            return x
        return resize(_center_crop(x, *_aspect_window(x, self.height, self.width)), [self.height, self.width])

    def _random_window(self, x: Any, h: int, w: int) -> Any:
        single = len(x.shape) == 3
        if single:
            x = array_ops.expand_dims(x, 0)
        u = per_image_uniform(x, 2, self.seed)
        # each image's top-left corner, uniform over the valid offsets (as keras.random.uniform then int)
        top = math_ops.minimum(
            math_ops.floor(math_ops.multiply(column(u, 0), float(h - self.height + 1))), float(h - self.height)
        )
        left = math_ops.minimum(
            math_ops.floor(math_ops.multiply(column(u, 1), float(w - self.width + 1))), float(w - self.width)
        )
        zeros, ones = array_ops.zeros_like(top), array_ops.ones_like(top)
        shift = array_ops.concat([ones, zeros, left, zeros, ones, top, zeros, zeros], axis=1)
        out = image_projective_transform_v3(x, shift, (self.height, self.width), 0.0, "NEAREST", "CONSTANT")
        return array_ops.squeeze(out, [0]) if single else out

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(seed=self.seed)
        return config

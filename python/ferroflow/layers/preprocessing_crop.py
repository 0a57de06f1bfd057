"""``RandomCrop`` as Keras 3.15 runs it. While training, an image larger than the window in both height and
width gives a ``height x width`` window at one random position drawn per call (every image of the batch cut
at the same place); otherwise the crop start is that of the largest centred window of the target's aspect
ratio, the ``height x width`` slice from there is taken (cut short at the image's edge) and, when it comes out
smaller, resized to ``height x width`` (bilinear). At inference the input is returned as it is.

The position follows Keras's random stream on the TensorFlow backend: the layer's seed generator holds
``[seed, count]`` and each drawn call takes the seeds ``[seed, count]`` (top) and ``[seed, count + 1]``
(left), ``int(stateless_uniform((), seed, 0, n + 1))`` for ``n`` the free rows (columns) and the seed
reduced modulo ``2**31 - 2`` as Keras reduces it, with TensorFlow's Philox numbers (ops/_philox.py); so a
layer given the same seed crops where ``keras.layers.RandomCrop`` on TensorFlow crops, call after call.
(Keras on JAX draws from JAX's generator instead, whose numbers differ.)"""

from __future__ import annotations

import random
from typing import Any, Optional

import numpy as np

from ..framework import context
from ..framework.ops import apply
from ..framework.variables import Variable
from ..ops import array_ops, math_ops
from ..ops._philox import stateless_uniform_scalars
from ..ops.image_resize_ops import resize
from .preprocessing import _as_float, _SizedImages


def _known_size(x: Any) -> tuple:
    """(height, width) of channels-last images, which must be known."""
    h, w = x.shape[-3], x.shape[-2]
    if h is None or w is None:
        raise ValueError(
            f"RandomCrop requires the input to have a fully defined height and width. Received: images.shape={x.shape}"
        )
    return int(h), int(w)


class RandomCrop(_SizedImages):
    """While training, crops a ``height x width`` window at a random position, the same for every image of the
    batch (a new position each call), when the images are larger than the window in both dimensions. Images
    not larger in both are cut from the start of their largest centred window of the target's aspect ratio
    and resized to ``height x width`` when the cut comes out smaller. At inference the input is returned as it
    is (its size and dtype too), which is what Keras 3.15 does; call with ``training=True`` to crop then."""

    def __init__(
        self, height: int, width: int, seed: Optional[int] = None, data_format: Optional[str] = None, **kwargs: Any
    ) -> None:
        super().__init__(height, width, data_format, **kwargs)
        # As Keras: no seed means a random one, kept (and reported by get_config) so the layer can be rebuilt.
        seed = seed if seed is not None else random.randint(1, int(1e9))
        if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
            raise ValueError(f"Argument `seed` must be an integer. Received: seed={seed}")
        self.seed = int(seed)
        with context.eager_scope():  # Keras's SeedGenerator state: not a weight of the layer
            self._seed_state = Variable(np.array([int(self.seed), 0], np.int64), trainable=False, name="seed_state")
        self._seed_state._name_suffix = ""  # Keras's name, without TensorFlow's ":0"

    def call(self, inputs: Any, training: Any = True) -> Any:
        if not training:
            return inputs
        x = _as_float(inputs, self.compute_dtype)
        first = self.data_format == "channels_first"
        batched = len(x.shape) == 4
        if first:
            x = array_ops.transpose(x, [0, 2, 3, 1] if batched else [1, 2, 0])
        h, w = _known_size(x)
        out = self._random_window(x, h, w) if h > self.height and w > self.width else self._sized(x)
        if first:
            out = array_ops.transpose(out, [0, 3, 1, 2] if batched else [2, 0, 1])
        return out

    def _sized(self, x: Any) -> Any:
        """Keras's fixed window: the slice of ``height x width`` from the centred aspect-ratio window's start,
        resized when the image's edge cuts it short."""
        h, w = _known_size(x)
        crop_h = max(min(h, int(float(w * self.height) / self.width)), 1)
        crop_w = max(min(w, int(float(h * self.width) / self.height)), 1)
        top, left = int(float(h - crop_h) / 2), int(float(w - crop_w) / 2)
        bottom, right = min(top + self.height, h), min(left + self.width, w)
        specs = [("range", None, None, 1)] * len(x.shape)
        specs[-3] = ("range", top, bottom, 1)
        specs[-2] = ("range", left, right, 1)
        cut = apply("strided_slice", [x], {"specs": specs})
        if (bottom - top, right - left) == (self.height, self.width):
            return cut
        return _as_float(resize(cut, [self.height, self.width]), self.compute_dtype)

    def _random_window(self, x: Any, h: int, w: int) -> Any:
        # Two draws of Keras's seed generator: the state before the call is [seed, count]; the call moves it on.
        state = self._seed_state.assign_add(np.array([0, 2], np.int64))
        state = state.value() if isinstance(state, Variable) else state
        seeds = array_ops.stack([state - np.array([0, 2], np.int64), state - np.array([0, 1], np.int64)])
        u = stateless_uniform_scalars(math_ops.floormod(seeds, 2**31 - 2))
        span = np.array([float(h - self.height + 1), float(w - self.width + 1)], np.float32)
        start = array_ops.cast(math_ops.multiply(u, span), "int32")  # as Keras: truncated toward zero
        rows = math_ops.add(start[0], array_ops.range(self.height))
        cols = math_ops.add(start[1], array_ops.range(self.width))
        return array_ops.gather(array_ops.gather(x, rows, axis=len(x.shape) - 3), cols, axis=len(x.shape) - 2)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(seed=self.seed)
        return config

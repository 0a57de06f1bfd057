"""``tf.image``'s random augmentations: flips, crops, brightness, contrast, saturation and hue, with TensorFlow's
seed rules (``seed=`` with the global seed) and the ``stateless_`` forms (a ``[2]`` seed fixes the result)."""

from __future__ import annotations

from typing import Any, Callable, Optional

from ..framework.dtypes import float32, int32
from ..framework.tensor import Tensor
from .array_ops import cast, reshape, where
from .image_color_ops import adjust_brightness, adjust_contrast, adjust_hue, adjust_saturation
from .image_common import as_image, require_at_least_3d
from .image_ops import check_crop, crop_window
from .math_ops import floor, less
from .random_ops import uniform, uniform_like
from .stateless_random_ops import stateless_uniform

# A sampler draws uniform [0, 1) float32 values: ``draw(shape_list)`` or ``draw(source)`` for one value per
# element of ``source`` (used for a batch whose size is not known when the graph is built).
Sampler = Callable[[Any], Tensor]


def _seeded(seed: Optional[int]) -> Sampler:
    def draw(shape: Any) -> Tensor:
        if isinstance(shape, Tensor):
            return uniform_like(shape, seed=seed, dtype=float32)
        return uniform(shape, seed=seed)

    return draw


def _stateless(seed: Any) -> Sampler:
    def draw(shape: Any) -> Tensor:
        if isinstance(shape, Tensor):
            dims = shape.shape.as_list()
            if dims[0] is None:
                raise ValueError("stateless random image ops need a known batch size")
            shape = dims
        return stateless_uniform(shape, seed=seed)

    return draw


def _random_flip(image: Any, axis: int, draw: Sampler) -> Tensor:
    x = as_image(image)
    rank = require_at_least_3d(x)
    if rank not in (3, 4):
        raise ValueError(f"'image' (shape {x.shape}) must have either 3 or 4 dimensions.")
    index = [slice(None)] * rank
    index[axis + rank - 3] = slice(None, None, -1)
    flipped = x[tuple(index)]
    if rank == 3:
        return where(less(draw([]), 0.5), flipped, x)
    # One coin per image; like TensorFlow, an image flips where round(u) is 1.
    coins = draw(x[:, 0, 0, 0])
    return where(reshape(coins > 0.5, [-1, 1, 1, 1]), flipped, x)


def random_flip_left_right(image: Any, seed: Optional[int] = None) -> Tensor:
    """Flips an image (or each image of a batch) left to right with probability 1/2."""
    return _random_flip(image, 1, _seeded(seed))


def random_flip_up_down(image: Any, seed: Optional[int] = None) -> Tensor:
    """Flips an image (or each image of a batch) upside down with probability 1/2."""
    return _random_flip(image, 0, _seeded(seed))


def stateless_random_flip_left_right(image: Any, seed: Any) -> Tensor:
    return _random_flip(image, 1, _stateless(seed))


def stateless_random_flip_up_down(image: Any, seed: Any) -> Tensor:
    return _random_flip(image, 0, _stateless(seed))


def _random_crop(value: Any, size: Any, draw: Sampler) -> Tensor:
    x = as_image(value)
    size = check_crop(x, size)
    limits = [float(d - s + 1) for d, s in zip(x.shape.as_list(), size)]
    offsets = cast(floor(draw([len(size)]) * limits), int32)
    return crop_window(x, offsets, size)


def random_crop(value: Any, size: Any, seed: Optional[int] = None, name: Optional[str] = None) -> Tensor:
    """A block of shape ``size`` at a uniformly chosen offset of ``value`` (any rank)."""
    return _random_crop(value, size, _seeded(seed))


def stateless_random_crop(value: Any, size: Any, seed: Any, name: Optional[str] = None) -> Tensor:
    return _random_crop(value, size, _stateless(seed))


def _span(draw: Sampler, low: float, high: float) -> Tensor:
    return draw([]) * (high - low) + low


def _check_delta(max_delta: float) -> None:
    if max_delta < 0:
        raise ValueError("max_delta must be non-negative.")


def _check_range(lower: float, upper: float) -> None:
    if upper <= lower:
        raise ValueError("upper must be > lower.")
    if lower < 0:
        raise ValueError("lower must be non-negative.")


def _check_hue(max_delta: float) -> None:
    if max_delta > 0.5:
        raise ValueError("max_delta must be <= 0.5.")
    _check_delta(max_delta)


def random_brightness(image: Any, max_delta: float, seed: Optional[int] = None) -> Tensor:
    """``adjust_brightness`` by a delta drawn from ``[-max_delta, max_delta)``."""
    _check_delta(max_delta)
    return adjust_brightness(image, _span(_seeded(seed), -max_delta, max_delta))


def stateless_random_brightness(image: Any, max_delta: float, seed: Any) -> Tensor:
    _check_delta(max_delta)
    return adjust_brightness(image, _span(_stateless(seed), -max_delta, max_delta))


def random_contrast(image: Any, lower: float, upper: float, seed: Optional[int] = None) -> Tensor:
    """``adjust_contrast`` by a factor drawn from ``[lower, upper)``."""
    _check_range(lower, upper)
    return adjust_contrast(image, _span(_seeded(seed), lower, upper))


def stateless_random_contrast(image: Any, lower: float, upper: float, seed: Any) -> Tensor:
    _check_range(lower, upper)
    return adjust_contrast(image, _span(_stateless(seed), lower, upper))


def random_saturation(image: Any, lower: float, upper: float, seed: Optional[int] = None) -> Tensor:
    """``adjust_saturation`` by a factor drawn from ``[lower, upper)``."""
    _check_range(lower, upper)
    return adjust_saturation(image, _span(_seeded(seed), lower, upper))


def stateless_random_saturation(image: Any, lower: float, upper: float, seed: Any = None) -> Tensor:
    _check_range(lower, upper)
    return adjust_saturation(image, _span(_stateless(seed), lower, upper))


def random_hue(image: Any, max_delta: float, seed: Optional[int] = None) -> Tensor:
    """``adjust_hue`` by a delta drawn from ``[-max_delta, max_delta)`` (``max_delta <= 0.5``)."""
    _check_hue(max_delta)
    return adjust_hue(image, _span(_seeded(seed), -max_delta, max_delta))


def stateless_random_hue(image: Any, max_delta: float, seed: Any) -> Tensor:
    _check_hue(max_delta)
    return adjust_hue(image, _span(_stateless(seed), -max_delta, max_delta))

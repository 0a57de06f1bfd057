"""What Keras 3's image preprocessing layers share: the call flow (rank 3 or 4, identity at inference, a batch
axis for one image, channels-first images worked on channels-last), ``value_range`` checks and rescaling,
per-image uniform draws, luma and a depthwise ``SAME`` filter."""

from __future__ import annotations

from typing import Any, Optional

from ..framework.ops import apply, convert_to_tensor
from ..ops import array_ops, math_ops, random_ops
from ..ops.conv_ops import depthwise_conv2d
from ._augment import per_image_uniform
from ._conv_utils import data_format_of
from .base_layer import Layer

LUMA = (0.2989, 0.5870, 0.1140)  # tf.image.rgb_to_grayscale's weights


class ImageLayer(Layer):
    """An image layer: subclasses implement ``_augment`` on a channels-last 4-D batch (already cast where the
    layer casts). ``_cast_at_inference`` says whether the inference identity still casts to the compute dtype
    (as Keras does for some layers); ``_cast_in_training`` whether ``_augment`` receives a float batch;
    ``_always`` marks a layer that also works at inference (``AutoContrast``)."""

    _allow_non_tensor_positional_args = True  # a preprocessing layer, as in Keras

    _cast_at_inference = False
    _cast_in_training = True
    _always = False

    def __init__(self, seed: Optional[int] = None, data_format: Optional[str] = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.seed = seed
        self.data_format = data_format_of(data_format)

    def _float(self, x: Any) -> Any:
        return x if x.dtype == self.compute_dtype else array_ops.cast(x, self.compute_dtype)

    def _augment(self, images: Any) -> Any:
        raise NotImplementedError

    def call(self, inputs: Any, training: Any = True) -> Any:
        x = convert_to_tensor(inputs)
        rank = len(x.shape)
        if rank not in (3, 4):
            raise ValueError(
                f"Expected image tensor to have rank 3 (single image) or 4 (batch of images). "
                f"Received: data.shape={tuple(x.shape)}"
            )
        if not training and not self._always:
            return self._float(x) if self._cast_at_inference else x
        if self._cast_in_training:
            x = self._float(x)
        if rank == 3:
            x = array_ops.expand_dims(x, 0)
        if self.data_format == "channels_first":
            x = array_ops.transpose(x, [0, 2, 3, 1])
        out = self._augment(x)
        if self.data_format == "channels_first":
            out = array_ops.transpose(out, [0, 3, 1, 2])
        return array_ops.squeeze(out, [0]) if rank == 3 else out

    def _uniform(self, images: Any, count: int) -> Any:
        """``[batch, count]`` uniform draws in ``[0, 1)``, one row per image."""
        u = per_image_uniform(images, count, self.seed)
        return u if u.dtype == images.dtype or not images.dtype.is_floating else array_ops.cast(u, images.dtype)

    def compute_output_shape(self, input_shape: Any) -> tuple:
        return tuple(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(data_format=self.data_format)
        return config


def value_range_of(value_range: Any, keep_order: bool = False) -> Any:
    """Keras's ``value_range`` check: two numbers, kept as given or (as most layers do) sorted into a list."""
    if not isinstance(value_range, (tuple, list)) or len(value_range) != 2:
        raise ValueError(
            f"The `value_range` argument should be a list of two numbers. Received: value_range={value_range}"
        )
    return value_range if keep_order else sorted(value_range)


def rescale(images: Any, source: Any, target: Any) -> Any:
    """Keras's ``_transform_value_range``: values of ``source``'s range mapped linearly onto ``target``'s."""
    if source[0] == target[0] and source[1] == target[1]:
        return images
    unit = math_ops.divide(math_ops.subtract(images, float(source[0])), float(source[1]) - float(source[0]))
    return math_ops.add(math_ops.multiply(unit, float(target[1]) - float(target[0])), float(target[0]))


def clip(x: Any, low: Any, high: Any) -> Any:
    return math_ops.minimum(math_ops.maximum(x, float(low)), float(high))


def between(u: Any, lower: float, upper: float) -> Any:
    """Uniform draws ``u`` in ``[0, 1)`` mapped to ``[lower, upper)``, as ``keras.random.uniform``."""
    return math_ops.add(math_ops.multiply(u, float(upper) - float(lower)), float(lower))


def per_image(column: Any) -> Any:
    """A ``[batch, 1]`` column as ``[batch, 1, 1, 1]``, to broadcast over a batch of images."""
    return array_ops.reshape(column, [-1, 1, 1, 1])


def luma(images: Any) -> Any:
    """``tf.image.rgb_to_grayscale`` of a channels-last batch (float), with a last axis of size 1; a
    one-channel batch is already gray."""
    channels = images.shape[-1]
    if channels == 1:
        return images
    if channels != 3:
        raise ValueError(
            "Invalid channel size: expected 3 (RGB) or 1 (Grayscale). "
            f"Received input with shape: images.shape={tuple(images.shape)}"
        )
    r, g, b = (images[..., i : i + 1] for i in range(3))
    return math_ops.add(
        math_ops.add(math_ops.multiply(r, LUMA[0]), math_ops.multiply(g, LUMA[1])), math_ops.multiply(b, LUMA[2])
    )


def filter_same(images: Any, kernel: Any) -> Any:
    """Each channel of a channels-last batch correlated with one ``[kh, kw]`` kernel (a tensor or array),
    zero padded to keep the size: ``depthwise_conv`` with ``padding="same"``."""
    kernel = convert_to_tensor(kernel)
    if kernel.dtype != images.dtype:
        kernel = array_ops.cast(kernel, images.dtype)
    kh, kw = (int(d) for d in kernel.shape)
    filters = array_ops.concat([array_ops.reshape(kernel, [kh, kw, 1, 1])] * int(images.shape[-1]), axis=2)
    return depthwise_conv2d(images, filters, [1, 1, 1, 1], "SAME")


def normal_like(images: Any, seed: Optional[int]) -> Any:
    """Standard normal noise of ``images``'s shape, from a seed distinct from the layer's uniform draws (two
    random ops with one seed would draw related numbers inside a graph)."""
    s, step = random_ops.resolve_seed(None if seed is None else int(seed) ^ 0x5EED5EED)
    return apply("random_normal", [images], {"seed": s, "step": step, "dtype": images.dtype.name})

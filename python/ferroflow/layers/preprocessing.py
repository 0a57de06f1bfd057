"""Image preprocessing layers: ``Rescaling``, ``Resizing``, ``CenterCrop`` and ``Normalization`` (with ``adapt``);
the random augmentations are in ``preprocessing_random``."""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from ..framework.ops import apply, convert_to_tensor
from ..ops import array_ops, math_ops
from ..ops.image_resize_ops import resize
from ._conv_utils import data_format_of
from .base_layer import Layer


def _as_float(x: Any, dtype: Any) -> Any:
    x = convert_to_tensor(x)
    return x if x.dtype == dtype else array_ops.cast(x, dtype)


class Rescaling(Layer):
    """``inputs * scale + offset`` (``Rescaling(1 / 255)`` maps pixels to ``[0, 1]``)."""

    _allow_non_tensor_positional_args = True  # a preprocessing layer, as in Keras

    def __init__(self, scale: Any, offset: Any = 0.0, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.scale, self.offset = scale, offset
        self.supports_masking = True

    def call(self, inputs: Any) -> Any:
        x = _as_float(inputs, self.compute_dtype)
        return math_ops.add(math_ops.multiply(x, self.scale), self.offset)

    def compute_output_shape(self, input_shape: Any) -> tuple:
        return tuple(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(scale=self.scale, offset=self.offset)
        return config


class _SizedImages(Layer):
    """A layer that turns images into ``height x width`` ones: it works on channels-last images (transposing
    ``channels_first`` input in and out) and shares the shape rule and config."""

    _allow_non_tensor_positional_args = True  # a preprocessing layer, as in Keras

    def __init__(self, height: int, width: int, data_format: Optional[str] = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.height, self.width = int(height), int(width)
        self.data_format = data_format_of(data_format)

    def _sized(self, x: Any) -> Any:
        raise NotImplementedError

    def call(self, inputs: Any) -> Any:
        x = _as_float(inputs, self.compute_dtype)
        if self.data_format != "channels_first":
            return self._sized(x)
        batched = len(x.shape) == 4
        x = array_ops.transpose(x, [0, 2, 3, 1] if batched else [1, 2, 0])
        return array_ops.transpose(self._sized(x), [0, 3, 1, 2] if batched else [2, 0, 1])

    def compute_output_shape(self, input_shape: Any) -> tuple:
        shape = list(input_shape)
        h, w = (-3, -2) if self.data_format == "channels_last" else (-2, -1)
        shape[h], shape[w] = self.height, self.width
        return tuple(shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(height=self.height, width=self.width, data_format=self.data_format)
        return config


class Resizing(_SizedImages):
    """Images resized to ``(height, width)`` with ``interpolation``; ``crop_to_aspect_ratio`` first crops the
    largest centred window of the target's aspect ratio, so that nothing is stretched."""

    def __init__(
        self,
        height: int,
        width: int,
        interpolation: str = "bilinear",
        crop_to_aspect_ratio: bool = False,
        data_format: Optional[str] = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(height, width, data_format, **kwargs)
        self.interpolation = str(interpolation)
        self.crop_to_aspect_ratio = bool(crop_to_aspect_ratio)

    def _sized(self, x: Any) -> Any:
        if self.crop_to_aspect_ratio:
            x = _center_crop(x, *_aspect_window(x, self.height, self.width))
        return resize(x, [self.height, self.width], method=self.interpolation)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(interpolation=self.interpolation, crop_to_aspect_ratio=self.crop_to_aspect_ratio)
        return config


def _aspect_window(x: Any, height: int, width: int) -> tuple:
    """The largest (h, w) inside a channels-last image with the aspect ratio ``height : width``."""
    h, w = int(x.shape[-3]), int(x.shape[-2])
    crop_h = min(h, int(w * height / width))
    crop_w = min(w, int(h * width / height))
    return max(crop_h, 1), max(crop_w, 1)


def _center_crop(x: Any, height: int, width: int) -> Any:
    """The centred ``height x width`` window of channels-last images (3-D or 4-D)."""
    h, w = int(x.shape[-3]), int(x.shape[-2])
    top, left = (h - height) // 2, (w - width) // 2
    specs = [("range", None, None, 1)] * len(x.shape)
    specs[-3] = ("range", top, top + height, 1)
    specs[-2] = ("range", left, left + width, 1)
    return apply("strided_slice", [x], {"specs": specs})


class CenterCrop(_SizedImages):
    """The centred ``height x width`` window of each image; an image smaller than that is first resized (its
    largest centred window of the target's aspect ratio), as Keras does."""

    def _sized(self, x: Any) -> Any:
        h, w = int(x.shape[-3]), int(x.shape[-2])
        if h < self.height or w < self.width:
            return resize(_center_crop(x, *_aspect_window(x, self.height, self.width)), [self.height, self.width])
        return _center_crop(x, self.height, self.width)


class Normalization(Layer):
    """``(inputs - mean) / sqrt(variance)`` per feature along ``axis``; ``mean`` and ``variance`` given, or
    computed from data by ``adapt``. ``invert=True`` maps normalized values back.

    Without given values the layer holds, as Keras 3's does, three non-trainable weights ``mean``, ``variance``
    (zeros and ones until ``adapt``) and ``count``, so models count, save and load them as Keras does (an
    EfficientNet's pretrained file sets them)."""

    _allow_non_tensor_positional_args = True  # a preprocessing layer, as in Keras

    def __init__(
        self, axis: Any = -1, mean: Any = None, variance: Any = None, invert: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.axis = () if axis is None else (axis,) if isinstance(axis, int) else tuple(axis)
        if (mean is None) != (variance is None):
            raise ValueError(
                "When setting values directly, both `mean` and `variance` must be set. "
                f"Received: mean={mean} and variance={variance}"
            )
        self.input_mean, self.input_variance = mean, variance
        self.invert = bool(invert)
        self._given: Any = None  # (mean, variance) broadcast to the input's rank, when given
        self.adapt_mean = self.adapt_variance = self.count = None
        self._target: Any = None

    def _shape_for(self, input_shape: tuple) -> list:
        rank = len(input_shape)
        kept = {a % rank for a in self.axis}
        return [input_shape[a] if a in kept else 1 for a in range(rank)]

    def build(self, input_shape: Any) -> None:
        shape = tuple(input_shape)
        if self.input_mean is not None:
            self._set(np.asarray(self.input_mean, "float64"), np.asarray(self.input_variance, "float64"), shape)
        elif self.adapt_mean is None:  # Keras's initial state until adapt() or a saved state: mean 0, variance 1
            kept = self._kept_shape(shape)
            self.adapt_mean = self.add_weight(name="mean", shape=kept, initializer="zeros", trainable=False)
            self.adapt_variance = self.add_weight(name="variance", shape=kept, initializer="ones", trainable=False)
            self.count = self.add_weight(name="count", shape=(), dtype="int64", initializer="zeros", trainable=False)
            self._target = self._shape_for(shape)
        self.built = True

    def _set(self, mean: np.ndarray, variance: np.ndarray, input_shape: tuple) -> None:
        """The given values (or adapted ones, into the weights), as per-feature vectors or scalars."""
        target = self._shape_for(input_shape)
        mean = np.broadcast_to(mean.reshape(target) if mean.size > 1 else mean, target).astype("float32")
        variance = np.broadcast_to(variance.reshape(target) if variance.size > 1 else variance, target)
        if self.adapt_mean is not None:
            shape = tuple(self.adapt_mean.shape)
            self.adapt_mean.assign(mean.reshape(shape))
            self.adapt_variance.assign(variance.astype("float32").reshape(shape))
            return
        self._given = (mean, variance.astype("float32"))

    @property
    def mean(self) -> Any:
        """The mean, shaped to broadcast against the inputs (None before the layer is built)."""
        if self.adapt_mean is not None:
            return np.reshape(self.adapt_mean.numpy(), self._target)
        return None if self._given is None else self._given[0]

    @property
    def variance(self) -> Any:
        if self.adapt_variance is not None:
            return np.reshape(self.adapt_variance.numpy(), self._target)
        return None if self._given is None else self._given[1]

    def adapt(self, data: Any, batch_size: Any = None, steps: Any = None) -> None:
        """Computes the mean and variance of ``data`` (an array, tensor or dataset of batches) per feature."""
        if hasattr(data, "as_numpy_iterator"):
            batches = [np.asarray(b, "float64") for b in data.as_numpy_iterator()]
            values = np.concatenate(batches) if batches else np.zeros((0,))
        else:
            values = np.asarray(data.numpy() if hasattr(data, "numpy") else data, "float64")
        if values.size == 0:
            raise ValueError("Normalization.adapt needs at least one sample; the data is empty")
        rank = values.ndim
        reduce = tuple(a for a in range(rank) if a not in {x % rank for x in self.axis})
        if not self.built:  # Keras's adapt builds the layer for the data's shape
            self.build(values.shape)
            self._build_shapes = tuple(values.shape)
        self._set(values.mean(axis=reduce), values.var(axis=reduce), values.shape)

    def call(self, inputs: Any) -> Any:
        if self.adapt_mean is None and self._given is None:
            raise ValueError("You must call `.build(input_shape)` on the layer before using it.")
        x = _as_float(inputs, self.compute_dtype)
        if self.adapt_mean is not None:
            target = self._target[-len(x.shape) :] if len(self._target) > len(x.shape) else self._target
            mean = array_ops.reshape(array_ops.cast(self.adapt_mean, x.dtype), target)
            variance = array_ops.reshape(array_ops.cast(self.adapt_variance, x.dtype), target)
            std = math_ops.maximum(math_ops.sqrt(variance), 1e-7)
        else:
            mean = self._given[0]
            mean = mean.reshape(mean.shape[-len(x.shape) :]) if mean.ndim > len(x.shape) else mean
            std = np.maximum(np.sqrt(self._given[1].reshape(mean.shape)), 1e-7).astype("float32")
        if self.invert:
            return math_ops.add(math_ops.multiply(x, std), mean)
        return math_ops.divide(math_ops.subtract(x, mean), std)

    def compute_output_shape(self, input_shape: Any) -> tuple:
        return tuple(input_shape)

    # -- saving: Keras 3 keeps the mean, variance and count of a layer without given ones as its variables
    def _kept_shape(self, input_shape: Any) -> tuple:
        kept = {a % len(input_shape) for a in self.axis}
        if any(input_shape[a] is None for a in kept):
            raise ValueError(
                "All `axis` values to be kept must have a known shape. "
                f"Received axis={self.axis}, inputs.shape={tuple(input_shape)}"
            )
        return tuple(int(d) for i, d in enumerate(input_shape) if i in kept)

    def save_own_variables(self, store: Any) -> None:
        """Puts the mean, variance and count weights (as Keras: ``"0"``, ``"1"``, ``"2"``) in ``store``."""
        if self.adapt_mean is None:  # given (in the config), or never built
            return
        store["0"] = self.adapt_mean.numpy().astype("float32")
        store["1"] = self.adapt_variance.numpy().astype("float32")
        store["2"] = np.asarray(self.count.numpy(), "int64")

    def load_own_variables(self, store: Any) -> None:
        """Sets the mean, variance and count from ``store`` (written by ``save_own_variables``)."""
        expected = 0 if self.input_mean is not None else 3
        if len(store) != expected:
            raise ValueError(
                f"Layer '{self.name}' expected {expected} variables, but received {len(store)} variables during "
                f"loading. Expected: {[] if expected == 0 else ['mean', 'variance', 'count']}"
            )
        if expected == 0:
            return
        if self.adapt_mean is None:
            if self._build_shapes is None:
                raise ValueError(
                    f"Layer '{self.name}' was never built and thus it doesn't have any variables. However the "
                    "weights file lists 3 variables for this layer."
                )
            self.build(tuple(self._build_shapes))
        mean, variance = np.asarray(store["0"]), np.asarray(store["1"])
        shape = tuple(self.adapt_mean.shape)
        if mean.shape != shape or variance.shape != shape:
            raise ValueError(
                f"Layer '{self.name}': the saved mean and variance have shapes {mean.shape} and {variance.shape}; "
                f"the layer built for inputs of shape {tuple(self._target)} needs {shape}"
            )
        self.adapt_mean.assign(mean.astype("float32"))
        self.adapt_variance.assign(variance.astype("float32"))
        self.count.assign(np.asarray(store["2"], "int64"))

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            axis=list(self.axis),
            invert=self.invert,
            mean=None if self.input_mean is None else np.asarray(self.input_mean).tolist(),
            variance=None if self.input_variance is None else np.asarray(self.input_variance).tolist(),
        )
        return config

"""Pooling layers: ``MaxPooling1D/2D``, ``AveragePooling1D/2D`` and their global forms (``keepdims``)."""

from __future__ import annotations

from typing import Any, Optional

from ..ops import conv_ops, math_ops
from ._conv_utils import conv_output_length, data_format_of, normalize_tuple
from .base_layer import Layer
from .input_spec import InputSpec


class _Pooling(Layer):
    rank = 2
    kind = "max"

    def __init__(
        self,
        pool_size: Any = 2,
        strides: Any = None,
        padding: str = "valid",
        data_format: Optional[str] = None,
        name: Optional[str] = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(name=name, **kwargs)
        self.pool_size = normalize_tuple(pool_size, self.rank, "pool_size")
        self.strides = self.pool_size if strides is None else normalize_tuple(strides, self.rank, "strides")
        self.padding = str(padding).lower()
        if self.padding not in ("valid", "same"):
            raise ValueError(f"The `padding` argument must be one of ('valid', 'same'). Received: padding={padding}")
        self.data_format = data_format_of(data_format)
        self.input_spec = InputSpec(ndim=self.rank + 2)

    def call(self, inputs: Any) -> Any:
        last = self.data_format == "channels_last"
        fmt = ("NWC" if last else "NCW") if self.rank == 1 else ("NHWC" if last else "NCHW")
        pool = conv_ops.max_pool if self.kind == "max" else conv_ops.avg_pool
        return pool(inputs, self.pool_size, self.strides, self.padding.upper(), data_format=fmt)

    def compute_output_shape(self, input_shape: Any) -> tuple:
        shape = tuple(input_shape)
        last = self.data_format == "channels_last"
        spatial = shape[1:-1] if last else shape[2:]
        out = tuple(conv_output_length(n, k, self.padding, s) for n, k, s in zip(spatial, self.pool_size, self.strides))
        return (shape[0],) + out + (shape[-1],) if last else (shape[0], shape[1]) + out

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            pool_size=self.pool_size, padding=self.padding, strides=self.strides, data_format=self.data_format
        )
        return config


class MaxPooling2D(_Pooling):
    """The maximum over ``pool_size`` windows of images."""

    rank, kind = 2, "max"


class AveragePooling2D(_Pooling):
    """The mean over ``pool_size`` windows of images (padding not counted)."""

    rank, kind = 2, "avg"


class MaxPooling1D(_Pooling):
    """The maximum over ``pool_size`` windows of sequences."""

    rank, kind = 1, "max"


class AveragePooling1D(_Pooling):
    """The mean over ``pool_size`` windows of sequences."""

    rank, kind = 1, "avg"


class _GlobalPooling(Layer):
    rank = 2
    kind = "max"

    def __init__(self, data_format: Optional[str] = None, keepdims: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.data_format = data_format_of(data_format)
        self.keepdims = bool(keepdims)
        self.input_spec = InputSpec(ndim=self.rank + 2)

    def _axes(self) -> list:
        return list(range(1, self.rank + 1)) if self.data_format == "channels_last" else list(range(2, self.rank + 2))

    def call(self, inputs: Any) -> Any:
        reduce = math_ops.reduce_max if self.kind == "max" else math_ops.reduce_mean
        return reduce(inputs, axis=self._axes(), keepdims=self.keepdims)

    def compute_output_shape(self, input_shape: Any) -> tuple:
        shape = list(input_shape)
        axes = self._axes()
        if self.keepdims:
            return tuple(1 if i in axes else d for i, d in enumerate(shape))
        return tuple(d for i, d in enumerate(shape) if i not in axes)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(data_format=self.data_format, keepdims=self.keepdims)
        return config


class GlobalMaxPooling2D(_GlobalPooling):
    rank, kind = 2, "max"


class GlobalAveragePooling2D(_GlobalPooling):
    rank, kind = 2, "avg"


class GlobalMaxPooling1D(_GlobalPooling):
    rank, kind = 1, "max"


class GlobalAveragePooling1D(_GlobalPooling):
    """The mean over the steps; with a mask (from ``Embedding(mask_zero=True)`` ...) the mean of unmasked steps."""

    rank, kind = 1, "avg"

    def __init__(self, data_format: Optional[str] = None, keepdims: bool = False, **kwargs: Any) -> None:
        super().__init__(data_format=data_format, keepdims=keepdims, **kwargs)
        self.supports_masking = True

    def call(self, inputs: Any, mask: Any = None) -> Any:
        if mask is None:
            return super().call(inputs)
        from ..ops.array_ops import cast, expand_dims

        axis = 1 if self.data_format == "channels_last" else 2
        weights = cast(expand_dims(mask, 2 if axis == 1 else 1), inputs.dtype)
        total = math_ops.reduce_sum(math_ops.multiply(inputs, weights), axis=axis, keepdims=self.keepdims)
        return math_ops.divide(total, math_ops.reduce_sum(weights, axis=axis, keepdims=self.keepdims))

    def compute_mask(self, inputs: Any, previous_mask: Any = None) -> Any:
        return None  # the steps are gone

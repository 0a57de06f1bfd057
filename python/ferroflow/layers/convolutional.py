"""``Conv1D`` and ``Conv2D``: Keras 3's convolution layers (arguments, defaults, weights and ``get_config``)."""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from ..ops import conv_ops, math_ops
from . import _resolve
from ._conv_utils import conv_output_length, data_format_of, normalize_tuple
from .base_layer import Layer
from .input_spec import InputSpec


class _Conv(Layer):
    """The shared part of ``ConvND``: a ``kernel_size + (in_channels // groups, filters)`` kernel and a bias."""

    rank = 2

    def __init__(
        self,
        filters: int,
        kernel_size: Any,
        strides: Any = 1,
        padding: str = "valid",
        data_format: Optional[str] = None,
        dilation_rate: Any = 1,
        groups: int = 1,
        activation: Any = None,
        use_bias: bool = True,
        kernel_initializer: Any = "glorot_uniform",
        bias_initializer: Any = "zeros",
        kernel_regularizer: Any = None,
        bias_regularizer: Any = None,
        activity_regularizer: Any = None,
        kernel_constraint: Any = None,
        bias_constraint: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        if isinstance(filters, bool) or not isinstance(filters, (int, np.integer)) or filters <= 0:
            raise ValueError(
                f"Invalid value for argument `filters`. Expected a strictly positive value. Received filters={filters}."
            )
        self.filters = int(filters)
        self.kernel_size = normalize_tuple(kernel_size, self.rank, "kernel_size")
        self.strides = normalize_tuple(strides, self.rank, "strides")
        self.dilation_rate = normalize_tuple(dilation_rate, self.rank, "dilation_rate")
        allowed = ("valid", "same", "causal") if self.rank == 1 else ("valid", "same")
        self.padding = str(padding).lower()
        if self.padding not in allowed:
            raise ValueError(f"The `padding` argument must be one of {allowed}. Received: padding={padding}")
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError(
                "`strides > 1` not supported in conjunction with `dilation_rate > 1`. "
                f"Received: strides={self.strides} and dilation_rate={self.dilation_rate}"
            )
        self.data_format = data_format_of(data_format)
        if isinstance(groups, bool) or int(groups) <= 0 or self.filters % int(groups):
            raise ValueError(
                "The number of filters must be evenly divisible by the number of groups. "
                f"Received: groups={groups}, filters={filters}."
            )
        self.groups = int(groups)
        self.activation = _resolve.activation(activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = _resolve.initializer(kernel_initializer)
        self.bias_initializer = _resolve.initializer(bias_initializer)
        self.kernel_regularizer = _resolve.regularizer(kernel_regularizer)
        self.bias_regularizer = _resolve.regularizer(bias_regularizer)
        self.kernel_constraint = _resolve.constraint(kernel_constraint)
        self.bias_constraint = _resolve.constraint(bias_constraint)
        self.input_spec = InputSpec(min_ndim=self.rank + 2)

    def _channel_axis(self) -> int:
        return -1 if self.data_format == "channels_last" else 1

    def build(self, input_shape: Any) -> None:
        channels = tuple(input_shape)[self._channel_axis()]
        if channels is None:
            raise ValueError(
                f"The channel dimension of the inputs to {type(self).__name__} should be defined. "
                f"Found None. Full input shape received: {tuple(input_shape)}"
            )
        if channels % self.groups:
            raise ValueError(
                "The number of input channels must be evenly divisible by the number of groups. "
                f"Received groups={self.groups}, but the input has {channels} channels "
                f"(full input shape is {tuple(input_shape)})."
            )
        self._build_kernels(channels)
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                name="bias",
                shape=(self.filters,),
                initializer=self.bias_initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )
        self.input_spec = InputSpec(min_ndim=self.rank + 2, axes={self._channel_axis(): channels})
        self.built = True

    def _kernel_shape(self, channels: int) -> tuple:
        return self.kernel_size + (channels // self.groups, self.filters)

    def _kernel_name(self) -> str:
        return "kernel"

    def _build_kernels(self, channels: int) -> None:
        self.kernel = self.add_weight(
            name=self._kernel_name(),
            shape=self._kernel_shape(channels),
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
        )

    def _convolve(self, inputs: Any) -> Any:
        raise NotImplementedError

    def call(self, inputs: Any) -> Any:
        if inputs.dtype != self.kernel.dtype:
            from ..ops.array_ops import cast

            inputs = cast(inputs, self.kernel.dtype)
        x = self._convolve(inputs)
        if self.bias is not None:
            if self.data_format == "channels_last":
                x = math_ops.add(x, self.bias)
            else:
                from ..ops.array_ops import reshape

                x = math_ops.add(x, reshape(self.bias, [1, self.filters] + [1] * self.rank))
        return x if self.activation is None else self.activation(x)

    def compute_output_shape(self, input_shape: Any) -> tuple:
        shape = tuple(input_shape)
        spatial = shape[1:-1] if self.data_format == "channels_last" else shape[2:]
        out = tuple(
            conv_output_length(n, k, self.padding, s, d)
            for n, k, s, d in zip(spatial, self.kernel_size, self.strides, self.dilation_rate)
        )
        if self.data_format == "channels_last":
            return (shape[0],) + out + (self.filters,)
        return (shape[0], self.filters) + out

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            filters=self.filters,
            kernel_size=self.kernel_size,
            strides=self.strides,
            padding=self.padding,
            data_format=self.data_format,
            dilation_rate=self.dilation_rate,
            groups=self.groups,
            activation=_resolve.serialize_activation(self.activation),
            use_bias=self.use_bias,
            kernel_initializer=_resolve.serialize_initializer(self.kernel_initializer),
            bias_initializer=_resolve.serialize_initializer(self.bias_initializer),
            kernel_regularizer=_resolve.serialize(self.kernel_regularizer),
            bias_regularizer=_resolve.serialize(self.bias_regularizer),
            activity_regularizer=_resolve.serialize(self.activity_regularizer),
            kernel_constraint=_resolve.serialize(self.kernel_constraint),
            bias_constraint=_resolve.serialize(self.bias_constraint),
        )
        return config


class Conv2D(_Conv):
    """2-D convolution over images (``channels_last``: ``(batch, height, width, channels)``)."""

    rank = 2

    def _convolve(self, inputs: Any) -> Any:
        fmt = "NHWC" if self.data_format == "channels_last" else "NCHW"
        return conv_ops.conv2d(
            inputs, self.kernel, self.strides, self.padding.upper(), data_format=fmt, dilations=self.dilation_rate
        )


class Conv1D(_Conv):
    """1-D convolution over sequences (``channels_last``: ``(batch, steps, channels)``); ``padding="causal"``
    pads only the start, so output ``t`` sees inputs up to ``t``."""

    rank = 1

    def _convolve(self, inputs: Any) -> Any:
        first = self.data_format == "channels_first"
        padding: Any = self.padding.upper()
        if self.padding == "causal":
            left = self.dilation_rate[0] * (self.kernel_size[0] - 1)
            padding = [[0, 0], [0, 0], [left, 0]] if first else [[0, 0], [left, 0], [0, 0]]
        return conv_ops.conv1d(
            inputs,
            self.kernel,
            self.strides,
            padding,
            data_format="NCW" if first else "NWC",
            dilations=self.dilation_rate,
        )

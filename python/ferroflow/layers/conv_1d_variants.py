"""``DepthwiseConv1D`` and ``SeparableConv1D``: Keras 3's arguments, weight layout and configs.

Both run through ``conv1d`` with a grouped filter (one group per input channel). Keras accepts
``strides > 1`` together with ``dilation_rate > 1`` here (unlike ``Conv1D``); the core convolution does not,
so that case is a stride-1 dilated convolution over explicitly padded input, keeping every ``stride``-th
output: the strided dilated convolution by definition.
"""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from ..ops import array_ops, conv_ops
from . import _resolve
from ._conv_utils import conv_output_length, normalize_tuple
from .conv_variants import depthwise_config
from .convolutional import _Conv


def _check_args(padding: Any, depth_multiplier: Any) -> int:
    if str(padding).lower() not in ("valid", "same"):
        raise ValueError(
            f"The `padding` argument must be a list/tuple or one of {{'valid', 'same'}}. Received: {padding}"
        )
    if (
        isinstance(depth_multiplier, bool)
        or not isinstance(depth_multiplier, (int, np.integer))
        or depth_multiplier <= 0
    ):
        raise ValueError(
            "Invalid value for argument `depth_multiplier`. Expected a strictly positive value. "
            f"Received depth_multiplier={depth_multiplier}."
        )
    return int(depth_multiplier)


class _DepthwiseConv1DBase(_Conv):
    """The shared part: argument checks, the strided dilated case and the output-size check."""

    rank = 1

    def _set_strides(self, strides: Any) -> None:
        # _Conv refuses strides > 1 with dilation_rate > 1 (as Conv1D does); these layers allow it.
        self.strides = normalize_tuple(strides, 1, "strides")

    def _check_length(self, input_shape: Any) -> None:
        shape = tuple(input_shape)
        length = shape[1] if self.data_format == "channels_last" else shape[-1]
        out = conv_output_length(length, self.kernel_size[0], self.padding, self.strides[0], self.dilation_rate[0])
        if out is not None and out <= 0:
            raise ValueError(
                f"Computed output size would be zero or negative. Received `inputs shape={shape}`, "
                f"`kernel_size={self.kernel_size}`, `dilation_rate={self.dilation_rate}`, "
                f"`strides={self.strides}`, `padding={self.padding}`."
            )

    def _depthwise(self, inputs: Any, kernel: Any) -> Any:
        """``inputs`` convolved channel by channel with ``kernel`` ``(k, channels, multiplier)``."""
        k, channels, multiplier = kernel.shape
        grouped = array_ops.reshape(kernel, [k, 1, channels * multiplier])
        first = self.data_format == "channels_first"
        fmt = "NCW" if first else "NWC"
        stride, dilation = self.strides[0], self.dilation_rate[0]
        if stride == 1 or dilation == 1:
            return conv_ops.conv1d(inputs, grouped, stride, self.padding.upper(), fmt, dilation)
        length = inputs.shape[-1 if first else 1]
        before = after = 0
        if self.padding == "same":
            if length is None:
                raise ValueError(
                    f"{type(self).__name__} with strides > 1, dilation_rate > 1 and padding='same' needs a known "
                    f"input length. Received input shape {tuple(inputs.shape)}"
                )
            span = dilation * (k - 1) + 1
            total = max((-(-length // stride) - 1) * stride + span - length, 0)
            before, after = total // 2, total - total // 2
        pads = [[0, 0], [0, 0], [before, after]] if first else [[0, 0], [before, after], [0, 0]]
        dense = conv_ops.conv1d(inputs, grouped, 1, pads, fmt, dilation)
        return dense[:, :, ::stride] if first else dense[:, ::stride, :]


class DepthwiseConv1D(_DepthwiseConv1DBase):
    """Each input channel of a sequence convolved with its own ``depth_multiplier`` filters: the kernel is
    ``(kernel_size, channels, depth_multiplier)`` and output channel ``c * depth_multiplier + m``. As in Keras 3
    the weight and attribute are ``kernel`` (path ``depthwise_conv1d/kernel``)."""

    def __init__(
        self,
        kernel_size: Any,
        strides: Any = 1,
        padding: str = "valid",
        depth_multiplier: int = 1,
        data_format: Optional[str] = None,
        dilation_rate: Any = 1,
        activation: Any = None,
        use_bias: bool = True,
        depthwise_initializer: Any = "glorot_uniform",
        bias_initializer: Any = "zeros",
        depthwise_regularizer: Any = None,
        bias_regularizer: Any = None,
        activity_regularizer: Any = None,
        depthwise_constraint: Any = None,
        bias_constraint: Any = None,
        **kwargs: Any,
    ) -> None:
        self.depth_multiplier = _check_args(padding, depth_multiplier)
        super().__init__(
            1,
            kernel_size,
            strides=1,
            padding=padding,
            data_format=data_format,
            dilation_rate=dilation_rate,
            activation=activation,
            use_bias=use_bias,
            kernel_initializer=depthwise_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=depthwise_regularizer,
            bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer,
            kernel_constraint=depthwise_constraint,
            bias_constraint=bias_constraint,
            **kwargs,
        )
        self._set_strides(strides)

    def build(self, input_shape: Any) -> None:
        self._check_length(input_shape)
        super().build(input_shape)

    def _kernel_shape(self, channels: int) -> tuple:
        self.filters = channels * self.depth_multiplier  # the bias and the output follow the channels
        return self.kernel_size + (channels, self.depth_multiplier)

    def _convolve(self, inputs: Any) -> Any:
        return self._depthwise(inputs, self.kernel)

    def compute_output_shape(self, input_shape: Any) -> tuple:
        shape = tuple(input_shape)
        last = self.data_format == "channels_last"
        channels = shape[-1] if last else shape[1]
        filters = None if channels is None else channels * self.depth_multiplier
        out = super().compute_output_shape(input_shape)
        return out[:-1] + (filters,) if last else (out[0], filters) + out[2:]

    def get_config(self) -> dict:
        return depthwise_config(self, super().get_config())


class SeparableConv1D(_DepthwiseConv1DBase):
    """A depthwise convolution of a sequence (``depth_multiplier`` filters per channel) followed by a
    pointwise (size-1) convolution to ``filters`` channels. Kernels: ``depthwise_kernel``
    ``(kernel_size, channels, depth_multiplier)`` and ``pointwise_kernel`` ``(1, channels * depth_multiplier,
    filters)``, as in Keras."""

    def __init__(
        self,
        filters: int,
        kernel_size: Any,
        strides: Any = 1,
        padding: str = "valid",
        data_format: Optional[str] = None,
        dilation_rate: Any = 1,
        depth_multiplier: int = 1,
        activation: Any = None,
        use_bias: bool = True,
        depthwise_initializer: Any = "glorot_uniform",
        pointwise_initializer: Any = "glorot_uniform",
        bias_initializer: Any = "zeros",
        depthwise_regularizer: Any = None,
        pointwise_regularizer: Any = None,
        bias_regularizer: Any = None,
        activity_regularizer: Any = None,
        depthwise_constraint: Any = None,
        pointwise_constraint: Any = None,
        bias_constraint: Any = None,
        **kwargs: Any,
    ) -> None:
        self.depth_multiplier = _check_args(padding, depth_multiplier)
        super().__init__(
            filters,
            kernel_size,
            strides=1,
            padding=padding,
            data_format=data_format,
            dilation_rate=dilation_rate,
            activation=activation,
            use_bias=use_bias,
            bias_initializer=bias_initializer,
            bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer,
            bias_constraint=bias_constraint,
            **kwargs,
        )
        self._set_strides(strides)
        self.depthwise_initializer = _resolve.initializer(depthwise_initializer)
        self.pointwise_initializer = _resolve.initializer(pointwise_initializer)
        self.depthwise_regularizer = _resolve.regularizer(depthwise_regularizer)
        self.pointwise_regularizer = _resolve.regularizer(pointwise_regularizer)
        self.depthwise_constraint = _resolve.constraint(depthwise_constraint)
        self.pointwise_constraint = _resolve.constraint(pointwise_constraint)

    def build(self, input_shape: Any) -> None:
        self._check_length(input_shape)
        super().build(input_shape)

    def _build_kernels(self, channels: int) -> None:
        self.depthwise_kernel = self.add_weight(
            name="depthwise_kernel",
            shape=self.kernel_size + (channels, self.depth_multiplier),
            initializer=self.depthwise_initializer,
            regularizer=self.depthwise_regularizer,
            constraint=self.depthwise_constraint,
        )
        self.pointwise_kernel = self.add_weight(
            name="pointwise_kernel",
            shape=(1, channels * self.depth_multiplier, self.filters),
            initializer=self.pointwise_initializer,
            regularizer=self.pointwise_regularizer,
            constraint=self.pointwise_constraint,
        )
        self.kernel = self.pointwise_kernel  # its dtype is the layer's compute dtype

    def _convolve(self, inputs: Any) -> Any:
        fmt = "NWC" if self.data_format == "channels_last" else "NCW"
        depthwise = self._depthwise(inputs, self.depthwise_kernel)
        return conv_ops.conv1d(depthwise, self.pointwise_kernel, 1, "VALID", data_format=fmt)

    def get_config(self) -> dict:
        config = super().get_config()
        for key in ("groups", "kernel_initializer", "kernel_regularizer", "kernel_constraint"):
            config.pop(key, None)
        config.update(
            depth_multiplier=self.depth_multiplier,
            depthwise_initializer=_resolve.serialize_initializer(self.depthwise_initializer),
            pointwise_initializer=_resolve.serialize_initializer(self.pointwise_initializer),
            depthwise_regularizer=_resolve.serialize(self.depthwise_regularizer),
            pointwise_regularizer=_resolve.serialize(self.pointwise_regularizer),
            depthwise_constraint=_resolve.serialize(self.depthwise_constraint),
            pointwise_constraint=_resolve.serialize(self.pointwise_constraint),
        )
        return config

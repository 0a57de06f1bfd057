"""``Conv2DTranspose``, ``DepthwiseConv2D`` and ``SeparableConv2D``: Keras 3's arguments, weights and configs."""

from __future__ import annotations

from typing import Any

from ..ops import conv_ops
from . import _resolve
from ._conv_utils import normalize_tuple
from .convolutional import _Conv


def deconv_output_length(
    length: Any, kernel: int, padding: str, output_padding: Any, stride: int, dilation: int
) -> Any:
    """Keras's output length of a transposed convolution along one axis (None stays None)."""
    if length is None:
        return None
    kernel = kernel + (kernel - 1) * (dilation - 1)
    if output_padding is None:
        return length * stride + (max(kernel - stride, 0) if padding == "valid" else 0)
    pad = kernel // 2 if padding == "same" else 0
    return (length - 1) * stride + kernel - 2 * pad + output_padding


class Conv2DTranspose(_Conv):
    """The transposed 2-D convolution ("deconvolution"): each input pixel spreads a ``kernel_size`` window onto
    an output ``strides`` times larger. The kernel is ``kernel_size + (filters, in_channels)``."""

    rank = 2

    def __init__(
        self,
        filters: int,
        kernel_size: Any,
        strides: Any = (1, 1),
        padding: str = "valid",
        output_padding: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(filters, kernel_size, strides=strides, padding=padding, **kwargs)
        self.output_padding = (
            None if output_padding is None else normalize_tuple(output_padding, 2, "output_padding", allow_zero=True)
        )
        if self.output_padding is not None and any(p >= s for p, s in zip(self.output_padding, self.strides)):
            raise ValueError(f"Strides {self.strides} must be greater than output padding {self.output_padding}.")

    def _kernel_shape(self, channels: int) -> tuple:
        return self.kernel_size + (self.filters, channels)

    def _spatial_out(self, spatial: tuple) -> tuple:
        pads = self.output_padding or (None, None)
        return tuple(
            deconv_output_length(n, k, self.padding, p, s, d)
            for n, k, p, s, d in zip(spatial, self.kernel_size, pads, self.strides, self.dilation_rate)
        )

    def _convolve(self, inputs: Any) -> Any:
        from ..ops.array_ops import shape, stack

        last = self.data_format == "channels_last"
        # sizes known only when the graph runs are int32 scalars, Keras's rule applied to them
        sizes = [d if d is not None else shape(inputs)[i] for i, d in enumerate(inputs.shape)]
        oh, ow = self._spatial_out(tuple(sizes[1:3] if last else sizes[2:4]))
        batch = sizes[0]
        dims = [batch, oh, ow, self.filters] if last else [batch, self.filters, oh, ow]
        output_shape = dims if all(isinstance(d, int) for d in dims) else stack(dims)
        y = conv_ops.conv2d_transpose(
            inputs,
            self.kernel,
            output_shape,
            self.strides,
            self.padding.upper(),
            data_format="NHWC" if last else "NCHW",
            dilations=self.dilation_rate,
        )
        from ..framework.graph import SymbolicTensor

        if isinstance(y, SymbolicTensor):  # the size is computed when the graph runs; the layer knows it now
            y.set_shape([inputs.shape[0]] + [d if isinstance(d, int) else None for d in dims[1:]])
        return y

    def compute_output_shape(self, input_shape: Any) -> tuple:
        shape = tuple(input_shape)
        last = self.data_format == "channels_last"
        out = self._spatial_out(shape[1:3] if last else shape[2:4])
        return (shape[0],) + out + (self.filters,) if last else (shape[0], self.filters) + out

    def get_config(self) -> dict:
        config = super().get_config()
        config.pop("groups", None)
        config["output_padding"] = self.output_padding
        return config


def depthwise_config(layer: Any, base: dict) -> dict:
    """A depthwise layer's config in Keras 3's keys and order: ``depth_multiplier`` after the base keys and the
    ``kernel_*`` arguments as ``depthwise_*``, each beside its ``bias_*`` counterpart."""
    dropped = ("filters", "groups", "kernel_initializer", "kernel_regularizer", "kernel_constraint")
    values = {
        "depthwise_initializer": _resolve.serialize_initializer(layer.kernel_initializer),
        "depthwise_regularizer": _resolve.serialize(layer.kernel_regularizer),
        "depthwise_constraint": _resolve.serialize(layer.kernel_constraint),
    }
    order = ("name", "trainable", "dtype", "depth_multiplier", "kernel_size", "strides", "padding", "data_format")
    order += ("dilation_rate", "activation", "use_bias", "depthwise_initializer", "bias_initializer")
    order += ("depthwise_regularizer", "bias_regularizer", "activity_regularizer", "depthwise_constraint")
    order += ("bias_constraint",)
    merged = {k: v for k, v in base.items() if k not in dropped}
    merged.update(values, depth_multiplier=layer.depth_multiplier)
    config = {k: merged.pop(k) for k in order if k in merged}
    config.update(merged)  # anything else the base adds stays, after Keras's keys
    return config


class DepthwiseConv2D(_Conv):
    """Each input channel convolved with its own ``depth_multiplier`` filters (``kernel_size + (channels,
    depth_multiplier)``); output channel ``c * depth_multiplier + m``.

    As in Keras 3 the weight is ``kernel`` (path ``depthwise_conv2d/kernel``; Keras 2 called it
    ``depthwise_kernel``), while the config keeps the ``depthwise_*`` argument names."""

    rank = 2

    def __init__(
        self,
        kernel_size: Any,
        strides: Any = (1, 1),
        padding: str = "valid",
        depth_multiplier: int = 1,
        depthwise_initializer: Any = "glorot_uniform",
        depthwise_regularizer: Any = None,
        depthwise_constraint: Any = None,
        **kwargs: Any,
    ) -> None:
        self.depth_multiplier = int(depth_multiplier)
        super().__init__(
            1,
            kernel_size,
            strides=strides,
            padding=padding,
            kernel_initializer=depthwise_initializer,
            kernel_regularizer=depthwise_regularizer,
            kernel_constraint=depthwise_constraint,
            **kwargs,
        )

    def _kernel_shape(self, channels: int) -> tuple:
        self.filters = channels * self.depth_multiplier  # the bias and the output follow the channels
        return self.kernel_size + (channels, self.depth_multiplier)

    def _convolve(self, inputs: Any) -> Any:
        fmt = "NHWC" if self.data_format == "channels_last" else "NCHW"
        return conv_ops.depthwise_conv2d(
            inputs, self.kernel, self.strides, self.padding.upper(), fmt, self.dilation_rate
        )

    def compute_output_shape(self, input_shape: Any) -> tuple:
        shape = tuple(input_shape)
        last = self.data_format == "channels_last"
        channels = shape[-1] if last else shape[1]
        filters = None if channels is None else channels * self.depth_multiplier
        out = super().compute_output_shape(input_shape)
        return out[:-1] + (filters,) if last else (out[0], filters) + out[2:]

    def get_config(self) -> dict:
        return depthwise_config(self, super().get_config())


class SeparableConv2D(_Conv):
    """A depthwise convolution (``depth_multiplier`` filters per channel) followed by a 1x1 convolution to
    ``filters`` channels: far fewer weights than a full ``Conv2D``."""

    rank = 2

    def __init__(
        self,
        filters: int,
        kernel_size: Any,
        strides: Any = (1, 1),
        padding: str = "valid",
        depth_multiplier: int = 1,
        depthwise_initializer: Any = "glorot_uniform",
        pointwise_initializer: Any = "glorot_uniform",
        depthwise_regularizer: Any = None,
        pointwise_regularizer: Any = None,
        depthwise_constraint: Any = None,
        pointwise_constraint: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(filters, kernel_size, strides=strides, padding=padding, **kwargs)
        self.depth_multiplier = int(depth_multiplier)
        self.depthwise_initializer = _resolve.initializer(depthwise_initializer)
        self.pointwise_initializer = _resolve.initializer(pointwise_initializer)
        self.depthwise_regularizer = _resolve.regularizer(depthwise_regularizer)
        self.pointwise_regularizer = _resolve.regularizer(pointwise_regularizer)
        self.depthwise_constraint = _resolve.constraint(depthwise_constraint)
        self.pointwise_constraint = _resolve.constraint(pointwise_constraint)

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
            shape=(1, 1, channels * self.depth_multiplier, self.filters),
            initializer=self.pointwise_initializer,
            regularizer=self.pointwise_regularizer,
            constraint=self.pointwise_constraint,
        )
        self.kernel = self.pointwise_kernel  # its dtype is the layer's compute dtype

    def _convolve(self, inputs: Any) -> Any:
        fmt = "NHWC" if self.data_format == "channels_last" else "NCHW"
        depthwise = conv_ops.depthwise_conv2d(
            inputs, self.depthwise_kernel, self.strides, self.padding.upper(), fmt, self.dilation_rate
        )
        return conv_ops.conv2d(depthwise, self.pointwise_kernel, 1, "VALID", data_format=fmt)

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

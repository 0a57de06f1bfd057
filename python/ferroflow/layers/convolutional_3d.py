"""``Conv3D``, ``Conv3DTranspose`` and ``Conv1DTranspose``: Keras 3's arguments, weights and configs."""

from __future__ import annotations

from typing import Any, Optional

from ..framework.tensor import Tensor
from ..ops import conv3d_ops, conv3d_transpose_ops, conv_ops
from ._conv_utils import normalize_tuple
from .conv_variants import deconv_output_length
from .convolutional import _Conv


class Conv3D(_Conv):
    """3-D convolution over volumes (``channels_last``: ``(batch, depth, height, width, channels)``)."""

    rank = 3

    def __init__(
        self,
        filters: int,
        kernel_size: Any,
        strides: Any = (1, 1, 1),
        padding: str = "valid",
        data_format: Optional[str] = None,
        dilation_rate: Any = (1, 1, 1),
        groups: int = 1,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            filters,
            kernel_size,
            strides=strides,
            padding=padding,
            data_format=data_format,
            dilation_rate=dilation_rate,
            groups=groups,
            **kwargs,
        )

    def _convolve(self, inputs: Any) -> Any:
        fmt = "NDHWC" if self.data_format == "channels_last" else "NCDHW"
        return conv3d_ops.conv3d(
            inputs, self.kernel, self.strides, self.padding.upper(), data_format=fmt, dilations=self.dilation_rate
        )


class _ConvTranspose(_Conv):
    """The shared part of ``Conv1DTranspose``/``Conv3DTranspose``: a ``kernel_size + (filters, in_channels)``
    kernel, Keras's output sizes and ``output_padding``."""

    rank = 3

    def __init__(
        self,
        filters: int,
        kernel_size: Any,
        strides: Any = 1,
        padding: str = "valid",
        output_padding: Any = None,
        data_format: Optional[str] = None,
        dilation_rate: Any = 1,
        **kwargs: Any,
    ) -> None:
        if str(padding).lower() not in ("valid", "same"):
            raise ValueError(f"The `padding` argument must be one of ('valid', 'same'). Received: padding={padding}")
        super().__init__(
            filters,
            kernel_size,
            strides=strides,
            padding=padding,
            data_format=data_format,
            dilation_rate=dilation_rate,
            **kwargs,
        )
        self.output_padding = (
            None
            if output_padding is None
            else normalize_tuple(output_padding, self.rank, "output_padding", allow_zero=True)
        )
        if self.output_padding is not None and any(p >= s for p, s in zip(self.output_padding, self.strides)):
            raise ValueError(f"Strides {self.strides} must be greater than output padding {self.output_padding}.")

    def _kernel_shape(self, channels: int) -> tuple:
        return self.kernel_size + (self.filters, channels)

    def _spatial_in(self, shape: tuple) -> tuple:
        return tuple(shape[1:-1] if self.data_format == "channels_last" else shape[2:])

    def _spatial_out(self, spatial: tuple) -> tuple:
        pads = self.output_padding or (None,) * self.rank
        return tuple(
            deconv_output_length(n, k, self.padding, p, s, d)
            for n, k, p, s, d in zip(spatial, self.kernel_size, pads, self.strides, self.dilation_rate)
        )

    def _output_dims(self, inputs: Any) -> list:
        """The output shape in the layer's data format: ints, and int32 scalars for the sizes of ``inputs``
        known only when the graph runs (Keras's rule applied to them)."""
        from ..ops.array_ops import shape

        known = list(inputs.shape)
        sizes = [d if d is not None else shape(inputs)[i] for i, d in enumerate(known)]
        out = self._spatial_out(self._spatial_in(tuple(sizes)))
        if self.data_format == "channels_last":
            return [sizes[0], *out, self.filters]
        return [sizes[0], self.filters, *out]

    def compute_output_shape(self, input_shape: Any) -> tuple:
        shape = tuple(input_shape)
        out = self._spatial_out(self._spatial_in(shape))
        if self.data_format == "channels_last":
            return (shape[0],) + out + (self.filters,)
        return (shape[0], self.filters) + out

    def get_config(self) -> dict:
        config = super().get_config()
        config.pop("groups", None)
        config["output_padding"] = self.output_padding
        return config


class Conv3DTranspose(_ConvTranspose):
    """The transposed 3-D convolution: each input voxel spreads a ``kernel_size`` window onto an output
    ``strides`` times larger. The kernel is ``kernel_size + (filters, in_channels)``."""

    rank = 3

    def __init__(
        self,
        filters: int,
        kernel_size: Any,
        strides: Any = (1, 1, 1),
        padding: str = "valid",
        data_format: Optional[str] = None,
        output_padding: Any = None,
        dilation_rate: Any = (1, 1, 1),
        **kwargs: Any,
    ) -> None:
        super().__init__(
            filters,
            kernel_size,
            strides=strides,
            padding=padding,
            output_padding=output_padding,
            data_format=data_format,
            dilation_rate=dilation_rate,
            **kwargs,
        )

    def _convolve(self, inputs: Any) -> Any:
        fmt = "NDHWC" if self.data_format == "channels_last" else "NCDHW"
        return conv3d_transpose_ops.conv3d_transpose(
            inputs,
            self.kernel,
            self._output_dims(inputs),
            self.strides,
            self.padding.upper(),
            data_format=fmt,
            dilations=self.dilation_rate,
        )


class Conv1DTranspose(_ConvTranspose):
    """The transposed 1-D convolution over sequences (``channels_last``: ``(batch, steps, channels)``), run as
    a 2-D one over a height of one."""

    rank = 1

    def _convolve(self, inputs: Any) -> Any:
        from ..framework.graph import SymbolicTensor
        from ..ops.array_ops import expand_dims, squeeze, stack

        last = self.data_format == "channels_last"
        dims = self._output_dims(inputs)
        dims.insert(1 if last else 2, 1)  # a height of one
        dynamic = any(isinstance(d, Tensor) for d in dims)
        output_shape = stack(dims) if dynamic else dims
        y = conv_ops.conv2d_transpose(
            expand_dims(inputs, 1 if last else 2),
            expand_dims(self.kernel, 0),
            output_shape,
            (1,) + self.strides,
            self.padding.upper(),
            data_format="NHWC" if last else "NCHW",
            dilations=(1,) + self.dilation_rate,
        )
        if isinstance(y, SymbolicTensor):  # the size is computed when the graph runs; the layer knows it now
            y.set_shape([inputs.shape[0]] + [None if isinstance(d, Tensor) else d for d in dims[1:]])
        return squeeze(y, [1 if last else 2])

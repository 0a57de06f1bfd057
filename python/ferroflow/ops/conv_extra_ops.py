"""More ``tf.nn`` convolutions, all on the core's ``Conv2D`` and its two gradient ops: ``atrous_conv2d``
(dilated), ``atrous_conv2d_transpose``, ``conv1d_transpose``, ``conv_transpose``, the depthwise gradients and
TensorFlow 2's ``conv2d_backprop_input_v2`` / ``conv2d_backprop_filter_v2``."""

from __future__ import annotations

from typing import Any, Optional

from ..framework.graph_constants import static_numpy
from ..framework.ops import apply
from ..framework.tensor import Tensor
from .array_ops import expand_dims, reshape, shape, squeeze, zeros
from .conv_ops import _float_tensor, _format, _from_nhwc, _padding, _spatial, _to_nhwc, conv2d, conv2d_transpose


def _rate(rate: Any) -> int:
    rate = int(rate)
    if rate < 1:
        raise ValueError(f"rate {rate} cannot be less than one")
    return rate


def atrous_conv2d(value: Any, filters: Any, rate: int, padding: str, name: Optional[str] = None) -> Tensor:
    """``conv2d`` of NHWC ``value`` with ``filters`` dilated by ``rate`` (holes between the taps), stride 1."""
    return conv2d(value, filters, 1, padding, "NHWC", _rate(rate), name)


def atrous_conv2d_transpose(
    value: Any, filters: Any, output_shape: Any, rate: int, padding: str, name: Optional[str] = None
) -> Tensor:
    """The transpose (gradient) of ``atrous_conv2d``: ``filters`` is ``[h, w, out_channels, in_channels]``."""
    rate = _rate(rate)
    x, f = _float_tensor(value, "atrous_conv2d_transpose"), _float_tensor(filters, "atrous_conv2d_transpose")
    if x.shape.rank == 4 and f.shape.rank == 4 and x.shape[3] is not None and x.shape[3] != f.shape[3]:
        raise ValueError(
            f"`value` channel count must be compatible with `filters` input channel count. Received: "
            f"value.shape={x.shape} with channel count {x.shape[3]} and filters.shape={f.shape} with input "
            f"channel count {f.shape[3]}."
        )
    if isinstance(padding, str) and padding.upper() not in ("SAME", "VALID"):
        raise ValueError(f"Padding must be either 'SAME' or 'VALID'. Received: padding={padding}.")
    return conv2d_transpose(x, f, output_shape, 1, padding, "NHWC", rate, name)


def conv1d_transpose(
    input: Any,
    filters: Any,
    output_shape: Any,
    strides: Any,
    padding: str = "SAME",
    data_format: str = "NWC",
    dilations: Any = None,
    name: Optional[str] = None,
) -> Tensor:
    """The transpose of ``conv1d``: ``filters`` ``[width, out_channels, in_channels]``, ``output_shape``
    ``[batch, width, channels]`` (``NCW`` with ``data_format="NCW"``)."""
    first = _format(data_format, "NWC")
    x = _float_tensor(input, "conv1d_transpose")
    f = expand_dims(_float_tensor(filters, "conv1d_transpose"), 0)
    dims = [int(d) for d in (static_numpy(output_shape))]
    if len(dims) != 3:
        raise ValueError(f"output_shape must have 3 dimensions, received {dims}")
    stride = _spatial(strides, "strides", 1, first)[0]
    dilation = _spatial(dilations, "dilations", 1, first)[0]
    if first:
        y = conv2d_transpose(
            expand_dims(x, 2), f, [dims[0], dims[1], 1, dims[2]], [1, stride], padding, "NCHW", [1, dilation]
        )
        return squeeze(y, [2])
    y = conv2d_transpose(
        expand_dims(x, 1), f, [dims[0], 1, dims[1], dims[2]], [1, stride], padding, "NHWC", [1, dilation]
    )
    return squeeze(y, [1])


def conv_transpose(
    input: Any,
    filters: Any,
    output_shape: Any,
    strides: Any,
    padding: str = "SAME",
    data_format: Optional[str] = None,
    dilations: Any = None,
    name: Optional[str] = None,
) -> Tensor:
    """``conv1d_transpose``, ``conv2d_transpose`` or ``conv3d_transpose`` by the rank of ``output_shape``."""
    if isinstance(output_shape, Tensor):  # a 1-D tensor: its length is its static shape (values may come later)
        n = (output_shape.shape.as_list() or [None])[0]
        if n is None:
            raise ValueError(f"output_shape must be a 1-D tensor of known length, received shape {output_shape.shape}")
        n -= 2
    else:
        n = len(output_shape) - 2
    channels_first = data_format is not None and str(data_format).upper().startswith("NC")
    if n == 1:
        return conv1d_transpose(
            input, filters, output_shape, strides, padding, "NCW" if channels_first else "NWC", dilations, name
        )
    if n == 2:
        return conv2d_transpose(
            input, filters, output_shape, strides, padding, "NCHW" if channels_first else "NHWC", dilations, name
        )
    if n == 3:
        from .conv3d_transpose_ops import conv3d_transpose

        return conv3d_transpose(
            input, filters, output_shape, strides, padding, "NCDHW" if channels_first else "NDHWC", dilations, name
        )
    raise ValueError(f"output_shape must be of length 3, 4 or 5 but was {n + 2}.")


def _window(strides: Any, padding: Any, dilations: Any, first: bool) -> dict:
    return {
        "strides": _spatial(strides, "strides", 2, first),
        "dilations": _spatial(dilations, "dilations", 2, first),
        "padding": _padding(padding, 2, first),
    }


def _sizes_of(sizes: Any, first: bool) -> Tensor:
    """NHWC input sizes from ``[n, h, w, c]`` (or NCHW) values."""
    values = [int(d) for d in (static_numpy(sizes))]
    if len(values) != 4:
        raise ValueError(f"input_sizes must have 4 values, received {values}")
    from ..framework.ops import convert_to_tensor

    return convert_to_tensor([values[0], values[2], values[3], values[1]] if first else values, dtype="int32")


def conv2d_backprop_input_v2(
    input: Any,
    filter: Any,
    out_backprop: Any,
    strides: Any,
    padding: Any,
    data_format: str = "NHWC",
    dilations: Any = None,
    name: Optional[str] = None,
) -> Tensor:
    """The gradient of ``conv2d`` with respect to its input (only ``input``'s shape is used)."""
    first = _format(data_format, "NHWC")
    dy = _to_nhwc(_float_tensor(out_backprop, "conv2d_backprop_input"), first)
    sizes = shape(_to_nhwc(_float_tensor(input, "conv2d_backprop_input"), first))
    y = apply(
        "conv2d_backprop_input",
        [dy, _float_tensor(filter, "conv2d_backprop_input"), sizes],
        _window(strides, padding, dilations, first),
        op_name=name,
    )
    return _from_nhwc(y, first)


def conv2d_backprop_filter_v2(
    input: Any,
    filter: Any,
    out_backprop: Any,
    strides: Any,
    padding: Any,
    data_format: str = "NHWC",
    dilations: Any = None,
    name: Optional[str] = None,
) -> Tensor:
    """The gradient of ``conv2d`` with respect to its filter (only ``filter``'s shape is used)."""
    first = _format(data_format, "NHWC")
    x = _to_nhwc(_float_tensor(input, "conv2d_backprop_filter"), first)
    dy = _to_nhwc(_float_tensor(out_backprop, "conv2d_backprop_filter"), first)
    f = _float_tensor(filter, "conv2d_backprop_filter")
    return apply("conv2d_backprop_filter", [x, dy, f], _window(strides, padding, dilations, first), op_name=name)


def depthwise_conv2d_backprop_input(
    input_sizes: Any,
    filter: Any,
    out_backprop: Any,
    strides: Any,
    padding: Any,
    data_format: str = "NHWC",
    dilations: Any = None,
    name: Optional[str] = None,
) -> Tensor:
    """The gradient of ``depthwise_conv2d`` with respect to its input, of shape ``input_sizes``."""
    first = _format(data_format, "NHWC")
    f = _float_tensor(filter, "depthwise_conv2d_backprop_input")
    kh, kw, c, m = f.shape.as_list()
    grouped = reshape(f, [kh, kw, 1, c * m])
    dy = _to_nhwc(_float_tensor(out_backprop, "depthwise_conv2d_backprop_input"), first)
    y = apply(
        "conv2d_backprop_input",
        [dy, grouped, _sizes_of(input_sizes, first)],
        _window(strides, padding, dilations, first),
        op_name=name,
    )
    return _from_nhwc(y, first)


def depthwise_conv2d_backprop_filter(
    input: Any,
    filter_sizes: Any,
    out_backprop: Any,
    strides: Any,
    padding: Any,
    data_format: str = "NHWC",
    dilations: Any = None,
    name: Optional[str] = None,
) -> Tensor:
    """The gradient of ``depthwise_conv2d`` with respect to its ``[h, w, in_channels, multiplier]`` filter."""
    first = _format(data_format, "NHWC")
    kh, kw, c, m = [int(d) for d in (static_numpy(filter_sizes))]
    x = _to_nhwc(_float_tensor(input, "depthwise_conv2d_backprop_filter"), first)
    dy = _to_nhwc(_float_tensor(out_backprop, "depthwise_conv2d_backprop_filter"), first)
    like = zeros([kh, kw, 1, c * m], dtype=x.dtype)
    g = apply("conv2d_backprop_filter", [x, dy, like], _window(strides, padding, dilations, first), op_name=name)
    return reshape(g, [kh, kw, c, m])

"""``tf.nn`` convolutions and pooling: ``conv1d``, ``conv2d``, ``convolution``, ``depthwise_conv2d``,
``conv2d_transpose``, ``max_pool``/``avg_pool`` in 1-D and 2-D.

The core ops work on NHWC images (``Conv2D``, ``MaxPool``, ``AvgPool`` and their gradients, with grouped
filters). NCHW runs through transposes and the 1-D forms through a height of one, as TensorFlow builds them;
a depthwise filter ``[kh, kw, C, M]`` is the grouped filter ``[kh, kw, 1, C * M]`` with ``C`` groups.
"""

from __future__ import annotations

from typing import Any, Optional

from ..framework.graph_constants import static_numpy
from ..framework.ops import apply, convert_to_tensor
from ..framework.tensor import Tensor
from .array_ops import expand_dims, reshape, squeeze, transpose

_CHANNELS_FIRST = ("NCHW", "NCW", "NCDHW")


def _spatial(value: Any, what: str, spatial: int, channels_first: bool, default: int = 1) -> list:
    """An int, ``spatial`` ints, or ``spatial + 2`` ints (with 1 for batch and channels), as ``spatial`` ints."""
    if value is None:
        return [default] * spatial
    values = [int(v) for v in value] if isinstance(value, (list, tuple)) else [int(value)]
    if len(values) == 1:
        return values * spatial
    if len(values) == spatial:
        return values
    if len(values) == spatial + 2:
        outer = (values[0], values[1]) if channels_first else (values[0], values[-1])
        if outer != (1, 1):
            raise ValueError(f"{what} along the batch and channel dimensions must be 1, received {values}")
        return values[2:] if channels_first else values[1:-1]
    raise ValueError(f"{what} must be an int or a list of {spatial} or {spatial + 2} ints, received {values}")


def _padding(padding: Any, spatial: int, channels_first: bool) -> Any:
    """``"VALID"``/``"SAME"``, or explicit ``[[before, after], ...]`` for every dimension, as the core's form."""
    if isinstance(padding, str):
        if padding.upper() not in ("VALID", "SAME"):
            raise ValueError(f"padding must be 'VALID', 'SAME' or a list of pairs, received '{padding}'")
        return padding.upper()
    pairs = [[int(a), int(b)] for a, b in padding]
    if len(pairs) != spatial + 2:
        raise ValueError(f"explicit padding needs {spatial + 2} [before, after] pairs, received {pairs}")
    outer = [pairs[0], pairs[1]] if channels_first else [pairs[0], pairs[-1]]
    if outer != [[0, 0], [0, 0]]:
        raise ValueError(f"explicit padding of the batch and channel dimensions must be 0, received {pairs}")
    inner = pairs[2:] if channels_first else pairs[1:-1]
    return [[0, 0]] * (2 - spatial) + inner


def _to_nhwc(x: Tensor, channels_first: bool) -> Tensor:
    return transpose(x, [0, 2, 3, 1]) if channels_first else x


def _from_nhwc(y: Tensor, channels_first: bool) -> Tensor:
    return transpose(y, [0, 3, 1, 2]) if channels_first else y


def _format(data_format: Optional[str], default: str) -> bool:
    fmt = (data_format or default).upper()
    if fmt not in ("NHWC", "NCHW", "NWC", "NCW"):
        raise ValueError(f"data_format must be one of NHWC, NCHW, NWC or NCW, received {data_format}")
    return fmt in _CHANNELS_FIRST


def _float_tensor(x: Any, what: str) -> Tensor:
    t = convert_to_tensor(x)
    if not t.dtype.is_floating:
        raise TypeError(f"{what} expects float16, bfloat16, float32 or float64 values, received {t.dtype.name}")
    return t


def conv2d(
    input: Any,
    filters: Any,
    strides: Any,
    padding: Any,
    data_format: str = "NHWC",
    dilations: Any = None,
    name: Optional[str] = None,
) -> Tensor:
    """2-D convolution of ``[batch, height, width, channels]`` images (``NCHW`` too) with ``filters``
    ``[height, width, in_channels / groups, out_channels]``."""
    first = _format(data_format, "NHWC")
    x, f = _float_tensor(input, "conv2d"), _float_tensor(filters, "conv2d")
    attrs = {
        "strides": _spatial(strides, "strides", 2, first),
        "dilations": _spatial(dilations, "dilations", 2, first),
        "padding": _padding(padding, 2, first),
    }
    return _from_nhwc(apply("conv2d", [_to_nhwc(x, first), f], attrs, op_name=name), first)


def conv1d(
    input: Any,
    filters: Any,
    stride: Any,
    padding: Any,
    data_format: str = "NWC",
    dilations: Any = None,
    name: Optional[str] = None,
) -> Tensor:
    """1-D convolution of ``[batch, width, channels]`` with ``filters`` ``[width, in_channels, out_channels]``:
    a 2-D convolution over a height of one."""
    first = _format(data_format, "NWC")
    x, f = _float_tensor(input, "conv1d"), _float_tensor(filters, "conv1d")
    x4 = expand_dims(x, 2 if first else 1)
    attrs = {
        "strides": [1] + _spatial(stride, "stride", 1, first),
        "dilations": [1] + _spatial(dilations, "dilations", 1, first),
        "padding": _padding(padding, 1, first),
    }
    y = apply("conv2d", [_to_nhwc(x4, first), expand_dims(f, 0)], attrs, op_name=name)
    return squeeze(_from_nhwc(y, first), [2 if first else 1])


def convolution(
    input: Any,
    filters: Any,
    strides: Any = None,
    padding: str = "VALID",
    data_format: Optional[str] = None,
    dilations: Any = None,
    name: Optional[str] = None,
) -> Tensor:
    """``tf.nn.convolution``: ``conv1d``, ``conv2d`` or ``conv3d`` by the rank of ``input``."""
    rank = convert_to_tensor(input).shape.rank
    if rank == 3:
        return conv1d(input, filters, strides, padding, data_format or "NWC", dilations, name)
    if rank == 4:
        return conv2d(input, filters, strides, padding, data_format or "NHWC", dilations, name)
    if rank == 5:
        from .conv3d_ops import conv3d

        return conv3d(input, filters, strides, padding, data_format or "NDHWC", dilations, name)
    raise ValueError(f"convolution expects a 3-D, 4-D or 5-D input (batch, spatial..., channels), received rank {rank}")


def depthwise_conv2d(
    input: Any,
    filter: Any,
    strides: Any,
    padding: Any,
    data_format: Optional[str] = None,
    dilations: Any = None,
    name: Optional[str] = None,
) -> Tensor:
    """Each input channel convolved with its own ``channel_multiplier`` filters: ``filter`` is
    ``[height, width, in_channels, channel_multiplier]``; output channel ``c * multiplier + m``."""
    f = _float_tensor(filter, "depthwise_conv2d")
    kh, kw, c, m = f.shape.as_list()
    grouped = reshape(f, [kh, kw, 1, c * m])
    return conv2d(input, grouped, strides, padding, data_format or "NHWC", dilations, name)


def conv2d_transpose(
    input: Any,
    filters: Any,
    output_shape: Any,
    strides: Any,
    padding: Any = "SAME",
    data_format: str = "NHWC",
    dilations: Any = None,
    name: Optional[str] = None,
) -> Tensor:
    """The gradient of ``conv2d`` with respect to its input, used as a layer: ``filters`` is
    ``[height, width, output_channels, in_channels]`` and ``output_shape`` the shape of the result (a list, or
    a 1-D int tensor such as ``tf.stack([tf.shape(x)[0], h, w, c])`` in a model with an unknown batch)."""
    from ..framework.graph import SymbolicTensor
    from .array_ops import cast, gather

    first = _format(data_format, "NHWC")
    x, f = _float_tensor(input, "conv2d_transpose"), _float_tensor(filters, "conv2d_transpose")
    attrs = {
        "strides": _spatial(strides, "strides", 2, first),
        "dilations": _spatial(dilations, "dilations", 2, first),
        "padding": _padding(padding, 2, first),
    }
    static: list = [None] * 4
    if isinstance(output_shape, (list, tuple)) and any(isinstance(d, SymbolicTensor) for d in output_shape):
        # a list holding sizes known when the graph runs (as Keras builds it): one vector, the ints kept
        from .array_ops import stack

        if len(output_shape) != 4:
            raise ValueError(f"output_shape must have 4 dimensions, received {list(output_shape)}")
        known = [None if isinstance(d, SymbolicTensor) else int(d) for d in output_shape]
        static = [known[0], known[2], known[3], known[1]] if first else known
        output_shape = stack([cast(d, "int32") if isinstance(d, Tensor) else d for d in output_shape])
    if isinstance(output_shape, SymbolicTensor):
        sizes = cast(output_shape, "int32")
        if first:
            sizes = gather(sizes, [0, 2, 3, 1])
    else:
        values = [int(d) for d in (static_numpy(output_shape))]
        if len(values) != 4:
            raise ValueError(f"output_shape must have 4 dimensions, received {values}")
        static = [values[0], values[2], values[3], values[1]] if first else values
        sizes = convert_to_tensor(static, dtype="int32")
    y = apply("conv2d_backprop_input", [_to_nhwc(x, first), f, sizes], attrs, op_name=name)
    if isinstance(y, SymbolicTensor):  # the sizes' values arrive when the graph runs; the known ones are kept
        known = [x.shape[0], None, None, f.shape[2]]
        y.set_shape([s if s is not None else k for s, k in zip(static, known)])
    return _from_nhwc(y, first)


def _pool(kind: str, input: Any, ksize: Any, strides: Any, padding: Any, data_format: Any, name: Any) -> Tensor:
    x = _float_tensor(input, f"{kind}_pool")
    rank = x.shape.rank
    if rank not in (3, 4):
        raise ValueError(f"{kind}_pool expects a 3-D or 4-D input, received rank {rank}")
    spatial = rank - 2
    first = _format(data_format, "NHWC" if rank == 4 else "NWC")
    if first and data_format and data_format.upper() not in ("NCHW", "NCW"):
        raise ValueError(f"data_format {data_format} does not fit a rank-{rank} input")
    attrs = {
        "ksize": [1] * (2 - spatial) + _spatial(ksize, "ksize", spatial, first),
        "strides": [1] * (2 - spatial) + _spatial(strides, "strides", spatial, first),
        "padding": _padding(padding, spatial, first),
    }
    if spatial == 1:
        x = expand_dims(x, 2 if first else 1)
    y = _from_nhwc(apply(f"{kind}_pool2d", [_to_nhwc(x, first)], attrs, op_name=name), first)
    return squeeze(y, [2 if first else 1]) if spatial == 1 else y


def max_pool2d(
    input: Any, ksize: Any, strides: Any, padding: Any, data_format: str = "NHWC", name: Any = None
) -> Tensor:
    """The maximum of each ``ksize`` window (padding never wins)."""
    return _pool("max", input, ksize, strides, padding, data_format, name)


def avg_pool2d(
    input: Any, ksize: Any, strides: Any, padding: Any, data_format: str = "NHWC", name: Any = None
) -> Tensor:
    """The mean of each ``ksize`` window over the pixels inside the image."""
    return _pool("avg", input, ksize, strides, padding, data_format, name)


def max_pool1d(
    input: Any, ksize: Any, strides: Any, padding: Any, data_format: str = "NWC", name: Any = None
) -> Tensor:
    return _pool("max", input, ksize, strides, padding, data_format, name)


def avg_pool1d(
    input: Any, ksize: Any, strides: Any, padding: Any, data_format: str = "NWC", name: Any = None
) -> Tensor:
    return _pool("avg", input, ksize, strides, padding, data_format, name)


def max_pool(input: Any, ksize: Any, strides: Any, padding: Any, data_format: Any = None, name: Any = None) -> Tensor:
    """``tf.nn.max_pool``: 1-D, 2-D or 3-D by the rank of ``input``."""
    if convert_to_tensor(input).shape.rank == 5:
        from .conv3d_ops import max_pool3d

        return max_pool3d(input, ksize, strides, padding, data_format or "NDHWC", name)
    return _pool("max", input, ksize, strides, padding, data_format, name)


def avg_pool(input: Any, ksize: Any, strides: Any, padding: Any, data_format: Any = None, name: Any = None) -> Tensor:
    """``tf.nn.avg_pool``: 1-D, 2-D or 3-D by the rank of ``input``."""
    if convert_to_tensor(input).shape.rank == 5:
        from .conv3d_ops import avg_pool3d

        return avg_pool3d(input, ksize, strides, padding, data_format or "NDHWC", name)
    return _pool("avg", input, ksize, strides, padding, data_format, name)

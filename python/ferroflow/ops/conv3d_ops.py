"""``tf.nn.conv3d``, ``max_pool3d`` and ``avg_pool3d``, composed from the 2-D core ops (``conv3d_transpose``
is in ``conv3d_transpose_ops``).

A 3-D convolution is a 2-D one over height and width once the depth taps are stacked into channels: for kernel
depth index ``kd`` the strided depth slice ``x[:, kd * dilation :: stride]`` of the padded input goes to
channel block ``kd``, depth folds into the batch, and one ``conv2d`` with the filter reshaped to
``[kh, kw, kd * in, out]`` sums over all taps. The depth may be known only when the graph runs (a video's
time axis): each tap then stops a fixed distance from the end. Pooling is separable: a ``[kd, 1]`` window over ``(depth,
height * width)``, then a ``[kh, kw]`` window over each depth slice (average pooling's count of valid elements
factorises per axis too). Gradients come from the composition.
"""

from __future__ import annotations

from typing import Any, List, Optional

from .._core import InvalidArgumentError
from ..framework.ops import apply
from ..framework.tensor import Tensor
from .array_ops import concat, reshape, stack, transpose, zeros_like
from .conv_ops import _float_tensor, _spatial
from .tiling_ops import pad

_FORMATS = ("NDHWC", "NCDHW")


def _first(data_format: Optional[str]) -> bool:
    fmt = (data_format or "NDHWC").upper()
    if fmt not in _FORMATS:
        raise ValueError(f"data_format must be 'NDHWC' or 'NCDHW' for a 3-D op, received {data_format!r}")
    return fmt == "NCDHW"


def _padding(padding: Any) -> str:
    if not isinstance(padding, str) or padding.upper() not in ("SAME", "VALID"):
        raise ValueError(f"padding must be 'SAME' or 'VALID' for a 3-D op, received {padding!r}")
    return padding.upper()


def _rank5(x: Tensor, what: str, op: str) -> List[Any]:
    shape = x.shape.as_list() if x.shape.rank is not None else None
    if shape is None or len(shape) != 5:
        rank = None if shape is None else len(shape)
        raise InvalidArgumentError(f"{op} expects {what} to be 5-dimensional, received rank {rank} (shape {shape})")
    return shape


def _static(shape: List[Any], axes: range, op: str) -> None:
    if any(shape[a] is None for a in axes):
        raise ValueError(f"{op} needs the depth, height, width and channels known before it runs, received {shape}")


def _operands(
    input: Any, filters: Any, strides: Any, dilations: Any, padding: Any, data_format: Optional[str], op: str
) -> tuple:
    """A 3-D convolution's checked arguments: (channels first?, the input as NDHWC, the filters, strides,
    dilations, padding), the input's depth, height, width and channels known."""
    first = _first(data_format)
    x, f = _float_tensor(input, op), _float_tensor(filters, op)
    _rank5(x, "input", op)
    _rank5(f, "filters", op)
    strides3 = _spatial(strides, "strides", 3, first)
    dilations3 = _spatial(dilations, "dilations", 3, first)
    padding = _padding(padding)
    x = _to_last(x, first)
    _static(x.shape.as_list(), range(2, 5), op)  # the depth may be known only when a graph runs
    return first, x, f, strides3, dilations3, padding


def _same_pads(size: int, kernel: int, stride: int, dilation: int) -> tuple:
    out = -(-size // stride)
    total = max((out - 1) * stride + (kernel - 1) * dilation + 1 - size, 0)
    return total // 2, total - total // 2


def _unknown_depth_pads(kd: int, sd: int, dd: int, padding: str) -> tuple:
    """``(before, after, None)``: the depth padding when the depth is known only when the graph runs. "SAME"
    pads ``(kd - 1) * dd`` whatever the depth only for a depth stride of 1."""
    if padding != "SAME":
        return 0, 0, None
    if sd != 1:
        raise ValueError(f"conv3d with 'SAME' padding and a depth stride of {sd} needs the depth known before it runs")
    total = (kd - 1) * dd
    return total // 2, total - total // 2, None


def _out_size(size: int, kernel: int, stride: int, dilation: int, padding: str) -> int:
    if padding == "SAME":
        return -(-size // stride)
    return (size - (kernel - 1) * dilation - 1) // stride + 1


def _slice(x: Tensor, axis: int, start: int, stop: Optional[int], step: int = 1) -> Tensor:
    specs: list = [("range", None, None, 1)] * x.shape.rank
    specs[axis] = ("range", start, stop, step)
    return apply("strided_slice", [x], {"specs": specs})


def _to_last(x: Tensor, first: bool) -> Tensor:
    return transpose(x, [0, 2, 3, 4, 1]) if first else x


def _from_last(y: Tensor, first: bool) -> Tensor:
    return transpose(y, [0, 4, 1, 2, 3]) if first else y


def _stacked_filter(f: Tensor) -> Tensor:
    """``[kd, kh, kw, in, out]`` as the 2-D filter ``[kh, kw, kd * in, out]`` (tap ``kd`` is channel block ``kd``)."""
    kd, kh, kw, cin, cout = f.shape.as_list()
    return reshape(transpose(f, [1, 2, 0, 3, 4]), [kh, kw, kd * cin, cout])


def conv3d(
    input: Any,
    filters: Any,
    strides: Any,
    padding: str,
    data_format: str = "NDHWC",
    dilations: Any = None,
    name: Optional[str] = None,
) -> Tensor:
    """3-D convolution of ``[batch, depth, height, width, channels]`` volumes (``NCDHW`` too) with ``filters``
    ``[depth, height, width, in_channels / groups, out_channels]``."""
    first, x, f, (sd, sh, sw), (dd, dh, dw), padding = _operands(
        input, filters, strides, dilations, padding, data_format, "conv3d"
    )
    kd, kh, kw, cin, cout = f.shape.as_list()
    n, d, h, w, c = x.shape.as_list()
    if c % cin or cout % (c // cin):
        raise InvalidArgumentError(
            f"conv3d: the input's {c} channels must be a multiple of the filters' {cin} input channels, and the "
            f"{cout} output channels a multiple of the groups ({c} / {cin}); input shape {x.shape.as_list()}, "
            f"filters shape {f.shape.as_list()}"
        )
    if d is None:
        before, after, out_d = _unknown_depth_pads(kd, sd, dd, padding)
    else:
        before, after = _same_pads(d, kd, sd, dd) if padding == "SAME" else (0, 0)
        out_d = (d + before + after - (kd - 1) * dd - 1) // sd + 1
        if out_d <= 0:
            raise InvalidArgumentError(
                f"conv3d: the depth {d} is smaller than the dilated filter depth {(kd - 1) * dd + 1}, a negative output"
            )
    if (before or after) and d is None:  # zero slices one deep around a depth known only when the graph runs
        edge = zeros_like(_slice(x, 1, 0, 1))
        x = concat([edge] * before + [x] + [edge] * after, 1)
    elif before or after:
        x = pad(x, [[0, 0], [before, after], [0, 0], [0, 0], [0, 0]])
    span = (kd - 1) * dd
    if out_d is None:  # every tap stops span - i * dd before the end: out_d steps each, whatever the depth
        taps = [_slice(x, 1, i * dd, (i * dd - span) or None, sd) for i in range(kd)]
    else:
        taps = [_slice(x, 1, i * dd, i * dd + (out_d - 1) * sd + 1, sd) for i in range(kd)]
    groups = c // cin
    stacked = stack(taps, axis=4)  # [n, out_d, h, w, kd, c]
    if groups > 1:  # each group's channels stay one contiguous block: [groups, kd, cin]
        stacked = transpose(reshape(stacked, [-1, h, w, kd, groups, cin]), [0, 1, 2, 4, 3, 5])
    folded = reshape(stacked, [-1, h, w, kd * c])
    attrs = {"strides": [sh, sw], "dilations": [dh, dw], "padding": padding}
    y = apply("conv2d", [folded, _stacked_filter(f)], attrs)
    if out_d is None:
        from .conv3d_transpose_ops import _reshape, _sizes

        out = _reshape(y, _sizes(taps[0])[:2] + y.shape.as_list()[1:])
    else:
        out = reshape(y, [-1, out_d] + y.shape.as_list()[1:], name=name)
    return _from_last(out, first)


def _pool3d(kind: str, input: Any, ksize: Any, strides: Any, padding: Any, data_format: Any, name: Any) -> Tensor:
    op = f"{kind}_pool3d"
    first = _first(data_format)
    x = _float_tensor(input, op)
    _rank5(x, "input", op)
    kd, kh, kw = _spatial(ksize, "ksize", 3, first)
    sd, sh, sw = _spatial(strides, "strides", 3, first)
    padding = _padding(padding)
    x = _to_last(x, first)
    n, d, h, w, c = x.shape.as_list()
    _static([n, d, h, w, c], range(1, 5), op)
    out_d = _out_size(d, kd, sd, 1, padding)
    if out_d <= 0:
        raise InvalidArgumentError(f"{op}: the depth {d} is smaller than the window depth {kd}, a negative output")
    if (kd, sd) != (1, 1):  # the depth window over (depth, height * width) images
        attrs = {"ksize": [kd, 1], "strides": [sd, 1], "padding": padding}
        x = apply(f"{kind}_pool2d", [reshape(x, [-1, d, h * w, c])], attrs)
    attrs = {"ksize": [kh, kw], "strides": [sh, sw], "padding": padding}
    y = apply(f"{kind}_pool2d", [reshape(x, [-1, h, w, c])], attrs)
    out = reshape(y, [-1, out_d] + y.shape.as_list()[1:], name=name)
    return _from_last(out, first)


def max_pool3d(
    input: Any, ksize: Any, strides: Any, padding: str, data_format: str = "NDHWC", name: Optional[str] = None
) -> Tensor:
    """The maximum of each ``ksize`` window of ``[batch, depth, height, width, channels]`` volumes."""
    return _pool3d("max", input, ksize, strides, padding, data_format, name)


def avg_pool3d(
    input: Any, ksize: Any, strides: Any, padding: str, data_format: str = "NDHWC", name: Optional[str] = None
) -> Tensor:
    """The mean of each ``ksize`` window over the elements inside the volume (padding is not counted)."""
    return _pool3d("avg", input, ksize, strides, padding, data_format, name)

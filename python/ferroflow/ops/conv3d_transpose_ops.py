"""``tf.nn.conv3d_transpose``, with output and input sizes that may be known only when a graph runs.

The transpose runs as two 2-D transposed convolutions. Depth folds into the batch and one
``conv2d_transpose`` over height and width applies every depth tap at once, the filter laid out as
``[kh, kw, out_channels * kd, in_channels]`` so that tap ``i`` of channel ``c`` is channel ``c * kd + i``.
The taps then sit last: ``[batch, in_depth, out_h * out_w * out_channels, kd]``, and a second
``conv2d_transpose`` over (depth, 1) with the one-hot filter ``F[t, 0, 0, i] = (t == i)`` adds tap ``i`` of
input depth ``j`` onto output depth ``j * stride + i * dilation - pad``, TensorFlow's rule, its SAME padding
and its check that the sizes fit. Sizes unknown until the graph runs come from ``tf.shape``; a reshape that
has more than one of them takes its shape from a zero tensor built by broadcasting. Gradients come from the
composition.
"""

from __future__ import annotations

from typing import Any, List, Optional, Union

import numpy as np

from .._core import InvalidArgumentError
from ..framework.graph import SymbolicTensor
from ..framework.ops import apply, convert_to_tensor
from ..framework.tensor import Tensor
from .array_ops import cast, reshape, shape, stack, transpose, zeros_like
from .array_ops import range as arange
from .conv3d_ops import _first, _from_last, _out_size, _padding, _rank5, _to_last
from .conv_ops import _float_tensor, _spatial, conv2d_transpose
from .math_ops import add, multiply

Dim = Union[int, Tensor]  # a size known now, or an int32 scalar known when the graph runs


def _mul(a: Dim, b: Dim) -> Dim:
    return a * b if isinstance(a, int) and isinstance(b, int) else multiply(a, b)


def _sizes(t: Tensor) -> List[Dim]:
    """Each dimension of ``t``: its static size, else the size read when the graph runs."""
    known = t.shape.as_list()
    if all(d is not None for d in known):
        return [int(d) for d in known]
    dynamic = shape(t)
    return [int(d) if d is not None else dynamic[i] for i, d in enumerate(known)]


def _vector(dims: List[Dim]) -> Any:
    """Sizes as a list of ints when all are known, else a 1-D int32 tensor."""
    if all(isinstance(d, int) for d in dims):
        return dims
    return stack([d if isinstance(d, Tensor) else convert_to_tensor(d, dtype="int32") for d in dims])


def _zeros_of(dims: List[Dim]) -> Tensor:
    """An int32 zero tensor of shape ``dims``: one zero vector per axis, broadcast together."""
    total = None
    for axis, d in enumerate(dims):
        along = [1] * len(dims)
        along[axis] = -1
        zeros = reshape(zeros_like(arange(d)), along)
        total = zeros if total is None else add(total, zeros)
    return total


def _reshape(x: Tensor, dims: List[Dim]) -> Tensor:
    """``x`` reshaped to ``dims``; one size unknown until the graph runs becomes -1, more take the shape of
    a zero tensor."""
    if sum(isinstance(d, Tensor) for d in dims) <= 1:
        return reshape(x, [-1 if isinstance(d, Tensor) else d for d in dims])
    return apply("reshape_like", [x, _zeros_of(dims)])


def _output_dims(output_shape: Any, first: bool) -> List[Dim]:
    """``output_shape`` as ``[batch, depth, height, width, channels]``, each an int or an int32 scalar."""
    if isinstance(output_shape, SymbolicTensor):
        if output_shape.shape.as_list() != [5]:
            raise ValueError(f"output_shape must have 5 dimensions, received a tensor of shape {output_shape.shape}")
        sizes = cast(output_shape, "int32")
        dims: List[Dim] = [sizes[i] for i in range(5)]
    else:
        values = output_shape.numpy() if isinstance(output_shape, Tensor) else output_shape
        dims = []
        for v in values:
            if isinstance(v, SymbolicTensor):
                dims.append(cast(v, "int32"))
            else:
                dims.append(int(v.numpy() if isinstance(v, Tensor) else v))
        if len(dims) != 5:
            raise ValueError(f"output_shape must have 5 dimensions, received {dims}")
    return [dims[0], dims[2], dims[3], dims[4], dims[1]] if first else dims


def _static(d: Dim) -> Optional[int]:
    return d if isinstance(d, int) else None


def conv3d_transpose(
    input: Any,
    filters: Any,
    output_shape: Any,
    strides: Any,
    padding: str = "SAME",
    data_format: str = "NDHWC",
    dilations: Any = None,
    name: Optional[str] = None,
) -> Tensor:
    """The gradient of ``conv3d`` with respect to its input, used as a layer: ``filters`` is
    ``[depth, height, width, output_channels, in_channels]`` and ``output_shape`` the shape of the result (a
    list, or a 1-D int tensor such as ``tf.stack([tf.shape(x)[0], d, h, w, c])`` computed in a graph)."""
    op = "conv3d_transpose"
    first = _first(data_format)
    y, f = _float_tensor(input, op), _float_tensor(filters, op)
    _rank5(y, "input", op)
    _rank5(f, "filters", op)
    sd, sh, sw = _spatial(strides, "strides", 3, first)
    dd, dh, dw = _spatial(dilations, "dilations", 3, first)
    padding = _padding(padding)
    y = _to_last(y, first)
    if f.shape.as_list().count(None) or y.shape[-1] is None:
        raise ValueError(
            f"{op} needs the filters' shape and the input's channels known before it runs, received filters "
            f"{f.shape.as_list()} and input {y.shape.as_list()}"
        )
    kd, kh, kw, cx, cy = f.shape.as_list()
    batch, do, ho, wo, co = _output_dims(output_shape, first)
    c = int(y.shape[-1])
    if c != cy or (isinstance(co, int) and co != cx):
        raise InvalidArgumentError(
            f"{op}: the filters {[kd, kh, kw, cx, cy]} map {cx} channels to {cy}, but the input has {c} "
            f"and output_shape asks for {co if isinstance(co, int) else 'a size known when the graph runs'}"
        )
    n, di, hi, wi, _ = _sizes(y)
    known = [n, di, hi, wi, batch, do, ho, wo]
    if all(isinstance(d, int) for d in known):
        expect = [
            _out_size(s, k, st, dl, padding)
            for s, k, st, dl in zip((do, ho, wo), (kd, kh, kw), (sd, sh, sw), (dd, dh, dw))
        ]
        if expect != [di, hi, wi] or batch != n:
            raise InvalidArgumentError(
                f"{op}: a conv3d of output_shape {[batch, do, ho, wo, co]} gives "
                f"{[batch] + expect + [cy]}, but the input has shape {[n, di, hi, wi, c]}"
            )
    # height and width: every depth tap at once, tap i of output channel k in channel k * kd + i
    taps = reshape(transpose(f, [1, 2, 3, 0, 4]), [kh, kw, cx * kd, cy])
    folded = _reshape(y, [_mul(n, di), hi, wi, c])
    z = conv2d_transpose(folded, taps, _vector([_mul(n, di), ho, wo, cx * kd]), [sh, sw], padding, dilations=[dh, dw])
    # depth: tap i of input depth j lands on output depth j * sd + i * dd - pad
    plane = _mul(_mul(ho, wo), cx)
    z = _reshape(z, [n, di, plane, kd])
    one_hot = convert_to_tensor(np.eye(kd, dtype=y.dtype.as_numpy_dtype).reshape(kd, 1, 1, kd))
    out = conv2d_transpose(z, one_hot, _vector([batch, do, plane, 1]), [sd, 1], padding, dilations=[dd, 1])
    out = _reshape(out, [batch, do, ho, wo, cx])
    if isinstance(out, SymbolicTensor):  # what is known now; the rest arrives when the graph runs
        size = _static(batch) if isinstance(batch, int) else y.shape[0]
        out.set_shape([size, _static(do), _static(ho), _static(wo), cx])
    out = out if name is None else apply("identity", [out], op_name=name)
    return _from_last(out, first)

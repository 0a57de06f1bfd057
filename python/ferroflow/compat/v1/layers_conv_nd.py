"""``tf.compat.v1.layers``' other convolutions: ``conv1d``, ``conv3d``, ``conv2d_transpose``,
``conv3d_transpose``, ``separable_conv1d`` and ``separable_conv2d``, with Keras's variable names and kernel
layouts (``conv1d/kernel`` (k, in, filters); a transposed kernel (..., filters, in); ``depthwise_kernel`` and
``pointwise_kernel`` for separable ones), made by ``get_variable`` so variable scopes and reuse apply."""

from __future__ import annotations

from typing import Any, Optional

from ...framework.ops import convert_to_tensor
from ...ops import array_ops
from . import initializers as init_ops
from .layers_conv import _data_format, _padding
from .variable_scope import get_variable, variable_scope


def _tuple(value: Any, n: int, what: str) -> tuple:
    if isinstance(value, int):
        return (value,) * n
    out = tuple(int(v) for v in value)
    if len(out) != n:
        raise ValueError(f"The `{what}` argument must be a tuple of {n} integers. Received: {value}")
    return out


def _moved(x: Any, fmt: str, rank: int, to_last: bool) -> Any:
    """channels_first <-> channels_last for a tensor of ``rank`` spatial dimensions."""
    if fmt != "channels_first":
        return x
    perm = [0, *range(2, rank + 2), 1] if to_last else [0, rank + 1, *range(1, rank + 1)]
    return array_ops.transpose(x, perm)


def _check_rank(x: Any, rank: int, what: str) -> None:
    if x.shape.rank != rank + 2:
        raise ValueError(
            f"Input 0 of layer {what} is incompatible with the layer: expected ndim={rank + 2}, found "
            f"ndim={x.shape.rank}. Full shape received: {x.shape}"
        )


def _channels(x: Any, fmt: str) -> int:
    channels = x.shape[1] if fmt == "channels_first" else x.shape[-1]
    if channels is None:
        raise ValueError("The channel dimension of the inputs should be defined. Found `None`.")
    return int(channels)


def _finish(y: Any, use_bias: bool, filters: int, dtype: Any, kw: dict, fmt: str, rank: int, activation: Any) -> Any:
    from ...ops.nn_ops import bias_add

    if use_bias:
        bias = get_variable(
            "bias",
            [filters],
            dtype=dtype,
            initializer=kw["bias_initializer"] if kw["bias_initializer"] is not None else init_ops.Zeros(),
            regularizer=kw["bias_regularizer"],
            trainable=kw["trainable"],
            constraint=kw["bias_constraint"],
        )
        y = bias_add(y, bias)
    y = _moved(y, fmt, rank, to_last=False)
    if activation is not None:
        from ... import activations

        y = activations.get(activation)(y) if isinstance(activation, str) else activation(y)
    return y


def _kernel(name: str, shape: list, dtype: Any, kw: dict, prefix: str = "kernel") -> Any:
    return get_variable(
        name,
        shape,
        dtype=dtype,
        initializer=kw[f"{prefix}_initializer"],
        regularizer=kw[f"{prefix}_regularizer"],
        trainable=kw["trainable"],
        constraint=kw[f"{prefix}_constraint"],
    )


def _options(**kw: Any) -> dict:
    return kw


def conv(
    rank: int,
    inputs: Any,
    filters: int,
    kernel_size: Any,
    strides: Any,
    padding: str,
    data_format: str,
    dilation_rate: Any,
    activation: Any,
    use_bias: bool,
    name: Optional[str],
    reuse: Any,
    kw: dict,
) -> Any:
    """The 1-D or 3-D convolution behind ``conv1d`` / ``conv3d``."""
    from ...ops import conv3d_ops, conv_ops

    what = f"conv{rank}d"
    x = convert_to_tensor(inputs)
    _check_rank(x, rank, what)
    fmt = _data_format(data_format)
    ks, ss, ds = (
        _tuple(kernel_size, rank, "kernel_size"),
        _tuple(strides, rank, "strides"),
        _tuple(dilation_rate, rank, "dilation_rate"),
    )
    with variable_scope(name, default_name=what, reuse=reuse):
        kernel = _kernel("kernel", [*ks, _channels(x, fmt), int(filters)], x.dtype, kw)
        xl = _moved(x, fmt, rank, to_last=True)
        if rank == 1:
            y = conv_ops.conv1d(xl, kernel, ss[0], _padding(padding), dilations=ds[0])
        else:
            y = conv3d_ops.conv3d(xl, kernel, [1, *ss, 1], _padding(padding), dilations=[1, *ds, 1])
        return _finish(y, use_bias, int(filters), x.dtype, kw, fmt, rank, activation)


def _deconv_length(size: Any, kernel: int, stride: int, padding: str) -> Any:
    if size is None:
        return None
    return size * stride if padding == "SAME" else (size - 1) * stride + max(kernel - stride, 0) + stride


def conv_transpose(
    rank: int,
    inputs: Any,
    filters: int,
    kernel_size: Any,
    strides: Any,
    padding: str,
    data_format: str,
    activation: Any,
    use_bias: bool,
    name: Optional[str],
    reuse: Any,
    kw: dict,
) -> Any:
    """The 2-D or 3-D transposed convolution behind ``conv2d_transpose`` / ``conv3d_transpose``."""
    from ...ops import conv3d_transpose_ops, conv_ops

    what = f"conv{rank}d_transpose"
    x = convert_to_tensor(inputs)
    _check_rank(x, rank, what)
    fmt = _data_format(data_format)
    mode = _padding(padding)
    ks, ss = _tuple(kernel_size, rank, "kernel_size"), _tuple(strides, rank, "strides")
    with variable_scope(name, default_name=what, reuse=reuse):
        kernel = _kernel("kernel", [*ks, int(filters), _channels(x, fmt)], x.dtype, kw)
        xl = _moved(x, fmt, rank, to_last=True)
        spatial = xl.shape.as_list()[1:-1]
        sizes = []
        for axis, (n, k, s) in enumerate(zip(spatial, ks, ss)):
            length = _deconv_length(n, k, s, mode)
            if length is None:
                n_dyn = array_ops.shape(xl)[axis + 1]
                length = n_dyn * s if mode == "SAME" else (n_dyn - 1) * s + max(k - s, 0) + s
            sizes.append(length)
        batch = xl.shape[0] if xl.shape[0] is not None else array_ops.shape(xl)[0]
        out_shape = [batch, *sizes, int(filters)]
        if rank == 2:
            y = conv_ops.conv2d_transpose(xl, kernel, out_shape, [1, *ss, 1], padding=mode)
        else:
            y = conv3d_transpose_ops.conv3d_transpose(xl, kernel, out_shape, [1, *ss, 1], padding=mode)
        return _finish(y, use_bias, int(filters), x.dtype, kw, fmt, rank, activation)


def separable(
    rank: int,
    inputs: Any,
    filters: int,
    kernel_size: Any,
    strides: Any,
    padding: str,
    data_format: str,
    dilation_rate: Any,
    depth_multiplier: int,
    activation: Any,
    use_bias: bool,
    name: Optional[str],
    reuse: Any,
    kw: dict,
) -> Any:
    """The depthwise-then-pointwise convolution behind ``separable_conv1d`` / ``separable_conv2d``."""
    from ...ops.separable_conv_ops import separable_conv2d as _separable

    what = f"separable_conv{rank}d"
    x = convert_to_tensor(inputs)
    _check_rank(x, rank, what)
    fmt = _data_format(data_format)
    ks, ss, ds = (
        _tuple(kernel_size, rank, "kernel_size"),
        _tuple(strides, rank, "strides"),
        _tuple(dilation_rate, rank, "dilation_rate"),
    )
    channels, dm = _channels(x, fmt), int(depth_multiplier)
    with variable_scope(name, default_name=what, reuse=reuse):
        depthwise = _kernel("depthwise_kernel", [*ks, channels, dm], x.dtype, kw, "depthwise")
        pointwise = _kernel("pointwise_kernel", [*([1] * rank), channels * dm, int(filters)], x.dtype, kw, "pointwise")
        xl = _moved(x, fmt, rank, to_last=True)
        if rank == 1:  # a 1-D separable convolution is the 2-D one over a height of 1
            y = _separable(
                array_ops.expand_dims(xl, 1),
                array_ops.expand_dims(depthwise, 0),
                array_ops.expand_dims(pointwise, 0),
                [1, 1, ss[0], 1],
                _padding(padding),
                dilations=[1, ds[0]],
            )
            y = array_ops.squeeze(y, [1])
        else:
            y = _separable(xl, depthwise, pointwise, [1, *ss, 1], _padding(padding), dilations=list(ds))
        return _finish(y, use_bias, int(filters), x.dtype, kw, fmt, rank, activation)

"""``tf.compat.v1.layers`` convolution, pooling and flatten functions, with TF1's variable names
(``conv2d/kernel``, ``conv2d/bias``) and defaults (``padding='valid'``, ``channels_last``)."""

from __future__ import annotations

from typing import Any, Optional

from ...framework.ops import convert_to_tensor
from . import initializers as init_ops
from .variable_scope import get_variable, variable_scope


def _pair(value: Any, what: str) -> tuple:
    if isinstance(value, int):
        return (value, value)
    pair = tuple(int(v) for v in value)
    if len(pair) != 2:
        raise ValueError(f"The `{what}` argument must be a tuple of 2 integers. Received: {value}")
    return pair


def _padding(padding: str) -> str:
    mode = str(padding).upper()
    if mode not in ("VALID", "SAME"):
        raise ValueError(f"The `padding` argument must be one of 'valid', 'same'. Received: {padding}")
    return mode


def _data_format(data_format: str) -> str:
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError(
            f"The `data_format` argument must be one of 'channels_first', 'channels_last'. Received: {data_format}"
        )
    return data_format


def _to_last(x: Any, data_format: str) -> Any:
    """NCHW -> NHWC, so the core's channels-last kernels do the work."""
    from ... import transpose

    return transpose(x, [0, 2, 3, 1]) if data_format == "channels_first" else x


def _from_last(y: Any, data_format: str) -> Any:
    from ... import transpose

    return transpose(y, [0, 3, 1, 2]) if data_format == "channels_first" else y


def _rank4(x: Any, what: str) -> None:
    if x.shape.rank != 4:
        raise ValueError(
            f"Input 0 of layer {what} is incompatible with the layer: expected ndim=4, found "
            f"ndim={x.shape.rank}. Full shape received: {x.shape}"
        )


def conv2d(
    inputs: Any,
    filters: int,
    kernel_size: Any,
    strides: Any = (1, 1),
    padding: str = "valid",
    data_format: str = "channels_last",
    dilation_rate: Any = (1, 1),
    activation: Any = None,
    use_bias: bool = True,
    kernel_initializer: Any = None,
    bias_initializer: Any = None,
    kernel_regularizer: Any = None,
    bias_regularizer: Any = None,
    activity_regularizer: Any = None,
    kernel_constraint: Any = None,
    bias_constraint: Any = None,
    trainable: bool = True,
    name: Optional[str] = None,
    reuse: Any = None,
) -> Any:
    """A 2-D convolution with variables ``<name>/kernel`` (kh, kw, in, filters) and ``<name>/bias``."""
    from ... import nn

    x = convert_to_tensor(inputs)
    _rank4(x, "conv2d")
    fmt = _data_format(data_format)
    kh, kw = _pair(kernel_size, "kernel_size")
    sh, sw = _pair(strides, "strides")
    dh, dw = _pair(dilation_rate, "dilation_rate")
    mode = _padding(padding)
    channels = x.shape[1] if fmt == "channels_first" else x.shape[-1]
    if channels is None:
        raise ValueError("The channel dimension of the inputs should be defined. Found `None`.")
    with variable_scope(name, default_name="conv2d", reuse=reuse):
        kernel = get_variable(
            "kernel",
            [kh, kw, channels, int(filters)],
            dtype=x.dtype,
            initializer=kernel_initializer,
            regularizer=kernel_regularizer,
            trainable=trainable,
            constraint=kernel_constraint,
        )
        y = nn.conv2d(_to_last(x, fmt), kernel, strides=[1, sh, sw, 1], padding=mode, dilations=[1, dh, dw, 1])
        if use_bias:
            bias = get_variable(
                "bias",
                [int(filters)],
                dtype=x.dtype,
                initializer=bias_initializer if bias_initializer is not None else init_ops.Zeros(),
                regularizer=bias_regularizer,
                trainable=trainable,
                constraint=bias_constraint,
            )
            y = nn.bias_add(y, bias)
        y = _from_last(y, fmt)
        if activation is not None:
            from ... import activations

            y = activations.get(activation)(y) if isinstance(activation, str) else activation(y)
    return y


def _pool(
    kind: str, inputs: Any, pool_size: Any, strides: Any, padding: str, data_format: str, name: Optional[str]
) -> Any:
    from ... import name_scope, nn

    x = convert_to_tensor(inputs)
    _rank4(x, kind)
    fmt = _data_format(data_format)
    ph, pw = _pair(pool_size, "pool_size")
    sh, sw = _pair(strides, "strides")
    pool = nn.max_pool2d if kind == "max_pooling2d" else nn.avg_pool2d
    with name_scope(name or kind):
        y = pool(_to_last(x, fmt), ksize=[1, ph, pw, 1], strides=[1, sh, sw, 1], padding=_padding(padding))
        return _from_last(y, fmt)


def max_pooling2d(
    inputs: Any,
    pool_size: Any,
    strides: Any,
    padding: str = "valid",
    data_format: str = "channels_last",
    name: Optional[str] = None,
) -> Any:
    """The maximum of each ``pool_size`` window, moved by ``strides``."""
    return _pool("max_pooling2d", inputs, pool_size, strides, padding, data_format, name)


def average_pooling2d(
    inputs: Any,
    pool_size: Any,
    strides: Any,
    padding: str = "valid",
    data_format: str = "channels_last",
    name: Optional[str] = None,
) -> Any:
    """The mean of each ``pool_size`` window, moved by ``strides``."""
    return _pool("average_pooling2d", inputs, pool_size, strides, padding, data_format, name)


def flatten(inputs: Any, name: Optional[str] = None, data_format: str = "channels_last") -> Any:
    """``inputs`` as (batch, features), keeping the batch dimension; channels-first inputs are made
    channels-last first, as Keras's ``Flatten`` does."""
    from ... import name_scope, reshape, shape, transpose

    x = convert_to_tensor(inputs)
    fmt = _data_format(data_format)
    rank = x.shape.rank
    if rank is None or rank < 1:
        raise ValueError(
            f"Input 0 of layer flatten is incompatible with the layer: expected min_ndim=1, found shape {x.shape}"
        )
    with name_scope(name or "flatten"):
        if fmt == "channels_first" and rank > 2:
            x = transpose(x, [0, *range(2, rank), 1])
        rest = x.shape.as_list()[1:]
        if all(d is not None for d in rest):
            size = 1
            for d in rest:
                size *= d
            return reshape(x, [-1 if x.shape[0] is None else x.shape[0], size])
        return reshape(x, [shape(x)[0], -1])


from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals(), hidden=("convert_to_tensor", "get_variable", "variable_scope"))

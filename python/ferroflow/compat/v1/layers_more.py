"""``tf.compat.v1.layers`` functions with TF1's signatures: ``conv1d``, ``conv3d``, ``conv2d_transpose``,
``conv3d_transpose``, ``separable_conv1d``, ``separable_conv2d`` and the 1-D / 3-D pools."""

from __future__ import annotations

from typing import Any, Optional

from ...framework.ops import convert_to_tensor
from .layers_conv import _data_format, _padding
from .layers_conv_nd import _check_rank, _moved, _tuple, conv, conv_transpose, separable


def _weights(**kw: Any) -> dict:
    return kw


def conv1d(
    inputs: Any,
    filters: int,
    kernel_size: Any,
    strides: Any = 1,
    padding: str = "valid",
    data_format: str = "channels_last",
    dilation_rate: Any = 1,
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
    """A 1-D convolution with variables ``<name>/kernel`` (k, in, filters) and ``<name>/bias``."""
    kw = _weights(
        kernel_initializer=kernel_initializer,
        bias_initializer=bias_initializer,
        kernel_regularizer=kernel_regularizer,
        bias_regularizer=bias_regularizer,
        kernel_constraint=kernel_constraint,
        bias_constraint=bias_constraint,
        trainable=trainable,
    )
    return conv(
        1,
        inputs,
        filters,
        kernel_size,
        strides,
        padding,
        data_format,
        dilation_rate,
        activation,
        use_bias,
        name,
        reuse,
        kw,
    )


def conv3d(
    inputs: Any,
    filters: int,
    kernel_size: Any,
    strides: Any = (1, 1, 1),
    padding: str = "valid",
    data_format: str = "channels_last",
    dilation_rate: Any = (1, 1, 1),
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
    """A 3-D convolution with variables ``<name>/kernel`` (kd, kh, kw, in, filters) and ``<name>/bias``."""
    kw = _weights(
        kernel_initializer=kernel_initializer,
        bias_initializer=bias_initializer,
        kernel_regularizer=kernel_regularizer,
        bias_regularizer=bias_regularizer,
        kernel_constraint=kernel_constraint,
        bias_constraint=bias_constraint,
        trainable=trainable,
    )
    return conv(
        3,
        inputs,
        filters,
        kernel_size,
        strides,
        padding,
        data_format,
        dilation_rate,
        activation,
        use_bias,
        name,
        reuse,
        kw,
    )


def conv2d_transpose(
    inputs: Any,
    filters: int,
    kernel_size: Any,
    strides: Any = (1, 1),
    padding: str = "valid",
    data_format: str = "channels_last",
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
    """A transposed 2-D convolution ("deconvolution"): kernel (kh, kw, filters, in); 'same' padding gives
    ``size * stride``, 'valid' ``(size - 1) * stride + max(kernel, stride)``."""
    kw = _weights(
        kernel_initializer=kernel_initializer,
        bias_initializer=bias_initializer,
        kernel_regularizer=kernel_regularizer,
        bias_regularizer=bias_regularizer,
        kernel_constraint=kernel_constraint,
        bias_constraint=bias_constraint,
        trainable=trainable,
    )
    return conv_transpose(
        2, inputs, filters, kernel_size, strides, padding, data_format, activation, use_bias, name, reuse, kw
    )


def conv3d_transpose(
    inputs: Any,
    filters: int,
    kernel_size: Any,
    strides: Any = (1, 1, 1),
    padding: str = "valid",
    data_format: str = "channels_last",
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
    kw = _weights(
        kernel_initializer=kernel_initializer,
        bias_initializer=bias_initializer,
        kernel_regularizer=kernel_regularizer,
        bias_regularizer=bias_regularizer,
        kernel_constraint=kernel_constraint,
        bias_constraint=bias_constraint,
        trainable=trainable,
    )
    return conv_transpose(
        3, inputs, filters, kernel_size, strides, padding, data_format, activation, use_bias, name, reuse, kw
    )


def _separable_fn(rank: int) -> Any:
    def separable_conv(
        inputs: Any,
        filters: int,
        kernel_size: Any,
        strides: Any = (1,) * rank,
        padding: str = "valid",
        data_format: str = "channels_last",
        dilation_rate: Any = (1,) * rank,
        depth_multiplier: int = 1,
        activation: Any = None,
        use_bias: bool = True,
        depthwise_initializer: Any = None,
        pointwise_initializer: Any = None,
        bias_initializer: Any = None,
        depthwise_regularizer: Any = None,
        pointwise_regularizer: Any = None,
        bias_regularizer: Any = None,
        activity_regularizer: Any = None,
        depthwise_constraint: Any = None,
        pointwise_constraint: Any = None,
        bias_constraint: Any = None,
        trainable: bool = True,
        name: Optional[str] = None,
        reuse: Any = None,
    ) -> Any:
        kw = _weights(
            depthwise_initializer=depthwise_initializer,
            pointwise_initializer=pointwise_initializer,
            bias_initializer=bias_initializer,
            depthwise_regularizer=depthwise_regularizer,
            pointwise_regularizer=pointwise_regularizer,
            bias_regularizer=bias_regularizer,
            depthwise_constraint=depthwise_constraint,
            pointwise_constraint=pointwise_constraint,
            bias_constraint=bias_constraint,
            trainable=trainable,
        )
        return separable(
            rank,
            inputs,
            filters,
            kernel_size,
            strides,
            padding,
            data_format,
            dilation_rate,
            depth_multiplier,
            activation,
            use_bias,
            name,
            reuse,
            kw,
        )

    separable_conv.__name__ = separable_conv.__qualname__ = f"separable_conv{rank}d"
    separable_conv.__doc__ = (
        f"A depthwise {rank}-D convolution (``depthwise_kernel``, ``depth_multiplier`` outputs per channel) "
        "followed by a pointwise one (``pointwise_kernel``) and a bias."
    )
    return separable_conv


separable_conv1d = _separable_fn(1)
separable_conv2d = _separable_fn(2)


def _pool_fn(kind: str, rank: int) -> Any:
    def pool(
        inputs: Any,
        pool_size: Any,
        strides: Any,
        padding: str = "valid",
        data_format: str = "channels_last",
        name: Optional[str] = None,
    ) -> Any:
        from ... import name_scope

        x = convert_to_tensor(inputs)
        _check_rank(x, rank, f"{kind}_pooling{rank}d")
        fmt = _data_format(data_format)
        ps, ss = _tuple(pool_size, rank, "pool_size"), _tuple(strides, rank, "strides")
        op = getattr(_nn(), f"{'max' if kind == 'max' else 'avg'}_pool{rank}d")
        with name_scope(name or f"{kind}_pooling{rank}d"):
            y = op(_moved(x, fmt, rank, True), [1, *ps, 1], [1, *ss, 1], _padding(padding))
            return _moved(y, fmt, rank, False)

    pool.__name__ = pool.__qualname__ = f"{kind}_pooling{rank}d"
    pool.__doc__ = f"The {'maximum' if kind == 'max' else 'mean'} of each ``pool_size`` window, moved by ``strides``."
    return pool


def _nn() -> Any:
    from ... import nn

    return nn


max_pooling1d = _pool_fn("max", 1)
average_pooling1d = _pool_fn("average", 1)
max_pooling3d = _pool_fn("max", 3)
average_pooling3d = _pool_fn("average", 3)

"""``tf.compat.v1.nn``'s convolutions and pools with TF1's signatures: ``conv2d(input, filter, strides,
padding, use_cudnn_on_gpu, ...)``, ``max_pool(value, ksize, strides, padding)``, ``conv2d_transpose(value,
filter, output_shape, strides)``, ``depthwise_conv2d(..., rate)``, ``convolution(..., dilation_rate)`` ...

The old names (``filter``, ``value``, ``rate``, ``dilation_rate``) and the new ones are both accepted,
never together; the computation is the TF2 op's.
"""

from __future__ import annotations

from typing import Any, Optional

from ...ops import conv_ops as _conv
from .arg_lookup import lookup


def _required(value: Any, what: str, fn: str) -> Any:
    if value is None:
        raise ValueError(f"{fn}() is missing its `{what}` argument")
    return value


def conv1d(
    value: Any = None,
    filters: Any = None,
    stride: Any = None,
    padding: Any = None,
    use_cudnn_on_gpu: Any = None,
    data_format: Any = None,
    name: Optional[str] = None,
    input: Any = None,  # noqa: A002 (TensorFlow's name)
    dilations: Any = None,
) -> Any:
    value = lookup("input", input, "value", value)
    return _conv.conv1d(
        value, filters, stride, padding, data_format=data_format or "NWC", dilations=dilations, name=name
    )


def conv2d(
    input: Any,  # noqa: A002
    filter: Any = None,  # noqa: A002
    strides: Any = None,
    padding: Any = None,
    use_cudnn_on_gpu: bool = True,
    data_format: str = "NHWC",
    dilations: Any = None,
    name: Optional[str] = None,
    filters: Any = None,
) -> Any:
    """2-D convolution of an NHWC (or NCHW) ``input`` with ``filter`` ``[h, w, in, out]``."""
    filters = _required(lookup("filters", filters, "filter", filter), "filter", "conv2d")
    return _conv.conv2d(input, filters, strides, padding, data_format=data_format, dilations=dilations, name=name)


def conv3d(
    input: Any,  # noqa: A002
    filter: Any = None,  # noqa: A002
    strides: Any = None,
    padding: Any = None,
    data_format: str = "NDHWC",
    dilations: Any = None,
    name: Optional[str] = None,
    filters: Any = None,
) -> Any:
    from ...ops.conv3d_ops import conv3d as _conv3d

    filters = _required(lookup("filters", filters, "filter", filter), "filter", "conv3d")
    return _conv3d(input, filters, strides, padding, data_format=data_format, dilations=dilations, name=name)


def conv2d_transpose(
    value: Any = None,
    filter: Any = None,  # noqa: A002
    output_shape: Any = None,
    strides: Any = None,
    padding: str = "SAME",
    data_format: str = "NHWC",
    name: Optional[str] = None,
    input: Any = None,  # noqa: A002
    filters: Any = None,
    dilations: Any = None,
) -> Any:
    """The transpose (gradient) of ``conv2d``: ``filter`` is ``[h, w, out, in]``."""
    value = lookup("input", input, "value", value)
    filters = lookup("filters", filters, "filter", filter)
    return _conv.conv2d_transpose(
        value, filters, output_shape, strides, padding=padding, data_format=data_format, dilations=dilations, name=name
    )


def conv3d_transpose(
    value: Any,
    filter: Any = None,  # noqa: A002
    output_shape: Any = None,
    strides: Any = None,
    padding: str = "SAME",
    data_format: str = "NDHWC",
    name: Optional[str] = None,
    input: Any = None,  # noqa: A002
    filters: Any = None,
    dilations: Any = None,
) -> Any:
    from ...ops.conv3d_transpose_ops import conv3d_transpose as _conv3d_transpose

    value = lookup("input", input, "value", value)
    filters = lookup("filters", filters, "filter", filter)
    return _conv3d_transpose(
        value, filters, output_shape, strides, padding=padding, data_format=data_format, dilations=dilations, name=name
    )


def convolution(
    input: Any,  # noqa: A002
    filter: Any = None,  # noqa: A002
    padding: Any = None,
    strides: Any = None,
    dilation_rate: Any = None,
    name: Optional[str] = None,
    data_format: Any = None,
    filters: Any = None,
    dilations: Any = None,
) -> Any:
    """N-D convolution (1-D, 2-D or 3-D by the filter's rank); TF1 puts ``padding`` before ``strides``."""
    filters = lookup("filters", filters, "filter", filter)
    dilations = lookup("dilations", dilations, "dilation_rate", dilation_rate)
    return _conv.convolution(
        input,
        filters,
        strides=strides,
        padding=padding or "VALID",
        data_format=data_format,
        dilations=dilations,
        name=name,
    )


def depthwise_conv2d(
    input: Any,  # noqa: A002
    filter: Any,  # noqa: A002
    strides: Any,
    padding: Any,
    rate: Any = None,
    name: Optional[str] = None,
    data_format: Any = None,
    dilations: Any = None,
) -> Any:
    """Per-channel convolution; ``rate`` is TF1's name of ``dilations`` (the atrous rate)."""
    dilations = lookup("dilations", dilations, "rate", rate)
    return _conv.depthwise_conv2d(
        input, filter, strides, padding, data_format=data_format, dilations=dilations, name=name
    )


def depthwise_conv2d_native(
    input: Any,  # noqa: A002
    filter: Any,  # noqa: A002
    strides: Any,
    padding: Any,
    data_format: str = "NHWC",
    dilations: Any = None,
    name: Optional[str] = None,
) -> Any:
    return _conv.depthwise_conv2d(
        input, filter, strides, padding, data_format=data_format, dilations=dilations, name=name
    )


def separable_conv2d(
    input: Any,  # noqa: A002
    depthwise_filter: Any,
    pointwise_filter: Any,
    strides: Any,
    padding: Any,
    rate: Any = None,
    name: Optional[str] = None,
    data_format: Any = None,
    dilations: Any = None,
) -> Any:
    from ...ops.separable_conv_ops import separable_conv2d as _separable

    dilations = lookup("dilations", dilations, "rate", rate)
    return _separable(
        input,
        depthwise_filter,
        pointwise_filter,
        strides,
        padding,
        data_format=data_format,
        dilations=dilations,
        name=name,
    )


def _pool_v1(pool: Any, fn: str) -> Any:
    def pool_v1(
        value: Any,
        ksize: Any,
        strides: Any,
        padding: Any,
        data_format: str = "NHWC",
        name: Optional[str] = None,
        input: Any = None,  # noqa: A002
    ) -> Any:
        value = lookup("input", input, "value", value)
        return pool(value, ksize, strides, padding, data_format=data_format, name=name)

    pool_v1.__name__ = pool_v1.__qualname__ = fn
    pool_v1.__doc__ = f"TF1's ``{fn}``: the input comes as ``value`` (or ``input``), NHWC by default."
    return pool_v1


max_pool = _pool_v1(_conv.max_pool, "max_pool")
avg_pool = _pool_v1(_conv.avg_pool, "avg_pool")
avg_pool2d = _pool_v1(_conv.avg_pool, "avg_pool2d")
max_pool_v2 = _conv.max_pool
avg_pool_v2 = _conv.avg_pool


def pool(
    input: Any,  # noqa: A002
    window_shape: Any,
    pooling_type: str,
    padding: str,
    dilation_rate: Any = None,
    strides: Any = None,
    name: Optional[str] = None,
    data_format: Any = None,
    dilations: Any = None,
) -> Any:
    from ...ops.pool_ops import pool as _pool

    dilations = lookup("dilations", dilations, "dilation_rate", dilation_rate)
    return _pool(
        input,
        window_shape,
        pooling_type,
        strides=strides,
        padding=padding,
        data_format=data_format,
        dilations=dilations,
        name=name,
    )


def dilation2d(
    input: Any,  # noqa: A002
    filter: Any = None,  # noqa: A002
    strides: Any = None,
    rates: Any = None,
    padding: Any = None,
    name: Optional[str] = None,
    filters: Any = None,
    dilations: Any = None,
) -> Any:
    from ...ops.pool_extra_ops import dilation2d as _dilation2d

    filters = lookup("filters", filters, "filter", filter)
    dilations = lookup("dilations", dilations, "rates", rates)
    return _dilation2d(input, filters, strides, padding, data_format="NHWC", dilations=dilations, name=name)


def erosion2d(value: Any, kernel: Any, strides: Any, rates: Any, padding: Any, name: Optional[str] = None) -> Any:
    from ...ops.pool_extra_ops import erosion2d as _erosion2d

    return _erosion2d(value, kernel, strides, padding, data_format="NHWC", dilations=rates, name=name)


def max_pool_with_argmax(
    input: Any,  # noqa: A002
    ksize: Any,
    strides: Any,
    padding: Any,
    data_format: str = "NHWC",
    Targmax: Any = None,  # noqa: N803 (TensorFlow's name)
    name: Optional[str] = None,
    output_dtype: Any = None,
    include_batch_in_index: bool = False,
) -> Any:
    from ...ops.pool_extra_ops import max_pool_with_argmax as _argmax_pool

    output_dtype = lookup("output_dtype", output_dtype, "Targmax", Targmax)
    return _argmax_pool(
        input,
        ksize,
        strides,
        padding,
        data_format=data_format,
        output_dtype=output_dtype or "int64",
        include_batch_in_index=include_batch_in_index,
        name=name,
    )

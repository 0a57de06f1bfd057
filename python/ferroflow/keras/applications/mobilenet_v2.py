"""``keras.applications.mobilenet_v2``: MobileNetV2 (Sandler et al., 2018): inverted residual blocks with
linear bottlenecks, width scaled by ``alpha``; layer for layer as Keras 3 builds it.
"""

from __future__ import annotations

from typing import Any, Optional

from ferroflow.keras import backend, layers

from . import _model_tail, _util
from .imagenet_utils import model_functions as _model_functions

__all__ = ["MobileNetV2", "decode_predictions", "preprocess_input"]

_BASE_URL = "https://storage.googleapis.com/tensorflow/keras-applications/mobilenet_v2/"
_WEIGHTS_ERROR = (
    "The `weights` argument should be either `None` (random initialization), `imagenet` (pre-training on "
    "ImageNet), or the path to the weights file to be loaded.  Received `weights={weights}`"
)
_CLASSES_ERROR = (
    'If using `weights="imagenet"` with `include_top` as true, `classes` should be 1000. Received `classes={classes}`'
)
_SIZES = (96, 128, 160, 192, 224)
# (filters, stride, expansion) of blocks 0 ... 16.
_BLOCKS = [(16, 1, 1), (24, 2, 6), (24, 1, 6)] + [(32, 2, 6)] + [(32, 1, 6)] * 2 + [(64, 2, 6)] + [(64, 1, 6)] * 3
_BLOCKS += [(96, 1, 6)] * 3 + [(160, 2, 6)] + [(160, 1, 6)] * 2 + [(320, 1, 6)]


def _make_divisible(v: float, divisor: int, min_value: Optional[int] = None) -> int:
    """``v`` rounded to a multiple of ``divisor``, never more than 10% below ``v``."""
    min_value = divisor if min_value is None else min_value
    new_v = max(min_value, int(v + divisor / 2) // divisor * divisor)
    return new_v + divisor if new_v < 0.9 * v else new_v


def _bn(x: Any, axis: int, name: str) -> Any:
    return layers.BatchNormalization(axis=axis, epsilon=1e-3, momentum=0.999, name=name)(x)


def _inverted_res_block(inputs: Any, expansion: int, stride: int, alpha: float, filters: int, block_id: int) -> Any:
    axis = 1 if backend.image_data_format() == "channels_first" else -1
    in_channels = tuple(inputs.shape)[axis]
    pointwise_filters = _make_divisible(int(filters * alpha), 8)
    x = inputs
    prefix = f"block_{block_id}_"
    if block_id:
        x = layers.Conv2D(expansion * in_channels, 1, padding="same", use_bias=False, name=f"{prefix}expand")(x)
        x = _bn(x, axis, f"{prefix}expand_BN")
        x = layers.ReLU(6.0, name=f"{prefix}expand_relu")(x)
    else:
        prefix = "expanded_conv_"
    if stride == 2:
        x = layers.ZeroPadding2D(padding=_util.correct_pad(x, 3), name=f"{prefix}pad")(x)
    x = layers.DepthwiseConv2D(
        3, strides=stride, use_bias=False, padding="same" if stride == 1 else "valid", name=f"{prefix}depthwise"
    )(x)
    x = _bn(x, axis, f"{prefix}depthwise_BN")
    x = layers.ReLU(6.0, name=f"{prefix}depthwise_relu")(x)
    x = layers.Conv2D(pointwise_filters, 1, padding="same", use_bias=False, name=f"{prefix}project")(x)
    x = _bn(x, axis, f"{prefix}project_BN")
    if in_channels == pointwise_filters and stride == 1:
        return layers.Add(name=f"{prefix}add")([inputs, x])
    return x


def MobileNetV2(
    input_shape: Any = None,
    alpha: float = 1.0,
    include_top: bool = True,
    weights: Any = "imagenet",
    input_tensor: Any = None,
    pooling: Optional[str] = None,
    classes: int = 1000,
    classifier_activation: Any = "softmax",
    name: Optional[str] = None,
) -> Any:
    """MobileNetV2 (3,538,984 parameters at ``alpha=1.0`` with the 1000-class top). ``alpha`` scales every
    layer's width; inputs: images preprocessed by ``mobilenet_v2.preprocess_input`` (scaled to [-1, 1]),
    at least 32x32."""
    _util.check_weights_args(weights, include_top, classes, _WEIGHTS_ERROR, _CLASSES_ERROR)
    if input_shape is not None and input_tensor is not None:
        _check_tensor_shape(input_tensor, input_shape)
    default_size = _util.square_default_size(input_shape, input_tensor, _SIZES)
    input_shape = _util.obtain_input_shape(
        input_shape, default_size, 32, backend.image_data_format(), require_flatten=include_top, weights=weights
    )
    if weights == "imagenet" and alpha not in [0.35, 0.50, 0.75, 1.0, 1.3, 1.4]:
        raise ValueError(
            "If imagenet weights are being loaded, alpha must be one of `0.35`, `0.50`, `0.75`, `1.0`, `1.3` or "
            f"`1.4` only; Received `alpha={alpha}`"
        )
    rows = _util.pretrained_rows(input_shape, weights, _SIZES)
    img_input = _util.make_input(input_tensor, input_shape)
    axis = 1 if backend.image_data_format() == "channels_first" else -1
    first_filters = _make_divisible(32 * alpha, 8)
    x = layers.Conv2D(first_filters, 3, strides=(2, 2), padding="same", use_bias=False, name="Conv1")(img_input)
    x = _bn(x, axis, "bn_Conv1")
    x = layers.ReLU(6.0, name="Conv1_relu")(x)
    for block_id, (filters, stride, expansion) in enumerate(_BLOCKS):
        x = _inverted_res_block(x, filters=filters, alpha=alpha, stride=stride, expansion=expansion, block_id=block_id)
    last_filters = _make_divisible(1280 * alpha, 8) if alpha > 1.0 else 1280
    x = layers.Conv2D(last_filters, 1, use_bias=False, name="Conv_1")(x)
    x = _bn(x, axis, "Conv_1_bn")
    x = layers.ReLU(6.0, name="out_relu")(x)
    x = _model_tail.classify_or_pool(
        x, include_top, pooling, classes, classifier_activation, weights,
        head=lambda x: layers.GlobalAveragePooling2D()(x),
    )  # fmt: skip
    top = "" if include_top else "_no_top"
    fname = f"mobilenet_v2_weights_tf_dim_ordering_tf_kernels_{float(alpha)}_{rows}{top}.h5"
    return _model_tail.finish(
        img_input, input_tensor, x, name or f"mobilenetv2_{alpha:0.2f}_{rows}", weights, fname, _BASE_URL
    )


def _check_tensor_shape(input_tensor: Any, input_shape: Any) -> None:
    if not getattr(input_tensor, "_is_keras_tensor", False):
        raise ValueError(f"input_tensor is not a Keras tensor; Received `input_tensor={input_tensor}`")
    shape = tuple(input_tensor.shape)
    if backend.image_data_format() == "channels_first":
        if shape[1] != input_shape[1]:
            raise ValueError(
                "input_shape[1] must equal shape(input_tensor)[1] when `image_data_format` is `channels_first`; "
                f"Received `input_tensor.shape={input_tensor.shape}`, `input_shape={input_shape}`"
            )
    elif shape[2] != input_shape[1]:
        raise ValueError(
            "input_tensor.shape[2] must equal input_shape[1]; Received "
            f"`input_tensor.shape={input_tensor.shape}`, `input_shape={input_shape}`"
        )


preprocess_input, decode_predictions = _model_functions("tf", "tf: scaled to [-1, 1]", __name__)

from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())

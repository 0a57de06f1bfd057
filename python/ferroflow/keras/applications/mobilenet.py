"""``keras.applications.mobilenet``: MobileNet (Howard et al., 2017): depthwise-separable convolutions, width
scaled by ``alpha`` and depthwise channels by ``depth_multiplier``; layer for layer as Keras 3 builds it.
"""

from __future__ import annotations

from typing import Any, Optional

from ferroflow.keras import backend, layers

from . import _model_tail, _util
from .imagenet_utils import model_functions as _model_functions

__all__ = ["MobileNet", "decode_predictions", "preprocess_input"]

_BASE_URL = "https://storage.googleapis.com/tensorflow/keras-applications/mobilenet/"
_SIZES = (128, 160, 192, 224)
_WEIGHTS_ERROR = (
    "The `weights` argument should be either `None` (random initialization), 'imagenet' (pre-training on "
    "ImageNet), or the path to the weights file to be loaded. Received weights={weights}"
)
_ALPHA_TEXT = {1.0: "1_0", 0.75: "7_5", 0.5: "5_0", 0.25: "2_5"}
# (pointwise filters, stride) of the depthwise-separable blocks 1 ... 13.
_BLOCKS = [(64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2)] + [(512, 1)] * 5 + [(1024, 2), (1024, 1)]


def _depthwise_conv_block(x: Any, filters: int, alpha: float, depth_multiplier: int, stride: int, block_id: int) -> Any:
    axis = 1 if backend.image_data_format() == "channels_first" else -1
    if stride != 1:
        x = layers.ZeroPadding2D(((0, 1), (0, 1)), name=f"conv_pad_{block_id}")(x)
    x = layers.DepthwiseConv2D(
        (3, 3),
        padding="same" if stride == 1 else "valid",
        depth_multiplier=depth_multiplier,
        strides=(stride, stride),
        use_bias=False,
        name=f"conv_dw_{block_id}",
    )(x)
    x = layers.BatchNormalization(axis=axis, name=f"conv_dw_{block_id}_bn")(x)
    x = layers.ReLU(6.0, name=f"conv_dw_{block_id}_relu")(x)
    x = layers.Conv2D(int(filters * alpha), (1, 1), padding="same", use_bias=False, name=f"conv_pw_{block_id}")(x)
    x = layers.BatchNormalization(axis=axis, name=f"conv_pw_{block_id}_bn")(x)
    return layers.ReLU(6.0, name=f"conv_pw_{block_id}_relu")(x)


def _top(x: Any, classes: int, dropout: float) -> Any:
    """MobileNet's classifier before its activation: a 1x1 convolution of the pooled features."""
    x = layers.GlobalAveragePooling2D(keepdims=True)(x)
    x = layers.Dropout(dropout, name="dropout")(x)
    x = layers.Conv2D(classes, (1, 1), padding="same", name="conv_preds")(x)
    return layers.Reshape((classes,), name="reshape_2")(x)


def MobileNet(
    input_shape: Any = None,
    alpha: float = 1.0,
    depth_multiplier: int = 1,
    dropout: float = 1e-3,
    include_top: bool = True,
    weights: Any = "imagenet",
    input_tensor: Any = None,
    pooling: Optional[str] = None,
    classes: int = 1000,
    classifier_activation: Any = "softmax",
    name: Optional[str] = None,
) -> Any:
    """MobileNet (4,253,864 parameters at ``alpha=1.0`` with the 1000-class top). Inputs: images
    preprocessed by ``mobilenet.preprocess_input`` (scaled to [-1, 1]), at least 32x32."""
    _util.check_weights_args(weights, include_top, classes, _WEIGHTS_ERROR)
    default_size = _util.square_default_size(input_shape, None, _SIZES)
    input_shape = _util.obtain_input_shape(
        input_shape, default_size, 32, backend.image_data_format(), require_flatten=include_top, weights=weights
    )
    if weights == "imagenet":
        if depth_multiplier != 1:
            raise ValueError(
                "If imagenet weights are being loaded, depth multiplier must be 1.  "
                f"Received depth_multiplier={depth_multiplier}"
            )
        if alpha not in [0.25, 0.50, 0.75, 1.0]:
            raise ValueError(
                "If imagenet weights are being loaded, alpha can be one of`0.25`, `0.50`, `0.75` or `1.0` only.  "
                f"Received alpha={alpha}"
            )
    rows = _util.pretrained_rows(input_shape, weights, _SIZES)
    img_input = _util.make_input(input_tensor, input_shape)
    axis = 1 if backend.image_data_format() == "channels_first" else -1
    x = layers.Conv2D(int(32 * alpha), (3, 3), padding="same", use_bias=False, strides=(2, 2), name="conv1")(img_input)
    x = layers.BatchNormalization(axis=axis, name="conv1_bn")(x)
    x = layers.ReLU(6.0, name="conv1_relu")(x)
    for block_id, (filters, stride) in enumerate(_BLOCKS, start=1):
        x = _depthwise_conv_block(x, filters, alpha, depth_multiplier, stride, block_id)
    x = _model_tail.classify_or_pool(
        x, include_top, pooling, classes, classifier_activation, weights,
        head=lambda x: _top(x, classes, dropout),
        predictions=lambda: layers.Activation(activation=classifier_activation, name="predictions"),
    )  # fmt: skip
    fname = None
    if weights == "imagenet":
        top = "" if include_top else "_no_top"
        fname = f"mobilenet_{_ALPHA_TEXT.get(alpha, '2_5')}_{rows}_tf{top}.h5"
    return _model_tail.finish(
        img_input, input_tensor, x, name or f"mobilenet_{alpha:0.2f}_{rows}", weights, fname, _BASE_URL
    )


preprocess_input, decode_predictions = _model_functions("tf", "tf: scaled to [-1, 1]", __name__)

from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())

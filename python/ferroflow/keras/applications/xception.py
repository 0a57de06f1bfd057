"""``keras.applications.xception``: Xception (Chollet, 2017): Inception modules taken to the extreme, as
depthwise-separable convolutions with residual connections; layer for layer as Keras 3 builds it, so Keras's
pretrained files load by layer order.
"""

from __future__ import annotations

from typing import Any

from ferroflow.keras import backend, layers

from . import _model_tail
from .imagenet_utils import model_functions as _model_functions

__all__ = ["Xception", "decode_predictions", "preprocess_input"]

_BASE_URL = "https://storage.googleapis.com/tensorflow/keras-applications/xception/"
_HASHES = ("0a58e3b7378bc2990ea3b43d5981f1f6", "b0042744bf5b25fce3cb969f33bebb97")
_WEIGHTS_ERROR = (
    "The `weights` argument should be either `None` (random initialization), 'imagenet' (pre-training "
    "on ImageNet), or the path to the weights file to be loaded."
)
_CLASSES_ERROR = (
    "If using `weights='imagenet'` with `include_top=True`, `classes` should be 1000.  Received classes={classes}"
)


def _sepconv_bn(x: Any, filters: int, name: str, axis: int) -> Any:
    x = layers.SeparableConv2D(filters, (3, 3), padding="same", use_bias=False, name=name)(x)
    return layers.BatchNormalization(axis=axis, name=f"{name}_bn")(x)


def _downsampling_block(x: Any, filters: tuple, block: int, axis: int, relu_first: bool) -> Any:
    """Two separable convolutions and a strided max-pool, added to a strided 1x1 projection of the input."""
    residual = layers.Conv2D(filters[1], (1, 1), strides=(2, 2), padding="same", use_bias=False)(x)
    residual = layers.BatchNormalization(axis=axis)(residual)
    if relu_first:
        x = layers.Activation("relu", name=f"block{block}_sepconv1_act")(x)
    x = _sepconv_bn(x, filters[0], f"block{block}_sepconv1", axis)
    x = layers.Activation("relu", name=f"block{block}_sepconv2_act")(x)
    x = _sepconv_bn(x, filters[1], f"block{block}_sepconv2", axis)
    x = layers.MaxPooling2D((3, 3), strides=(2, 2), padding="same", name=f"block{block}_pool")(x)
    return layers.add([x, residual])


def _xception(args: _model_tail.ModelArgs) -> Any:
    include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation, name = args
    img_input = _model_tail.model_input(
        weights, include_top, classes, input_tensor, input_shape, 299, 71, (_WEIGHTS_ERROR, _CLASSES_ERROR)
    )
    axis = 1 if backend.image_data_format() == "channels_first" else -1
    x = layers.Conv2D(32, (3, 3), strides=(2, 2), use_bias=False, name="block1_conv1")(img_input)
    x = layers.BatchNormalization(axis=axis, name="block1_conv1_bn")(x)
    x = layers.Activation("relu", name="block1_conv1_act")(x)
    x = layers.Conv2D(64, (3, 3), use_bias=False, name="block1_conv2")(x)
    x = layers.BatchNormalization(axis=axis, name="block1_conv2_bn")(x)
    x = layers.Activation("relu", name="block1_conv2_act")(x)
    x = _downsampling_block(x, (128, 128), 2, axis, relu_first=False)
    x = _downsampling_block(x, (256, 256), 3, axis, relu_first=True)
    x = _downsampling_block(x, (728, 728), 4, axis, relu_first=True)
    for block in range(5, 13):
        residual = x
        for conv in (1, 2, 3):
            x = layers.Activation("relu", name=f"block{block}_sepconv{conv}_act")(x)
            x = _sepconv_bn(x, 728, f"block{block}_sepconv{conv}", axis)
        x = layers.add([x, residual])
    x = _downsampling_block(x, (728, 1024), 13, axis, relu_first=True)
    x = _sepconv_bn(x, 1536, "block14_sepconv1", axis)
    x = layers.Activation("relu", name="block14_sepconv1_act")(x)
    x = _sepconv_bn(x, 2048, "block14_sepconv2", axis)
    x = layers.Activation("relu", name="block14_sepconv2_act")(x)
    x = _model_tail.classify_or_pool(x, include_top, pooling, classes, classifier_activation, weights)
    fname, file_hash = _model_tail.keras_h5_file("xception", include_top, _HASHES)
    return _model_tail.finish(img_input, input_tensor, x, name, weights, fname, _BASE_URL, file_hash)


Xception = _model_tail.public_builder(
    "Xception",
    "xception",
    __name__,
    """Xception (22,910,480 parameters with the 1000-class top). Inputs: images preprocessed by
    ``keras.applications.xception.preprocess_input`` (scaled to [-1, 1]); at least 71x71, by default 299x299.""",
    _xception,
)
preprocess_input, decode_predictions = _model_functions("tf", "tf: scaled to [-1, 1]", __name__)

from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())

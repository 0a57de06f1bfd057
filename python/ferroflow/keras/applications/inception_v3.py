"""``keras.applications.inception_v3``: Inception v3 (Szegedy et al., 2016): parallel branches of factorized
convolutions (1xn then nx1) concatenated into "mixed" blocks; layer for layer as Keras 3 builds it, so Keras's
pretrained files load by layer order (its conv and batch-norm layers carry Keras's automatic names).
"""

from __future__ import annotations

from typing import Any

from ferroflow.keras import backend, layers

from . import _model_tail
from .imagenet_utils import model_functions as _model_functions

__all__ = ["InceptionV3", "decode_predictions", "preprocess_input"]

_BASE_URL = "https://storage.googleapis.com/tensorflow/keras-applications/inception_v3/"
_HASHES = ("9a0d58056eeedaa3f26cb7ebd46da564", "bcbd6486424b2319ff4ef7d526e38f63")
_WEIGHTS_ERROR = (
    "The `weights` argument should be either `None` (random initialization), `imagenet` (pre-training "
    "on ImageNet), or the path to the weights file to be loaded; Received: weights={weights}"
)
_CLASSES_ERROR = (
    'If using `weights="imagenet"` with `include_top=True`, `classes` should be 1000. Received classes={classes}'
)


def _axis() -> int:
    return 1 if backend.image_data_format() == "channels_first" else 3


def _conv2d_bn(x: Any, filters: int, rows: int, cols: int, padding: str = "same", strides: tuple = (1, 1)) -> Any:
    """Conv (no bias), batch norm without scale (a ReLU follows), ReLU: Keras's ``conv2d_bn``."""
    x = layers.Conv2D(filters, (rows, cols), strides=strides, padding=padding, use_bias=False)(x)
    x = layers.BatchNormalization(axis=_axis(), scale=False)(x)
    return layers.Activation("relu")(x)


def _avg_pool_branch(x: Any, filters: int) -> Any:
    return _conv2d_bn(layers.AveragePooling2D((3, 3), strides=(1, 1), padding="same")(x), filters, 1, 1)


def _mixed_35(x: Any, pool_filters: int, name: str) -> Any:
    """The 35x35 blocks: 1x1, 5x5, double 3x3 and pooled branches."""
    branch1x1 = _conv2d_bn(x, 64, 1, 1)
    branch5x5 = _conv2d_bn(_conv2d_bn(x, 48, 1, 1), 64, 5, 5)
    branch3x3dbl = _conv2d_bn(_conv2d_bn(_conv2d_bn(x, 64, 1, 1), 96, 3, 3), 96, 3, 3)
    branch_pool = _avg_pool_branch(x, pool_filters)
    return layers.concatenate([branch1x1, branch5x5, branch3x3dbl, branch_pool], axis=_axis(), name=name)


def _mixed_17(x: Any, width: int, name: str) -> Any:
    """The 17x17 blocks: 1x1, 7x7 factorized as 1x7 + 7x1, doubled 7x7, and pooled branches."""
    branch1x1 = _conv2d_bn(x, 192, 1, 1)
    branch7x7 = _conv2d_bn(x, width, 1, 1)
    branch7x7 = _conv2d_bn(branch7x7, width, 1, 7)
    branch7x7 = _conv2d_bn(branch7x7, 192, 7, 1)
    branch7x7dbl = _conv2d_bn(x, width, 1, 1)
    for filters, rows, cols in ((width, 7, 1), (width, 1, 7), (width, 7, 1), (192, 1, 7)):
        branch7x7dbl = _conv2d_bn(branch7x7dbl, filters, rows, cols)
    branch_pool = _avg_pool_branch(x, 192)
    return layers.concatenate([branch1x1, branch7x7, branch7x7dbl, branch_pool], axis=_axis(), name=name)


def _mixed_8(x: Any, i: int) -> Any:
    """The 8x8 blocks: 1x1, 3x3 split into 1x3 and 3x1, double 3x3 split likewise, and pooled branches."""
    branch1x1 = _conv2d_bn(x, 320, 1, 1)
    branch3x3 = _conv2d_bn(x, 384, 1, 1)
    branch3x3 = layers.concatenate(
        [_conv2d_bn(branch3x3, 384, 1, 3), _conv2d_bn(branch3x3, 384, 3, 1)], axis=_axis(), name=f"mixed9_{i}"
    )
    branch3x3dbl = _conv2d_bn(_conv2d_bn(x, 448, 1, 1), 384, 3, 3)
    branch3x3dbl = layers.concatenate(
        [_conv2d_bn(branch3x3dbl, 384, 1, 3), _conv2d_bn(branch3x3dbl, 384, 3, 1)], axis=_axis()
    )
    branch_pool = _avg_pool_branch(x, 192)
    return layers.concatenate([branch1x1, branch3x3, branch3x3dbl, branch_pool], axis=_axis(), name=f"mixed{9 + i}")


def _inception_v3(args: _model_tail.ModelArgs) -> Any:
    include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation, name = args
    img_input = _model_tail.model_input(
        weights, include_top, classes, input_tensor, input_shape, 299, 75, (_WEIGHTS_ERROR, _CLASSES_ERROR)
    )
    axis = _axis()
    x = _conv2d_bn(img_input, 32, 3, 3, strides=(2, 2), padding="valid")
    x = _conv2d_bn(x, 32, 3, 3, padding="valid")
    x = _conv2d_bn(x, 64, 3, 3)
    x = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)
    x = _conv2d_bn(x, 80, 1, 1, padding="valid")
    x = _conv2d_bn(x, 192, 3, 3, padding="valid")
    x = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)
    x = _mixed_35(x, 32, "mixed0")
    x = _mixed_35(x, 64, "mixed1")
    x = _mixed_35(x, 64, "mixed2")
    branch3x3 = _conv2d_bn(x, 384, 3, 3, strides=(2, 2), padding="valid")
    branch3x3dbl = _conv2d_bn(_conv2d_bn(x, 64, 1, 1), 96, 3, 3)
    branch3x3dbl = _conv2d_bn(branch3x3dbl, 96, 3, 3, strides=(2, 2), padding="valid")
    branch_pool = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)
    x = layers.concatenate([branch3x3, branch3x3dbl, branch_pool], axis=axis, name="mixed3")
    for block, width in ((4, 128), (5, 160), (6, 160), (7, 192)):
        x = _mixed_17(x, width, f"mixed{block}")
    branch3x3 = _conv2d_bn(_conv2d_bn(x, 192, 1, 1), 320, 3, 3, strides=(2, 2), padding="valid")
    branch7x7x3 = _conv2d_bn(_conv2d_bn(_conv2d_bn(x, 192, 1, 1), 192, 1, 7), 192, 7, 1)
    branch7x7x3 = _conv2d_bn(branch7x7x3, 192, 3, 3, strides=(2, 2), padding="valid")
    branch_pool = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)
    x = layers.concatenate([branch3x3, branch7x7x3, branch_pool], axis=axis, name="mixed8")
    for i in range(2):
        x = _mixed_8(x, i)
    x = _model_tail.classify_or_pool(x, include_top, pooling, classes, classifier_activation, weights)
    fname, file_hash = _model_tail.keras_h5_file("inception_v3", include_top, _HASHES)
    return _model_tail.finish(img_input, input_tensor, x, name, weights, fname, _BASE_URL, file_hash)


InceptionV3 = _model_tail.public_builder(
    "InceptionV3",
    "inception_v3",
    __name__,
    """InceptionV3 (23,851,784 parameters with the 1000-class top). Inputs: images preprocessed by
    ``keras.applications.inception_v3.preprocess_input`` (scaled to [-1, 1]); at least 75x75, by default 299x299.""",
    _inception_v3,
)
preprocess_input, decode_predictions = _model_functions("tf", "tf: scaled to [-1, 1]", __name__)

from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())

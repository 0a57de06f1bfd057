"""``keras.applications.densenet``: DenseNet121, DenseNet169 and DenseNet201 (Huang et al., 2017): each block's
output is concatenated to its input, so every layer sees all earlier feature maps; layer for layer as Keras 3
builds them, so Keras's pretrained files load by layer order.
"""

from __future__ import annotations

import functools
from typing import Any, Callable

from ferroflow.keras import backend, layers

from . import _model_tail
from .imagenet_utils import model_functions as _model_functions

__all__ = ["DenseNet121", "DenseNet169", "DenseNet201", "decode_predictions", "preprocess_input"]

_BASE_URL = "https://storage.googleapis.com/tensorflow/keras-applications/densenet/"
# blocks per dense stage: (weights name, (top file hash, no-top file hash)).
_FILES = {
    (6, 12, 24, 16): ("densenet121", ("9d60b8095a5708f2dcce2bca79d332c7", "30ee3e1110167f948a6b9946edeeb738")),
    (6, 12, 32, 32): ("densenet169", ("d699b8f76981ab1b30698df4c175e90b", "b8c4d4c20dd625c148057b9ff1c1176b")),
    (6, 12, 48, 32): ("densenet201", ("1ceb130c1ea1b78c3bf6114dbdfd8807", "c13680b51ded0fb44dff2d8f86ac8bb1")),
}
_BN_AXIS = 3
_WEIGHTS_ERROR = (
    "The `weights` argument should be either `None` (random initialization), `imagenet` (pre-training "
    "on ImageNet), or the path to the weights file to be loaded."
)
_CLASSES_ERROR = 'If using `weights` as `"imagenet"` with `include_top` as true, `classes` should be 1000'


def _conv_block(x: Any, growth_rate: int, name: str) -> Any:
    """BN-ReLU-1x1 conv (4 * growth) - BN-ReLU-3x3 conv (growth), concatenated to the input."""
    x1 = layers.BatchNormalization(axis=_BN_AXIS, epsilon=1.001e-5, name=f"{name}_0_bn")(x)
    x1 = layers.Activation("relu", name=f"{name}_0_relu")(x1)
    x1 = layers.Conv2D(4 * growth_rate, 1, use_bias=False, name=f"{name}_1_conv")(x1)
    x1 = layers.BatchNormalization(axis=_BN_AXIS, epsilon=1.001e-5, name=f"{name}_1_bn")(x1)
    x1 = layers.Activation("relu", name=f"{name}_1_relu")(x1)
    x1 = layers.Conv2D(growth_rate, 3, padding="same", use_bias=False, name=f"{name}_2_conv")(x1)
    return layers.Concatenate(axis=_BN_AXIS, name=f"{name}_concat")([x, x1])


def _dense_block(x: Any, blocks: int, name: str) -> Any:
    for i in range(blocks):
        x = _conv_block(x, 32, name=f"{name}_block{i + 1}")
    return x


def _transition_block(x: Any, reduction: float, name: str) -> Any:
    """BN-ReLU, a 1x1 conv keeping ``reduction`` of the channels, then 2x2 average pooling."""
    x = layers.BatchNormalization(axis=_BN_AXIS, epsilon=1.001e-5, name=f"{name}_bn")(x)
    x = layers.Activation("relu", name=f"{name}_relu")(x)
    x = layers.Conv2D(int(x.shape[_BN_AXIS] * reduction), 1, use_bias=False, name=f"{name}_conv")(x)
    return layers.AveragePooling2D(2, strides=2, name=f"{name}_pool")(x)


def _densenet(blocks: tuple, args: _model_tail.ModelArgs) -> Any:
    include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation, name = args
    if backend.image_data_format() == "channels_first":
        raise ValueError(
            "DenseNet does not support the `channels_first` image data format. Switch to `channels_last` by "
            "editing your local config file at ~/.keras/keras.json"
        )
    img_input = _model_tail.model_input(
        weights, include_top, classes, input_tensor, input_shape, 224, 32, (_WEIGHTS_ERROR, _CLASSES_ERROR)
    )
    x = layers.ZeroPadding2D(padding=((3, 3), (3, 3)))(img_input)
    x = layers.Conv2D(64, 7, strides=2, use_bias=False, name="conv1_conv")(x)
    x = layers.BatchNormalization(axis=_BN_AXIS, epsilon=1.001e-5, name="conv1_bn")(x)
    x = layers.Activation("relu", name="conv1_relu")(x)
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)))(x)
    x = layers.MaxPooling2D(3, strides=2, name="pool1")(x)
    for stage, count in enumerate(blocks, start=2):
        x = _dense_block(x, count, name=f"conv{stage}")
        if stage < 5:
            x = _transition_block(x, 0.5, name=f"pool{stage}")
    x = layers.BatchNormalization(axis=_BN_AXIS, epsilon=1.001e-5, name="bn")(x)
    x = layers.Activation("relu", name="relu")(x)
    x = _model_tail.classify_or_pool(
        x, include_top, pooling, classes, classifier_activation, weights, pool_names=("avg_pool", "max_pool")
    )
    weights_name, hashes = _FILES[tuple(blocks)]
    fname, file_hash = _model_tail.keras_h5_file(weights_name, include_top, hashes)
    return _model_tail.finish(img_input, input_tensor, x, name, weights, fname, _BASE_URL, file_hash)


def _variant(blocks: tuple, doc: str) -> Callable[..., Any]:
    """The public builder of one depth, with Keras's signature and defaults."""
    key = _FILES[blocks][0]
    build = functools.partial(_densenet, blocks)
    return _model_tail.public_builder(f"DenseNet{key[len('densenet') :]}", key, __name__, doc, build)


DenseNet121 = _variant(
    (6, 12, 24, 16),
    """DenseNet121 (8,062,504 parameters with the 1000-class top). Inputs: images preprocessed by
    ``keras.applications.densenet.preprocess_input`` (torch mode); at least 32x32.""",
)
DenseNet169 = _variant((6, 12, 32, 32), "DenseNet169: 32 blocks in each of the last two dense stages.")
DenseNet201 = _variant((6, 12, 48, 32), "DenseNet201: 48 blocks in the third dense stage and 32 in the fourth.")


preprocess_input, decode_predictions = _model_functions(
    "torch", "torch: scaled to [0, 1], then normalized by the ImageNet channel means and deviations", __name__
)

from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())

"""``keras.applications.resnet``: ResNet50, ResNet101 and ResNet152 (He et al., 2015, the v1 "bottleneck"
networks), layer for layer as Keras 3 builds them, so Keras's pretrained files load by layer order.
"""

from __future__ import annotations

import functools
from typing import Any, Callable

from ferroflow.keras import backend, layers

from . import _model_tail
from .imagenet_utils import model_functions as _model_functions

__all__ = ["ResNet50", "ResNet101", "ResNet152", "decode_predictions", "preprocess_input"]

_BASE_URL = "https://storage.googleapis.com/tensorflow/keras-applications/resnet/"
_HASHES = {
    "resnet50": ("2cb95161c43110f7111970584f804107", "4d473c1dd8becc155b73f8504c6f6626"),
    "resnet101": ("f1aeb4b969a6efcfb50fad2f0c20cfc5", "88cf7a10940856eca736dc7b7e228a21"),
    "resnet152": ("100835be76be38e30d865e96f2aaae62", "ee4c566cf9a93f14d82f913c2dc6dd0c"),
}


def _bn_axis() -> int:
    return 3 if backend.image_data_format() == "channels_last" else 1


def _block(x: Any, filters: int, stride: int = 1, conv_shortcut: bool = True, name: str = "") -> Any:
    """A bottleneck block: 1x1 (stride), 3x3, 1x1 to ``4 * filters``, added to the (projected) input."""
    axis = _bn_axis()
    if conv_shortcut:
        shortcut = layers.Conv2D(4 * filters, 1, strides=stride, name=f"{name}_0_conv")(x)
        shortcut = layers.BatchNormalization(axis=axis, epsilon=1.001e-5, name=f"{name}_0_bn")(shortcut)
    else:
        shortcut = x
    x = layers.Conv2D(filters, 1, strides=stride, name=f"{name}_1_conv")(x)
    x = layers.BatchNormalization(axis=axis, epsilon=1.001e-5, name=f"{name}_1_bn")(x)
    x = layers.Activation("relu", name=f"{name}_1_relu")(x)
    x = layers.Conv2D(filters, 3, padding="same", name=f"{name}_2_conv")(x)
    x = layers.BatchNormalization(axis=axis, epsilon=1.001e-5, name=f"{name}_2_bn")(x)
    x = layers.Activation("relu", name=f"{name}_2_relu")(x)
    x = layers.Conv2D(4 * filters, 1, name=f"{name}_3_conv")(x)
    x = layers.BatchNormalization(axis=axis, epsilon=1.001e-5, name=f"{name}_3_bn")(x)
    x = layers.Add(name=f"{name}_add")([shortcut, x])
    return layers.Activation("relu", name=f"{name}_out")(x)


def _stack(x: Any, filters: int, blocks: int, stride1: int = 2, name: str = "") -> Any:
    x = _block(x, filters, stride=stride1, name=f"{name}_block1")
    for i in range(2, blocks + 1):
        x = _block(x, filters, conv_shortcut=False, name=f"{name}_block{i}")
    return x


def _stacks(counts: tuple) -> Callable[[Any], Any]:
    def stack_fn(x: Any) -> Any:
        x = _stack(x, 64, counts[0], stride1=1, name="conv2")
        x = _stack(x, 128, counts[1], name="conv3")
        x = _stack(x, 256, counts[2], name="conv4")
        return _stack(x, 512, counts[3], name="conv5")

    return stack_fn


def _resnet(
    stack_fn: Callable[[Any], Any], preact: bool, hashes: tuple, weights_name: str, args: _model_tail.ModelArgs
) -> Any:
    """The network around ``stack_fn``, as Keras's ``ResNet``: v1 (``preact`` False) normalizes the stem, v2
    (pre-activation) normalizes after the last stage instead."""
    include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation, name = args
    img_input = _model_tail.model_input(weights, include_top, classes, input_tensor, input_shape, 224, 32)
    x = layers.ZeroPadding2D(padding=((3, 3), (3, 3)), name="conv1_pad")(img_input)
    x = layers.Conv2D(64, 7, strides=2, use_bias=True, name="conv1_conv")(x)
    if not preact:
        x = layers.BatchNormalization(axis=_bn_axis(), epsilon=1.001e-5, name="conv1_bn")(x)
        x = layers.Activation("relu", name="conv1_relu")(x)
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)), name="pool1_pad")(x)
    x = layers.MaxPooling2D(3, strides=2, name="pool1_pool")(x)
    x = stack_fn(x)
    if preact:
        x = layers.BatchNormalization(axis=_bn_axis(), epsilon=1.001e-5, name="post_bn")(x)
        x = layers.Activation("relu", name="post_relu")(x)
    x = _model_tail.classify_or_pool(
        x, include_top, pooling, classes, classifier_activation, weights, pool_names=("avg_pool", "max_pool")
    )
    fname, file_hash = _model_tail.keras_h5_file(weights_name, include_top, hashes[weights_name])
    return _model_tail.finish(img_input, input_tensor, x, name, weights, fname, _BASE_URL, file_hash)


def _variant(key: str, counts: tuple, doc: str) -> Callable[..., Any]:
    """The public builder of one depth, with Keras's signature and defaults."""
    build = functools.partial(_resnet, _stacks(counts), False, _HASHES, key)
    return _model_tail.public_builder(f"ResNet{key[len('resnet') :]}", key, __name__, doc, build)


ResNet50 = _variant(
    "resnet50",
    (3, 4, 6, 3),
    """ResNet50 (25,636,712 parameters with the 1000-class top). Inputs: images preprocessed by
    ``keras.applications.resnet.preprocess_input`` (caffe mode); at least 32x32.""",
)
ResNet101 = _variant("resnet101", (3, 4, 23, 3), "ResNet101: ResNet50 with 23 blocks in its fourth stage.")
ResNet152 = _variant("resnet152", (3, 8, 36, 3), "ResNet152: 8 blocks in the third stage and 36 in the fourth.")


preprocess_input, decode_predictions = _model_functions(
    "caffe", "caffe: RGB to BGR, minus the ImageNet channel means", __name__
)

from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())

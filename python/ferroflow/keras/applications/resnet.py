"""``keras.applications.resnet``: ResNet50, ResNet101 and ResNet152 (He et al., 2015, the v1 "bottleneck"
networks), layer for layer as Keras 3 builds them, so Keras's pretrained files load by layer order.
"""

from __future__ import annotations

from typing import Any, Callable, Optional

from ferroflow.keras import backend, layers

from . import _util
from .imagenet_utils import _PREPROCESS_DOC
from .imagenet_utils import decode_predictions as _decode
from .imagenet_utils import preprocess_input as _preprocess

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
    stack_fn: Callable[[Any], Any],
    include_top: bool,
    weights: Any,
    input_tensor: Any,
    input_shape: Any,
    pooling: Optional[str],
    classes: int,
    classifier_activation: Any,
    name: str,
    weights_name: str,
) -> Any:
    _util.check_weights_args(weights, include_top, classes)
    input_shape = _util.obtain_input_shape(
        input_shape, 224, 32, backend.image_data_format(), require_flatten=include_top, weights=weights
    )
    img_input = _util.make_input(input_tensor, input_shape)
    x = layers.ZeroPadding2D(padding=((3, 3), (3, 3)), name="conv1_pad")(img_input)
    x = layers.Conv2D(64, 7, strides=2, use_bias=True, name="conv1_conv")(x)
    x = layers.BatchNormalization(axis=_bn_axis(), epsilon=1.001e-5, name="conv1_bn")(x)
    x = layers.Activation("relu", name="conv1_relu")(x)
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)), name="pool1_pad")(x)
    x = layers.MaxPooling2D(3, strides=2, name="pool1_pool")(x)
    x = stack_fn(x)
    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        _util.validate_activation(classifier_activation, weights)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    elif pooling == "avg":
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
    elif pooling == "max":
        x = layers.GlobalMaxPooling2D(name="max_pool")(x)
    model = _util.build_model(img_input, input_tensor, x, name)
    suffix, file_hash = ("", _HASHES[weights_name][0]) if include_top else ("_notop", _HASHES[weights_name][1])
    fname = f"{weights_name}_weights_tf_dim_ordering_tf_kernels{suffix}.h5"
    _util.load_weights(model, weights, fname, _BASE_URL, file_hash)
    return model


def ResNet50(
    include_top: bool = True,
    weights: Any = "imagenet",
    input_tensor: Any = None,
    input_shape: Any = None,
    pooling: Optional[str] = None,
    classes: int = 1000,
    classifier_activation: Any = "softmax",
    name: str = "resnet50",
) -> Any:
    """ResNet50 (25,636,712 parameters with the 1000-class top). Inputs: images preprocessed by
    ``keras.applications.resnet.preprocess_input`` (caffe mode); at least 32x32."""
    return _resnet(
        _stacks((3, 4, 6, 3)), include_top, weights, input_tensor, input_shape, pooling, classes,
        classifier_activation, name, "resnet50",
    )  # fmt: skip


def ResNet101(
    include_top: bool = True,
    weights: Any = "imagenet",
    input_tensor: Any = None,
    input_shape: Any = None,
    pooling: Optional[str] = None,
    classes: int = 1000,
    classifier_activation: Any = "softmax",
    name: str = "resnet101",
) -> Any:
    """ResNet101: ResNet50 with 23 blocks in its fourth stage."""
    return _resnet(
        _stacks((3, 4, 23, 3)), include_top, weights, input_tensor, input_shape, pooling, classes,
        classifier_activation, name, "resnet101",
    )  # fmt: skip


def ResNet152(
    include_top: bool = True,
    weights: Any = "imagenet",
    input_tensor: Any = None,
    input_shape: Any = None,
    pooling: Optional[str] = None,
    classes: int = 1000,
    classifier_activation: Any = "softmax",
    name: str = "resnet152",
) -> Any:
    """ResNet152: 8 blocks in the third stage and 36 in the fourth."""
    return _resnet(
        _stacks((3, 8, 36, 3)), include_top, weights, input_tensor, input_shape, pooling, classes,
        classifier_activation, name, "resnet152",
    )  # fmt: skip


def preprocess_input(x: Any, data_format: Optional[str] = None) -> Any:
    return _preprocess(x, data_format=data_format, mode="caffe")


def decode_predictions(preds: Any, top: int = 5) -> list:
    return _decode(preds, top=top)


preprocess_input.__doc__ = _PREPROCESS_DOC.format(mode="caffe: RGB to BGR, minus the ImageNet channel means")
decode_predictions.__doc__ = _decode.__doc__

from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())

"""``keras.applications``: the classic image-classification networks, built as Keras 3 builds them (same layer
names, order and parameter counts), with Keras's pretrained weight files read from Keras's cache.
Submodules load on first use."""

from __future__ import annotations

from ferroflow._api import lazy_getattr as _lazy_getattr
from ferroflow._api import public_dir as _public_dir

_SUBMODULES = {
    "densenet",
    "efficientnet",
    "imagenet_utils",
    "inception_v3",
    "mobilenet",
    "mobilenet_v2",
    "resnet",
    "resnet50",
    "resnet_v2",
    "vgg16",
    "vgg19",
    "xception",
}
# Top-level models: the submodule each lives in.
_NAMES = {
    "DenseNet121": "densenet",
    "DenseNet169": "densenet",
    "DenseNet201": "densenet",
    **{f"EfficientNetB{i}": "efficientnet" for i in range(8)},
    "InceptionV3": "inception_v3",
    "MobileNet": "mobilenet",
    "MobileNetV2": "mobilenet_v2",
    "ResNet50": "resnet",
    "ResNet101": "resnet",
    "ResNet152": "resnet",
    "ResNet50V2": "resnet_v2",
    "ResNet101V2": "resnet_v2",
    "ResNet152V2": "resnet_v2",
    "VGG16": "vgg16",
    "VGG19": "vgg19",
    "Xception": "xception",
}


__getattr__ = _lazy_getattr(globals(), _SUBMODULES, {name: f".{module}" for name, module in _NAMES.items()})


__dir__ = _public_dir(globals(), *_SUBMODULES, names=_NAMES)

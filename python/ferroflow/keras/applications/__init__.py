"""``keras.applications``: the classic image-classification networks, built as Keras 3 builds them (same layer
names, order and parameter counts), with Keras's pretrained weight files read from Keras's cache.
Submodules load on first use."""

from __future__ import annotations

import importlib
from typing import Any

from ferroflow._api import public_dir as _public_dir

_SUBMODULES = {
    "densenet",
    "imagenet_utils",
    "inception_v3",
    "mobilenet",
    "mobilenet_v2",
    "resnet",
    "resnet50",
    "vgg16",
    "vgg19",
    "xception",
}
# Top-level models: the submodule each lives in.
_NAMES = {
    "DenseNet121": "densenet",
    "DenseNet169": "densenet",
    "DenseNet201": "densenet",
    "InceptionV3": "inception_v3",
    "MobileNet": "mobilenet",
    "MobileNetV2": "mobilenet_v2",
    "ResNet50": "resnet",
    "ResNet101": "resnet",
    "ResNet152": "resnet",
    "VGG16": "vgg16",
    "VGG19": "vgg19",
    "Xception": "xception",
}


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        module = importlib.import_module(f".{name}", __name__)
        globals()[name] = module
        return module
    if name in _NAMES:
        value = getattr(importlib.import_module(f".{_NAMES[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'ferroflow.keras.applications' has no attribute '{name}'")


__dir__ = _public_dir(globals(), *_SUBMODULES, names=_NAMES)

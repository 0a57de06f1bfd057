"""VGG16 and VGG19 (Simonyan & Zisserman, 2014): five blocks of 3x3 convolutions and max pooling, then two
4096-unit dense layers; layer for layer as Keras 3 builds them."""

from __future__ import annotations

import functools
from typing import Any, Callable

from ferroflow.keras import layers

from . import _model_tail
from .imagenet_utils import model_functions as _model_functions

__all__ = ["build_vgg", "decode_predictions", "preprocess_input", "variant"]

_BASE_URL = "https://storage.googleapis.com/tensorflow/keras-applications/"
_HASHES = {
    "vgg16": ("64373286793e3c8b2b4e3219cbf3544b", "6d6bbae143d832006294945121d1f1fc"),
    "vgg19": ("cbe5617147190e668d6c5d5026f83318", "253f8cb515780f3b799900260a226db6"),
}
_FILTERS = (64, 128, 256, 512, 512)


def _top(x: Any) -> Any:
    """VGG's classifier before its predictions: the flattened features through two 4096-unit layers."""
    x = layers.Flatten(name="flatten")(x)
    x = layers.Dense(4096, activation="relu", name="fc1")(x)
    return layers.Dense(4096, activation="relu", name="fc2")(x)


def build_vgg(convs: tuple, weights_name: str, args: _model_tail.ModelArgs) -> Any:
    """The VGG network with ``convs[i]`` convolutions in block ``i + 1``."""
    include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation, name = args
    img_input = _model_tail.model_input(weights, include_top, classes, input_tensor, input_shape, 224, 32)
    x = img_input
    for block, (filters, count) in enumerate(zip(_FILTERS, convs), start=1):
        for i in range(1, count + 1):
            x = layers.Conv2D(filters, (3, 3), activation="relu", padding="same", name=f"block{block}_conv{i}")(x)
        x = layers.MaxPooling2D((2, 2), strides=(2, 2), name=f"block{block}_pool")(x)
    x = _model_tail.classify_or_pool(x, include_top, pooling, classes, classifier_activation, weights, head=_top)
    fname, file_hash = _model_tail.keras_h5_file(weights_name, include_top, _HASHES[weights_name])
    return _model_tail.finish(
        img_input, input_tensor, x, name, weights, fname, f"{_BASE_URL}{weights_name}/", file_hash
    )


def variant(key: str, convs: tuple, module: str, doc: str) -> Callable[..., Any]:
    """The public builder of one depth (``VGG16``, ``VGG19``), with Keras's signature and defaults."""
    build = functools.partial(build_vgg, convs, key)
    return _model_tail.public_builder(key.upper(), key, module, doc, build)


preprocess_input, decode_predictions = _model_functions(
    "caffe", "caffe: RGB to BGR, minus the ImageNet channel means", __name__
)

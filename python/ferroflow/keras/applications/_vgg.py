"""VGG16 and VGG19 (Simonyan & Zisserman, 2014): five blocks of 3x3 convolutions and max pooling, then two
4096-unit dense layers; layer for layer as Keras 3 builds them."""

from __future__ import annotations

from typing import Any, Optional

from ferroflow.keras import backend, layers

from . import _util
from .imagenet_utils import _PREPROCESS_DOC
from .imagenet_utils import decode_predictions as _decode
from .imagenet_utils import preprocess_input as _preprocess

__all__ = ["build_vgg", "decode_predictions", "preprocess_input"]

_BASE_URL = "https://storage.googleapis.com/tensorflow/keras-applications/"
_HASHES = {
    "vgg16": ("64373286793e3c8b2b4e3219cbf3544b", "6d6bbae143d832006294945121d1f1fc"),
    "vgg19": ("cbe5617147190e668d6c5d5026f83318", "253f8cb515780f3b799900260a226db6"),
}
_FILTERS = (64, 128, 256, 512, 512)


def build_vgg(
    convs: tuple,
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
    """The VGG network with ``convs[i]`` convolutions in block ``i + 1``."""
    _util.check_weights_args(weights, include_top, classes)
    input_shape = _util.obtain_input_shape(
        input_shape, 224, 32, backend.image_data_format(), require_flatten=include_top, weights=weights
    )
    img_input = _util.make_input(input_tensor, input_shape)
    x = img_input
    for block, (filters, count) in enumerate(zip(_FILTERS, convs), start=1):
        for i in range(1, count + 1):
            x = layers.Conv2D(filters, (3, 3), activation="relu", padding="same", name=f"block{block}_conv{i}")(x)
        x = layers.MaxPooling2D((2, 2), strides=(2, 2), name=f"block{block}_pool")(x)
    if include_top:
        x = layers.Flatten(name="flatten")(x)
        x = layers.Dense(4096, activation="relu", name="fc1")(x)
        x = layers.Dense(4096, activation="relu", name="fc2")(x)
        _util.validate_activation(classifier_activation, weights)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    elif pooling == "avg":
        x = layers.GlobalAveragePooling2D()(x)
    elif pooling == "max":
        x = layers.GlobalMaxPooling2D()(x)
    model = _util.build_model(img_input, input_tensor, x, name)
    suffix, file_hash = ("", _HASHES[weights_name][0]) if include_top else ("_notop", _HASHES[weights_name][1])
    fname = f"{weights_name}_weights_tf_dim_ordering_tf_kernels{suffix}.h5"
    _util.load_weights(model, weights, fname, f"{_BASE_URL}{weights_name}/", file_hash)
    return model


def preprocess_input(x: Any, data_format: Optional[str] = None) -> Any:
    return _preprocess(x, data_format=data_format, mode="caffe")


def decode_predictions(preds: Any, top: int = 5) -> list:
    return _decode(preds, top=top)


preprocess_input.__doc__ = _PREPROCESS_DOC.format(mode="caffe: RGB to BGR, minus the ImageNet channel means")
decode_predictions.__doc__ = _decode.__doc__

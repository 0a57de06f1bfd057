"""``keras.applications.vgg16``: VGG16 and its preprocessing (caffe mode)."""

from __future__ import annotations

from typing import Any, Optional

from ._vgg import build_vgg as _build
from ._vgg import decode_predictions, preprocess_input

__all__ = ["VGG16", "decode_predictions", "preprocess_input"]


def VGG16(
    include_top: bool = True,
    weights: Any = "imagenet",
    input_tensor: Any = None,
    input_shape: Any = None,
    pooling: Optional[str] = None,
    classes: int = 1000,
    classifier_activation: Any = "softmax",
    name: str = "vgg16",
) -> Any:
    """VGG16 (138,357,544 parameters with the 1000-class top). Inputs: images preprocessed by
    ``vgg16.preprocess_input`` (caffe mode); at least 32x32."""
    return _build(
        (2, 2, 3, 3, 3), include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation,
        name, "vgg16",
    )  # fmt: skip


from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())

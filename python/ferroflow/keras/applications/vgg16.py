"""``keras.applications.vgg16``: VGG16 and its preprocessing (caffe mode)."""

from __future__ import annotations

from ._vgg import decode_predictions, preprocess_input
from ._vgg import variant as _variant

__all__ = ["VGG16", "decode_predictions", "preprocess_input"]


VGG16 = _variant(
    "vgg16",
    (2, 2, 3, 3, 3),
    __name__,
    """VGG16 (138,357,544 parameters with the 1000-class top). Inputs: images preprocessed by
    ``vgg16.preprocess_input`` (caffe mode); at least 32x32.""",
)


from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())

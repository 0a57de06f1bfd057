"""``keras.applications.vgg19``: VGG19 and its preprocessing (caffe mode)."""

from __future__ import annotations

from ._vgg import decode_predictions, preprocess_input
from ._vgg import variant as _variant

__all__ = ["VGG19", "decode_predictions", "preprocess_input"]


VGG19 = _variant(
    "vgg19",
    (2, 2, 4, 4, 4),
    __name__,
    """VGG19 (143,667,240 parameters with the 1000-class top). Inputs: images preprocessed by
    ``vgg19.preprocess_input`` (caffe mode); at least 32x32.""",
)


from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())

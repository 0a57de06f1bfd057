"""``keras.applications.resnet50``: ResNet50 and its preprocessing, as Keras 3 exports them under this name."""

from __future__ import annotations

from .resnet import ResNet50, decode_predictions, preprocess_input

__all__ = ["ResNet50", "decode_predictions", "preprocess_input"]

from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())

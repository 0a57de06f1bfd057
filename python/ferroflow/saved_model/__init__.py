"""``tf.saved_model``: save Keras models and ``tf.Module``s with their signatures, ``tf.function``s, variables
and assets to a directory, and load them back (no code from the directory runs). The format is the one
``Model.export`` writes, which Rust's ``ferroflow_core::serving`` loads; see docs/saved_model.md."""

from __future__ import annotations

from ._format import (
    ASSETS_DIRECTORY,
    DEFAULT_SERVING_SIGNATURE_DEF_KEY,
    PREDICT_METHOD_NAME,
    SERVING,
)
from ._load import contains_saved_model, load
from ._objects import Asset, LoadOptions, SaveOptions
from ._save import save

PREDICT_INPUTS = "inputs"
PREDICT_OUTPUTS = "outputs"
TRAINING = "train"

__all__ = [
    "ASSETS_DIRECTORY",
    "Asset",
    "DEFAULT_SERVING_SIGNATURE_DEF_KEY",
    "LoadOptions",
    "PREDICT_INPUTS",
    "PREDICT_METHOD_NAME",
    "PREDICT_OUTPUTS",
    "SERVING",
    "SaveOptions",
    "TRAINING",
    "contains_saved_model",
    "load",
    "save",
]

from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())

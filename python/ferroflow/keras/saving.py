"""``keras.saving``: ``load_model``, ``save_model`` and the registry of custom classes."""

from __future__ import annotations

from ..models.registry import get_registered_object, register_keras_serializable
from ..models.saving_api import load_model, save_model

__all__ = ["get_registered_object", "load_model", "register_keras_serializable", "save_model"]

from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())

"""``tf.compat.v1.saved_model``: TF1's SavedModel constants (``tag_constants``, ``signature_constants`` and
the directory and file names) and ``tf.saved_model``'s format-independent helpers. TF1's session-based
``Builder``, ``simple_save`` and ``loader`` are not provided: ferroflow saves and loads SavedModels through
``tf.saved_model.save`` / ``load``, which TF1's ``load(sess, tags, export_dir)`` does not match."""

from __future__ import annotations

from typing import Any

from . import saved_model_signature_constants as signature_constants  # noqa: F401
from . import saved_model_tag_constants as tag_constants  # noqa: F401
from .saved_model_signature_constants import *  # noqa: F401, F403
from .saved_model_tag_constants import *  # noqa: F401, F403

ASSETS_DIRECTORY = "assets"
ASSETS_KEY = "saved_model_assets"
DEBUG_DIRECTORY = "debug"
DEBUG_INFO_FILENAME_PB = "saved_model_debug_info.pb"
LEGACY_INIT_OP_KEY = "legacy_init_op"
MAIN_OP_KEY = "saved_model_main_op"
SAVED_MODEL_FILENAME_PB = "saved_model.pb"
SAVED_MODEL_FILENAME_PBTXT = "saved_model.pbtxt"
SAVED_MODEL_SCHEMA_VERSION = 1
VARIABLES_DIRECTORY = "variables"
VARIABLES_FILENAME = "variables"

_SHARED = ("contains_saved_model", "Asset", "SaveOptions", "LoadOptions")


def __getattr__(name: str) -> Any:
    if name in _SHARED:
        from ... import saved_model

        return getattr(saved_model, name)
    raise AttributeError(f"module 'ferroflow.compat.v1.saved_model' has no attribute '{name}'")


def maybe_saved_model_directory(export_dir: Any) -> bool:
    """Whether ``export_dir`` looks like a SavedModel directory (``contains_saved_model``)."""
    from ... import saved_model

    return saved_model.contains_saved_model(export_dir)


def __dir__() -> list:
    names = [n for n, v in globals().items() if not n.startswith("_") and (isinstance(v, (str, int)) or callable(v))]
    return sorted(set(names) - {"annotations", "Any"} | set(_SHARED) | {"signature_constants", "tag_constants"})

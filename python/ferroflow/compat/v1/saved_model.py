"""``tf.compat.v1.saved_model``: TF1's session-based SavedModel API (``Builder``, ``simple_save``, ``load`` /
``loader.load``, signature and tensor-info helpers, ``main_op``), its constants (``tag_constants``,
``signature_constants``, directory and file names) and ``tf.saved_model``'s format-independent helpers.

A directory the ``Builder`` writes is also a ferroflow SavedModel: ``tf.saved_model.load`` and the
``ferroflow-saved-model`` CLI serve the signatures whose graphs the format can hold (see
saved_model_layout.py and docs/saved_model.md)."""

from __future__ import annotations

from typing import Any

from . import saved_model_builder as builder  # noqa: F401
from . import saved_model_loader as loader  # noqa: F401
from . import saved_model_main_op as main_op  # noqa: F401
from . import saved_model_signature_constants as signature_constants  # noqa: F401
from . import saved_model_signature_def_utils as signature_def_utils  # noqa: F401
from . import saved_model_tag_constants as tag_constants  # noqa: F401
from . import saved_model_utils as utils  # noqa: F401
from .saved_model_builder import Builder, simple_save  # noqa: F401
from .saved_model_loader import load, maybe_saved_model_directory  # noqa: F401
from .saved_model_main_op import main_op_with_restore  # noqa: F401
from .saved_model_signature_constants import *  # noqa: F401, F403
from .saved_model_signature_def_utils import (  # noqa: F401
    build_signature_def,
    classification_signature_def,
    is_valid_signature,
    predict_signature_def,
    regression_signature_def,
)
from .saved_model_tag_constants import *  # noqa: F401, F403
from .saved_model_utils import build_tensor_info, get_tensor_from_tensor_info  # noqa: F401

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

# tf.saved_model's names that TensorFlow lists here too (load_v2 is tf.saved_model.load).
_SHARED = {
    "contains_saved_model": "contains_saved_model",
    "Asset": "Asset",
    "SaveOptions": "SaveOptions",
    "LoadOptions": "LoadOptions",
    "save": "save",
    "load_v2": "load",
}
_MODULES = ("builder", "loader", "main_op", "signature_constants", "signature_def_utils", "tag_constants", "utils")


def __getattr__(name: str) -> Any:
    if name in _SHARED:
        from ... import saved_model

        return getattr(saved_model, _SHARED[name])
    raise AttributeError(f"module 'ferroflow.compat.v1.saved_model' has no attribute '{name}'")


def __dir__() -> list:
    names = [n for n, v in globals().items() if not n.startswith("_") and (isinstance(v, (str, int)) or callable(v))]
    return sorted(set(names) - {"annotations", "Any"} | set(_SHARED) | set(_MODULES))

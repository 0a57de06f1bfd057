"""``ferroflow.keras``: the Keras 3 API (``from ferroflow import keras``). Submodules load on first use."""

from __future__ import annotations

from ferroflow._api import lazy_getattr as _lazy_getattr
from ferroflow._api import public_dir as _public_dir

__version__ = "3.0.0"

_SUBMODULES = {
    "activations",
    "applications",
    "backend",
    "callbacks",
    "config",
    "constraints",
    "datasets",
    "export",
    "initializers",
    "layers",
    "losses",
    "metrics",
    "mixed_precision",
    "models",
    "ops",
    "random",
    "optimizers",
    "preprocessing",
    "regularizers",
    "saving",
    "utils",
}
# Top-level names: where they live.
_NAMES = {
    "DTypePolicy": "ferroflow.layers.dtype_policy",
    "FloatDTypePolicy": "ferroflow.layers.dtype_policy",
    "Input": "ferroflow.layers",
    "InputSpec": "ferroflow.layers",
    "KerasTensor": "ferroflow.layers",
    "Layer": "ferroflow.layers",
    "Model": "ferroflow.models",
    "Sequential": "ferroflow.models",
    "Variable": "ferroflow.layers.keras_variable",
}


__getattr__ = _lazy_getattr(globals(), _SUBMODULES, _NAMES)
__dir__ = _public_dir(globals(), *_SUBMODULES, names=_NAMES)

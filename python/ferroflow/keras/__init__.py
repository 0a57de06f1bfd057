"""``ferroflow.keras``: the Keras 3 API (``from ferroflow import keras``). Submodules load on first use."""

from __future__ import annotations

import importlib
from typing import Any

from ferroflow._api import public_dir as _public_dir

__version__ = "3.0.0"

_SUBMODULES = {
    "activations",
    "applications",
    "backend",
    "callbacks",
    "constraints",
    "datasets",
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
    "Variable": "ferroflow.framework.variables",
}


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        module = importlib.import_module(f".{name}", __name__)
        globals()[name] = module
        return module
    if name in _NAMES:
        value = getattr(importlib.import_module(_NAMES[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'ferroflow.keras' has no attribute '{name}'")


__dir__ = _public_dir(globals(), *_SUBMODULES, names=_NAMES)

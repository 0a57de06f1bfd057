"""``tf.compat``: the TensorFlow 1 API (``compat.v1``) and the TensorFlow 2 one (``compat.v2``).

``v1`` loads on first use, so ``import ferroflow`` stays light.
"""

from __future__ import annotations

import importlib
from typing import Any

from ferroflow._api import public_dir as _public_dir


def __getattr__(name: str) -> Any:
    if name == "v1":
        module = importlib.import_module(".v1", __name__)
        globals()["v1"] = module
        return module
    if name == "v2":
        return importlib.import_module("ferroflow")
    raise AttributeError(f"module 'ferroflow.compat' has no attribute '{name}'")


__dir__ = _public_dir(globals(), "v1", "v2")

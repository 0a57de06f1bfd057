"""``keras.regularizers``: the names of ``ferroflow.regularizers`` (where it exists)."""

from __future__ import annotations

import importlib
from typing import Any

_target = importlib.import_module("ferroflow.regularizers")
globals().update({k: v for k, v in vars(_target).items() if not k.startswith("_")})


def __getattr__(name: str) -> Any:
    return getattr(_target, name)


def __dir__() -> list:
    return dir(_target)

"""``keras.constraints``: the names of ``ferroflow.constraints``."""

from __future__ import annotations

import importlib
from typing import Any

_target = importlib.import_module("ferroflow.constraints")
globals().update({k: v for k, v in vars(_target).items() if not k.startswith("_")})


def __getattr__(name: str) -> Any:
    return getattr(_target, name)


def __dir__() -> list:
    return dir(_target)

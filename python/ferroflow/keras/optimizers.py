"""``keras.optimizers``: the names of ``ferroflow.optimizers``."""

from __future__ import annotations

import importlib
import sys
from typing import Any

_target = importlib.import_module("ferroflow.optimizers")
globals().update({k: v for k, v in vars(_target).items() if not k.startswith("_")})
# `from ferroflow.keras.optimizers.schedules import ExponentialDecay` finds the submodule here.
sys.modules[__name__ + ".schedules"] = _target.schedules


def __getattr__(name: str) -> Any:
    return getattr(_target, name)


def __dir__() -> list:
    return dir(_target)

"""``keras.optimizers``: SGD, Adam, AdamW, RMSprop, Adagrad, Ftrl, Adadelta, Adamax, Nadam, Lamb, Lion, Adafactor,
Muon, ScheduleFreeAdamW, learning-rate ``schedules``, and name lookup.

``get("adam")`` resolves Keras's identifiers (lowercase names, class names, config dicts, instances).
"""

from __future__ import annotations

import inspect
from typing import Any, Optional

from . import schedules
from .adadelta import Adadelta
from .adafactor import Adafactor
from .adagrad import Adagrad
from .adam import Adam, AdamW
from .adamax import Adamax
from .base_optimizer import Optimizer
from .ftrl import Ftrl
from .lamb import Lamb
from .lion import Lion
from .loss_scale_optimizer import LossScaleOptimizer
from .muon import Muon
from .nadam import Nadam
from .rmsprop import RMSprop
from .schedule_free_adamw import ScheduleFreeAdamW
from .sgd import SGD

_CLASSES = (Optimizer, SGD, Adam, AdamW, RMSprop, Adagrad, Ftrl, Adadelta, Adamax, Nadam, Lamb, Lion, Adafactor,
            Muon, ScheduleFreeAdamW, LossScaleOptimizer)
# Keras accepts both the class name and its lowercase form.
ALL_OBJECTS_DICT = {cls.__name__: cls for cls in _CLASSES}
ALL_OBJECTS_DICT.update({cls.__name__.lower(): cls for cls in _CLASSES})


def serialize(optimizer: Optimizer) -> dict:
    """Keras's serialized form: ``{"module", "class_name", "config", "registered_name"}``."""
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"serialize expects an Optimizer, received {type(optimizer).__name__}: {optimizer!r}")
    cls = optimizer.__class__
    builtin = ALL_OBJECTS_DICT.get(cls.__name__) is cls
    return {
        "module": "keras.optimizers" if builtin else cls.__module__,
        "class_name": cls.__name__,
        "config": optimizer.get_config(),
        "registered_name": None if builtin else cls.__name__,
    }


def deserialize(config: dict, custom_objects: Optional[dict] = None, use_legacy_format: bool = False) -> Optimizer:
    """Builds an optimizer from ``serialize``'s dict; ``class_name`` may be a class name or Keras's lowercase one."""
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(
            f"deserialize expects a dict with 'class_name' and 'config' keys, received {type(config).__name__}: "
            f"{config!r}"
        )
    name = config["class_name"]
    custom = custom_objects or {}
    cls = custom.get(name) or ALL_OBJECTS_DICT.get(name) or ALL_OBJECTS_DICT.get(str(name).lower())
    if cls is None or cls is Optimizer:
        valid = sorted({c.__name__.lower() for c in _CLASSES if c is not Optimizer})
        raise ValueError(
            f"Could not interpret optimizer identifier: '{name}'. Expected one of {valid} (or the class names "
            f"{[ALL_OBJECTS_DICT[v].__name__ for v in valid]}), an Optimizer instance, or a config dict."
        )
    inner = dict(config.get("config") or {})
    # A user class may define from_config(config) without custom_objects.
    if "custom_objects" in inspect.signature(cls.from_config).parameters:
        return cls.from_config(inner, custom_objects=custom_objects)
    return cls.from_config(inner)


def get(identifier: Any) -> Optional[Optimizer]:
    """An optimizer from a name (``"adam"``, ``"SGD"``), a config dict, or an instance (returned as is)."""
    if identifier is None:
        return None
    if isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str):
        return deserialize({"class_name": identifier, "config": {}})
    raise ValueError(
        f"Could not interpret optimizer identifier: {identifier!r} (expected a name such as 'adam', a config "
        "dict, or an Optimizer instance)"
    )


__all__ = [
    "Optimizer",
    "SGD",
    "Adam",
    "AdamW",
    "RMSprop",
    "Adagrad",
    "Ftrl",
    "Adadelta",
    "Adamax",
    "Nadam",
    "Lamb",
    "Lion",
    "Adafactor",
    "Muon",
    "ScheduleFreeAdamW",
    "LossScaleOptimizer",
    "schedules",
    "get",
    "serialize",
    "deserialize",
]

from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals(), "schedules")

"""Resolving identifiers (``"relu"``, ``"glorot_uniform"``, objects, configs) through the Keras modules."""

from __future__ import annotations

import importlib
from typing import Any, Callable, Optional


def _module(name: str) -> Any:
    return importlib.import_module(f"ferroflow.{name}")


def activation(identifier: Any) -> Callable:
    return _module("activations").get(identifier)


def initializer(identifier: Any) -> Any:
    return _module("initializers").get(identifier)


def regularizer(identifier: Any) -> Optional[Any]:
    return _module("regularizers").get(identifier)


def constraint(identifier: Any) -> Optional[Any]:
    return _module("constraints").get(identifier)


def serialize(obj: Any) -> Any:
    """A JSON-friendly form of an activation/initializer/regularizer: its name or a class config."""
    if obj is None or isinstance(obj, (str, int, float, bool)):
        return obj
    if hasattr(obj, "get_config"):
        return {"module": type(obj).__module__, "class_name": type(obj).__name__, "config": obj.get_config()}
    name = getattr(obj, "__name__", None)
    if name is not None:
        return name
    raise TypeError(f"cannot serialize {obj!r}: give it a get_config() or use a registered name")


def serialize_activation(fn: Any) -> Any:
    try:
        return _module("activations").serialize(fn)
    except (ValueError, TypeError):  # objects with a config (e.g. a layer) use the generic form
        return serialize(fn)


def serialize_initializer(obj: Any) -> Any:
    try:
        return _module("initializers").serialize(obj)
    except (ValueError, TypeError):  # objects with a config (e.g. a layer) use the generic form
        return serialize(obj)

"""Custom classes and functions known to loading by name (``keras.saving.register_keras_serializable``,
``custom_object_scope``).

As in Keras 3, the registry (``get_custom_objects()``) is keyed by the registered name ``"package>name"``;
lookups by the bare name are also answered, so configs written without a ``registered_name`` still load.
"""

from __future__ import annotations

import threading
from typing import Any, Callable, Optional

_CUSTOM: dict = {}
_SCOPES = threading.local()


def register_keras_serializable(package: str = "Custom", name: Optional[str] = None) -> Callable:
    """Decorator: lets loading rebuild the class (or find the function) from its config without
    ``custom_objects``; the object's registered name is ``"package>name"`` (``name`` defaults to its own)."""

    def decorator(obj: Any) -> Any:
        registered = f"{package}>{name or obj.__name__}"
        if isinstance(obj, type) and not hasattr(obj, "get_config"):
            raise ValueError("Cannot register a class that does not have a get_config() method.")
        _CUSTOM[registered] = obj
        obj._registered_name = registered
        return obj

    return decorator


def get_custom_objects() -> dict:
    """The registry itself (mutable, as in Keras: ``get_custom_objects().clear()`` forgets every registration)."""
    return _CUSTOM


def get_registered_name(obj: Any) -> str:
    """The name ``obj`` was registered under, else its own ``__name__``."""
    for key, value in _CUSTOM.items():
        if value is obj:
            return key
    return obj.__name__


def _scoped() -> dict:
    merged: dict = {}
    for objects in getattr(_SCOPES, "stack", []):
        merged.update(objects)
    return merged


def custom_objects() -> dict:
    """Every object known by name now: the registry (under ``"package>name"`` and the bare name) and the
    open ``custom_object_scope``s."""
    known = {key.split(">", 1)[-1]: obj for key, obj in _CUSTOM.items()}
    known.update(_CUSTOM)
    known.update(_scoped())
    return known


def get_registered_object(
    name: str, custom_objects: Optional[dict] = None, module_objects: Optional[dict] = None
) -> Any:
    """The object called ``name``: open scopes, then the registry, then ``custom_objects``, then
    ``module_objects`` (Keras's order); None when none knows it."""
    scoped = _scoped()
    if name in scoped:
        return scoped[name]
    if name in _CUSTOM:
        return _CUSTOM[name]
    if custom_objects and name in custom_objects:
        return custom_objects[name]
    if module_objects and name in module_objects:
        return module_objects[name]
    for key, obj in _CUSTOM.items():
        if key.split(">", 1)[-1] == name:
            return obj
    return None


class CustomObjectScope:
    """``with CustomObjectScope({"MyLayer": MyLayer}):`` makes the objects known by name to loading and
    deserialization inside the block (scopes nest; the innermost wins)."""

    def __init__(self, custom_objects: Optional[dict] = None) -> None:
        if custom_objects is not None and not isinstance(custom_objects, dict):
            raise TypeError(f"`custom_objects` must be a `dict`. Received: custom_objects={custom_objects}")
        self.custom_objects = custom_objects or {}

    def __enter__(self) -> CustomObjectScope:
        if not hasattr(_SCOPES, "stack"):
            _SCOPES.stack = []
        _SCOPES.stack.append(self.custom_objects)
        return self

    def __exit__(self, *exc: Any) -> None:
        _SCOPES.stack.pop()


custom_object_scope = CustomObjectScope

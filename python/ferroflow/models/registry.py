"""Custom classes known to ``load_model`` by name (``keras.saving.register_keras_serializable``)."""

from __future__ import annotations

from typing import Any, Callable, Optional

_CUSTOM: dict = {}


def register_keras_serializable(package: str = "Custom", name: Optional[str] = None) -> Callable:
    """Class decorator: lets ``load_model`` rebuild the class from its config without ``custom_objects``."""

    def decorator(obj: Any) -> Any:
        key = name or obj.__name__
        _CUSTOM[key] = obj
        _CUSTOM[f"{package}>{key}"] = obj
        obj._registered_name = f"{package}>{key}"
        return obj

    return decorator


def custom_objects() -> dict:
    return dict(_CUSTOM)


def get_registered_object(name: str, custom_objects: Optional[dict] = None) -> Any:
    return (custom_objects or {}).get(name) or _CUSTOM.get(name)

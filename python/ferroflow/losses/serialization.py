"""``get``, ``serialize`` and ``deserialize`` of losses, with the generic lookup that metrics reuse."""

from __future__ import annotations

import inspect
from typing import Any, Callable, Optional


def _custom(name: str, custom_objects: Optional[dict]) -> Any:
    if custom_objects and name in custom_objects:
        return custom_objects[name]
    try:
        from ..models.registry import get_registered_object
    except ImportError:
        return None
    return get_registered_object(name)


def lookup(name: str, table: dict, kind: str, custom_objects: Optional[dict] = None) -> Any:
    """The class or function called ``name``; an unknown name raises ``ValueError`` listing the known ones."""
    obj = table.get(name)
    if obj is None:
        obj = _custom(name, custom_objects)
    if obj is None:
        raise ValueError(
            f"Could not interpret {kind} identifier: {name!r}. Expected one of: {', '.join(sorted(table))}; "
            "or a callable, or a config dict."
        )
    return obj


def serialize_object(obj: Any, module: str) -> Any:
    """Keras's config dict of a class instance (``class_name`` + ``config``) or a function (by name)."""
    if obj is None or isinstance(obj, str):
        return obj
    if inspect.isfunction(obj) or inspect.isbuiltin(obj):
        name = obj.__name__
        return {"module": module, "class_name": "function", "config": name, "registered_name": name}
    if not hasattr(obj, "get_config"):
        raise TypeError(f"cannot serialize {obj!r}: expected an object with get_config() or a function")
    cls = type(obj)
    registered = getattr(cls, "_registered_name", None)
    return {
        "module": module if cls.__module__.startswith("ferroflow.") else cls.__module__,
        "class_name": cls.__name__,
        "config": obj.get_config(),
        "registered_name": registered,
    }


def deserialize_object(config: Any, table: dict, kind: str, custom_objects: Optional[dict] = None) -> Any:
    """Rebuilds what ``serialize_object`` wrote (a name string is looked up as is)."""
    if isinstance(config, str):
        return lookup(config, table, kind, custom_objects)
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(f"Expected a {kind} config dict with a 'class_name' key, received {config!r:.200}")
    class_name = config["class_name"]
    if class_name == "function":
        return lookup(config["config"], table, kind, custom_objects)
    name = config.get("registered_name") or class_name
    try:
        cls = lookup(class_name, table, kind, custom_objects)
    except ValueError:
        cls = lookup(name, table, kind, custom_objects)
    inner = config.get("config") or {}
    if not inspect.isclass(cls):
        return cls
    return cls.from_config(dict(inner))


def get_object(identifier: Any, table: dict, kind: str, base: type) -> Any:
    """Keras's ``get``: names (classes are instantiated with defaults), config dicts and callables."""
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        obj = deserialize_object(identifier, table, kind)
    elif isinstance(identifier, str):
        obj = lookup(identifier, table, kind)
    else:
        obj = identifier
    if callable(obj):
        return obj() if inspect.isclass(obj) else obj
    raise ValueError(f"Could not interpret {kind} identifier: {identifier!r}; expected a name, a callable or a dict")


def _table() -> dict:
    from . import ALL_OBJECTS_DICT

    return ALL_OBJECTS_DICT


def serialize(loss: Any) -> Any:
    """The config of a loss instance or loss function, as ``keras.losses.serialize``."""
    return serialize_object(loss, "keras.losses")


def deserialize(name: Any, custom_objects: Optional[dict] = None) -> Any:
    """A loss from ``serialize``'s output (or a name), as ``keras.losses.deserialize``."""
    return deserialize_object(name, _table(), "loss", custom_objects)


def get(identifier: Any) -> Optional[Callable]:
    """A loss from a name (``"mse"``, ``"MeanSquaredError"``), a config dict or a callable."""
    from .loss import Loss

    return get_object(identifier, _table(), "loss", Loss)

"""One kind of named Keras object (constraints, regularizers, initializers): lookup and (de)serialization.

Each of those modules has the same ``get``/``serialize``/``deserialize`` contract with Keras's names, its
config dict format and ``register_keras_serializable`` custom objects; this table implements it once.
"""

from __future__ import annotations

import inspect
from typing import Any, Optional


class ObjectTable:
    """The names of one kind of object (``kind="constraint"``) and Keras's config format for them."""

    def __init__(self, kind: str, base_class_name: str, keras_module: str, objects: dict) -> None:
        self.kind = kind
        self.base_class_name = base_class_name
        self.keras_module = keras_module
        self.objects = objects

    def lookup(self, name: str, custom_objects: Optional[dict] = None) -> Any:
        """The class or function called ``name``: custom objects first, then built-ins, then registered ones."""
        if custom_objects and name in custom_objects:
            return custom_objects[name]
        obj = self.objects.get(name)
        if obj is None:
            from ..models.registry import get_registered_object

            obj = get_registered_object(name)
        if obj is None:
            raise ValueError(
                f"Could not interpret {self.kind} identifier: {name!r}. "
                f"Expected one of {sorted(self.objects)} or a registered custom {self.kind}."
            )
        return obj

    def serialize(self, obj: Any) -> Optional[dict]:
        """Keras's config dict: ``{"module", "class_name", "config", "registered_name"}``."""
        if obj is None:
            return None
        if not hasattr(obj, "get_config"):
            raise ValueError(
                f"Cannot serialize {self.kind} {obj!r}: expected a {self.base_class_name} (with get_config)"
            )
        return self.serialize_instance(obj)

    def serialize_instance(self, obj: Any) -> dict:
        cls = type(obj)
        builtin = self.objects.get(cls.__name__) is cls
        return {
            "module": self.keras_module if builtin else cls.__module__,
            "class_name": cls.__name__,
            "config": obj.get_config(),
            "registered_name": None if builtin else getattr(cls, "_registered_name", cls.__name__),
        }

    def deserialize(self, config: Any, custom_objects: Optional[dict] = None) -> Any:
        """An object from a name (default arguments) or a config dict made by ``serialize``."""
        if isinstance(config, str):
            obj = self.lookup(config, custom_objects)
            return obj() if inspect.isclass(obj) else obj
        self.check_config(config)
        name = config["class_name"]
        if name not in self.objects and config.get("registered_name"):
            name = config["registered_name"]
        return self.lookup(name, custom_objects).from_config(dict(config.get("config") or {}))

    def check_config(self, config: Any) -> None:
        if not isinstance(config, dict) or "class_name" not in config:
            raise ValueError(
                f"Could not interpret {self.kind} identifier: {config!r}. "
                "Expected a name or a dict with 'class_name'."
            )

    def get(self, identifier: Any, deserialize: Any, expected: str) -> Any:
        """Resolves None, a name, a config dict (through ``deserialize``), a class or a callable."""
        if identifier is None:
            return None
        if isinstance(identifier, (str, dict)):
            return deserialize(identifier)
        if inspect.isclass(identifier):
            return identifier()
        if callable(identifier):
            return identifier
        raise ValueError(f"Could not interpret {self.kind} identifier: {identifier!r}. Expected {expected}.")

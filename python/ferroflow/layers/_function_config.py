"""Plain functions inside a layer's config (``TextVectorization``'s ``standardize`` and ``split`` callables), in
Keras 3's saved form ``{"module": "builtins", "class_name": "function", "config": <name>, "registered_name":
"function"}``: the name is the one ``register_keras_serializable`` gave (``"package>name"``), else the function's
``__name__``, so a file written here loads in Keras and the other way round."""

from __future__ import annotations

from typing import Any, Callable, Optional


def serialize_function(fn: Callable) -> dict:
    """The config entry of ``fn``, as Keras 3 writes it."""
    name = getattr(fn, "_registered_name", None) or getattr(fn, "__name__", None)
    if name is None:
        raise ValueError(
            f"Cannot serialize {fn!r}: expected a function with a __name__ (decorate it with "
            f"`@keras.saving.register_keras_serializable()`), received an object of type {type(fn).__name__}"
        )
    return {"module": "builtins", "class_name": "function", "config": name, "registered_name": "function"}


def is_function_config(value: Any) -> bool:
    return isinstance(value, dict) and value.get("class_name") == "function"


def deserialize_function(config: dict, custom_objects: Optional[dict] = None) -> Callable:
    """The function ``config`` names: from ``custom_objects``, else from the registered functions; a function that
    is neither raises Keras's ``TypeError``."""
    from ..models.registry import get_registered_object

    name = config.get("config")
    fn = get_registered_object(name, custom_objects) if isinstance(name, str) else None
    if fn is None and isinstance(name, str) and ">" in name:  # registered under another package, or given bare
        fn = get_registered_object(name.split(">", 1)[1], custom_objects)
    if fn is None:
        raise TypeError(
            f"Could not locate function '{name}'. Make sure custom classes and functions are decorated with "
            "`@keras.saving.register_keras_serializable()`. If they are already decorated, make sure they are all "
            "imported so that the decorator is run before trying to load them. "
            f"Full object config: {config}"
        )
    return fn

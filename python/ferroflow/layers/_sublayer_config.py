"""The config of a layer held by another (an RNN's cell, a wrapper's layer), in Keras 3's nested form."""

from __future__ import annotations

from typing import Any, Optional


def serialize_sublayer(layer: Any) -> dict:
    """``{"module", "class_name", "config", "registered_name"}`` of ``layer``, as Keras nests it."""
    from . import serialize

    return dict(serialize(layer), registered_name=getattr(type(layer), "_registered_name", None))


def deserialize_sublayer(config: Any, custom_objects: Optional[dict] = None) -> Any:
    """The layer a nested config describes (built-in, registered, or in ``custom_objects``)."""
    from ..saving.keras3_config import translate_model_config
    from . import Layer, deserialize

    if isinstance(config, Layer):
        return config
    if isinstance(config, dict) and isinstance(config.get("class_name"), str):
        # A config written by Keras 3 (a .keras file) nests Keras's own encodings: translate each level.
        config = translate_model_config(config, custom_objects)
    return deserialize(config, custom_objects)


def _classes(layer: Any, found: dict) -> dict:
    found.setdefault(type(layer).__name__, type(layer))
    for sub in getattr(layer, "_layers", ()):
        _classes(sub, found)
    return found


def clone_layer(layer: Any, **overrides: Any) -> Any:
    """A new, unbuilt layer with ``layer``'s config changed by ``overrides`` (user-written classes included)."""
    from . import deserialize

    config = dict(layer.get_config(), **overrides)
    return deserialize({"class_name": type(layer).__name__, "config": config}, _classes(layer, {}))

"""``keras.layers.serialize`` / ``deserialize``: layers (and models) as ``{"module", "class_name", "config"}``."""

from __future__ import annotations

import inspect
from typing import Any, Optional

from .base_layer import Layer


def serialize(layer: Layer) -> dict:
    """``{"module", "class_name", "config"}``, the form ``deserialize`` and saved models use. A custom layer
    is written as Keras 3's ``serialize_keras_object`` writes it: Keras objects in its config serialized in
    turn, and its ``registered_name`` (``"package>name"``, else the class name)."""
    if not type(layer).__module__.startswith("ferroflow."):
        from ..saving.serialization_lib import serialize_keras_object

        return serialize_keras_object(layer)
    return {"module": "keras.layers", "class_name": type(layer).__name__, "config": layer.get_config()}


def class_registry() -> dict:
    """The classes ``deserialize`` finds by name: every class ``keras.layers`` exports, and the models."""
    from .. import layers, models

    classes = {name: getattr(layers, name) for name in layers.__all__ if isinstance(getattr(layers, name), type)}
    classes.update(Sequential=models.Sequential, Model=models.Model, Functional=models.Model)
    from ._feature_space_specs import TFDIdentity
    from .feature_space import FeatureSpace  # keras.utils.FeatureSpace, which saves as a layer

    classes.update(FeatureSpace=FeatureSpace, TFDIdentity=TFDIdentity)
    return classes


def deserialize(config: dict, custom_objects: Optional[dict] = None) -> Any:
    """Rebuilds a layer (or model) from ``serialize``'s output; custom classes come from ``custom_objects``."""
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(f"Expected a dict with a 'class_name' key to deserialize a layer, received {config!r:.200}")
    name = config["class_name"]
    registered = config.get("registered_name") or name
    custom = custom_objects or {}
    known = custom_registry()
    cls = (
        custom.get(name)
        or custom.get(registered)
        or class_registry().get(name)
        or known.get(registered)
        or known.get(name)
    )
    if cls is None:
        raise TypeError(
            f"Could not locate class '{name}'. Make sure custom classes are decorated with "
            f"`@keras.saving.register_keras_serializable()` or passed via `custom_objects`. "
            f"Full object config: {config}"
        )
    inner = dict(config.get("config", {}))
    if "custom_objects" in inspect.signature(cls.from_config).parameters:
        instance = cls.from_config(inner, custom_objects=custom_objects)
    else:
        instance = cls.from_config(inner)
    # As Keras's deserialize_keras_object: a saved build config rebuilds the layer before any model calls it
    # (a custom layer whose build() takes more than the input shape builds through build_from_config).
    build_config = config.get("build_config")
    if build_config and not getattr(instance, "built", True) and hasattr(instance, "build_from_config"):
        instance.build_from_config(build_config)
    return instance


def custom_registry() -> dict:
    """The classes registered with ``keras.saving.register_keras_serializable``, by registered name."""
    try:
        from ..models.registry import custom_objects
    except ImportError:
        return {}
    return custom_objects()

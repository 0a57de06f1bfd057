"""``keras.initializers``: weight initializers, their snake_case aliases and lookup by name.

Unseeded initializers draw from one global stream that ``set_global_seed`` restarts
(``keras.utils.set_random_seed`` calls it); a seeded instance returns the same values on every call.
"""

from __future__ import annotations

import inspect
from typing import Any, Callable, Optional

from ._random import set_global_seed
from .constant_initializers import Constant, Identity, Initializer, Ones, Zeros
from .random_initializers import (
    GlorotNormal,
    GlorotUniform,
    HeNormal,
    HeUniform,
    LecunNormal,
    LecunUniform,
    Orthogonal,
    RandomInitializer,
    RandomNormal,
    RandomUniform,
    TruncatedNormal,
    VarianceScaling,
    compute_fans,
)

# Keras exports each class under its snake_case name too: ``keras.initializers.he_normal is HeNormal``.
constant = Constant
identity = IdentityInitializer = Identity
ones = Ones
zeros = Zeros
glorot_normal = GlorotNormal
glorot_uniform = GlorotUniform
he_normal = HeNormal
he_uniform = HeUniform
lecun_normal = LecunNormal
lecun_uniform = LecunUniform
orthogonal = OrthogonalInitializer = Orthogonal
random_normal = RandomNormal
random_uniform = RandomUniform
truncated_normal = TruncatedNormal
variance_scaling = VarianceScaling

_CLASSES = (
    Initializer,
    Constant,
    Identity,
    Ones,
    Zeros,
    GlorotNormal,
    GlorotUniform,
    HeNormal,
    HeUniform,
    LecunNormal,
    LecunUniform,
    Orthogonal,
    RandomNormal,
    RandomUniform,
    TruncatedNormal,
    VarianceScaling,
)


def _snake_case(name: str) -> str:
    return "".join("_" + c.lower() if c.isupper() and i else c.lower() for i, c in enumerate(name))


ALL_OBJECTS_DICT = {cls.__name__: cls for cls in _CLASSES}
ALL_OBJECTS_DICT.update({_snake_case(cls.__name__): cls for cls in _CLASSES})
ALL_OBJECTS_DICT.update(
    IdentityInitializer=Identity,
    OrthogonalInitializer=Orthogonal,
    normal=RandomNormal,
    uniform=RandomUniform,
    one=Ones,
    zero=Zeros,
)


def _lookup(name: str, custom_objects: Optional[dict]) -> Any:
    if custom_objects and name in custom_objects:
        return custom_objects[name]
    obj = ALL_OBJECTS_DICT.get(name)
    if obj is None:
        from ..models.registry import get_registered_object

        obj = get_registered_object(name)
    if obj is None:
        raise ValueError(
            f"Could not interpret initializer identifier: {name!r}. "
            f"Expected one of {sorted(ALL_OBJECTS_DICT)} or a registered custom initializer."
        )
    return obj


def serialize(initializer: Any) -> Any:
    """Keras's config dict: ``{"module", "class_name", "config", "registered_name"}``."""
    if initializer is None:
        return None
    if inspect.isfunction(initializer):
        name = getattr(initializer, "_registered_name", None) or initializer.__name__
        return {"module": initializer.__module__, "class_name": "function", "config": name, "registered_name": name}
    if not hasattr(initializer, "get_config"):
        raise ValueError(
            f"Cannot serialize initializer {initializer!r}: expected an Initializer (with get_config) or a function"
        )
    cls = type(initializer)
    builtin = ALL_OBJECTS_DICT.get(cls.__name__) is cls
    return {
        "module": "keras.initializers" if builtin else cls.__module__,
        "class_name": cls.__name__,
        "config": initializer.get_config(),
        "registered_name": None if builtin else getattr(cls, "_registered_name", cls.__name__),
    }


def deserialize(config: Any, custom_objects: Optional[dict] = None) -> Any:
    """An initializer from a name or a config dict made by ``serialize``."""
    if isinstance(config, str):
        obj = _lookup(config, custom_objects)
        return obj() if inspect.isclass(obj) else obj
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(
            f"Could not interpret initializer identifier: {config!r}. Expected a name or a dict with 'class_name'."
        )
    if config["class_name"] == "function":
        return _lookup(config.get("registered_name") or config["config"], custom_objects)
    name = config["class_name"]
    if name not in ALL_OBJECTS_DICT and config.get("registered_name"):
        name = config["registered_name"]
    cls = _lookup(name, custom_objects)
    return cls.from_config(dict(config.get("config") or {}))


def get(identifier: Any) -> Optional[Callable]:
    """Resolves a name, a config dict, a class, an instance or a callable to an initializer (None stays None)."""
    if identifier is None:
        return None
    if isinstance(identifier, (str, dict)):
        return deserialize(identifier)
    if inspect.isclass(identifier):
        return identifier()
    if callable(identifier):
        return identifier
    raise ValueError(
        f"Could not interpret initializer identifier: {identifier!r}. "
        "Expected a name, a config dict, an Initializer class or instance, or a callable."
    )


__all__ = [
    "Constant",
    "GlorotNormal",
    "GlorotUniform",
    "HeNormal",
    "HeUniform",
    "Identity",
    "IdentityInitializer",
    "Initializer",
    "LecunNormal",
    "LecunUniform",
    "Ones",
    "Orthogonal",
    "OrthogonalInitializer",
    "RandomInitializer",
    "RandomNormal",
    "RandomUniform",
    "TruncatedNormal",
    "VarianceScaling",
    "Zeros",
    "compute_fans",
    "constant",
    "deserialize",
    "get",
    "glorot_normal",
    "glorot_uniform",
    "he_normal",
    "he_uniform",
    "identity",
    "lecun_normal",
    "lecun_uniform",
    "ones",
    "orthogonal",
    "random_normal",
    "random_uniform",
    "serialize",
    "set_global_seed",
    "truncated_normal",
    "variance_scaling",
    "zeros",
]

"""``keras.initializers``: weight initializers, their snake_case aliases and lookup by name.

Unseeded initializers draw from one global stream that ``set_global_seed`` restarts
(``keras.utils.set_random_seed`` calls it); a seeded instance returns the same values on every call.
"""

from __future__ import annotations

import inspect
from typing import Any, Callable, Optional

from ..saving.object_table import ObjectTable
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


_TABLE = ObjectTable("initializer", "Initializer", "keras.initializers", ALL_OBJECTS_DICT)


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
    return _TABLE.serialize_instance(initializer)


def deserialize(config: Any, custom_objects: Optional[dict] = None) -> Any:
    """An initializer from a name or a config dict made by ``serialize``."""
    if isinstance(config, dict) and config.get("class_name") == "function":
        return _TABLE.lookup(config.get("registered_name") or config["config"], custom_objects)
    return _TABLE.deserialize(config, custom_objects)


def get(identifier: Any) -> Optional[Callable]:
    """Resolves a name, a config dict, a class, an instance or a callable to an initializer (None stays None)."""
    return _TABLE.get(
        identifier, deserialize, "a name, a config dict, an Initializer class or instance, or a callable"
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
    "RandomNormal",
    "RandomUniform",
    "TruncatedNormal",
    "VarianceScaling",
    "Zeros",
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
    "truncated_normal",
    "variance_scaling",
    "zeros",
]

from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())

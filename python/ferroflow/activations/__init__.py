"""``keras.activations``: the activation functions and their lookup by name (``get``/``serialize``)."""

from __future__ import annotations

from typing import Any, Callable, Optional

from .functions import (
    ALL_FUNCTIONS,
    celu,
    elu,
    exponential,
    gelu,
    hard_sigmoid,
    hard_silu,
    hard_swish,
    hard_tanh,
    leaky_relu,
    linear,
    log_sigmoid,
    log_softmax,
    mish,
    relu,
    relu6,
    selu,
    sigmoid,
    silu,
    softmax,
    softplus,
    softsign,
    swish,
    tanh,
)
from .shrink import glu, hard_shrink, soft_shrink, sparse_plus, sparse_sigmoid, squareplus, tanh_shrink, threshold
from .sparsemax import sparsemax

_MORE_FUNCTIONS = (
    glu,
    hard_shrink,
    soft_shrink,
    sparse_plus,
    sparse_sigmoid,
    sparsemax,
    squareplus,
    tanh_shrink,
    threshold,
)

__all__ = [
    "celu",
    "deserialize",
    "elu",
    "exponential",
    "gelu",
    "get",
    "glu",
    "hard_shrink",
    "hard_sigmoid",
    "hard_silu",
    "hard_swish",
    "hard_tanh",
    "leaky_relu",
    "linear",
    "log_sigmoid",
    "log_softmax",
    "mish",
    "relu",
    "relu6",
    "selu",
    "serialize",
    "sigmoid",
    "silu",
    "softmax",
    "softplus",
    "softsign",
    "soft_shrink",
    "sparse_plus",
    "sparse_sigmoid",
    "sparsemax",
    "squareplus",
    "swish",
    "tanh",
    "tanh_shrink",
    "threshold",
]

# Name -> function, with Keras's aliases ("swish" is silu, "hard_swish" is hard_silu).
ALL_OBJECTS_DICT = {fn.__name__: fn for fn in ALL_FUNCTIONS + _MORE_FUNCTIONS}
ALL_OBJECTS_DICT.update(swish=silu, hard_swish=hard_silu)


def _lookup(name: str, custom_objects: Optional[dict] = None) -> Callable:
    if custom_objects and name in custom_objects:
        return custom_objects[name]
    fn = ALL_OBJECTS_DICT.get(name)
    if fn is None:
        from ..models.registry import get_registered_object

        fn = get_registered_object(name)
    if fn is None:
        raise ValueError(
            f"Could not interpret activation function identifier: {name!r}. "
            f"Expected one of {sorted(ALL_OBJECTS_DICT)} or a registered custom function."
        )
    return fn


def _layer_from_config(class_name: str, config: dict, custom_objects: Optional[dict]) -> Callable:
    """An activation given as a layer config (``{"class_name": "ReLU", "config": {...}}``)."""
    from .. import layers
    from ..models.registry import get_registered_object

    cls = getattr(layers, class_name, None) or get_registered_object(class_name, custom_objects)
    if cls is None or not hasattr(cls, "from_config"):
        raise ValueError(
            f"Could not interpret activation config: no layer class named {class_name!r}. "
            "Expected a built-in layer or a registered custom class."
        )
    return cls.from_config(config)


def serialize(activation: Callable) -> str:
    """The name an activation is stored under: ``serialize(relu) == "relu"``."""
    if hasattr(activation, "get_config"):
        raise ValueError(
            f"Cannot serialize activation {activation!r} to a name: it is an object with a config "
            "(serialize it as a layer instead)"
        )
    registered = getattr(activation, "_registered_name", None)
    if registered is not None:
        return registered
    name = getattr(activation, "__name__", None)
    if name is None:
        raise ValueError(
            f"Cannot serialize activation {activation!r}: expected a function with a __name__ "
            f"(a built-in activation or a registered custom function), received {type(activation).__name__}"
        )
    return name


def deserialize(config: Any, custom_objects: Optional[dict] = None) -> Callable:
    """The activation for a name or a Keras config dict (``{"class_name": "function", "config": "relu"}``)."""
    if isinstance(config, str):
        return _lookup(config, custom_objects)
    if isinstance(config, dict):
        inner = config.get("config")
        if isinstance(inner, str):
            known = inner in ALL_OBJECTS_DICT or inner in (custom_objects or {})
            return _lookup(inner if known else config.get("registered_name") or inner, custom_objects)
        name = config.get("class_name")
        if isinstance(inner, dict) and isinstance(name, str):
            return _layer_from_config(name, inner, custom_objects)
        if isinstance(name, str) and name != "function":
            return _lookup(name, custom_objects)
    raise ValueError(
        f"Could not interpret activation function identifier: {config!r}. "
        "Expected a name such as 'relu' or a dict with a string 'config' entry."
    )


def get(identifier: Any) -> Callable:
    """Resolves ``None`` (-> ``linear``), a name, a config dict or a callable to an activation function."""
    if identifier is None:
        return linear
    if isinstance(identifier, (str, dict)):
        return deserialize(identifier)
    if callable(identifier):
        return identifier
    raise ValueError(
        f"Could not interpret activation function identifier: {identifier!r}. "
        "Expected None, a name, a config dict or a callable."
    )

from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())

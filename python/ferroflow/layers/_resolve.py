"""Resolving identifiers (``"relu"``, ``"glorot_uniform"``, objects, configs) through the Keras modules."""

from __future__ import annotations

import importlib
from typing import Any, Callable, Optional


def _module(name: str) -> Any:
    return importlib.import_module(f"ferroflow.{name}")


def activation(identifier: Any) -> Callable:
    try:
        mod = _module("activations")
    except ImportError:  # development fallback until ferroflow.activations lands
        return _fallback_activation(identifier)
    return mod.get("linear" if identifier is None else identifier)


def initializer(identifier: Any) -> Any:
    try:
        mod = _module("initializers")
    except ImportError:  # development fallback until ferroflow.initializers lands
        return _fallback_initializer(identifier)
    return mod.get(identifier)


def _fallback_activation(identifier: Any) -> Callable:
    from ..ops import nn_ops

    if callable(identifier):
        return identifier

    def linear(x: Any) -> Any:
        return x

    table = {"linear": linear, "relu": nn_ops.relu, "softmax": nn_ops.softmax, "tanh": nn_ops.tanh}
    name = identifier or "linear"
    base = table[name]

    def fn(x: Any) -> Any:
        return base(x)

    fn.__name__ = name
    return fn


def _fallback_initializer(identifier: Any) -> Callable:
    import numpy as np

    if callable(identifier):
        return identifier

    def init(shape: Any, dtype: Any = "float32") -> Any:
        if identifier == "zeros":
            return np.zeros(shape, dtype)
        if identifier == "ones":
            return np.ones(shape, dtype)
        fan_in, fan_out = (shape[0], shape[-1]) if len(shape) >= 2 else (1, 1)
        limit = np.sqrt(6.0 / (fan_in + fan_out))
        return np.random.uniform(-limit, limit, shape).astype(dtype)

    init.__name__ = identifier
    return init


def regularizer(identifier: Any) -> Optional[Any]:
    if identifier is None:
        return None
    try:
        mod = _module("regularizers")
    except ImportError:
        if callable(identifier):
            return identifier
        raise
    return mod.get(identifier)


def constraint(identifier: Any) -> Optional[Any]:
    if identifier is None:
        return None
    try:
        mod = _module("constraints")
    except ImportError:
        if callable(identifier):
            return identifier
        raise
    return mod.get(identifier)


def serialize(obj: Any) -> Any:
    """A JSON-friendly form of an activation/initializer/regularizer: its name or a class config."""
    if obj is None or isinstance(obj, (str, int, float, bool)):
        return obj
    if hasattr(obj, "get_config"):
        return {"module": type(obj).__module__, "class_name": type(obj).__name__, "config": obj.get_config()}
    name = getattr(obj, "__name__", None)
    if name is not None:
        return name
    raise TypeError(f"cannot serialize {obj!r}: give it a get_config() or use a registered name")


def serialize_activation(fn: Any) -> Any:
    try:
        return _module("activations").serialize(fn)
    except (ImportError, AttributeError, ValueError, TypeError):
        return serialize(fn)


def serialize_initializer(obj: Any) -> Any:
    try:
        return _module("initializers").serialize(obj)
    except (ImportError, AttributeError, ValueError, TypeError):
        return serialize(obj)

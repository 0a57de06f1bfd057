"""``keras.saving.serialize_keras_object`` / ``deserialize_keras_object``: any Keras object (layer,
regularizer, initializer, optimizer, loss, metric, function, or a custom class) as Keras 3's config dict
``{"module", "class_name", "config", "registered_name"}`` and back.

Built-in objects use their module's own serializer (the ``keras.<kind>`` module name Keras writes); custom
classes are written with their ``get_config()``, every nested Keras object in it serialized in turn, and
their registered name (``"package>name"``, else the class name), so they load back without the class being
passed, as in Keras 3. NumPy arrays and tensors nested in configs use Keras's ``__numpy__``/``__tensor__`` forms.
"""

from __future__ import annotations

import importlib
import types
from typing import Any, Optional

import numpy as np

from ..models.registry import CustomObjectScope, get_registered_name, get_registered_object

_PLAIN = (str, int, float, bool)
# Built-in kinds: (package holding the base class, base class name, Keras module name) in lookup order.
_KINDS = (
    ("layers", "Layer", "keras.layers"),
    ("regularizers", "Regularizer", "keras.regularizers"),
    ("initializers", "Initializer", "keras.initializers"),
    ("constraints", "Constraint", "keras.constraints"),
    ("optimizers", "Optimizer", "keras.optimizers"),
    ("losses", "Loss", "keras.losses"),
    ("metrics", "Metric", "keras.metrics"),
)


def _package(name: str) -> Any:
    return importlib.import_module(f"ferroflow.{name}")


def _builtin(obj: Any) -> bool:
    return type(obj).__module__.startswith("ferroflow.")


def _builtin_config(obj: Any) -> Optional[dict]:
    """The config dict of a built-in object from its module's serializer, with Keras's four keys."""
    for package, base, _ in _KINDS:
        module = _package(package)
        if isinstance(obj, getattr(module, base)):
            config = dict(module.serialize(obj))
            config.setdefault("registered_name", None)
            return config
    return None


def serialize_dict(obj: dict) -> dict:
    return {key: serialize_keras_object(value) for key, value in obj.items()}


def serialize_keras_object(obj: Any) -> Any:
    """The JSON-friendly config of ``obj``, which ``deserialize_keras_object`` turns back into it."""
    from ..framework.tensor_shape import TensorShape

    if obj is None or isinstance(obj, _PLAIN):
        return obj
    if isinstance(obj, (list, tuple)):
        items = [serialize_keras_object(x) for x in obj]
        return tuple(items) if isinstance(obj, tuple) else items
    if isinstance(obj, dict):
        return serialize_dict(obj)
    if isinstance(obj, bytes):
        return {"class_name": "__bytes__", "config": {"value": obj.decode("utf-8")}}
    if isinstance(obj, TensorShape):
        return obj.as_list() if obj.rank is not None else None
    if type(obj).__module__ == np.__name__:
        if isinstance(obj, np.ndarray) and obj.ndim > 0:
            return {"class_name": "__numpy__", "config": {"value": obj.tolist(), "dtype": obj.dtype.name}}
        return obj.item()
    if hasattr(obj, "numpy") and hasattr(obj, "dtype") and not hasattr(obj, "get_config"):
        value = np.asarray(obj.numpy())
        return {"class_name": "__tensor__", "config": {"value": value.tolist(), "dtype": value.dtype.name}}
    if isinstance(obj, types.FunctionType):
        return _serialize_function(obj)
    if _builtin(obj):
        config = _builtin_config(obj)
        if config is not None:
            return config
    if not hasattr(obj, "get_config"):
        raise TypeError(
            f"Cannot serialize object {obj} of type {type(obj)}. "
            "To be serializable, a class must implement the `get_config()` method."
        )
    inner = obj.get_config()
    if not isinstance(inner, dict):
        raise TypeError(f"The `get_config()` method of {obj} should return a dict. It returned: {inner}")
    cls = type(obj)
    config = {
        "module": cls.__module__,
        "class_name": cls.__name__,
        "config": serialize_dict(inner),
        "registered_name": get_registered_name(cls),
    }
    if hasattr(obj, "get_build_config"):
        build = obj.get_build_config()
        if build is not None:
            config["build_config"] = serialize_dict(build)
    return config


def _serialize_function(fn: Any) -> dict:
    # Keras 3 writes a function, built-in or custom, under the class of functions: module "builtins",
    # registered name "function", the function's registered name (else its own) as the config.
    return {
        "module": "builtins",
        "class_name": "function",
        "config": get_registered_name(fn),
        "registered_name": "function",
    }


_NOT_FOUND = (
    "Make sure custom classes and functions are decorated with `@keras.saving.register_keras_serializable()`. "
    "If they are already decorated, make sure they are all imported so that the decorator is run before "
    "trying to load them. Full object config: "
)


def deserialize_keras_object(
    config: Any, custom_objects: Optional[dict] = None, safe_mode: bool = True, **kwargs: Any
) -> Any:
    """The object ``config`` describes (a config made by ``serialize_keras_object``); custom classes and
    functions come from ``custom_objects``, open ``custom_object_scope``s or the registry."""
    if config is None or isinstance(config, _PLAIN):
        return config
    if isinstance(config, (list, tuple)):
        return [deserialize_keras_object(x, custom_objects, safe_mode) for x in config]
    if not isinstance(config, dict):
        raise TypeError(f"Could not parse config: {config}")
    if "class_name" not in config or "config" not in config:
        return {key: deserialize_keras_object(value, custom_objects, safe_mode) for key, value in config.items()}
    class_name, inner = config["class_name"], config["config"]
    if class_name == "__bytes__":
        return inner["value"].encode("utf-8")
    if class_name == "__numpy__":
        return np.array(inner["value"], dtype=inner["dtype"])
    if class_name == "__tensor__":
        return _package("ops").convert_to_tensor(np.array(inner["value"], dtype=inner["dtype"]))
    if class_name == "__lambda__":
        raise ValueError(
            "Requested the deserialization of a `lambda` object. This carries a potential risk of arbitrary "
            "code execution and thus it is disallowed by default."
        )
    module = config.get("module") or ""
    with CustomObjectScope(custom_objects or {}):
        if class_name == "function":
            return _function(inner, module, config)
        for package, _, keras_module in _KINDS:
            if module == keras_module or (package == "layers" and module in ("keras", "keras.models")):
                return _package(package).deserialize(config, custom_objects=custom_objects)
        cls = get_registered_object(config.get("registered_name") or class_name) or get_registered_object(class_name)
        if cls is None:
            raise TypeError(f"Could not locate class '{class_name}'. {_NOT_FOUND}{config}")
        instance = cls.from_config(inner)
        if config.get("build_config") and hasattr(instance, "build_from_config"):
            instance.build_from_config(config["build_config"])
        return instance


def _function(name: Any, module: str, config: dict) -> Any:
    fn = get_registered_object(name) if isinstance(name, str) else None
    if fn is None and isinstance(name, str):
        try:
            fn = _package("activations").get(name)
        except (ValueError, TypeError):
            fn = None
    if fn is None:
        raise TypeError(f"Could not locate function '{name}'. {_NOT_FOUND}{config}")
    return fn

"""Keras 3's ``config.json`` (a model saved by Keras 3 itself) translated into ferroflow's model config.

Keras 3 writes each object as ``{"module", "class_name", "config", "registered_name"}``; layers of a
functional model carry their calls as ``inbound_nodes`` (``__keras_tensor__`` arguments with a
``keras_history``), dtypes are ``DTypePolicy`` dicts, and newer Keras versions add arguments that are
neutral by default (``renorm=False``, ``input_axes=None`` ...). :func:`translate_model_config` turns
that into the config ferroflow's ``layers.deserialize`` reads: functional calls as a ``calls`` list in
execution order, dtype names, and only the arguments ferroflow's classes take. A layer class ferroflow
lacks, or a Keras argument it cannot honour (``renorm=True``), is a ``ValueError`` naming it.
"""

from __future__ import annotations

import inspect
from typing import Any, Dict, List, Optional, Tuple

from . import keras3_ops

__all__ = ["translate_model_config"]

_MODELS = ("Functional", "Model", "Sequential")
# Arguments that only matter when another one is set (renorm_momentum without renorm ...).
_DEPENDENT = {"renorm_momentum": "renorm", "renorm_clipping": "renorm", "lora_alpha": "lora_rank"}
_DEPENDENT.update(fill_mode="pad_to_aspect_ratio", fill_value="pad_to_aspect_ratio")
# Keras arguments whose value here is what a ferroflow class without them does anyway.
_NEUTRAL = {"data_format": "channels_last"}
# Arguments ``Layer.__init__`` pops from its **kwargs.
_LAYER_KWARGS = {"trainable", "name", "dtype", "autocast", "input_shape", "input_dim", "batch_input_shape"}
_LAYER_KWARGS |= {"batch_size", "activity_regularizer"}


def translate_model_config(config: Any, custom_objects: Optional[dict] = None) -> Dict[str, Any]:
    """ferroflow's config of the model (or layer) described by Keras 3's ``config`` dict."""
    return _layer(config, custom_objects or {}, "the model")


def _layer(entry: Any, custom: dict, where: str) -> Dict[str, Any]:
    if not isinstance(entry, dict) or not isinstance(entry.get("class_name"), str):
        raise ValueError(f"corrupt Keras config: {where} is not a {{'class_name', 'config'}} dict: {entry!r:.200}")
    class_name = entry["class_name"]
    inner = entry.get("config") or {}
    if not isinstance(inner, dict):
        raise ValueError(f"corrupt Keras config: the config of {where} ({class_name}) is not a dict")
    name = inner.get("name") or entry.get("name") or where
    if class_name in _MODELS or (class_name in custom and "layers" in inner):
        if class_name == "Sequential":
            inner = _sequential(inner, custom)
        else:
            class_name = "Model" if class_name == "Functional" else class_name
            inner = _functional(inner, custom)
    elif class_name in custom or (entry.get("registered_name") or "") in custom:
        inner = _clean(inner)
    else:
        inner = _fit(_layer_class(class_name, entry, name), _clean(inner), f"layer '{name}' ({class_name})")
    out: Dict[str, Any] = {"module": "keras.layers", "class_name": class_name, "config": inner}
    if isinstance(entry.get("build_config"), dict):
        out["build_config"] = entry["build_config"]
    if "compile_config" in entry:
        out["compile_config"] = entry["compile_config"]
    return out


def _layer_class(class_name: str, entry: dict, name: str) -> type:
    from ..layers._serialization import class_registry, custom_registry

    cls = class_registry().get(class_name) or custom_registry().get(entry.get("registered_name") or class_name)
    if cls is None:
        raise ValueError(
            f"The Keras model uses the layer class '{class_name}' (layer '{name}', module "
            f"{entry.get('module')!r}), which ferroflow does not have; pass an equivalent class in "
            "`custom_objects` to load it"
        )
    return cls


def _sequential(inner: dict, custom: dict) -> dict:
    layers = inner.get("layers")
    if not isinstance(layers, list):
        raise ValueError("corrupt Keras config: a Sequential model's config has no 'layers' list")
    out = {
        "name": inner.get("name"),
        "trainable": inner.get("trainable", True),
        "layers": [_layer(e, custom, f"layer {i} of Sequential '{inner.get('name')}'") for i, e in enumerate(layers)],
    }
    if inner.get("build_input_shape") is not None:
        out["build_input_shape"] = inner["build_input_shape"]
    return out


def _functional(inner: dict, custom: dict) -> dict:
    entries = inner.get("layers")
    if not isinstance(entries, list) or "input_layers" not in inner or "output_layers" not in inner:
        raise ValueError(
            "corrupt Keras config: a functional model's config needs 'layers', 'input_layers' and 'output_layers'"
        )
    layers, calls = [], []
    for i, entry in enumerate(entries):
        # Keras's graph also records ops (the masks it hands to layers): each becomes a Lambda here.
        # The others (``x + y``, ``keras.ops.mean(x)`` on symbolic tensors) stay operations.
        operation = _is_operation(entry)
        op = None if operation else keras3_ops.as_lambda(entry) if isinstance(entry, dict) else None
        if operation:
            translated = {k: _clean(entry.get(k)) for k in ("module", "class_name", "config", "registered_name")}
        else:
            translated = op or _layer(entry, custom, f"layer {i} of model '{inner.get('name')}'")
        name = entry.get("name") or translated["config"].get("name")
        translated["name"] = name
        layers.append(translated)
        for node in entry.get("inbound_nodes") or []:
            if not isinstance(node, dict) or "args" not in node:
                raise ValueError(
                    f"layer '{name}': inbound node {node!r:.120} is not in Keras 3's format (a Keras 2 "
                    "file? re-save it with Keras 3)"
                )
            # Keras records ``training`` in every node (the layer's default when the call gave none: True for
            # the random preprocessing layers), and its functional models let the model call's ``training``
            # override it; kept here, it would win over ``training=False`` (RandomCrop cropping at inference).
            kwargs = {k: v for k, v in (node.get("kwargs") or {}).items() if v is not None and k != "training"}
            args = _clean_refs(node["args"])
            if op is not None:  # the op's arguments are its Lambda's one input (a list)
                op["config"]["arguments"].update(_clean_refs(kwargs))
                args, kwargs = [args], {}
            calls.append({"layer": name, "args": args, "kwargs": _clean_refs(kwargs)})
    return {
        "name": inner.get("name"),
        "trainable": inner.get("trainable", True),
        "layers": layers,
        "calls": _in_execution_order(calls, layers),
        "input_layers": _unwrap(inner["input_layers"]),
        "output_layers": _unwrap(inner["output_layers"]),
    }


def _is_operation(entry: Any) -> bool:
    """A Keras op entry that ferroflow rebuilds as an operation (not one of keras3_ops' Lambda stand-ins)."""
    from ..layers._keras_operation import is_operation_entry, operation_function_name

    if not is_operation_entry(entry) or entry.get("class_name") in keras3_ops.OPS:
        return False
    return operation_function_name(entry) is not None


def _unwrap(refs: Any) -> Any:
    """``[["x", 0, 0]]`` -> ``["x", 0, 0]``: a one-tensor list is a plain tensor, as in Keras."""
    if isinstance(refs, list) and len(refs) == 1 and isinstance(refs[0], list) and len(refs[0]) == 3:
        if isinstance(refs[0][0], str):
            return refs[0]
    return refs


def _clean_refs(x: Any) -> Any:
    if isinstance(x, dict) and x.get("class_name") == "__keras_tensor__":
        history = (x.get("config") or {}).get("keras_history")
        if not (isinstance(history, list) and len(history) == 3 and isinstance(history[0], str)):
            raise ValueError(f"corrupt Keras config: a __keras_tensor__ without a valid keras_history: {x!r:.200}")
        return {"class_name": "__keras_tensor__", "config": {"keras_history": list(history)}}
    if isinstance(x, dict):
        return _clean(x) if "class_name" in x else {k: _clean_refs(v) for k, v in x.items()}
    if isinstance(x, list):
        return [_clean_refs(v) for v in x]
    return x


def _refs(x: Any) -> List[Tuple[str, int]]:
    if isinstance(x, dict) and x.get("class_name") == "__keras_tensor__":
        name, node, _ = x["config"]["keras_history"]
        return [(name, node)]
    if isinstance(x, dict):
        return [r for v in x.values() for r in _refs(v)]
    if isinstance(x, list):
        return [r for v in x for r in _refs(v)]
    return []


def _in_execution_order(calls: List[dict], layers: List[dict]) -> List[dict]:
    """The calls ordered so that each one's inputs are made before it (Keras lists them per layer)."""
    made = {(entry["name"], 0) for entry in layers if entry["class_name"] == "InputLayer"}
    next_node: Dict[str, int] = {}
    pending, ordered = list(calls), []
    while pending:
        remaining = []
        for call in pending:
            name = call["layer"]
            ready = all(r in made for r in _refs([call["args"], call["kwargs"]]))
            if ready and not any(c["layer"] == name for c in remaining):
                index = next_node.get(name, 0)
                next_node[name] = index + 1
                made.add((name, index))
                ordered.append(call)
            else:
                remaining.append(call)
        if len(remaining) == len(pending):
            missing = sorted({r for c in remaining for r in _refs([c["args"], c["kwargs"]]) if r not in made})
            raise ValueError(f"corrupt Keras config: layer calls use outputs that no layer makes: {missing}")
        pending = remaining
    return ordered


# -- argument values -------------------------------------------------------------------------------


def _clean(value: Any) -> Any:
    """Keras 3 value encodings -> ferroflow's: DTypePolicy dicts to names, ``__tuple__`` to lists ..."""
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if not isinstance(value, dict):
        return value
    class_name = value.get("class_name")
    if class_name in ("DTypePolicy", "FloatDTypePolicy") and isinstance(value.get("config"), dict):
        return value["config"].get("name", "float32")
    if class_name == "__tuple__" and isinstance(value.get("config"), dict):
        return _clean(value["config"].get("value"))
    out = {k: _clean(v) for k, v in value.items() if k != "shared_object_id"}
    if isinstance(class_name, str) and isinstance(out.get("config"), dict):
        kind = _object_kind(str(out.get("module") or ""))
        cls = getattr(kind, class_name, None) if kind is not None else None
        if inspect.isclass(cls):
            # An initializer / regularizer / constraint: built here, so every layer gets an object.
            out["config"] = _fit(cls, out["config"], f"{class_name} in the Keras config")
            return kind.deserialize(out)
    return out


def _object_kind(module: str) -> Any:
    from .. import constraints, initializers, regularizers

    for key, mod in (("initializers", initializers), ("regularizers", regularizers), ("constraints", constraints)):
        if key in module:
            return mod
    return None


def _fit(cls: type, config: dict, what: str) -> dict:
    """``config`` without the Keras arguments ``cls`` lacks, when they hold their neutral value."""
    accepted = _accepted_args(cls)
    if accepted is None:
        return config
    out = {}
    for key, value in config.items():
        if key in accepted:
            out[key] = value
        elif value is None or value is False or value == [] or value == {}:
            continue
        elif key in _DEPENDENT and not config.get(_DEPENDENT[key]):
            continue
        elif key in _NEUTRAL and value == _NEUTRAL[key]:
            continue
        else:
            raise ValueError(f"{what}: Keras's argument {key}={value!r} is not supported by ferroflow's {cls.__name__}")
    return out


def _accepted_args(cls: type) -> Optional[set]:
    """The keyword arguments ``cls(...)`` takes, following ``**kwargs`` up the MRO; None: anything."""
    from ..layers import Layer

    names: set = set()
    for klass in cls.__mro__:
        if klass is object:
            return names
        if klass is Layer:
            return names | _LAYER_KWARGS
        if "__init__" not in vars(klass):
            continue
        try:
            params = inspect.signature(vars(klass)["__init__"]).parameters.values()
        except (TypeError, ValueError):
            return None
        names |= {p.name for p in params if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}
        names |= set(getattr(klass, "_config_only_keys", ()))  # read from **kwargs (vocabulary_size)
        if not any(p.kind is p.VAR_KEYWORD for p in params):
            return names - {"self"}
    return names

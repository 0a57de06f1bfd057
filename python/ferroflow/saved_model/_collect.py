"""What ``tf.saved_model.save`` finds in an object: variables, assets and ``tf.function``s with their attribute
paths, and the signatures to export.

Paths are lists of segments: a string is an attribute, an int a list index, ``{"key": k}`` a dict key.
Modules (``tf.Module``) and the lists, tuples and dicts they hold are walked; a Keras layer inside a module
contributes its weights, under attribute names made from the weights' names.
"""

from __future__ import annotations

import inspect
import re
from typing import Any, List, Tuple

from ..framework.concrete_function import ConcreteFunction
from ..framework.function import Function
from ..framework.module import Module
from ..framework.variables import Variable
from ._format import DEFAULT_SERVING_SIGNATURE_DEF_KEY
from ._objects import Asset


def is_keras_layer(obj: Any) -> bool:
    from ..layers.base_layer import Layer

    return isinstance(obj, Layer)


def is_keras_model(obj: Any) -> bool:
    from ..models.model import Model

    return isinstance(obj, Model)


class Collected:
    """The leaves found under an object, each once, in walk order."""

    def __init__(self) -> None:
        self.variables: List[Tuple[list, Variable]] = []
        self.assets: List[Tuple[list, Asset]] = []
        self.functions: List[Tuple[list, Function]] = []
        self._seen: set = set()

    def first_visit(self, obj: Any) -> bool:
        if id(obj) in self._seen:
            return False
        self._seen.add(id(obj))
        return True


def collect(obj: Any) -> Collected:
    found = Collected()
    found.first_visit(obj)
    if is_keras_layer(obj):
        _layer_weights(obj, [], found)
    else:
        _walk_object(obj, [], found)
    return found


def _layer_weights(layer: Any, path: list, found: Collected) -> None:
    taken: set = set()
    for v in layer.weights:
        if found.first_visit(v):
            base = re.sub(r"\W", "_", str(v.name).split("/")[-1].split(":")[0]) or "variable"
            name, n = base, 1
            while name in taken:
                name, n = f"{base}_{n}", n + 1
            taken.add(name)
            found.variables.append((path + [name], v))


def _walk_object(obj: Any, path: list, found: Collected) -> None:
    ignored = getattr(obj, "_TF_MODULE_IGNORED_PROPERTIES", frozenset())
    # Public attributes before private ones: a variable reachable from both (a Keras ExportArchive's variable
    # collection and its tracked model) is restored at the public path, where the caller can reach it.
    items = sorted(
        ((k, v) for k, v in vars(obj).items() if isinstance(k, str) and k not in ignored),
        key=lambda kv: (kv[0].startswith("_"), kv[0]),
    )
    for name in _class_function_names(type(obj)):
        items.append((name, getattr(obj, name)))
    for key, value in items:
        if key.startswith("__") and key != "__call__":
            continue
        _visit(value, path + [key], found)


def _class_function_names(cls: type) -> list:
    """Attributes of the class (and its bases) that are ``tf.function``s: methods decorated with it."""
    names = set()
    for klass in cls.__mro__:
        for name, value in vars(klass).items():
            if isinstance(value, Function) and (not name.startswith("__") or name == "__call__"):
                names.add(name)
    return sorted(names)


def _visit(value: Any, path: list, found: Collected) -> None:
    if isinstance(value, (Variable, Asset, Function, Module)) or is_keras_layer(value):
        if not found.first_visit(value):
            return
    if isinstance(value, Variable):
        found.variables.append((path, value))
    elif isinstance(value, Asset):
        found.assets.append((path, value))
    elif isinstance(value, Function):
        found.functions.append((path, value))
    elif is_keras_layer(value):
        _layer_weights(value, path, found)
    elif isinstance(value, Module):
        _walk_object(value, path, found)
    elif isinstance(value, dict):
        for k in sorted(value, key=str):
            if isinstance(k, (str, int)) and not isinstance(k, bool):
                _visit(value[k], path + [{"key": k}], found)
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            _visit(item, path + [i], found)


def traces_of(fn: Function) -> list:
    """The ``(args, kwargs)`` of each trace of ``fn`` to save: its input signature, or every trace it has."""
    if fn.input_signature is not None:
        return [(tuple(fn.input_signature), {})]
    return [tuple(c.structured_input_signature) for c in fn._traces.values()]


def function_of(fn: Any) -> Any:
    """The ``tf.function`` a signature comes from (itself, or the one a concrete function was traced by), whose
    traces for saving it shares; None when unknown."""
    if isinstance(fn, Function):
        return fn
    ref = getattr(fn._concrete, "function", None)
    return None if ref is None else ref()


def python_function_of(fn: Any) -> Any:
    if isinstance(fn, ConcreteFunction):
        return fn._concrete.python_function
    return fn.python_function


def parameter_names(python_function: Any) -> list:
    """The positional parameter names (what keyword arguments of a restored function bind to)."""
    try:
        params = inspect.signature(python_function).parameters.values()
    except (TypeError, ValueError):
        return []
    return [p.name for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]


def resolve_signatures(obj: Any, signatures: Any, found: Collected) -> list:
    """``[(name, tf.function or None, python function, args, kwargs)]`` for each signature to export."""
    if signatures is None:
        if is_keras_model(obj):
            return []  # the Keras serving signature is traced from the model (see _keras.serving_signature)
        # As TensorFlow: the one root-level tf.function with an input_signature that returns tensors (one
        # returning None, such as a setter, cannot serve) becomes the serving signature.
        with_signature = [
            fn
            for path, fn in found.functions
            if len(path) == 1 and fn.input_signature is not None and _returns_tensors(fn)
        ]
        if len(with_signature) == 1:
            signatures = with_signature[0]
        else:
            return []
    if not isinstance(signatures, dict):
        signatures = {DEFAULT_SERVING_SIGNATURE_DEF_KEY: signatures}
    out = []
    for name, fn in signatures.items():
        if not isinstance(name, str) or not name:
            raise ValueError(f"signature names must be non-empty strings, received {name!r}")
        if isinstance(fn, ConcreteFunction):
            args, kwargs = fn.structured_input_signature
        elif isinstance(fn, Function):
            if fn.input_signature is None:
                raise ValueError(
                    f"Function '{fn._name}' passed as signature '{name}' has no input_signature: give "
                    "@tf.function an input_signature, or pass f.get_concrete_function(tf.TensorSpec(...))"
                )
            args, kwargs = tuple(fn.input_signature), {}
        else:
            raise ValueError(
                f"Expected a TensorFlow function for which to generate a signature (a tf.function with an "
                f"input_signature, or a concrete function) for signature '{name}', received {fn!r}"
            )
        out.append((name, function_of(fn), python_function_of(fn), tuple(args), dict(kwargs)))
    return out


def _returns_tensors(fn: Function) -> bool:
    """Whether ``fn``'s trace for its input signature (the one saving writes) returns at least one tensor and
    nothing but tensors."""
    from ._trace import saved_trace

    return saved_trace(fn, tuple(fn.input_signature), {}, f"function '{fn._name}'").returns_tensors

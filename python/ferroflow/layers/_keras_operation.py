"""Operations in a functional graph: a ``keras.ops`` function (or a tensor operator) called on KerasTensors.

As in Keras 3, ``x + y`` or ``keras.ops.mean(x, axis=1)`` on symbolic inputs records a node of an operation
(``Add``, ``Mean``) that a functional model replays like a layer call. One generic class does it for every op:
an operation holds the function's name and the arguments that are not operands (``axis=1``, as Keras's op
objects hold them in their config); the operands are the node's arguments. Operations have no weights and are
not among ``model.layers``; ``summary()`` and saved configs list them as Keras does (module
``keras.src.ops.numpy``, class ``Add``).
"""

from __future__ import annotations

import inspect
from typing import Any, Callable, Dict, Optional

import numpy as np

from ..framework import nest
from ._keras_operation_names import _CANONICAL, _CLASS_NAMES, _FUNCTION_OF_CLASS, _MODULE_OF, _NODE_ARGUMENTS, _OPERANDS
from .base_layer import Layer

_CLASSES: Dict[str, type] = {}


def _camel(name: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in name.split("_"))


def _function(name: str) -> Callable:
    from ..keras import ops
    from ._keras_tensor_operators import get_item

    if name == "get_item":
        return get_item
    fn = getattr(ops, name, None)
    if fn is None and name in _MODULE_OF and _MODULE_OF[name] == "keras.src.ops.image":
        fn = getattr(ops.image, name)
    if fn is None or not callable(fn):
        from ..activations._symbolic import OPERATIONS

        fn = OPERATIONS.get(name)  # an activation's operation that keras.ops lacks (``ReLU``, ``Celu``)
    if fn is None or not callable(fn):
        raise ValueError(f"Unknown Keras operation '{name}': keras.ops has no function of that name")
    return fn


class _Operation(Layer):
    """One ``keras.ops`` function as a node of a functional graph (Keras's ``Operation``)."""

    _is_operation = True

    def __init__(self, function_name: str, arguments: Optional[dict] = None, name: Optional[str] = None) -> None:
        super().__init__(name=name)
        self.function_name = function_name
        self.arguments = dict(arguments or {})
        self.built = True

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        kwargs.pop("training", None)  # a model's training flag, which operations ignore
        if any(getattr(x, "_is_keras_tensor", False) for x in nest.flatten((args, kwargs))):
            from .keras_tensor import symbolic_call

            return symbolic_call(self, args, kwargs)
        return self.call(*args, **kwargs)

    def call(self, *args: Any, **kwargs: Any) -> Any:
        names = _NODE_ARGUMENTS.get(self.function_name)
        if names is not None:
            kwargs = {**dict(zip(names, args)), **kwargs}
            args = ()
        return _function(self.function_name)(*args, **{**self.arguments, **kwargs})

    def get_config(self) -> dict:
        return {"name": self.name, **self.arguments}

    def serialize(self) -> dict:
        """Keras 3's entry for this operation in a functional model's config."""
        class_name = type(self).__name__
        module = _MODULE_OF.get(self.function_name, "keras.src.ops.numpy")
        return {"module": module, "class_name": class_name, "config": self.get_config(), "registered_name": class_name}


def _operation_class(function_name: str) -> type:
    """The ``_Operation`` subclass named as Keras's op class (``Add``, ``GetItem``), so summaries read alike."""
    class_name = _CLASS_NAMES.get(function_name) or _camel(function_name)
    cls = _CLASSES.get(class_name)
    if cls is None:
        cls = _CLASSES[class_name] = type(class_name, (_Operation,), {"__module__": __name__})
    return cls


def is_operation_entry(entry: Any) -> bool:
    module = str(entry.get("module") or "") if isinstance(entry, dict) else ""
    return module.startswith("keras.src.ops") or module == "keras.src.activations.activations"


def _function_name_of(class_name: str) -> str:
    """The ``keras.ops`` function name of a Keras operation class name (``SearchSorted`` -> ``searchsorted``)."""
    from ._util import to_snake_case

    return _FUNCTION_OF_CLASS.get(class_name) or to_snake_case(class_name)


def operation_function_name(entry: dict) -> Optional[str]:
    """The ``keras.ops`` function of an operation's config entry (``GetItem`` -> ``get_item``), None if none."""
    name = _function_name_of(str(entry.get("class_name")))
    try:
        _function(name)
    except ValueError:
        return None
    return name


def operation_from_config(entry: dict) -> _Operation:
    """The operation of a config entry written by :meth:`_Operation.serialize` (or by Keras 3)."""
    config = dict(entry.get("config") or {})
    name = config.pop("name", None) or entry.get("name")
    function_name = _function_name_of(str(entry["class_name"]))
    fn = _function(function_name)  # an op ferroflow lacks fails here, naming it
    try:
        accepted = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        accepted = None
    if accepted is not None and not any(p.kind is p.VAR_KEYWORD for p in accepted.values()):
        for key in [k for k in config if k not in accepted]:
            if config[key] is not None:  # Keras's neutral extras (``initial=None`` of Max) are left out
                raise ValueError(
                    f"The Keras operation '{entry['class_name']}' has the argument {key}={config[key]!r}, which "
                    f"ferroflow's keras.ops.{function_name} does not support"
                )
            del config[key]
    return _operation_class(function_name)(function_name, config, name=name)


def _split(function_name: str, fn: Callable, args: tuple, kwargs: dict) -> tuple:
    """``(operands, arguments)``: the leading arguments that are operands (passed as the node's arguments) and
    the others (held by the operation, as Keras's op objects hold ``axis`` and ``keepdims``)."""
    try:
        signature = inspect.signature(fn)
    except (TypeError, ValueError):
        return args, kwargs
    bound = signature.bind(*args, **kwargs)
    params = list(signature.parameters.values())
    positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    if function_name in _NODE_ARGUMENTS:
        operands = [bound.arguments.pop(n, signature.parameters[n].default) for n in _NODE_ARGUMENTS[function_name]]
        arguments = {k: v for k, v in bound.arguments.items() if k != "name"}
        if any(_holds_keras_tensor(v) for v in arguments.values()):
            raise ValueError(f"keras.ops.{function_name}: a KerasTensor can only be one of its tensor arguments")
        return tuple(operands), {k: _jsonable(v) for k, v in arguments.items()}
    count = _OPERANDS.get(function_name)
    if count is None:
        count = 0
        while count < len(positional) and positional[count].default is inspect.Parameter.empty:
            count += 1
    operands = []
    for p in positional[:count]:
        operands.append(bound.arguments.pop(p.name, p.default))
    arguments: dict = {}
    for key, value in bound.arguments.items():
        kind = signature.parameters[key].kind
        if kind is inspect.Parameter.VAR_KEYWORD:
            arguments.update(value)
        elif kind is inspect.Parameter.VAR_POSITIONAL:
            operands.extend(value)
        elif key != "name":
            arguments[key] = value
    if any(_holds_keras_tensor(v) for v in arguments.values()):
        raise ValueError(f"keras.ops.{function_name}: a KerasTensor can only be one of its tensor arguments")
    return tuple(operands), {k: _jsonable(v) for k, v in arguments.items()}


def _holds_keras_tensor(value: Any) -> bool:
    return any(getattr(x, "_is_keras_tensor", False) for x in nest.flatten(value))


def _jsonable(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    if hasattr(value, "as_numpy_dtype") or isinstance(value, np.dtype):  # a DType given as `dtype=`
        from ..framework.dtypes import as_dtype

        return as_dtype(value).name
    return value


def symbolic_op(function_name: str, fn: Callable, args: tuple, kwargs: dict) -> Any:
    """``fn(*args, **kwargs)`` on KerasTensors: a new operation node and its output KerasTensor(s)."""
    function_name = _CANONICAL.get(function_name, function_name)
    operands, arguments = _split(function_name, fn, args, kwargs)
    return _operation_class(function_name)(function_name, arguments)(*operands)


def operation_node(function_name: str, arguments: dict, x: Any) -> Any:
    """The operation ``function_name`` holding ``arguments`` (all of them, defaults included), called on ``x``:
    what a ``keras.activations`` function makes of a KerasTensor."""
    return _operation_class(function_name)(function_name, {k: _jsonable(v) for k, v in arguments.items()})(x)


# -- argument values in configs (slices and arrays, as Keras 3 writes them) -------------------------------


def encode_value(x: Any) -> Any:
    """A node argument that is not a tensor, as JSON (None when it has no JSON form)."""
    if isinstance(x, slice):
        return {"class_name": "__slice__", "config": {"start": x.start, "stop": x.stop, "step": x.step}}
    if x is Ellipsis:
        return {"class_name": "__ellipsis__", "config": {}}
    from ..framework.tensor import EagerTensor

    if isinstance(x, EagerTensor):
        x = np.asarray(x)  # an eager constant (``x + tf.constant(...)``) is kept as its value
    if isinstance(x, (np.ndarray, np.generic)):
        return {"class_name": "__numpy__", "config": {"value": np.asarray(x).tolist(), "dtype": x.dtype.name}}
    return None


def decode_value(x: Any) -> Any:
    if isinstance(x, dict) and x.get("class_name") == "__slice__":
        c = x["config"]
        return slice(c.get("start"), c.get("stop"), c.get("step"))
    if isinstance(x, dict) and x.get("class_name") == "__ellipsis__":
        return Ellipsis
    if isinstance(x, dict) and x.get("class_name") == "__numpy__":
        return np.asarray(x["config"]["value"], dtype=x["config"]["dtype"])
    return x

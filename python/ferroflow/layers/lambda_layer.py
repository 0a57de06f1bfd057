"""``Lambda``: a layer that applies a function (for quick expressions in ``Sequential``/functional models).

Its config names a module-level function by module and name; a ``lambda`` (or closure) is saved as its
bytecode, which, as in Keras, is only loaded again with ``load_model(..., safe_mode=False)``, since loading
bytecode runs arbitrary code.
"""

from __future__ import annotations

import base64
import contextlib
import importlib
import inspect
import marshal
import threading
import types
from typing import Any, Callable, Iterator, Optional

from .base_layer import Layer

_unsafe = threading.local()
# ``keras.config.enable_unsafe_deserialization()``: for the whole process, every thread, every later load.
_unsafe_everywhere = {"enabled": False}


def enable_unsafe_deserialization() -> None:
    """Lets every later load (``load_model`` even with ``safe_mode=True``, ``from_config``) rebuild Lambda
    layers from saved bytecode, as Keras's ``keras.config.enable_unsafe_deserialization()`` does. Only for
    files you trust: loading bytecode runs arbitrary code."""
    _unsafe_everywhere["enabled"] = True


@contextlib.contextmanager
def unsafe_deserialization(allowed: bool) -> Iterator[None]:
    """While active (``load_model(safe_mode=False)``), Lambda layers may load saved bytecode."""
    saved = getattr(_unsafe, "allowed", False)
    _unsafe.allowed = allowed
    try:
        yield
    finally:
        _unsafe.allowed = saved


class Lambda(Layer):
    """``Lambda(function, output_shape=None, mask=None, arguments=None)``: ``function(inputs, **arguments)``."""

    def __init__(
        self,
        function: Callable,
        output_shape: Any = None,
        mask: Any = None,
        arguments: Optional[dict] = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        if not callable(function):
            raise TypeError(f"Lambda expects a callable function, received {type(function).__name__}")
        self.function = function
        self.arguments = dict(arguments or {})
        self._output_shape = output_shape
        self.mask = mask
        self.supports_masking = mask is not None
        params = _parameters(function)
        self._fn_takes_mask = "mask" in params
        self._fn_takes_training = "training" in params
        self.built = True

    def call(self, inputs: Any, mask: Any = None, training: Any = None) -> Any:
        kwargs = dict(self.arguments)
        if self._fn_takes_mask:
            kwargs["mask"] = mask
        if self._fn_takes_training:
            kwargs["training"] = training
        return self.function(inputs, **kwargs)

    def compute_mask(self, inputs: Any, mask: Any = None) -> Any:
        return self.mask(inputs, mask) if callable(self.mask) else (self.mask if self.mask is not None else mask)

    def compute_output_shape(self, input_shape: Any) -> Any:
        if self._output_shape is None:
            return super().compute_output_shape(input_shape)
        if callable(self._output_shape):
            return self._output_shape(input_shape)
        return (tuple(input_shape)[0],) + tuple(self._output_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(function=_serialize_function(self.function), arguments=self.arguments)
        if self._output_shape is not None and not callable(self._output_shape):
            config["output_shape"] = list(self._output_shape)
        return config

    @classmethod
    def from_config(cls, config: dict) -> Lambda:
        config = dict(config)
        config["function"] = _deserialize_function(config["function"])
        if config.get("output_shape") is not None:
            config["output_shape"] = tuple(config["output_shape"])
        return super().from_config(config)


def _parameters(fn: Callable) -> set:
    try:
        return set(inspect.signature(fn).parameters)
    except (TypeError, ValueError):
        return set()


def _serialize_function(fn: Callable) -> dict:
    name = getattr(fn, "__qualname__", "")
    module = getattr(fn, "__module__", None)
    if module and name and "<" not in name:
        return {"class_name": "function", "config": {"module": module, "function_name": name}}
    code = base64.b64encode(marshal.dumps(fn.__code__)).decode("ascii")
    return {"class_name": "__lambda__", "config": {"code": code, "defaults": fn.__defaults__}}


def _deserialize_function(config: Any) -> Callable:
    if callable(config):
        return config
    inner = config.get("config", {})
    if config.get("class_name") == "function":
        target: Any = importlib.import_module(inner["module"])
        for part in inner["function_name"].split("."):
            target = getattr(target, part)
        return target
    if not (getattr(_unsafe, "allowed", False) or _unsafe_everywhere["enabled"]):
        raise ValueError(
            "Requested the deserialization of a Lambda layer whose function is a Python lambda: loading it runs "
            "arbitrary code. Pass safe_mode=False to load_model(), or call "
            "keras.config.enable_unsafe_deserialization(), if you trust the source of the file."
        )
    code = marshal.loads(base64.b64decode(inner["code"]))
    defaults = tuple(inner["defaults"]) if inner.get("defaults") else None
    return types.FunctionType(code, globals(), code.co_name, defaults)

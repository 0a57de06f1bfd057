"""``Layer``: the Keras layer base (lazy build, naming, training flag, masks, config); weights: layer_weights,
dtypes and autocasting: _layer_dtypes."""

from __future__ import annotations

import inspect
import threading
from typing import Any, Optional

import numpy as np

from ..framework import context, nest
from ..framework.tensor import Tensor
from . import _resolve, dtype_policy, masking_support
from ._layer_dtypes import LayerDTypes
from ._util import (
    is_keras_tensor,
    is_replaying_node,
    jsonable_shape,
    shapes_of,
    to_snake_case,
    tuple_shape,
    unique_name,
)
from .input_spec import assert_input_compatibility
from .keras_variable import KerasVariable, path_scope
from .layer_nodes import LayerNodes
from .layer_weights import LayerWeights

_call_ctx = threading.local()


def _training_from_context() -> Optional[bool]:
    stack = getattr(_call_ctx, "training", None)
    return stack[-1] if stack else None


class Layer(LayerDTypes, LayerWeights, LayerNodes):
    """Base class of all layers: subclasses implement ``build(input_shape)`` and ``call(inputs)``."""

    # Keras 3's flag: preprocessing layers and functional models also take Python values positionally.
    _allow_non_tensor_positional_args = False

    def __init__(
        self,
        trainable: bool = True,
        name: Optional[str] = None,
        dtype: Any = None,
        autocast: bool = True,
        **kwargs: Any,
    ) -> None:
        if self.__dict__.get("_layer_initialized"):
            return  # a mixin's __init__ (the trainer's) reached Layer.__init__ a second time
        shape = kwargs.pop("input_shape", None)
        input_dim = kwargs.pop("input_dim", None)
        batch_shape = kwargs.pop("batch_input_shape", None)
        batch_size = kwargs.pop("batch_size", None)
        activity_regularizer = kwargs.pop("activity_regularizer", None)
        if kwargs:
            raise ValueError(f"Unrecognized keyword arguments passed to {type(self).__name__}: {kwargs}")
        # Attributes a subclass set before calling this (Keras 3 tracks those too): tracked once lists exist.
        early = {k: v for k, v in self.__dict__.items() if not k.startswith("_")}
        if input_dim is not None and shape is None:
            shape = (input_dim,)
        if shape is not None and batch_shape is None:
            batch_shape = (batch_size,) + tuple(shape)
        self._batch_input_shape = None if batch_shape is None else tuple(batch_shape)
        if name is not None and not isinstance(name, str):
            raise TypeError(f"Argument `name` must be a string. Received: name={name!r}")
        self.name = name if name is not None else unique_name(to_snake_case(type(self).__name__))
        self.dtype_policy = dtype  # a policy, its name, a DType or a DTypePolicy config; None: the global one
        self.autocast = autocast
        self._convert_input_args = True  # Keras's flag: functional models leave their inputs to their layers
        self.built = False
        self._trainable = bool(trainable)
        self._trainable_vars: list = []
        self._non_trainable_vars: list = []
        self._layers: list = []
        self._losses: list = []  # added by the last call (add_loss, the activity regularizer)
        self._regularizers: list = []
        self.activity_regularizer = _resolve.regularizer(activity_regularizer)
        self.input_spec = None
        self._build_shapes = None
        self._inbound_nodes: list = []
        self._last_output_shape = None
        params = inspect.signature(self.call).parameters
        self._first_call_arg = next(iter(params), None)
        # As Keras 3: a layer that defines its own compute_mask supports masking unless it says otherwise.
        self._supports_masking = type(self).compute_mask is not Layer.compute_mask
        self._layer_initialized = True
        self._call_has_training = "training" in params or any(p.kind == p.VAR_KEYWORD for p in params.values())
        positional = [n for n, p in params.items() if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        self._training_position = positional.index("training") if "training" in positional else None
        for key, value in early.items():
            if self.__dict__.get(key) is value:  # still the subclass's value: track it
                self.__setattr__(key, value)

    # -- attribute tracking (sublayers assigned as attributes, Keras-style)
    def __setattr__(self, key: str, value: Any) -> None:
        if "_layers" in self.__dict__ and not key.startswith("_"):
            for v in nest.flatten(value) if isinstance(value, (list, tuple)) else [value]:
                if isinstance(v, Layer) and v is not self and all(v is not s for s in self._layers):
                    self._layers.append(v)
                elif isinstance(v, KerasVariable) and all(v is not w for w in self._own_weights()):
                    # As Keras 3: a Keras weight assigned to an attribute is a weight of this layer too; a plain
                    # ``tf.Variable`` is not (tf.train.Checkpoint still saves it, from the attribute).
                    (self._trainable_vars if v.trainable else self._non_trainable_vars).append(v)
        object.__setattr__(self, key, value)

    @property
    def losses(self) -> list:
        """Regularization penalties (tensors, computed now) plus losses added with ``add_loss``."""
        out = [reg(var) for reg, var in self._regularizers] + list(self._losses)
        for layer in self._layers:
            out.extend(layer.losses)
        return out

    def add_loss(self, loss: Any) -> None:
        self._losses.append(loss)

    # -- building and calling
    def build(self, input_shape: Any = None) -> None:
        self.built = True

    def _maybe_build(self, shapes: Any) -> None:
        if self.built:
            return
        self._build_shapes = shapes
        with context.eager_scope(), path_scope(self.name):
            self.build(shapes)
        self.built = True

    def call(self, inputs: Any, *args: Any, **kwargs: Any) -> Any:
        return inputs

    # -- masking (Keras's ``_keras_mask``; see masking_support)
    @property
    def supports_masking(self) -> bool:
        return self._supports_masking

    @supports_masking.setter
    def supports_masking(self, value: bool) -> None:
        self._supports_masking = bool(value)

    def compute_mask(self, inputs: Any, previous_mask: Any = None) -> Any:
        """The mask of the outputs: by default the input's mask, passed through."""
        return previous_mask

    def _check_positional_training(self, args: tuple) -> None:
        """As Keras 3: a value given positionally in ``call``'s ``training`` slot (``model(x, y)``) is taken as
        the training flag and then passed again by keyword, so Python's 'multiple values' TypeError follows."""
        pos = self._training_position
        if pos is None or len(args) <= pos:
            return
        training = args[pos] if args[pos] is not None else _training_from_context()
        if training is not None:
            owner = type(self).call.__qualname__.rsplit(".", 1)[0]
            if owner == "Model" and getattr(self, "_is_graph_network", False):
                owner = "Functional"  # Keras's class for Model(inputs, outputs)
            raise TypeError(f"{owner}.call() got multiple values for argument 'training'")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        positional = args
        if not args:
            first = "inputs" if "inputs" in kwargs else self._first_call_arg
            if first in kwargs:
                args = (kwargs.pop(first),)
        if not args:
            raise TypeError(f"Layer '{self.name}' was called without inputs")
        if any(is_keras_tensor(x) for x in nest.flatten((args, kwargs))):
            from .keras_tensor import symbolic_call

            self._check_positional_training(args)
            return symbolic_call(self, args, kwargs)
        if not (self._allow_non_tensor_positional_args or is_replaying_node()):
            _check_positional(positional)
        self._check_positional_training(args)
        inputs = nest.map_structure(lambda x: masking_support.keep_mask(x, self._convert_input(x)), args[0])
        args = (inputs,) + args[1:]
        training = kwargs.pop("training", None)
        if training is None:
            training = _training_from_context()
        if training is not None and self._call_has_training:
            kwargs["training"] = training
        if not self.built:
            self._maybe_build(shapes_of(inputs))
        assert_input_compatibility(self.input_spec, inputs, self.name)
        stack = getattr(_call_ctx, "training", None)
        if stack is None:
            stack = _call_ctx.training = []
        stack.append(training)
        self._losses.clear()  # as in Keras, the losses a call adds replace the previous call's
        previous_mask = masking_support.populate_mask_args(self, args, kwargs)
        scope = self._autocast_scope()
        try:
            with context.name_scope(self.name), path_scope(self.name):
                if scope is None:
                    outputs = self.call(*args, **kwargs)
                else:
                    with scope:
                        outputs = self.call(*args, **kwargs)
        finally:
            stack.pop()
        if self.activity_regularizer is not None:
            for out in nest.flatten(outputs):
                if isinstance(out, Tensor):
                    self.add_loss(self.activity_regularizer(out))
        masking_support.attach_output_masks(self, inputs, outputs, previous_mask)
        if self._last_output_shape is None:  # as Keras 3's summary: the output shape of the building call
            self._last_output_shape = nest.map_structure(
                lambda t: tuple(t.shape) if isinstance(t, Tensor) and t.shape.rank is not None else None, outputs
            )
        return outputs

    def compute_output_shape(self, input_shape: Any) -> Any:
        from .keras_tensor import output_shape_by_tracing

        return output_shape_by_tracing(self, input_shape)

    # -- config
    def get_config(self) -> dict:
        # Keras 3 gives the policy as its serialized dict; from_config takes that dict or a plain name.
        config = {"name": self.name, "trainable": self.trainable, "dtype": dtype_policy.serialize(self._dtype_policy)}
        if self._batch_input_shape is not None:
            config["batch_input_shape"] = list(self._batch_input_shape)
        return config

    @classmethod
    def from_config(cls, config: dict) -> Layer:
        try:
            return cls(**config)
        except TypeError as e:
            raise TypeError(
                f"Error when deserializing class '{cls.__name__}' using config={config}. Exception encountered: {e}"
            ) from e

    def get_build_config(self) -> Optional[dict]:
        if self._build_shapes is not None:
            return {"input_shape": jsonable_shape(self._build_shapes)}
        return None

    def build_from_config(self, config: Optional[dict]) -> None:
        if config and config.get("input_shape") is not None and not self.built:
            self._maybe_build(tuple_shape(config["input_shape"]))

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"


_PY_SCALARS = (bool, int, float, complex, str, bytes)


def _check_positional(args: tuple) -> None:
    """Keras 3 takes only tensors (or arrays) as positional arguments: a Python number or string there
    (``layer([[2.0, 2.0]])``, ``layer(x, True)``) raises its ValueError; NumPy values are arrays."""
    for arg in nest.flatten(args):
        if isinstance(arg, _PY_SCALARS) and not isinstance(arg, np.generic):
            raise ValueError(
                "Only input tensors may be passed as positional arguments. The following argument value should be "
                f"passed as a keyword argument: {arg} (of type {type(arg)})"
            )

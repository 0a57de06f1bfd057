"""``Sequential``: a plain stack of layers, each with one input and one output."""

from __future__ import annotations

from typing import Any, Optional

from ..framework import nest
from ..layers._util import jsonable_shape, tuple_shape, warn_input_shape
from ..layers.base_layer import Layer
from ..layers.input_layer import InputLayer
from ..layers.input_spec import InputSpec
from ..layers.keras_variable import path_scope
from .model import Model


class Sequential(Model):
    """``Sequential([Input((784,)), Dense(64, activation="relu"), Dense(10)])``; built now or on the first batch."""

    def __init__(self, layers: Optional[list] = None, trainable: bool = True, name: Optional[str] = None) -> None:
        super().__init__(trainable=trainable, name=name)
        self._input_layer: Optional[InputLayer] = None
        self._stack: list = []
        for layer in layers or []:
            self.add(layer, rebuild=False)
        self._rebuild()

    def add(self, layer: Any, rebuild: bool = True) -> None:
        """Appends a layer (or an ``Input``) to the stack."""
        if getattr(layer, "_is_keras_tensor", False) and isinstance(layer._keras_history[0], InputLayer):
            layer = layer._keras_history[0]
        if not isinstance(layer, Layer):
            raise ValueError(
                "Only instances of `keras.Layer` can be added to a Sequential model. "
                f"Received: {layer} (of type {type(layer)})"
            )
        if isinstance(layer, InputLayer):
            if self._input_layer is not None or self._stack:
                raise ValueError(
                    f"Sequential model '{self.name}' has already been configured to use an input. "
                    "An InputLayer can only be added as the first layer."
                )
            self._input_layer = layer
        else:
            if any(layer.name == other.name for other in self._stack):
                raise ValueError(
                    "All layers added to a Sequential model should have unique names. Name "
                    f"'{layer.name}' is already the name of a layer in this model. Update the `name` argument "
                    "to pass a unique name."
                )
            if not self._stack and self._input_layer is None and layer._batch_input_shape is not None:
                warn_input_shape(layer)
                self._input_layer = InputLayer(batch_shape=layer._batch_input_shape, dtype=layer.dtype)
            self._stack.append(layer)
        self._layers = list(self._stack)
        if rebuild:
            self._rebuild()

    def pop(self, rebuild: bool = True) -> Layer:
        if not self._stack:
            raise TypeError("There are no layers in the model.")
        layer = self._stack.pop()
        self._layers = list(self._stack)
        if rebuild:
            self._rebuild()
        return layer

    def _rebuild(self) -> None:
        self.built = False
        if self._input_layer is not None and self._stack:
            self._build_graph(self._input_layer)

    def _build_graph(self, input_layer: InputLayer) -> None:
        x = input_layer.output
        with path_scope(self.name):  # as Keras 3: the layers' weights are at sequential/dense/kernel
            for layer in self._stack:
                x = layer(x)
                if len(nest.flatten(x)) != 1:
                    raise ValueError(
                        "All layers in a Sequential model should have a single output tensor. For multi-output "
                        f"layers, use the functional API. Layer '{layer.name}' returned {len(nest.flatten(x))} "
                        "outputs"
                    )
        self._build_shapes = tuple(input_layer.batch_shape)
        self.input_spec = InputSpec(shape=(None,) + tuple(input_layer.batch_shape[1:]), allow_last_axis_squeeze=True)
        self._sym_input = input_layer.output
        self._sym_output = x
        self._last_output_shape = tuple(x.shape)
        self.built = True

    def build(self, input_shape: Any = None) -> None:
        if self.built:
            return
        if input_shape is None:
            if self._input_layer is None:
                raise ValueError("You must provide an `input_shape` argument.")
            input_shape = self._input_layer.batch_shape
        if isinstance(input_shape, dict) and self._stack and getattr(self._stack[0], "_is_feature_layer", False):
            # A feature layer first (DenseFeatures) takes the dict of features: the model runs its layers in
            # order when called, without a symbolic graph (Keras 2's deferred Sequential). The layers are built
            # from the shapes passed along (a model loaded from a file gets its weights before any call).
            shape: Any = input_shape
            for layer in self._stack:
                layer._maybe_build(shape)
                shape = layer.compute_output_shape(shape)
            self._sym_input = self._sym_output = None
            self._build_shapes = input_shape
            self.built = True
            return
        if isinstance(input_shape, dict) or (input_shape and isinstance(input_shape[0], (list, tuple))):
            raise ValueError(f"Sequential model '{self.name}' cannot be built for multiple inputs: {input_shape}")
        if not self._stack:
            raise ValueError(f"Sequential model {self.name} cannot be built because it has no layers.")
        if self._input_layer is None:  # as Keras: the shape of the batch it was built for, batch size included
            self._input_layer = InputLayer(batch_shape=tuple(input_shape))
        self._build_graph(self._input_layer)

    def _maybe_build(self, shapes: Any) -> None:
        if not self.built:
            self.build(shapes)

    def call(self, inputs: Any, training: Optional[bool] = None, mask: Any = None) -> Any:
        x = inputs
        if getattr(self, "_sym_input", None) is not None:
            from .functional import adjust_input_rank

            x = adjust_input_rank(x, self._sym_input.shape)
        if mask is not None:  # the first layer sees it as the input's mask
            from ..layers.masking_support import set_mask

            set_mask(x, mask)
        for layer in self._stack:
            x = layer(x, training=training) if training is not None else layer(x)
        return x

    @property
    def layers(self) -> list:
        return list(self._stack)

    @property
    def inputs(self) -> Any:
        return [self._sym_input] if self.built else None

    @property
    def outputs(self) -> Any:
        return [self._sym_output] if self.built else None

    @property
    def input(self) -> Any:
        if not self.built:
            raise AttributeError(f"Sequential model '{self.name}' has no defined input yet.")
        return self._sym_input

    @property
    def output(self) -> Any:
        if not self.built:
            raise AttributeError(f"Sequential model '{self.name}' has no defined output yet.")
        return self._sym_output

    def get_config(self) -> dict:
        from ..layers import serialize

        layers = [serialize(self._input_layer)] if self._input_layer is not None else []
        layers += [serialize(layer) for layer in self._stack]
        config = {"name": self.name, "trainable": self.trainable, "layers": layers}
        if self.built and self._build_shapes is not None:
            shapes = self._build_shapes  # a dict of feature shapes when DenseFeatures comes first
            config["build_input_shape"] = jsonable_shape(shapes) if isinstance(shapes, dict) else list(shapes)
        return config

    @classmethod
    def from_config(cls, config: dict, custom_objects: Optional[dict] = None) -> Sequential:
        from ..layers import deserialize

        model = cls(name=config.get("name"), trainable=config.get("trainable", True))
        for layer_config in config.get("layers", []):
            model.add(deserialize(layer_config, custom_objects), rebuild=False)
        model._rebuild()
        shape = config.get("build_input_shape")
        if not model.built and shape:
            model.build(tuple_shape(shape) if isinstance(shape, dict) else tuple(shape))
        return model

"""``Model``: a functional ``Model(inputs, outputs)`` or a subclass with its own ``call``."""

from __future__ import annotations

import functools
import inspect
from typing import Any, Optional

from ..framework import nest
from ..layers._util import is_keras_tensor
from ..layers.base_layer import Layer
from ..layers.input_spec import InputSpec
from . import functional, weights_io
from .layer_order import keras_layer_order
from .trainer import Trainer


class Model(Trainer, Layer):
    """A layer with training and saving: ``Model(inputs, outputs)`` or a subclass defining ``call``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        inputs = kwargs.pop("inputs", args[0] if args else None)
        outputs = kwargs.pop("outputs", args[1] if len(args) > 1 else None)
        name = kwargs.pop("name", None)
        if name is None and type(self) is Model and (inputs is not None or outputs is not None):
            from ..layers._util import unique_name

            name = unique_name("functional")
        Layer.__init__(self, trainable=kwargs.pop("trainable", True), name=name, **kwargs)
        Trainer.__init__(self)  # the trainer's state (optimizer, stop_training ...)
        from .. import distribute

        # A model made inside ``strategy.scope()`` belongs to that strategy (Keras's ``distribute_strategy``).
        self._distribute_strategy = distribute.get_strategy() if distribute.has_strategy() else None
        self._is_graph_network = False
        if inputs is not None or outputs is not None:
            if inputs is None or outputs is None:
                raise ValueError("A functional Model needs both `inputs` and `outputs`")
            self._init_graph(inputs, outputs)

    # -- functional mode
    def _init_graph(self, inputs: Any, outputs: Any) -> None:
        if isinstance(inputs, tuple):
            inputs = list(inputs)
        if isinstance(outputs, tuple):
            outputs = list(outputs)
        self._nodes = functional.order_nodes(inputs, outputs)
        self._inputs_struct = inputs
        self._outputs_struct = outputs
        self._is_graph_network = True
        self._convert_input_args = False  # as Keras's Functional: each layer casts what it receives
        self._allow_non_tensor_positional_args = True  # as Keras's Functional
        # As Keras 3: operations (``x + y``, ``keras.ops.mean(x)`` on KerasTensors) run and show in summary() but
        # are not among ``model.layers``.
        self._operations = keras_layer_order(inputs, outputs)
        self._layers = [op for op in self._operations if not getattr(op, "_is_operation", False)]
        self.input_spec = nest.map_structure(
            lambda t: InputSpec(shape=tuple(t.shape), allow_last_axis_squeeze=True, name=functional.input_name(t)),
            inputs,
        )
        self._build_shapes = nest.map_structure(lambda t: tuple(t.shape), inputs)
        self._last_output_shape = nest.map_structure(lambda t: tuple(t.shape), outputs)
        self.built = True

    @property
    def distribute_strategy(self) -> Any:
        """The ``tf.distribute.Strategy`` whose scope the model was made in, else the current strategy."""
        from .. import distribute

        return getattr(self, "_distribute_strategy", None) or distribute.get_strategy()

    @property
    def inputs(self) -> Any:
        return nest.flatten(self._inputs_struct) if self._is_graph_network else None

    @property
    def outputs(self) -> Any:
        return nest.flatten(self._outputs_struct) if self._is_graph_network else None

    @property
    def input(self) -> Any:
        if not self._is_graph_network:
            raise AttributeError(f"Layer {self.name} is not connected, no input to return.")
        return self._inputs_struct

    @property
    def output(self) -> Any:
        if not self._is_graph_network:
            raise AttributeError(f"Layer {self.name} is not connected, no output to return.")
        return self._outputs_struct

    @property
    def input_shape(self) -> Any:
        return nest.map_structure(lambda t: tuple(t.shape), self.input)

    @property
    def output_shape(self) -> Any:
        shapes = nest.map_structure(lambda t: tuple(t.shape), self.output)
        return shapes[0] if isinstance(shapes, list) and len(shapes) == 1 else shapes  # as Keras 3

    def call(self, inputs: Any, training: Optional[bool] = None, mask: Any = None) -> Any:
        if not self._is_graph_network:
            raise NotImplementedError(
                f"Model {type(self).__name__} does not have a `call()` method implemented: subclasses of Model "
                "must define call(), or be created as Model(inputs, outputs)"
            )
        if mask is not None:  # as Keras's Functional: masks given to the call ride on the inputs
            from ..layers.masking_support import set_mask

            for x, m in zip(nest.flatten(inputs), nest.flatten(mask)):
                if m is not None:
                    set_mask(x, m)
        out = functional.run_nodes(self._nodes, self._inputs_struct, self._outputs_struct, inputs, training)
        # As Keras 3's Functional: a one-element list of outputs gives a tensor when the model runs (a symbolic
        # call keeps the list), so Model(inputs, [x]) trains and predicts as Model(inputs, x).
        if isinstance(out, list) and len(out) == 1 and not is_keras_tensor(out[0]):
            return out[0]
        return out

    @functools.wraps(Trainer.compile)
    def compile(self, *args: Any, **kwargs: Any) -> None:
        Trainer.compile(self, *args, **kwargs)
        # Keras's auto_scale_loss: a mixed_float16 model trains through a LossScaleOptimizer.
        arguments = inspect.signature(Trainer.compile).bind(self, *args, **kwargs).arguments
        if arguments.get("auto_scale_loss", True) and self.dtype_policy.name == "mixed_float16":
            from ..optimizers.loss_scale_optimizer import LossScaleOptimizer

            if self.optimizer is not None and not isinstance(self.optimizer, LossScaleOptimizer):
                self.optimizer = LossScaleOptimizer(self.optimizer, name="loss_scale_optimizer")

    # -- building
    def _maybe_build(self, shapes: Any) -> None:
        if self.built:
            return
        self._build_shapes = shapes
        if type(self).build is not Model.build:
            Layer._maybe_build(self, shapes)
        self.built = True

    def build(self, input_shape: Any = None) -> None:
        """Builds a subclassed model by tracing ``call`` on placeholders of ``input_shape``."""
        if self._is_graph_network or self.built:
            return
        if input_shape is None:
            raise ValueError("You must provide an `input_shape` argument to build a subclassed model.")
        from ..layers.keras_tensor import output_shape_by_tracing

        self.built = True
        self._build_shapes = input_shape
        try:
            output_shape_by_tracing(self, input_shape)
        except Exception as e:
            self.built = False
            raise ValueError(
                f"You cannot build your model by calling `build` if your layers do not support float type inputs, "
                f"or if call() fails on symbolic inputs of shape {input_shape}. Call the model on real data "
                f"instead. The call raised: {type(e).__name__}: {e}"
            ) from e

    def build_from_config(self, config: Optional[dict]) -> None:
        if config and config.get("input_shape") is not None and not self.built:
            from ..layers._util import tuple_shape

            self.build(tuple_shape(config["input_shape"]))

    # -- layers and weights
    @property
    def layers(self) -> list:
        return list(self._layers)

    def get_layer(self, name: Optional[str] = None, index: Optional[int] = None) -> Layer:
        if index is not None and name is not None:
            raise ValueError(f"Provide only a layer name or a layer index. Received: index={index}, name={name}.")
        if index is not None:
            if len(self.layers) <= index:
                raise ValueError(
                    f"Was asked to retrieve layer at index {index} but model only has {len(self.layers)} layers."
                )
            return self.layers[index]
        if name is not None:
            for layer in self.layers:
                if layer.name == name:
                    return layer
            raise ValueError(
                f"No such layer: {name}. Existing layers are: {list(layer.name for layer in self.layers)}."
            )
        raise ValueError("Provide either a layer name or layer index at `get_layer`.")

    def set_weights(self, weights: Any) -> None:
        if not self.built:
            raise ValueError(f"Model '{self.name}' is not built yet: build it before calling set_weights()")
        values = list(weights)
        variables = self.weights
        if len(values) != len(variables):
            raise ValueError(
                f'You called `set_weights(weights)` on model "{self.name}" with a weight list of length '
                f"{len(values)}, but the model was expecting {len(variables)} weights."
            )
        owners = self._weight_owners()
        # Check every shape before assigning any, so that a bad list leaves the model unchanged.
        for check_only in (True, False):
            i = 0
            for layer, owned in owners:
                chunk = values[i : i + len(owned)]
                if check_only:
                    weights_io.check_shapes(layer, owned, chunk)
                else:
                    weights_io.assign_weights(layer, owned, chunk)
                i += len(owned)

    def _weight_owners(self) -> list:
        out: list = []
        seen: set = set()

        def walk(layer: Layer) -> None:
            owned = [v for v in layer._own_weights() if id(v) not in seen]
            if owned:
                out.append((layer, owned))
                seen.update(id(v) for v in owned)
            for sub in layer._layers:
                walk(sub)

        walk(self)
        return out

    def summary(
        self,
        line_length: Optional[int] = None,
        positions: Optional[list] = None,
        print_fn: Any = None,
        expand_nested: bool = False,
        show_trainable: bool = False,
        layer_range: Any = None,
    ) -> None:
        from .summary import print_summary

        print_summary(self, line_length, positions, print_fn, show_trainable=show_trainable)

    # -- saving
    def save_weights(self, filepath: Any, overwrite: bool = True) -> None:
        weights_io.save_weights(self, filepath, overwrite)

    def load_weights(self, filepath: Any, skip_mismatch: bool = False, **kwargs: Any) -> None:
        weights_io.load_weights(self, filepath, skip_mismatch)

    def save(self, filepath: Any, overwrite: bool = True, **kwargs: Any) -> None:
        from .saving_api import save_model

        save_model(self, filepath, overwrite=overwrite, **kwargs)

    def export(
        self, filepath: Any, format: str = "ferroflow", verbose: Optional[bool] = True, input_signature: Any = None
    ) -> None:
        """Writes the inference graph and weights to the directory ``filepath``, for serving without Python."""
        from .export import export_model

        export_model(self, filepath, format=format, verbose=verbose, input_signature=input_signature)

    def to_json(self, **kwargs: Any) -> str:
        import json

        from ..layers import serialize

        return json.dumps(serialize(self), **kwargs)

    # -- config
    def get_config(self) -> dict:
        if not self._is_graph_network:
            return {"name": self.name, "trainable": self.trainable}
        config = {"name": self.name, "trainable": self.trainable}
        config.update(functional.graph_config(self._nodes, self._inputs_struct, self._outputs_struct))
        return config

    @classmethod
    def from_config(cls, config: dict, custom_objects: Optional[dict] = None) -> Model:
        config = dict(config)
        if "calls" in config and "layers" in config:
            inputs, outputs = functional.rebuild_graph(config, custom_objects)
            return cls(inputs=inputs, outputs=outputs, name=config.get("name"), trainable=config.get("trainable", True))
        try:
            return cls(**config)
        except TypeError as e:
            raise TypeError(
                f"Unable to revive model from config. When overriding the `get_config()` method, make sure that the "
                f"returned config contains all items used as arguments in the constructor to {cls}, which is the "
                f"default behavior. Received config={config}. Error encountered during deserialization: {e}"
            ) from e

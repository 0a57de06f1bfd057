"""``Bidirectional``: a recurrent layer run forwards and a copy run backwards, their outputs merged."""

from __future__ import annotations

from typing import Any, Optional

from ..framework import nest
from ..ops import array_ops, math_ops
from . import masking_support
from ._keras_weight_groups import weight_groups
from ._sublayer_config import clone_layer, deserialize_sublayer, serialize_sublayer
from .base_layer import Layer
from .keras_variable import path_scope

_MERGE_MODES = ("sum", "mul", "ave", "concat", None)


def _renamed(name: str, prefix: str) -> str:
    return prefix + (name[len(prefix) :] if name.startswith(prefix) else name)


class Bidirectional(Layer):
    """``Bidirectional(LSTM(64))``: outputs of both directions merged by ``merge_mode``
    (``"concat"``, ``"sum"``, ``"mul"``, ``"ave"``, or None for a list of both)."""

    def __init__(
        self,
        layer: Layer,
        merge_mode: Optional[str] = "concat",
        weights: Any = None,
        backward_layer: Optional[Layer] = None,
        **kwargs: Any,
    ) -> None:
        if not isinstance(layer, Layer):
            raise ValueError(
                f"Please initialize `Bidirectional` layer with a `keras.layers.Layer` instance. Received: {layer}"
            )
        if backward_layer is not None and not isinstance(backward_layer, Layer):
            raise ValueError(f"`backward_layer` need to be a `keras.layers.Layer` instance. Received: {backward_layer}")
        if merge_mode not in _MERGE_MODES:
            raise ValueError(
                f"Invalid merge mode. Received: {merge_mode}. Merge mode should be one of "
                '{"sum", "mul", "ave", "concat", None}'
            )
        super().__init__(**kwargs)
        # As Keras: both directions are fresh copies of `layer` (whose own weights stay unused).
        self.forward_layer = clone_layer(layer, name=_renamed(layer.name, "forward_"))
        if backward_layer is None:
            backward_layer = clone_layer(layer, go_backwards=True, name=_renamed(layer.name, "backward_"))
        self.backward_layer = backward_layer
        self._verify_layer_config()
        for sub in (self.forward_layer, self.backward_layer):
            if getattr(sub, "zero_output_for_mask", None) is not None:
                sub.zero_output_for_mask = sub.return_sequences
        self.merge_mode = merge_mode
        self._initial_weights = list(weights) if weights else None
        self.stateful = layer.stateful
        self.return_sequences = layer.return_sequences
        self.return_state = layer.return_state
        self.supports_masking = True
        self.input_spec = layer.input_spec

    def _verify_layer_config(self) -> None:
        fwd, bwd = self.forward_layer, self.backward_layer
        if fwd.go_backwards == bwd.go_backwards:
            raise ValueError(
                "Forward layer and backward layer should have different `go_backwards` value. Received: "
                f"forward_layer.go_backwards {fwd.go_backwards}, backward_layer.go_backwards={bwd.go_backwards}"
            )
        for attr in ("stateful", "return_sequences", "return_state"):
            if getattr(fwd, attr) != getattr(bwd, attr):
                raise ValueError(
                    f'Forward layer and backward layer are expected to have the same value for attribute "{attr}", '
                    f'got "{getattr(fwd, attr)}" for forward layer and "{getattr(bwd, attr)}" for backward layer'
                )

    def build(self, sequences_shape: Any, initial_state_shape: Any = None) -> None:
        with path_scope(self.name):  # as Keras 3: bidirectional/forward_lstm/lstm_cell/kernel
            for sub in (self.forward_layer, self.backward_layer):
                sub._maybe_build(tuple(sequences_shape))
        if self._initial_weights is not None:
            self.set_weights(self._initial_weights)
            self._initial_weights = None
        self.built = True

    def compute_output_shape(self, sequences_shape: Any, initial_state_shape: Any = None) -> Any:
        output_shape = self.forward_layer.compute_output_shape(tuple(sequences_shape))
        state_shape: tuple = ()
        if self.return_state:
            output_shape, state_shape = output_shape[0], tuple(output_shape[1:])
        if self.merge_mode == "concat":
            output_shape = tuple(output_shape[:-1]) + (output_shape[-1] * 2,)
        elif self.merge_mode is None:
            output_shape = [output_shape, output_shape]
        if self.return_state:
            if self.merge_mode is None:
                return tuple(output_shape) + state_shape + state_shape
            return (output_shape,) + state_shape + state_shape
        return tuple(output_shape) if self.merge_mode is not None else output_shape

    def call(self, sequences: Any, initial_state: Any = None, mask: Any = None, training: Any = None) -> Any:
        if mask is None:
            mask = masking_support.get_mask(sequences)
        kwargs: dict = {"mask": mask}
        if training is not None:
            kwargs["training"] = training
        forward_state = backward_state = None
        if initial_state is not None:
            initial_state = list(nest.flatten(initial_state))
            half = len(initial_state) // 2
            forward_state, backward_state = initial_state[:half], initial_state[half:]
        y = self.forward_layer(sequences, initial_state=forward_state, **kwargs)
        y_rev = self.backward_layer(sequences, initial_state=backward_state, **kwargs)
        states: tuple = ()
        if self.return_state:
            states = tuple(y[1:]) + tuple(y_rev[1:])
            y, y_rev = y[0], y_rev[0]
        if self.return_sequences:
            y_rev = y_rev[:, ::-1]  # back in time order (a strided slice: the batch size may be unknown)
        if self.merge_mode == "concat":
            output: Any = array_ops.concat([y, y_rev], axis=-1)
        elif self.merge_mode == "sum":
            output = math_ops.add(y, y_rev)
        elif self.merge_mode == "ave":
            output = math_ops.multiply(math_ops.add(y, y_rev), 0.5)
        elif self.merge_mode == "mul":
            output = math_ops.multiply(y, y_rev)
        else:
            output = (y, y_rev)
        if self.return_state:
            return output + states if self.merge_mode is None else (output,) + states
        return output

    def compute_mask(self, inputs: Any, previous_mask: Any = None) -> Any:
        mask = nest.flatten(previous_mask)[0] if previous_mask is not None else None
        if self.return_sequences:
            output_mask: Any = (mask, mask) if not self.merge_mode else mask
        else:
            output_mask = (None, None) if not self.merge_mode else None
        if self.return_state:
            n = len(self.forward_layer.state_size) * 2
            head = output_mask if isinstance(output_mask, tuple) else (output_mask,)
            return head + (None,) * n
        return output_mask

    # -- stateful use
    @property
    def states(self) -> Optional[tuple]:
        if self.forward_layer.states and self.backward_layer.states:
            return tuple(self.forward_layer.states + self.backward_layer.states)
        return None

    def reset_state(self) -> None:
        if not self.stateful:
            raise AttributeError("Layer must be stateful.")
        self.forward_layer.reset_state()
        self.backward_layer.reset_state()

    reset_states = reset_state

    def _keras_weight_groups(self) -> list:
        return weight_groups(self.forward_layer, "forward_layer") + weight_groups(self.backward_layer, "backward_layer")

    # -- config
    def get_config(self) -> dict:
        config = super().get_config()
        config["merge_mode"] = self.merge_mode
        config["layer"] = serialize_sublayer(self.forward_layer)
        config["backward_layer"] = serialize_sublayer(self.backward_layer)
        return config

    @classmethod
    def from_config(cls, config: dict, custom_objects: Optional[dict] = None) -> Bidirectional:
        config = dict(config)
        config["layer"] = deserialize_sublayer(config["layer"], custom_objects)
        if config.get("backward_layer") is not None:
            config["backward_layer"] = deserialize_sublayer(config["backward_layer"], custom_objects)
        return cls(**config)

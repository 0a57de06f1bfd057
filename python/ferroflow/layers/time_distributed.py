"""``TimeDistributed``: applies a layer to every timestep of a (batch, time, ...) input."""

from __future__ import annotations

import inspect
from typing import Any, Optional

from ..framework.ops import apply
from ..framework.tensor_shape import TensorShape
from ..ops import array_ops, math_ops
from ._keras_weight_groups import weight_groups
from ._sublayer_config import deserialize_sublayer, serialize_sublayer
from .base_layer import Layer
from .input_spec import display_shape


def _static(dims: Any) -> list:
    return [int(d) for d in dims]


def _unfold(outputs: Any, inputs: Any, out_inner: list) -> Any:
    """``outputs`` (batch * time, ...) as (batch, time, ...) when both are only known at run time: a static
    reshape cannot split them, so the shape comes from zeros of that shape (one output-sized fill)."""
    lead = inputs[(slice(None), slice(None)) + (0,) * (len(inputs.shape) - 2)]
    like = array_ops.zeros_like(lead, dtype=outputs.dtype)
    for _ in out_inner:
        like = array_ops.expand_dims(like, -1)
    like = math_ops.add(like, array_ops.zeros(out_inner, dtype=outputs.dtype))
    return apply("reshape_like", [outputs, like])


class TimeDistributed(Layer):
    """``TimeDistributed(Dense(8))`` on (batch, time, features) gives (batch, time, 8): one layer, every step.

    The timesteps are folded into the batch axis for one call of the wrapped layer, which equals a call per
    timestep for every layer that treats samples independently.
    """

    def __init__(self, layer: Layer, **kwargs: Any) -> None:
        if not isinstance(layer, Layer):
            raise ValueError(
                f"Please initialize `TimeDistributed` layer with a `keras.layers.Layer` instance. Received: {layer}"
            )
        super().__init__(**kwargs)
        self.layer = layer
        self.supports_masking = True

    def _child_input_shape(self, input_shape: Any) -> tuple:
        if isinstance(input_shape, TensorShape) and input_shape.rank is not None:
            input_shape = tuple(input_shape)
        if not isinstance(input_shape, (tuple, list)) or len(input_shape) < 3:
            raise ValueError(
                "`TimeDistributed` Layer should be passed an `input_shape` with at least 3 dimensions, received: "
                f"{tuple(input_shape) if isinstance(input_shape, (tuple, list)) else input_shape}"
            )
        return (input_shape[0], *input_shape[2:])

    def build(self, input_shape: Any) -> None:
        self.layer._maybe_build(self._child_input_shape(tuple(input_shape)))
        self.built = True

    def compute_output_shape(self, input_shape: Any) -> tuple:
        input_shape = tuple(input_shape)
        child = tuple(self.layer.compute_output_shape(self._child_input_shape(input_shape)))
        return (child[0], input_shape[1], *child[1:])

    def call(self, inputs: Any, training: Any = None, mask: Any = None) -> Any:
        shape = tuple(inputs.shape)
        self._child_input_shape(shape)
        batch, steps, inner = shape[0], shape[1], shape[2:]
        if None in inner:
            raise ValueError(
                f"Layer '{self.name}' (TimeDistributed) needs every feature dimension known; received an input of "
                f"shape {display_shape(shape)}"
            )
        if mask is not None:
            mask_shape = tuple(mask.shape)
            if len(mask_shape) < 2:
                raise ValueError(
                    "The `mask` passed to the `TimeDistributed` layer must be at least 2D (e.g., `(batch_size, "
                    f"timesteps)`), but it has {len(mask_shape)} dimension(s) with shape {mask_shape}."
                )
            if any(a is not None and b is not None and a != b for a, b in zip(mask_shape[:2], shape[:2])):
                raise ValueError(
                    f"The `mask` passed to the `TimeDistributed` layer has a shape {mask_shape} that is incompatible "
                    f"with the input shape {shape}. The first two dimensions of the mask (batch size and timesteps) "
                    "must match the input's first two dimensions. Expected mask shape prefix: "
                    f"({shape[0]}, {shape[1]})."
                )
        params = inspect.signature(self.layer.call).parameters
        kwargs: dict = {}
        if training is not None and self.layer._call_has_training:
            kwargs["training"] = training
        if mask is not None and "mask" in params:
            kwargs["mask"] = array_ops.reshape(mask, [-1, *_static(tuple(mask.shape)[2:])])
        folded = array_ops.reshape(inputs, [-1, *_static(inner)])
        outputs = self.layer.call(folded, **kwargs)
        out_inner = _static(tuple(outputs.shape)[1:])
        if batch is None and steps is None:
            return _unfold(outputs, inputs, out_inner)
        lead = [-1, int(steps)] if steps is not None else [int(batch), -1]
        return array_ops.reshape(outputs, lead + out_inner)

    def _keras_weight_groups(self) -> list:
        return weight_groups(self.layer, "layer")

    def get_config(self) -> dict:
        config = super().get_config()
        config["layer"] = serialize_sublayer(self.layer)
        return config

    @classmethod
    def from_config(cls, config: dict, custom_objects: Optional[dict] = None) -> TimeDistributed:
        config = dict(config)
        layer = deserialize_sublayer(config.pop("layer"), custom_objects)
        return cls(layer, **config)

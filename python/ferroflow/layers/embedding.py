"""``Embedding`` (integer ids to dense vectors, optionally masking id 0) and ``Masking``."""

from __future__ import annotations

import warnings
from typing import Any, Optional

import numpy as np

from ..ops import array_ops, math_ops
from ..ops.math_derived_ops import reduce_any
from . import _resolve
from .base_layer import Layer


def _positive_int(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value <= 0:
        raise ValueError(
            f"`{name}` must be a positive integer. Received: {name}={value} (of type {type(value).__name__})."
        )
    return int(value)


class Embedding(Layer):
    """Turns ids ``(batch, length)`` into vectors ``(batch, length, output_dim)``: rows of ``embeddings``.

    With ``mask_zero=True`` id 0 is padding: the output carries a mask that is False there, which
    masking-aware layers downstream (and the loss in ``fit``) honour.
    """

    def __init__(
        self,
        input_dim: int,
        output_dim: int,
        embeddings_initializer: Any = "uniform",
        embeddings_regularizer: Any = None,
        embeddings_constraint: Any = None,
        mask_zero: bool = False,
        weights: Any = None,
        lora_rank: Optional[int] = None,
        lora_alpha: Optional[float] = None,
        quantization_config: Any = None,
        **kwargs: Any,
    ) -> None:
        input_dim = _positive_int(input_dim, "input_dim")
        output_dim = _positive_int(output_dim, "output_dim")
        if kwargs.pop("input_length", None) is not None:
            warnings.warn("Argument `input_length` is deprecated. Just remove it.", UserWarning, stacklevel=2)
        if lora_rank or quantization_config is not None:
            raise NotImplementedError(
                "Embedding: LoRA (`lora_rank`) and quantization (`quantization_config`) are not supported; "
                f"received lora_rank={lora_rank}, quantization_config={quantization_config!r}"
            )
        super().__init__(**kwargs)
        self.input_dim = input_dim
        self.output_dim = output_dim
        self.embeddings_initializer = _resolve.initializer(embeddings_initializer)
        self.embeddings_regularizer = _resolve.regularizer(embeddings_regularizer)
        self.embeddings_constraint = _resolve.constraint(embeddings_constraint)
        self.mask_zero = bool(mask_zero)
        self.supports_masking = self.mask_zero
        self.autocast = False  # ids stay integers
        if weights is not None:
            self.build()
            self.set_weights(weights if isinstance(weights, list) and len(weights) == 1 else [weights])

    def build(self, input_shape: Any = None) -> None:
        if self.built:
            return
        self.embeddings = self.add_weight(
            shape=(self.input_dim, self.output_dim),
            initializer=self.embeddings_initializer,
            name="embeddings",
            regularizer=self.embeddings_regularizer,
            constraint=self.embeddings_constraint,
        )
        self.built = True

    def call(self, inputs: Any) -> Any:
        if inputs.dtype.name not in ("int32", "int64"):
            inputs = array_ops.cast(inputs, "int32")
        outputs = array_ops.gather(self.embeddings, inputs)
        if outputs.dtype.name != self.compute_dtype:
            outputs = array_ops.cast(outputs, self.compute_dtype)
        return outputs

    def compute_mask(self, inputs: Any, previous_mask: Any = None) -> Any:
        if not self.mask_zero:
            return None
        return math_ops.not_equal(inputs, 0)

    def compute_output_shape(self, input_shape: Any) -> tuple:
        return tuple(input_shape) + (self.output_dim,)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            input_dim=self.input_dim,
            output_dim=self.output_dim,
            embeddings_initializer=_resolve.serialize_initializer(self.embeddings_initializer),
            embeddings_regularizer=_resolve.serialize(self.embeddings_regularizer),
            activity_regularizer=_resolve.serialize(self.activity_regularizer),
            embeddings_constraint=_resolve.serialize(self.embeddings_constraint),
            mask_zero=self.mask_zero,
        )
        return config


class Masking(Layer):
    """Masks timesteps whose features all equal ``mask_value``: they are zeroed and marked False in the mask."""

    def __init__(self, mask_value: float = 0.0, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.mask_value = mask_value
        self.supports_masking = True

    def _keep(self, inputs: Any, keepdims: bool) -> Any:
        return reduce_any(math_ops.not_equal(inputs, self.mask_value), axis=-1, keepdims=keepdims)

    def call(self, inputs: Any) -> Any:
        keep = self._keep(inputs, keepdims=True)
        outputs = inputs * array_ops.cast(keep, inputs.dtype)
        outputs._keras_mask = array_ops.squeeze(keep, axis=-1)
        return outputs

    def compute_mask(self, inputs: Any, previous_mask: Any = None) -> Any:
        return self._keep(inputs, keepdims=False)

    def compute_output_shape(self, input_shape: Any) -> tuple:
        return tuple(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config["mask_value"] = self.mask_value
        return config

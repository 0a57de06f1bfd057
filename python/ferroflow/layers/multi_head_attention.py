"""``MultiHeadAttention``: Keras 3's layer, with its kernels laid out as Keras's ``EinsumDense`` ones.

The weights are, in Keras's order, ``query/kernel`` ``(dim, heads, key_dim)``, ``query/bias``
``(heads, key_dim)``, ``key/...``, (``gate/...`` with ``use_gate``), ``value/...`` and
``attention_output/kernel`` ``(heads, value_dim, out)``, ``attention_output/bias`` ``(out,)``.
"""

from __future__ import annotations

import inspect
import math
from typing import Any, Optional

from ..framework import context
from ..ops import math_ops
from ..ops.einsum_ops import einsum
from . import _resolve
from . import multi_head_attention_ops as mha_ops
from .attention import dropout as attention_dropout
from .attention_equations import attention_equations, fan_preserving, projection_equation
from .base_layer import Layer
from .masking_support import get_mask, set_mask


def _positive(value: Any, name: str, optional: bool = False) -> Optional[int]:
    if optional and value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(
            f"Received an invalid value for argument `{name}`, expected a positive integer"
            f"{' or `None`' if optional else ''}. Received: {name}={value}"
        )
    return value


class MultiHeadAttention(Layer):
    """``num_heads`` scaled dot-product attentions of ``query`` over ``key``/``value``, projected back."""

    def __init__(
        self,
        num_heads: int,
        key_dim: int,
        value_dim: Optional[int] = None,
        dropout: float = 0.0,
        use_bias: bool = True,
        output_shape: Any = None,
        attention_axes: Any = None,
        sliding_window: Optional[int] = None,
        flash_attention: Optional[bool] = None,
        kernel_initializer: Any = "glorot_uniform",
        bias_initializer: Any = "zeros",
        kernel_regularizer: Any = None,
        bias_regularizer: Any = None,
        activity_regularizer: Any = None,
        kernel_constraint: Any = None,
        bias_constraint: Any = None,
        use_gate: bool = False,
        seed: Optional[int] = None,
        **kwargs: Any,
    ) -> None:
        self._num_heads = _positive(num_heads, "num_heads")
        self._key_dim = _positive(key_dim, "key_dim")
        self._value_dim = _positive(value_dim, "value_dim", optional=True) or self._key_dim
        super().__init__(**kwargs)
        self.supports_masking = True
        self._dropout = float(dropout)
        self._use_bias = bool(use_bias)
        self._use_gate = bool(use_gate)
        if isinstance(output_shape, int):
            output_shape = (output_shape,)
        self._output_shape = tuple(output_shape) if output_shape else None
        if isinstance(attention_axes, int):
            attention_axes = (attention_axes,)
        elif attention_axes is not None and not isinstance(attention_axes, (list, tuple)):
            raise ValueError(
                f"`attention_axes` must be an int, list, or tuple. Received: attention_axes={attention_axes}"
            )
        self._attention_axes = None if attention_axes is None else tuple(attention_axes)
        self._sliding_window = _positive(sliding_window, "sliding_window", optional=True)
        if flash_attention and self._dropout > 0:
            raise ValueError(
                "Dropout is not supported when flash attention is enabled. Please set dropout to 0.0 to use flash "
                "attention."
            )
        self._kernel_initializer = _resolve.initializer(kernel_initializer)
        self._bias_initializer = _resolve.initializer(bias_initializer)
        self._kernel_regularizer = _resolve.regularizer(kernel_regularizer)
        self._bias_regularizer = _resolve.regularizer(bias_regularizer)
        self._projection_regularizer = _resolve.regularizer(activity_regularizer)  # on each projection, as Keras
        self._kernel_constraint = _resolve.constraint(kernel_constraint)
        self._bias_constraint = _resolve.constraint(bias_constraint)
        self.seed = seed
        self._inverse_sqrt_key_dim = 1.0 / math.sqrt(float(self._key_dim))
        self._projections: dict = {}

    num_heads = property(lambda self: self._num_heads)
    key_dim = property(lambda self: self._key_dim)
    value_dim = property(lambda self: self._value_dim)
    dropout = property(lambda self: self._dropout)
    use_bias = property(lambda self: self._use_bias)
    attention_axes = property(lambda self: self._attention_axes)

    # -- building: needs the query, value and key shapes, so it happens when first called
    def _maybe_build(self, shapes: Any) -> None:
        pass

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if not self._projections:
            bound = inspect.signature(self.call).bind_partial(*args, **kwargs).arguments
            query, value, key = bound.get("query"), bound.get("value"), bound.get("key")
            if query is not None and value is not None:
                self.build(_shape(query), _shape(value), None if key is None else _shape(key))
        return super().__call__(*args, **kwargs)

    def _projection(self, name: str, input_shape: tuple, bound: int, out_dims: tuple, activation: Any = None) -> None:
        equation, bias_axes, _ = projection_equation(len(input_shape) - bound, bound, len(out_dims))
        kernel_shape = tuple(input_shape[len(input_shape) - bound :]) + tuple(out_dims)
        if any(d is None for d in kernel_shape):
            raise ValueError(f"MultiHeadAttention needs known feature dimensions; received input shape {input_shape}")
        kernel = self.add_weight(
            name=f"{name}/kernel",
            shape=kernel_shape,
            initializer=fan_preserving(self._kernel_initializer, bound),
            regularizer=self._kernel_regularizer,
            constraint=self._kernel_constraint,
        )
        bias = None
        if self._use_bias:
            bias = self.add_weight(
                name=f"{name}/bias",
                shape=tuple(out_dims),
                initializer=self._bias_initializer,
                regularizer=self._bias_regularizer,
                constraint=self._bias_constraint,
            )
        self._projections[name] = (equation, kernel, bias, activation)

    def build(self, query_shape: Any, value_shape: Any = None, key_shape: Any = None) -> None:
        if self._projections:
            return
        query_shape = tuple(query_shape)
        value_shape = query_shape if value_shape is None else tuple(value_shape)
        key_shape = value_shape if key_shape is None else tuple(key_shape)
        if value_shape[1:-1] != key_shape[1:-1]:
            raise ValueError(
                "All dimensions of `value` and `key`, except the last one, must be equal. Received: "
                f"value_shape={value_shape} and key_shape={key_shape}"
            )
        heads = self._num_heads
        with context.eager_scope():
            self._projection("query", query_shape, 1, (heads, self._key_dim))
            self._projection("key", key_shape, 1, (heads, self._key_dim))
            if self._use_gate:
                self._projection("gate", query_shape, 1, (heads, self._value_dim), math_ops.sigmoid)
            self._projection("value", value_shape, 1, (heads, self._value_dim))
            rank = len(value_shape) + 1  # projected: (batch, ..., heads, dim)
            axes = self._attention_axes or tuple(range(1, rank - 2))
            self._attention_axes = tuple(a if a >= 0 else rank - 1 + a for a in axes)
            self._dot_equation, self._combine_equation, scores_rank = attention_equations(rank, self._attention_axes)
            self._norm_axes = tuple(range(scores_rank - len(self._attention_axes), scores_rank))
            out_dims = self._output_shape or (query_shape[-1],)
            self._heads_first = rank == 4 and self._attention_axes == (1,) and len(out_dims) == 1
            projected = query_shape[:-1] + (heads, self._value_dim)
            self._projection("attention_output", projected, 2, out_dims)
        self._shapes = {"query_shape": list(query_shape), "value_shape": list(value_shape)}
        if key_shape != value_shape:
            self._shapes["key_shape"] = list(key_shape)
        self._build_shapes = query_shape
        self.built = True

    def _project(self, name: str, x: Any) -> Any:
        equation, kernel, bias, activation = self._projections[name]
        if not self._heads_first:
            y = mha_ops.project(x, equation, kernel, bias)
        elif name == "attention_output":
            y = mha_ops.output_heads(x, kernel, bias)
        else:
            y = mha_ops.project_heads(x, kernel, bias)
        if activation is not None:
            y = activation(y)
        if self._projection_regularizer is not None:
            self.add_loss(self._projection_regularizer(y))
        return y

    # -- calling
    def call(
        self,
        query: Any,
        value: Any,
        key: Any = None,
        query_mask: Any = None,
        value_mask: Any = None,
        key_mask: Any = None,
        attention_mask: Any = None,
        return_attention_scores: bool = False,
        training: Any = None,
        use_causal_mask: bool = False,
    ) -> Any:
        key = value if key is None else key
        if not self._projections:
            self.build(tuple(query.shape), tuple(value.shape), tuple(key.shape))
        if query_mask is None:
            query_mask = get_mask(query)
        mask = mha_ops.attention_mask(
            query, value, query_mask, value_mask, key_mask, attention_mask, use_causal_mask, self._sliding_window
        )
        gate = self._project("gate", query) if self._use_gate else None
        q = math_ops.multiply(self._project("query", query), self._inverse_sqrt_key_dim)
        k = self._project("key", key)
        v = self._project("value", value)
        if self._heads_first:  # (batch, heads, T, dim): scores (batch, heads, T, S), as Keras's layout
            scores = math_ops.matmul(q, k, transpose_b=True)
        else:
            scores = einsum(self._dot_equation, k, q)
        weights = mha_ops.masked_softmax(scores, mask, len(self._attention_axes), self._norm_axes)
        kept = attention_dropout(weights, self._dropout, self.seed, training)
        output = math_ops.matmul(kept, v) if self._heads_first else einsum(self._combine_equation, kept, v)
        if gate is not None:
            output = math_ops.multiply(output, gate)
        output = self._project("attention_output", output)
        if query_mask is not None:
            set_mask(output, query_mask)
        return (output, weights) if return_attention_scores else output

    def compute_output_shape(self, query_shape: Any, value_shape: Any = None, key_shape: Any = None) -> tuple:
        query_shape = tuple(query_shape)
        return query_shape[:-1] + self._output_shape if self._output_shape else query_shape

    def _keras_weight_groups(self) -> list:
        """Keras's ``.keras`` layout (saving/keras3_nested.py): an ``EinsumDense`` per projection, plus its
        weightless ``Dropout`` and ``Softmax`` sub-layers."""
        keys = {"query": "query_dense", "key": "key_dense", "gate": "_gate_dense", "value": "value_dense"}
        keys["attention_output"] = "output_dense"
        groups = [("_dropout_layer", "dropout", []), ("_softmax", "softmax", [])]
        for name, (_, kernel, bias, _) in self._projections.items():
            groups.append((keys[name], name, [kernel] if bias is None else [kernel, bias]))
        return groups

    # -- config
    def get_build_config(self) -> Optional[dict]:
        return {"shapes_dict": dict(self._shapes)} if self._projections else None

    def build_from_config(self, config: Optional[dict]) -> None:
        shapes = (config or {}).get("shapes_dict")
        if shapes and not self._projections:
            self.build(*(shapes.get(k) for k in ("query_shape", "value_shape", "key_shape")))

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            num_heads=self._num_heads,
            key_dim=self._key_dim,
            value_dim=self._value_dim,
            dropout=self._dropout,
            use_bias=self._use_bias,
            use_gate=self._use_gate,
            output_shape=None if self._output_shape is None else list(self._output_shape),
            attention_axes=None if self._attention_axes is None else list(self._attention_axes),
            sliding_window=self._sliding_window,
            kernel_initializer=_resolve.serialize_initializer(self._kernel_initializer),
            bias_initializer=_resolve.serialize_initializer(self._bias_initializer),
            kernel_regularizer=_resolve.serialize(self._kernel_regularizer),
            bias_regularizer=_resolve.serialize(self._bias_regularizer),
            activity_regularizer=_resolve.serialize(self._projection_regularizer),
            kernel_constraint=_resolve.serialize(self._kernel_constraint),
            bias_constraint=_resolve.serialize(self._bias_constraint),
            seed=self.seed,
        )
        return config


def _shape(x: Any) -> tuple:
    import numpy as np

    return tuple(x.shape) if hasattr(x, "shape") else np.shape(x)

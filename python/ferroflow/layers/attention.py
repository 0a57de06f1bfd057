"""``Attention`` (Luong dot-product or concat scores) and ``AdditiveAttention`` (Bahdanau scores).

Both take ``[query, value]`` or ``[query, value, key]`` of shapes ``(batch, Tq, dim)``/``(batch, Tv, dim)``;
``mask=[query_mask, value_mask]`` (or the inputs' Keras masks) keep padded keys out of the softmax and
zero the output at padded queries, as in Keras 3.
"""

from __future__ import annotations

from typing import Any, Optional

from ..ops import array_ops, math_ops, nn_ops
from .base_layer import Layer


def large_negative(dtype: Any) -> float:
    """What masked scores become before the softmax (Keras's value: -1e9, or -65504 in float16)."""
    return -65504.0 if str(getattr(dtype, "name", dtype)) == "float16" else -1.0e9


def causal_mask(query: Any, value: Any) -> Any:
    """``(1, Tq, Tv)`` booleans, True where key ``j <= i`` for query ``i`` (static lengths give a constant)."""
    tq, tv = query.shape[1], value.shape[1]
    rows = array_ops.range(tq if tq is not None else array_ops.shape(query)[1])
    cols = array_ops.range(tv if tv is not None else array_ops.shape(value)[1])
    mask = math_ops.greater_equal(array_ops.expand_dims(rows, -1), array_ops.expand_dims(cols, 0))
    return array_ops.expand_dims(mask, 0)


def dropout(weights: Any, rate: float, seed: Optional[int], training: Any) -> Any:
    if training and rate > 0:
        return nn_ops.dropout(weights, rate, seed=seed)
    return weights


class Attention(Layer):
    """Dot-product attention: ``softmax(query @ key^T [* scale]) @ value`` (``score_mode="concat"``:
    ``concat_score_weight * sum(tanh([scale *] (query_i + key_j)))`` as the scores)."""

    def __init__(
        self, use_scale: bool = False, score_mode: str = "dot", dropout: float = 0.0, seed: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        if score_mode not in ("dot", "concat"):
            raise ValueError(
                f"Invalid value for argument score_mode. Expected one of {{'dot', 'concat'}}. "
                f"Received: score_mode={score_mode}"
            )
        if isinstance(dropout, bool) or not isinstance(dropout, (int, float)) or not 0 <= dropout < 1:
            raise ValueError(f"`dropout` must be a float in [0, 1). Received: dropout={dropout!r}")
        self.use_scale = bool(use_scale)
        self.score_mode = score_mode
        self.dropout = float(dropout)
        self.seed = seed
        self.supports_masking = True

    def build(self, input_shape: Any) -> None:
        self._validate_inputs(input_shape)
        self.scale = None
        self.concat_score_weight = None
        if self.use_scale:
            self.scale = self.add_weight(name="scale", shape=(), initializer="ones")
        if self.score_mode == "concat":
            self.concat_score_weight = self.add_weight(name="concat_score_weight", shape=(), initializer="ones")
        self.built = True

    def _calculate_scores(self, query: Any, key: Any) -> Any:
        if self.score_mode == "dot":
            scores = math_ops.matmul(query, key, transpose_b=True)
            return scores if self.scale is None else math_ops.multiply(scores, self.scale)
        pairs = math_ops.add(array_ops.expand_dims(query, -2), array_ops.expand_dims(key, -3))
        if self.scale is not None:
            pairs = math_ops.multiply(self.scale, pairs)
        return math_ops.multiply(self.concat_score_weight, math_ops.reduce_sum(math_ops.tanh(pairs), axis=-1))

    def _apply_scores(self, scores: Any, value: Any, scores_mask: Any, training: Any) -> tuple:
        if scores_mask is not None:
            if scores_mask.shape.rank == 2:
                scores_mask = array_ops.expand_dims(scores_mask, -2)
            # Keras subtracts a large number from the masked scores (rather than replacing them).
            padding = math_ops.logical_not(scores_mask)
            scores = array_ops.where(padding, math_ops.add(scores, large_negative(scores.dtype)), scores)
        weights = nn_ops.softmax(scores, axis=-1)
        kept = dropout(weights, self.dropout, self.seed, training)
        return math_ops.matmul(kept, value), weights

    def call(
        self,
        inputs: Any,
        mask: Any = None,
        training: Any = False,
        return_attention_scores: bool = False,
        use_causal_mask: bool = False,
    ) -> Any:
        self._validate_inputs(inputs, mask)
        query, value = inputs[0], inputs[1]
        key = inputs[2] if len(inputs) > 2 else value
        q_mask = mask[0] if mask else None
        v_mask = mask[1] if mask else None
        scores = self._calculate_scores(query, key)
        scores_mask = v_mask if v_mask is None else _as_bool(v_mask)
        if use_causal_mask:
            causal = causal_mask(query, key)
            if scores_mask is not None:
                causal = math_ops.logical_and(array_ops.expand_dims(scores_mask, -2), causal)
            scores_mask = causal
        output, weights = self._apply_scores(scores, value, scores_mask, training)
        if q_mask is not None:
            keep = array_ops.expand_dims(_as_bool(q_mask), -1)
            output = array_ops.where(keep, output, array_ops.zeros_like(output))
        return (output, weights) if return_attention_scores else output

    def compute_mask(self, inputs: Any, previous_mask: Any = None) -> Any:
        self._validate_inputs(inputs, previous_mask)
        if previous_mask is None or previous_mask[0] is None:
            return None
        return _as_bool(previous_mask[0])

    def compute_output_shape(self, input_shape: Any) -> tuple:
        return tuple(input_shape[0])[:-1] + (tuple(input_shape[1])[-1],)

    def _validate_inputs(self, inputs: Any, mask: Any = None) -> None:
        name = type(self).__name__
        if not isinstance(inputs, (list, tuple)):
            raise ValueError(
                f"{name} layer must be called on a list of inputs, namely [query, value] or [query, value, key]. "
                f"Received: inputs={inputs}."
            )
        if not 2 <= len(inputs) <= 3:
            raise ValueError(
                f"{name} layer accepts inputs list of length 2 or 3, namely [query, value] or [query, value, key]. "
                f"Received length: {len(inputs)}."
            )
        if mask is not None:
            if not isinstance(mask, (list, tuple)):
                raise ValueError(
                    f"{name} layer mask must be a list, namely [query_mask, value_mask]. Received: mask={mask}."
                )
            if not 2 <= len(mask) <= 3:
                raise ValueError(f"{name} layer accepts mask list of length 2 or 3. Received: mask={mask}.")

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(use_scale=self.use_scale, score_mode=self.score_mode, dropout=self.dropout, seed=self.seed)
        return config


class AdditiveAttention(Attention):
    """Bahdanau attention: scores ``sum(scale * tanh(query_i + key_j))`` with a learned ``scale`` per feature."""

    def __init__(self, use_scale: bool = True, dropout: float = 0.0, **kwargs: Any) -> None:
        super().__init__(use_scale=use_scale, dropout=dropout, **kwargs)

    def build(self, input_shape: Any) -> None:
        self._validate_inputs(input_shape)
        self.scale = None
        if self.use_scale:
            self.scale = self.add_weight(name="scale", shape=(input_shape[0][-1],), initializer="glorot_uniform")
        self.built = True

    def _calculate_scores(self, query: Any, key: Any) -> Any:
        pairs = math_ops.tanh(math_ops.add(array_ops.expand_dims(query, -2), array_ops.expand_dims(key, -3)))
        if self.scale is not None:
            pairs = math_ops.multiply(self.scale, pairs)
        return math_ops.reduce_sum(pairs, axis=-1)

    def get_config(self) -> dict:
        config = super().get_config()
        del config["score_mode"]
        return config


def _as_bool(mask: Any) -> Any:
    from ..framework.ops import convert_to_tensor

    mask = convert_to_tensor(mask)
    return mask if mask.dtype.is_bool else array_ops.cast(mask, "bool")

"""The fused LSTM step both LSTM cells share: one native ``lstm_cell`` op (TensorFlow's LSTMBlockCell) for the
gates, the new state and the output, in place of four slices and ten elementwise ops (and as many in the
gradient). It computes sigmoid gates and a tanh cell, so it serves only cells with Keras's default activations."""

from __future__ import annotations

from typing import Any, Tuple

from ..framework.ops import apply
from ..ops import array_ops
from . import _resolve


def has_default_activations(cell: Any) -> bool:
    """Whether ``cell`` uses tanh and sigmoid, the activations the fused op computes."""
    tanh, sigmoid = _resolve.activation("tanh"), _resolve.activation("sigmoid")
    return cell.activation is tanh and cell.recurrent_activation is sigmoid


def fused_step(z: Any, c: Any, units: int) -> Tuple[Any, Any]:
    """``(h, c')`` from the pre-activations ``z`` (gates i, f, c, o on the last axis) and the state ``c``.
    Inputs of rank above 2 (a ConvLSTM's positions, channels last) run with their positions as rows."""
    spatial = list(z.shape[1:-1])
    if spatial:
        z, c = array_ops.reshape(z, [-1, 4 * units]), array_ops.reshape(c, [-1, units])
    hc = apply("lstm_cell", [z, c])
    if spatial:
        hc = array_ops.reshape(hc, [-1, *spatial, 2 * units])
    return hc[..., :units], hc[..., units:]

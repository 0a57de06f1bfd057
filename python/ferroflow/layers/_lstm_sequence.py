"""An LSTM layer's whole sequence in one native op (TensorFlow's BlockLSTM), where the layer allows it.

Unrolled, each of a sequence's steps is a product, the fused cell and slices in the graph, and each has a
weight gradient of its own; the native op runs the recursion in one node and forms the recurrent kernel's
gradient as one product over all steps (``kernels/lstm_sequence.rs``). It computes exactly the unrolled
cell's formulas, so it serves the cases that are plain recursions: Keras's default activations, no mask,
a length known while tracing, no recurrent dropout while training, float32 or float64. Training calls keep
each step's pre-activations for the backward pass (``[h | c | z]`` per step); inference calls (``training``
false or not given) take the op's inference form, ``[h | c]`` only, whose output is a third as wide. A
symbolic learning phase keeps the loop. The op reads its inputs time-major, so the inputs are transposed
before their projection (``_time_major_projection``), not the 4-units-wide projection after.
"""

from __future__ import annotations

from typing import Any, Optional, Tuple

from ..framework import nest
from ..framework.ops import apply
from ..ops import array_ops
from ..ops.slicing_ops import reverse
from ._fused_lstm import has_default_activations
from ._rnn_loop import static_length


def applies(cell: Any, sequences: Any, mask: Any, training: Any, layer: Any) -> bool:
    """Whether the layer's loop over ``sequences`` is a plain LSTM recursion the native op computes."""
    from .recurrent_cells import LSTMCell

    if hasattr(training, "shape"):
        return False  # a symbolic learning phase: which form runs is known only when the graph runs
    if not isinstance(cell, LSTMCell) or mask is not None or not has_default_activations(cell):
        return False
    if str(cell.compute_dtype) not in ("float32", "float64") or sequences.dtype.name != str(cell.compute_dtype):
        return False
    steps = static_length(sequences, layer)
    # Recurrent dropout acts in training calls only, and keeps the loop there.
    return bool(steps) and not (bool(training) and cell.recurrent_dropout > 0)


def run(
    cell: Any, sequences: Any, states: Any, training: Any, go_backwards: bool, return_sequences: bool
) -> Tuple[Any, Optional[Any], Any]:
    """``(last_output, outputs, final_states)`` as the time loop returns them (``_rnn_loop.time_loop``)."""
    h0, c0 = nest.flatten(states)
    y = apply(
        "lstm_sequence",
        [_time_major_projection(cell, sequences, training, go_backwards), h0, c0, cell._recurrent_weights()],
        {"inference": not bool(training)},
    )
    u = cell.units
    last_h, last_c = y[-1, :, :u], y[-1, :, u : 2 * u]
    outputs = array_ops.transpose(y[:, :, :u], [1, 0, 2]) if return_sequences else None
    return last_h, outputs, nest.pack_sequence_as(states, [last_h, last_c])


def _time_major_projection(cell: Any, sequences: Any, training: Any, go_backwards: bool) -> Any:
    """``[time, batch, 4 units]``: every step's input projection in the op's time-major layout. The inputs are
    transposed before the product rather than the projection after it: they are 4 units / features times
    narrower (an LSTM(128) over 32 features: a 16th), and so is the transpose's gradient."""
    sequences = cell._dropped_inputs(sequences, training)
    if go_backwards:
        sequences = reverse(sequences, [1])
    steps, features = static_length(sequences, None), int(sequences.shape[-1])
    inputs = array_ops.reshape(array_ops.transpose(sequences, [1, 0, 2]), [-1, features])
    return array_ops.reshape(cell._project(inputs), [steps, -1, 4 * cell.units])

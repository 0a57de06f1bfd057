"""The time loop of the recurrent layers for sequences whose length is unknown while a graph is traced.

One native ``tf.while_loop`` runs the steps: each reads its input from the time-major sequence (a value the
loop captures, so the gradient keeps no per-iteration copy of it) and writes its output into a
``TensorArray``, stacked after the loop. As Keras's ``backend.rnn`` does, the first step runs before the
loop: it gives the output's shape and dtype (the zeros a masked first step outputs, the array's rows), and
creates the dropout masks of a generic cell outside the loop, so every step reuses them.
"""

from __future__ import annotations

from typing import Any, Callable, Optional, Tuple

from ..framework import nest
from ..ops import array_ops, control_flow_ops, math_ops
from ..ops._tensor_array_graph import zero_rows
from ..ops.tensor_array_ops import TensorArray
from ._rnn_loop import _select


def _time_major(x: Any) -> Any:
    rank = len(x.shape)
    return array_ops.transpose(x, [1, 0] + list(range(2, rank)))


def while_time_loop(
    step_fn: Callable[[Any, Any], Tuple[Any, Any]],
    inputs: Any,
    states: Any,
    check_states: Callable[[Any, Any], list],
    mask: Optional[Any] = None,
    go_backwards: bool = False,
    zero_output_for_mask: bool = False,
    return_sequences: bool = True,
) -> Tuple[Any, Optional[Any], Any]:
    """:func:`_rnn_loop.time_loop` as a while loop: same arguments, same results."""
    xs = _time_major(inputs)
    masks = None if mask is None else _time_major(mask)
    steps = array_ops.shape(xs)[0]
    one = array_ops.constant(1, dtype="int32")

    def position(t: Any) -> Any:
        """The time index step ``t`` reads (the steps run backwards with ``go_backwards``)."""
        return math_ops.subtract(math_ops.subtract(steps, one), t) if go_backwards else t

    def run_step(t: Any, prev_output: Any, flat_states: list) -> Tuple[Any, list]:
        at = position(t)
        output, new_states = step_fn(array_ops.gather(xs, at, axis=0), nest.pack_sequence_as(states, flat_states))
        flat = check_states(new_states, states)
        if masks is not None:
            mask_t = array_ops.gather(masks, at, axis=0)
            fallback = array_ops.zeros_like(output) if zero_output_for_mask or prev_output is None else prev_output
            output = _select(mask_t, output, fallback)
            flat = [_select(mask_t, n, o) for n, o in zip(flat, flat_states)]
        return output, flat

    zero = array_ops.constant(0, dtype="int32")
    first, flat = run_step(zero, None, nest.flatten(states))
    outputs = None
    if return_sequences:
        # Preallocated rows (the first step's output in row 0), so the buffer keeps its shape in the loop.
        outputs = TensorArray(first.dtype, size=steps, element_shape=first.shape)
        outputs = outputs.unstack(zero_rows(steps, array_ops.zeros_like(first))).write(0, first)

    def cond(t: Any, *_: Any) -> Any:
        return math_ops.less(t, steps)

    def body(t: Any, prev_output: Any, flat_states: list, array: Any) -> tuple:
        output, new_flat = run_step(t, prev_output, list(flat_states))
        if array is not None:
            array = array.write(t, output)
        return math_ops.add(t, one), output, new_flat, array

    if outputs is None:
        _, last, flat = control_flow_ops.while_loop(
            lambda t, *_: cond(t), lambda t, p, s: body(t, p, s, None)[:3], (one, first, flat)
        )
        return last, None, nest.pack_sequence_as(states, flat)
    _, last, flat, outputs = control_flow_ops.while_loop(cond, body, (one, first, flat, outputs))
    sequence = _time_major(outputs.stack())
    return last, sequence, nest.pack_sequence_as(states, flat)

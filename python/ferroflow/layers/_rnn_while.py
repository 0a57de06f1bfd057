"""The time loop of the recurrent layers for sequences whose length is unknown while a graph is traced.

Native ``tf.while_loop``s run the steps: each reads its input from a chunk of the time-major sequence (a value
the loop captures, so the gradient keeps no per-iteration copy of it) and writes its output into a
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


def _chunk_size(steps: Any) -> Any:
    """ceil(sqrt(steps)), at least 1: the steps one inner loop runs."""
    root = math_ops.sqrt(array_ops.cast(steps, "float32"))
    return math_ops.maximum(array_ops.cast(math_ops.ceil(root), "int32"), 1)


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

    def run_step(x_t: Any, mask_t: Any, prev_output: Any, flat_states: list) -> Tuple[Any, list]:
        output, new_states = step_fn(x_t, nest.pack_sequence_as(states, flat_states))
        flat = check_states(new_states, states)
        if mask_t is not None:
            fallback = array_ops.zeros_like(output) if zero_output_for_mask or prev_output is None else prev_output
            output = _select(mask_t, output, fallback)
            flat = [_select(mask_t, n, o) for n, o in zip(flat, flat_states)]
        return output, flat

    def read(values: Any, at: Any) -> Any:
        return None if values is None else array_ops.gather(values, at, axis=0)

    at = position(array_ops.constant(0, dtype="int32"))
    first, flat = run_step(read(xs, at), read(masks, at), None, nest.flatten(states))
    outputs = None
    if return_sequences:
        # Preallocated rows (the first step's output in row 0), so the buffer keeps its shape in the loop.
        outputs = TensorArray(first.dtype, size=steps, element_shape=first.shape)
        outputs = outputs.unstack(zero_rows(steps, array_ops.zeros_like(first))).write(0, first)
    size = _chunk_size(steps)

    # Two nested loops: the outer one cuts the next `size` steps' inputs, the inner one runs them. The gradient
    # of a read is as large as what it reads from, so reading each step from the whole sequence would cost
    # steps^2 in the backward pass; through chunks of sqrt(steps) it costs about 2 * steps^1.5.
    def chunk_body(start: Any, prev_output: Any, flat_states: list, array: Any) -> tuple:
        stop = math_ops.minimum(math_ops.add(start, size), steps)
        where = position(array_ops.range(start, stop))
        chunk_x, chunk_m = read(xs, where), read(masks, where)

        def step_body(t: Any, prev_output: Any, flat_states: list, array: Any) -> tuple:
            i = math_ops.subtract(t, start)
            output, new_flat = run_step(read(chunk_x, i), read(chunk_m, i), prev_output, list(flat_states))
            if array is not None:
                array = array.write(t, output)
            return math_ops.add(t, one), output, new_flat, array

        return _loop(lambda t: math_ops.less(t, stop), step_body, start, prev_output, flat_states, array)

    _, last, flat, outputs = _loop(lambda t: math_ops.less(t, steps), chunk_body, one, first, flat, outputs)
    sequence = None if outputs is None else _time_major(outputs.stack())
    return last, sequence, nest.pack_sequence_as(states, flat)


def _loop(cond: Callable, body: Callable, t: Any, prev_output: Any, flat_states: list, array: Any) -> tuple:
    """``tf.while_loop`` over ``(t, prev_output, flat_states[, array])``; ``array`` None when not carried."""
    if array is None:
        out = control_flow_ops.while_loop(
            lambda t, *_: cond(t), lambda t, p, s: body(t, p, s, None)[:3], (t, prev_output, flat_states)
        )
        return (*out, None)
    return control_flow_ops.while_loop(lambda t, *_: cond(t), body, (t, prev_output, flat_states, array))

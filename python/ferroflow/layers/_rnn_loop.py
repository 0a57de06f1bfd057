"""The time loop of the recurrent layers: a Python loop over a static number of steps, unrolled into the graph.

Everything that walks the time axis lives in :func:`time_loop`. Sequences whose length is unknown while a
graph is traced run in a native while loop instead (``_rnn_while``); a static length keeps the unrolled
loop, which runs faster.
"""

from __future__ import annotations

import functools
import math
from typing import Any, Callable, Optional, Tuple

from ..framework import nest
from ..ops import array_ops
from .input_spec import display_shape


def static_length(inputs: Any, layer: Any) -> Optional[int]:
    """The number of timesteps of ``inputs`` (batch, time, ...), None when only known at run time."""
    shape = tuple(inputs.shape)
    if len(shape) < 3:
        raise ValueError(
            f"Layer '{layer.name}' ({type(layer).__name__}) expects a sequence of shape (batch, timesteps, "
            f"features), received an input of shape {display_shape(shape)}"
        )
    return None if shape[1] is None else int(shape[1])


def _step_inputs(inputs: Any, steps: int) -> list:
    """``inputs[:, t]`` for every step, sliced through chunks of about sqrt(steps) steps.

    The gradient of a slice is a tensor the size of what it was cut from, so cutting every step from the
    whole sequence would cost steps² in the backward pass; through chunks it costs about 2 * steps^1.5.
    """
    size = max(1, int(round(math.sqrt(steps))))
    if size < 3:
        return [inputs[:, t] for t in range(steps)]
    pieces = []
    for start in range(0, steps, size):
        chunk = inputs[:, start : start + size]
        pieces.extend(chunk[:, i] for i in range(min(size, steps - start)))
    return pieces


def _checked_states(new_states: Any, states: Any, layer: Any) -> list:
    """The flat new states, as many as the initial ones (a stacked cell of one cell may return them unwrapped)."""
    flat = nest.flatten(new_states)
    if len(flat) != len(nest.flatten(states)):
        raise ValueError(
            f"The cell of layer '{getattr(layer, 'name', None)}' returned {len(flat)} states, expected "
            f"{len(nest.flatten(states))} (one per entry of its state_size)"
        )
    return flat


def _select(mask_t: Any, new: Any, old: Any) -> Any:
    """``new`` where the step is kept (``mask_t``: (batch,) bool), ``old`` elsewhere."""
    cond = mask_t
    for _ in range(len(new.shape) - 1):
        cond = array_ops.expand_dims(cond, -1)
    return array_ops.where(cond, new, old)


def time_loop(
    step_fn: Callable[[Any, Any], Tuple[Any, Any]],
    inputs: Any,
    states: Any,
    mask: Optional[Any] = None,
    go_backwards: bool = False,
    zero_output_for_mask: bool = False,
    return_sequences: bool = True,
    layer: Any = None,
) -> Tuple[Any, Optional[Any], Any]:
    """Runs ``step_fn(input_t, states) -> (output_t, new_states)`` over axis 1 of ``inputs``.

    Returns ``(last_output, outputs, final_states)`` as Keras's ``backend.rnn``: ``outputs`` (batch, time,
    ...) in the order the steps ran (reversed with ``go_backwards``), or None unless ``return_sequences``.
    Where ``mask`` (batch, time) is False the states are carried over unchanged and the output repeats
    the previous step's (zeros before the first step, or always zeros with ``zero_output_for_mask``).
    """
    steps = static_length(inputs, layer)
    if mask is not None and mask.dtype.name != "bool":
        mask = array_ops.cast(mask, "bool")
    checked = functools.partial(_checked_states, layer=layer)
    if steps is None:
        from ._rnn_while import while_time_loop

        return while_time_loop(
            step_fn, inputs, states, checked, mask, go_backwards, zero_output_for_mask, return_sequences
        )
    order = range(steps - 1, -1, -1) if go_backwards else range(steps)
    step_inputs = _step_inputs(inputs, steps)
    outputs: list = []
    prev_output = None
    for t in order:
        output, new_states = step_fn(step_inputs[t], states)
        flat = checked(new_states, states)
        if mask is not None:
            mask_t = mask[:, t]
            if zero_output_for_mask or prev_output is None:
                fallback = array_ops.zeros_like(output)
            else:
                fallback = prev_output
            output = _select(mask_t, output, fallback)
            flat = [_select(mask_t, n, o) for n, o in zip(flat, nest.flatten(states))]
        states = nest.pack_sequence_as(states, flat)
        prev_output = output
        if return_sequences:
            outputs.append(output)
    sequence = array_ops.stack(outputs, axis=1) if return_sequences else None
    return prev_output, sequence, states

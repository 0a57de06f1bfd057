"""TF1's recurrent loops: ``dynamic_rnn``, ``bidirectional_dynamic_rnn``, ``static_rnn`` and
``static_bidirectional_rnn``, calling a cell once per time step inside ``variable_scope("rnn")``.

With ``sequence_length`` a batch entry's outputs past its length are zeros and its state stops changing
there, so the final state is the state at its last step (TensorFlow's semantics). A time axis known when the
graph is built is unrolled; an unknown one runs as a ``while_loop`` over a TensorArray.
"""

from __future__ import annotations

from typing import Any, List, Optional

from ...framework import nest
from ...framework.ops import convert_to_tensor
from ...ops import array_ops, math_ops
from ...ops.slicing_ops import reverse
from .variable_scope import variable_scope


def _initial_state(cell: Any, initial_state: Any, batch: Any, dtype: Any) -> Any:
    if initial_state is not None:
        return initial_state
    if dtype is None:
        raise ValueError("If no initial_state is provided, argument `dtype` must be specified")
    return cell.zero_state(batch, dtype)


def _batch_size(x: Any) -> Any:
    return x.shape[0] if x.shape[0] is not None else array_ops.shape(x)[0]


def _masked_step(cell: Any, x_t: Any, state: Any, t: Any, lengths: Any) -> tuple:
    """One step; entries whose sequence ended before ``t`` get zero output and keep their state."""
    output, new_state = cell(x_t, state)
    if lengths is None:
        return output, new_state
    alive = array_ops.expand_dims(math_ops.less(t, lengths), 1)

    def pick(new: Any, old: Any) -> Any:
        return array_ops.where(alive, new, old)

    output = nest.map_structure(lambda o: pick(o, array_ops.zeros_like(o)), output)
    return output, nest.map_structure(pick, new_state, state)


def _lengths(sequence_length: Any) -> Any:
    if sequence_length is None:
        return None
    lengths = array_ops.cast(convert_to_tensor(sequence_length), "int32")
    if lengths.shape.rank not in (None, 1):
        raise ValueError(f"sequence_length must be a vector of length batch_size, but saw shape: {lengths.shape}")
    return lengths


def _run_unrolled(cell: Any, steps: List[Any], state: Any, lengths: Any) -> tuple:
    outputs = []
    for t, x_t in enumerate(steps):
        output, state = _masked_step(cell, x_t, state, convert_to_tensor(t, dtype="int32"), lengths)
        outputs.append(output)
    return outputs, state


def _run_while(cell: Any, time_major: Any, state: Any, lengths: Any) -> tuple:
    """The loop for a time axis of unknown length: the cell is called once first so that its variables exist
    outside the loop body, then every step runs inside ``while_loop``."""
    from ...ops.control_flow_ops import while_loop_v1
    from ...ops.tensor_array_ops import TensorArray

    steps = array_ops.shape(time_major)[0]
    cell(time_major[0], state)  # creates the variables (its outputs are not used)
    out_ta = TensorArray(time_major.dtype, size=steps)

    def body(t: Any, st: Any, ta: Any) -> tuple:
        output, new_state = _masked_step(cell, array_ops.gather(time_major, t), st, t, lengths)
        return t + 1, new_state, ta.write(t, output)

    _, final_state, out_ta = while_loop_v1(
        lambda t, st, ta: math_ops.less(t, steps), body, [convert_to_tensor(0, dtype="int32"), state, out_ta]
    )
    return out_ta.stack(), final_state


def dynamic_rnn(
    cell: Any,
    inputs: Any,
    sequence_length: Any = None,
    initial_state: Any = None,
    dtype: Any = None,
    parallel_iterations: Any = None,
    swap_memory: bool = False,
    time_major: bool = False,
    scope: Any = None,
) -> tuple:
    """``(outputs, final_state)`` of running ``cell`` over the time axis of ``inputs`` (``[batch, time, depth]``,
    or ``[time, batch, depth]`` with ``time_major``); ``outputs`` has the layout of ``inputs``."""
    x = convert_to_tensor(inputs)
    if x.shape.rank is not None and x.shape.rank < 2:
        raise ValueError(f"Expected input tensor {x} to have rank at least 2")
    tm = x if time_major else array_ops.transpose(x, [1, 0] + list(range(2, x.shape.rank)))
    lengths = _lengths(sequence_length)
    with variable_scope(scope or "rnn"):
        state = _initial_state(cell, initial_state, _batch_size(tm[0]), dtype)
        steps = tm.shape[0]
        if steps is not None:
            outs, state = _run_unrolled(cell, [tm[t] for t in range(steps)], state, lengths)
            out = array_ops.stack(outs, 0) if outs else array_ops.zeros([0, _batch_size(tm[0]), cell.output_size])
        else:
            out, state = _run_while(cell, tm, state, lengths)
    if not time_major:
        out = array_ops.transpose(out, [1, 0] + list(range(2, out.shape.rank)))
    return out, state


def static_rnn(
    cell: Any,
    inputs: Any,
    initial_state: Any = None,
    dtype: Any = None,
    sequence_length: Any = None,
    scope: Any = None,
) -> tuple:
    """``(outputs, state)`` for a Python list of ``[batch, depth]`` inputs, one per step; ``outputs`` a list."""
    if not nest.is_nested(inputs):
        raise TypeError("inputs must be a sequence")
    if not inputs:
        raise ValueError("inputs must not be empty")
    steps = [convert_to_tensor(x) for x in inputs]
    with variable_scope(scope or "rnn"):
        state = _initial_state(cell, initial_state, _batch_size(steps[0]), dtype)
        return _run_unrolled(cell, steps, state, _lengths(sequence_length))


def _reversed(x: Any, lengths: Any, seq_axis: int, batch_axis: int) -> Any:
    if lengths is None:
        return reverse(x, [seq_axis])
    from .array_v1 import reverse_sequence

    return reverse_sequence(x, lengths, seq_axis=seq_axis, batch_axis=batch_axis)


def bidirectional_dynamic_rnn(
    cell_fw: Any,
    cell_bw: Any,
    inputs: Any,
    sequence_length: Any = None,
    initial_state_fw: Any = None,
    initial_state_bw: Any = None,
    dtype: Any = None,
    parallel_iterations: Any = None,
    swap_memory: bool = False,
    time_major: bool = False,
    scope: Any = None,
) -> tuple:
    """``((outputs_fw, outputs_bw), (state_fw, state_bw))``: ``cell_bw`` runs over each sequence reversed
    (within its length) and its outputs are reversed back, under scopes ``bidirectional_rnn/fw`` and ``/bw``."""
    x = convert_to_tensor(inputs)
    seq_axis, batch_axis = (0, 1) if time_major else (1, 0)
    lengths = _lengths(sequence_length)
    with variable_scope(scope or "bidirectional_rnn"):
        with variable_scope("fw") as fw_scope:
            out_fw, state_fw = dynamic_rnn(
                cell_fw,
                x,
                sequence_length=lengths,
                initial_state=initial_state_fw,
                dtype=dtype,
                time_major=time_major,
                scope=fw_scope,
            )
        with variable_scope("bw") as bw_scope:
            out_bw, state_bw = dynamic_rnn(
                cell_bw,
                _reversed(x, lengths, seq_axis, batch_axis),
                sequence_length=lengths,
                initial_state=initial_state_bw,
                dtype=dtype,
                time_major=time_major,
                scope=bw_scope,
            )
    return (out_fw, _reversed(out_bw, lengths, seq_axis, batch_axis)), (state_fw, state_bw)


def static_bidirectional_rnn(
    cell_fw: Any,
    cell_bw: Any,
    inputs: Any,
    initial_state_fw: Any = None,
    initial_state_bw: Any = None,
    dtype: Any = None,
    sequence_length: Any = None,
    scope: Optional[str] = None,
) -> tuple:
    """``(outputs, state_fw, state_bw)``: each output the concatenation of the forward and backward outputs."""
    if not nest.is_nested(inputs) or not inputs:
        raise TypeError("inputs must be a non-empty sequence")
    steps = [convert_to_tensor(x) for x in inputs]
    stacked = array_ops.stack(steps, 0)
    (out_fw, out_bw), (state_fw, state_bw) = bidirectional_dynamic_rnn(
        cell_fw,
        cell_bw,
        stacked,
        sequence_length=sequence_length,
        initial_state_fw=initial_state_fw,
        initial_state_bw=initial_state_bw,
        dtype=dtype,
        time_major=True,
        scope=scope,
    )
    joined = array_ops.concat([out_fw, out_bw], 2)
    return [joined[t] for t in range(len(steps))], state_fw, state_bw

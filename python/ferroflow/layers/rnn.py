"""``RNN``: runs a cell (built-in or user-written) over the time axis of a sequence.

A cell is any object with ``state_size`` and ``call(inputs, states[, training])`` returning
``(output, new_states)``, as in Keras. ``_rnn_loop.time_loop`` unrolls the steps into the graph (a native while
loop runs them when the sequence length is only known at run time).
"""

from __future__ import annotations

import inspect
from typing import Any, Optional

from ..framework import nest
from ..framework.ops import convert_to_tensor
from ..framework.variables import Variable
from ..ops import array_ops, math_ops
from . import _lstm_sequence, masking_support
from ._keras_weight_groups import weight_groups
from ._rnn_loop import static_length, time_loop
from ._sublayer_config import deserialize_sublayer, serialize_sublayer
from .base_layer import Layer
from .conv_lstm_cell import ConvLSTMCell
from .input_spec import display_shape
from .keras_variable import path_scope
from .recurrent_cell_base import RecurrentCell
from .stacked_rnn_cells import StackedRNNCells, build_cell, cell_output_size, check_cell, zero_initial_state


class RNN(Layer):
    """Base class of the recurrent layers: ``RNN(cell)`` or ``RNN([cell1, cell2])`` (stacked)."""

    def __init__(
        self,
        cell: Any,
        return_sequences: bool = False,
        return_state: bool = False,
        go_backwards: bool = False,
        stateful: bool = False,
        unroll: bool = False,
        zero_output_for_mask: bool = False,
        **kwargs: Any,
    ) -> None:
        if isinstance(cell, (list, tuple)):
            # The stack computes in the layer's dtype (else it would cast float64 steps to float32).
            cell = StackedRNNCells(cell, dtype=kwargs.get("dtype") or getattr(cell[0], "dtype", None))
        check_cell(cell, "Argument `cell`")
        super().__init__(**kwargs)
        self.zero_output_for_mask = bool(zero_output_for_mask)
        self.cell = cell
        self.return_sequences = bool(return_sequences)
        self.return_state = bool(return_state)
        self.go_backwards = bool(go_backwards)
        self.stateful = bool(stateful)
        self.unroll = bool(unroll)  # accepted; static lengths are always unrolled here
        self.supports_masking = True
        self._state_variables: Optional[list] = None
        self._expected_batch_size: Optional[int] = None
        state_size = getattr(cell, "state_size", None)
        if state_size is None:
            raise ValueError("state_size must be specified as property on the RNN cell.")
        if not isinstance(state_size, (list, tuple, int)):
            raise ValueError("state_size must be an integer, or a list/tuple of integers (one for each state tensor).")
        self.single_state = isinstance(state_size, int)
        self.state_size = [state_size] if self.single_state else list(state_size)

    @property
    def states(self) -> Optional[list]:
        """The state variables of a stateful layer (None otherwise, or before it is built)."""
        return self._state_variables

    # -- shapes and masks
    def compute_output_shape(self, sequences_shape: Any, initial_state_shape: Any = None) -> Any:
        batch, length = tuple(sequences_shape)[:2]
        states = [(batch, s) if isinstance(s, int) else [(batch, d) for d in s] for s in self.state_size]
        output_size = cell_output_size(self.cell)
        if not isinstance(output_size, int):
            raise ValueError("output_size must be an integer.")
        output = (batch, length, output_size) if self.return_sequences else (batch, output_size)
        return (output, *states) if self.return_state else output

    def compute_mask(self, inputs: Any, previous_mask: Any = None) -> Any:
        mask = nest.flatten(previous_mask)[0] if previous_mask is not None else None
        output_mask = mask if self.return_sequences else None
        if self.return_state:
            return [output_mask] + [None for _ in self.state_size]
        return output_mask

    # -- building and states
    def build(self, sequences_shape: Any, initial_state_shape: Any = None) -> None:
        shape = tuple(sequences_shape)
        if len(shape) < 3:
            raise ValueError(
                f"Input 0 of layer '{self.name}' is incompatible with the layer: expected ndim=3, found "
                f"ndim={len(shape)}. Full shape received: {display_shape(shape)}"
            )
        with path_scope(self.name):  # as Keras 3: the cell's weights are at lstm/lstm_cell/kernel
            build_cell(self.cell, (shape[0],) + shape[2:])
        if self.stateful:
            if self._state_variables is not None:
                self.reset_state()
            else:
                if shape[0] is None:
                    raise ValueError(
                        "When using `stateful=True` in a RNN, the batch size must be static. Found dynamic batch "
                        f"size: sequence.shape={display_shape(shape)}"
                    )
                self._create_state_variables(int(shape[0]))
        self.built = True

    def _create_state_variables(self, batch_size: int) -> None:
        # Kept off the layer's weights, as in Keras: the states are neither trained nor saved.
        def state(value: Any) -> Variable:
            var = Variable(value, trainable=False, name=f"{self.name}/rnn_state")
            var._name_suffix = ""  # Keras's name, without TensorFlow's ":0"
            return var

        self._state_variables = nest.map_structure(state, self.get_initial_state(batch_size))
        self._expected_batch_size = batch_size

    def get_initial_state(self, batch_size: Any) -> list:
        fn = getattr(self.cell, "get_initial_state", None)
        if fn is None:
            return [array_ops.zeros((batch_size, d), dtype=self._cell_dtype()) for d in self.state_size]
        states = fn(batch_size=batch_size)
        return list(states) if nest.is_nested(states) else [states]

    def reset_state(self, states: Any = None) -> None:
        """Zeros the states of a stateful layer, or sets them to ``states`` (arrays, one per state)."""
        if self._state_variables is None:
            return
        variables = nest.flatten(self._state_variables)
        values = [None] * len(variables) if states is None else nest.flatten(states)
        if len(values) != len(variables):
            raise ValueError(
                f"Layer '{self.name}' expects {len(variables)} states, received {len(values)} state values"
            )
        for var, value in zip(variables, values):
            var.assign(array_ops.zeros_like(var) if value is None else value)

    reset_states = reset_state

    def _cell_dtype(self) -> str:
        return getattr(self.cell, "compute_dtype", self.compute_dtype)

    def _zero_states(self, sequences: Any) -> list:
        """Zero states for a batch whose size is only known at run time: (batch, 1) zeros broadcast."""
        first = sequences[:, 0]
        if len(first.shape) > 2:
            first = array_ops.reshape(first, [-1, int(_prod(tuple(first.shape)[1:]))])
        column = array_ops.cast(array_ops.zeros_like(first[:, :1]), self._cell_dtype())

        def zeros(size: int) -> Any:
            return math_ops.add(column, array_ops.zeros((int(size),), dtype=self._cell_dtype()))

        return [zeros(s) if isinstance(s, int) else nest.map_structure(zeros, list(s)) for s in self.state_size]

    def _initial_state(self, sequences: Any, initial_state: Any) -> list:
        if initial_state is None:
            if self.stateful and self._state_variables is not None:
                return nest.map_structure(convert_to_tensor, self._state_variables)
            batch = tuple(sequences.shape)[0]
            if batch is not None:
                return self.get_initial_state(int(batch))
            if zero_initial_state(self.cell):
                return self._zero_states(sequences)
            return self.get_initial_state(array_ops.shape(sequences)[0])
        flat = nest.flatten(initial_state)
        want = len(nest.flatten(self.state_size))
        if len(flat) != want:
            raise ValueError(
                f"Layer '{self.name}' expects {want} initial state tensor(s) (state_size={self.state_size}), "
                f"received {len(flat)}"
            )
        dtype = self._cell_dtype()
        flat = [array_ops.cast(convert_to_tensor(s), dtype) for s in flat]
        return nest.pack_sequence_as(list(self.state_size), flat)

    # -- the computation
    def inner_loop(self, sequences: Any, initial_state: list, mask: Any, training: Any = False) -> tuple:
        cell = self.cell
        if _lstm_sequence.applies(cell, sequences, mask, training, self):
            return _lstm_sequence.run(
                cell, sequences, initial_state, training, self.go_backwards, self.return_sequences
            )
        if isinstance(cell, (RecurrentCell, ConvLSTMCell)):
            # Each step projects its own input when the length is unknown (the while loop reads narrow inputs)
            # and when the inputs are no wider than the gates: slicing the projected sequence per step costs a
            # gradient as large as the whole projection per slice, while per-step products cost nothing extra
            # (LSTM(128) over 100 steps of 32 features: 314 -> 218 ms of kernels per training step).
            features = sequences.shape[-1]
            narrow = isinstance(cell, RecurrentCell) and features is not None and features <= cell.gates * cell.units
            each_step = static_length(sequences, self) is None or narrow
            inputs, step = cell.sequence_step(sequences, initial_state, training, project_each_step=each_step)
        else:
            inputs, step = sequences, _generic_step(cell, training)
        return time_loop(
            step,
            inputs,
            initial_state,
            mask=mask,
            go_backwards=self.go_backwards,
            zero_output_for_mask=self.zero_output_for_mask,
            return_sequences=self.return_sequences,
            layer=self,
        )

    def call(self, sequences: Any, initial_state: Any = None, mask: Any = None, training: Any = False) -> Any:
        if mask is None:
            mask = masking_support.get_mask(sequences)
        if mask is not None:
            mask = nest.flatten(mask)[0]
        if not sequences.dtype.is_floating:
            # Keras's matmul promotes bool/int steps (e.g. one-hot characters) to the weights' float dtype.
            sequences = array_ops.cast(sequences, self._cell_dtype())
        if self.unroll and static_length(sequences, self) is None:
            raise ValueError(
                "Cannot unroll a RNN if the time dimension is undefined. \n- If using a Sequential model, specify the "
                "time dimension by passing an `Input()` as your first layer.\n- If using the functional API, specify "
                "the time dimension by passing a `shape` or `batch_shape` argument to your `Input()`."
            )
        batch = tuple(sequences.shape)[0]
        if self.stateful and self._expected_batch_size is not None and batch not in (None, self._expected_batch_size):
            raise ValueError(
                "If an RNN is stateful, the batch size of the input sequences must be the same as the batch size "
                f"of the initial state. \n- Expected batch size: {self._expected_batch_size}\n- Received batch "
                f"size: {batch}"
            )
        states = self._initial_state(sequences, initial_state)
        try:
            last_output, outputs, states = self.inner_loop(sequences, states, mask, training=training)
        finally:
            _reset_dropout_masks(self.cell)
        if self.stateful and self._state_variables is not None:
            for var, value in zip(nest.flatten(self._state_variables), nest.flatten(states)):
                var.assign(value)
        output = outputs if self.return_sequences else last_output
        if self.return_state:
            return (output, *states)
        return output

    def _keras_weight_groups(self) -> list:
        """Keras 3 files keep the cell's weights in a ``cell`` group below the layer's (saving/keras3_nested)."""
        return weight_groups(self.cell, "cell")

    # -- config
    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            return_sequences=self.return_sequences,
            return_state=self.return_state,
            go_backwards=self.go_backwards,
            stateful=self.stateful,
            unroll=self.unroll,
            zero_output_for_mask=self.zero_output_for_mask,
        )
        config["cell"] = serialize_sublayer(self.cell)
        return config

    @classmethod
    def from_config(cls, config: dict, custom_objects: Optional[dict] = None) -> RNN:
        config = dict(config)
        cell = deserialize_sublayer(config.pop("cell"), custom_objects)
        return cls(cell, **config)


def _prod(dims: tuple) -> int:
    out = 1
    for d in dims:
        out *= int(d)
    return out


def _generic_step(cell: Any, training: Any) -> Any:
    """The step of a cell without the fast path: its ``__call__`` (or ``call``) on one timestep."""
    if isinstance(cell, Layer):
        call_fn, kwargs = cell, {"training": training}
    else:
        call_fn = cell if callable(cell) else cell.call
        params = inspect.signature(call_fn).parameters
        kwargs = {"training": training} if "training" in params else {}

    def step(x_t: Any, states: Any) -> tuple:
        output, new_states = call_fn(x_t, states, **kwargs)
        if not nest.is_nested(new_states):
            new_states = [new_states]
        return output, new_states

    return step


def _reset_dropout_masks(cell: Any) -> None:
    for method in ("reset_dropout_mask", "reset_recurrent_dropout_mask"):
        if hasattr(cell, method):
            getattr(cell, method)()
    for sub in getattr(cell, "cells", None) or []:
        _reset_dropout_masks(sub)

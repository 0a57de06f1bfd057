"""TF1's cell combinators: ``MultiRNNCell`` (stacked cells, scopes ``cell_0``, ``cell_1`` ...),
``DropoutWrapper`` (dropout on inputs, outputs and state; the keep probabilities may be placeholders),
``ResidualWrapper`` (output + input) and ``DeviceWrapper``."""

from __future__ import annotations

from typing import Any, Callable, Optional, Sequence

from ...framework import nest
from .rnn_cell_base import LSTMStateTuple, RNNCell
from .variable_scope import variable_scope


class MultiRNNCell(RNNCell):
    """Runs ``cells`` one after the other at each step: each one's output is the next one's input; the state
    is the tuple of their states."""

    _base_name = "multi_rnn_cell"

    def __init__(self, cells: Sequence[RNNCell], state_is_tuple: bool = True) -> None:
        super().__init__()
        if not cells:
            raise ValueError("Must specify at least one cell for MultiRNNCell.")
        if not nest.is_nested(cells):
            raise TypeError(f"cells must be a list or tuple, but saw: {cells}.")
        if len({id(c) for c in cells}) < len(cells):
            from .logging import warning

            warning("At least two cells provided to MultiRNNCell are the same object and will share weights.")
        self._cells = list(cells)
        if not state_is_tuple:
            raise NotImplementedError("MultiRNNCell(state_is_tuple=False): concatenated states")
        self._state_is_tuple = state_is_tuple

    @property
    def state_size(self) -> tuple:
        return tuple(cell.state_size for cell in self._cells)

    @property
    def output_size(self) -> Any:
        return self._cells[-1].output_size

    @property
    def variables(self) -> list:
        return [v for cell in self._cells for v in cell.variables]

    @property
    def trainable_variables(self) -> list:
        return [v for cell in self._cells for v in cell.trainable_variables]

    def zero_state(self, batch_size: Any, dtype: Any) -> tuple:
        return tuple(cell.zero_state(batch_size, dtype) for cell in self._cells)

    def __call__(self, inputs: Any, state: Any, scope: Any = None) -> tuple:
        if not self._built:
            with variable_scope(scope, default_name=self._base_name) as vs:
                self._scope_name = vs.name
                output, new_state = self._run(inputs, state)
            self._built = True
            return output, new_state
        return self._run(inputs, state)

    def _run(self, inputs: Any, state: Any) -> tuple:
        if not nest.is_nested(state) or len(state) != len(self._cells):
            raise ValueError(f"Expected state to be a tuple of length {len(self._cells)}, but received: {state}")
        current, new_states = inputs, []
        for i, cell in enumerate(self._cells):
            if cell._built:
                current, s = cell(current, state[i])
            else:
                with variable_scope(f"cell_{i}"):
                    current, s = cell(current, state[i])
            new_states.append(s)
        return current, tuple(new_states)


def _default_state_filter(substate: Any) -> Any:
    """TensorFlow's default: dropout on every part of the state but an LSTM's memory cell ``c``."""
    if isinstance(substate, LSTMStateTuple):
        return LSTMStateTuple(c=False, h=True)
    return True


class _Wrapper(RNNCell):
    def __init__(self, cell: RNNCell) -> None:
        super().__init__()
        self._cell = cell

    @property
    def wrapped_cell(self) -> RNNCell:
        return self._cell

    @property
    def state_size(self) -> Any:
        return self._cell.state_size

    @property
    def output_size(self) -> Any:
        return self._cell.output_size

    @property
    def variables(self) -> list:
        return self._cell.variables

    @property
    def trainable_variables(self) -> list:
        return self._cell.trainable_variables

    def zero_state(self, batch_size: Any, dtype: Any) -> Any:
        return self._cell.zero_state(batch_size, dtype)


class DropoutWrapper(_Wrapper):
    """Dropout on the cell's inputs, outputs and (by default all but the LSTM memory of) its new state, kept
    with probabilities ``input_keep_prob``, ``output_keep_prob`` and ``state_keep_prob`` (floats or scalar
    tensors such as placeholders fed 1.0 at evaluation)."""

    def __init__(
        self,
        cell: RNNCell,
        input_keep_prob: Any = 1.0,
        output_keep_prob: Any = 1.0,
        state_keep_prob: Any = 1.0,
        variational_recurrent: bool = False,
        input_size: Any = None,
        dtype: Any = None,
        seed: Optional[int] = None,
        dropout_state_filter_visitor: Optional[Callable] = None,
    ) -> None:
        super().__init__(cell)
        for name, prob in (("input", input_keep_prob), ("output", output_keep_prob), ("state", state_keep_prob)):
            if isinstance(prob, (int, float)) and not 0.0 < float(prob) <= 1.0:
                raise ValueError(f"Parameter {name}_keep_prob must be between 0 and 1: {prob:f}")
        if variational_recurrent:
            raise NotImplementedError("DropoutWrapper(variational_recurrent=True): one dropout mask per sequence")
        self._probs = (input_keep_prob, output_keep_prob, state_keep_prob)
        self._seed = seed
        self._filter = dropout_state_filter_visitor or _default_state_filter

    def _dropout(self, value: Any, keep_prob: Any, salt: int) -> Any:
        if isinstance(keep_prob, (int, float)) and float(keep_prob) == 1.0:
            return value
        from .nn_v1 import dropout

        seed = None if self._seed is None else self._seed + salt
        return dropout(value, keep_prob=keep_prob, seed=seed)

    def __call__(self, inputs: Any, state: Any, scope: Any = None) -> tuple:
        keep_in, keep_out, keep_state = self._probs
        inputs = self._dropout(inputs, keep_in, 0)
        output, new_state = self._cell(inputs, state, scope=scope)
        self._built = True
        if not (isinstance(keep_state, (int, float)) and float(keep_state) == 1.0):
            new_state = _filtered_dropout(new_state, self._filter, lambda s: self._dropout(s, keep_state, 1))
        return self._dropout(output, keep_out, 2), new_state


def _filtered_dropout(state: Any, visitor: Callable, drop: Callable) -> Any:
    mask = visitor(state)
    if isinstance(state, LSTMStateTuple) and isinstance(mask, LSTMStateTuple):
        return LSTMStateTuple(drop(state.c) if mask.c else state.c, drop(state.h) if mask.h else state.h)
    if isinstance(state, tuple) and not isinstance(state, LSTMStateTuple):
        return type(state)(_filtered_dropout(s, visitor, drop) for s in state)
    return drop(state) if mask else state


class ResidualWrapper(_Wrapper):
    """``output = residual_fn(inputs, cell_output)`` (``inputs + cell_output`` by default)."""

    def __init__(self, cell: RNNCell, residual_fn: Optional[Callable] = None) -> None:
        super().__init__(cell)
        self._residual_fn = residual_fn

    def __call__(self, inputs: Any, state: Any, scope: Any = None) -> tuple:
        output, new_state = self._cell(inputs, state, scope=scope)
        self._built = True
        if self._residual_fn is not None:
            return self._residual_fn(inputs, output), new_state
        return nest.map_structure(lambda i, o: i + o, inputs, output), new_state


class DeviceWrapper(_Wrapper):
    """Runs the cell on ``device`` (ferroflow places ops itself, so this only keeps TF1 code working)."""

    def __init__(self, cell: RNNCell, device: str) -> None:
        super().__init__(cell)
        self._device = device

    def __call__(self, inputs: Any, state: Any, scope: Any = None) -> tuple:
        output, new_state = self._cell(inputs, state, scope=scope)
        self._built = True
        return output, new_state

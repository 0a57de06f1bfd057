"""TF1's recurrent cells: ``BasicRNNCell``, ``GRUCell``, ``BasicLSTMCell`` and ``LSTMCell`` (peepholes,
cell clipping, projection), with TensorFlow's variable names, initializers and gate order."""

from __future__ import annotations

from typing import Any, Callable, Optional

from ...ops import array_ops, math_ops
from ...ops.slicing_ops import slice as _slice
from ...ops.slicing_ops import split as _split
from . import initializers as init_ops
from .rnn_cell_base import LSTMStateTuple, RNNCell, linear


def _activation(activation: Any) -> Callable:
    if activation is None:
        return math_ops.tanh
    if isinstance(activation, str):
        from ... import activations

        return activations.get(activation)
    return activation


class BasicRNNCell(RNNCell):
    """``output = new_state = activation(W [inputs, state] + b)``."""

    _base_name = "basic_rnn_cell"

    def __init__(
        self,
        num_units: int,
        activation: Any = None,
        reuse: Any = None,
        name: Optional[str] = None,
        dtype: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(name=name, dtype=dtype, **kwargs)
        self._num_units = num_units
        self._activation = _activation(activation)

    @property
    def state_size(self) -> int:
        return self._num_units

    @property
    def output_size(self) -> int:
        return self._num_units

    def build(self, input_depth: int) -> None:
        self._kernel = self._get_variable("kernel", [input_depth + self._num_units, self._num_units])
        self._bias = self._get_variable("bias", [self._num_units], init_ops.Zeros())

    def call(self, inputs: Any, state: Any) -> tuple:
        output = self._activation(linear([inputs, state], self._kernel, self._bias))
        return output, output


class GRUCell(RNNCell):
    """Gated recurrent unit (Cho et al. 2014): ``r, u = sigmoid(W_g [x, h] + b_g)``,
    ``c = activation(W_c [x, r * h] + b_c)``, ``h' = u * h + (1 - u) * c``; the gate bias starts at 1."""

    _base_name = "gru_cell"

    def __init__(
        self,
        num_units: int,
        activation: Any = None,
        reuse: Any = None,
        kernel_initializer: Any = None,
        bias_initializer: Any = None,
        name: Optional[str] = None,
        dtype: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(name=name, dtype=dtype, **kwargs)
        self._num_units = num_units
        self._activation = _activation(activation)
        self._kernel_initializer = kernel_initializer
        self._bias_initializer = bias_initializer

    @property
    def state_size(self) -> int:
        return self._num_units

    @property
    def output_size(self) -> int:
        return self._num_units

    def build(self, input_depth: int) -> None:
        n = self._num_units
        gate_bias = self._bias_initializer if self._bias_initializer is not None else init_ops.Constant(1.0)
        cand_bias = self._bias_initializer if self._bias_initializer is not None else init_ops.Zeros()
        self._gate_kernel = self._get_variable("gates/kernel", [input_depth + n, 2 * n], self._kernel_initializer)
        self._gate_bias = self._get_variable("gates/bias", [2 * n], gate_bias)
        self._candidate_kernel = self._get_variable("candidate/kernel", [input_depth + n, n], self._kernel_initializer)
        self._candidate_bias = self._get_variable("candidate/bias", [n], cand_bias)

    def call(self, inputs: Any, state: Any) -> tuple:
        gates = math_ops.sigmoid(linear([inputs, state], self._gate_kernel, self._gate_bias))
        r, u = _split(gates, 2, axis=1)
        c = self._activation(linear([inputs, r * state], self._candidate_kernel, self._candidate_bias))
        new_h = u * state + (1 - u) * c
        return new_h, new_h


class BasicLSTMCell(RNNCell):
    """LSTM without peepholes or projection: ``i, j, f, o = split(W [x, h] + b)``,
    ``c' = c * sigmoid(f + forget_bias) + sigmoid(i) * activation(j)``, ``h' = activation(c') * sigmoid(o)``."""

    _base_name = "basic_lstm_cell"

    def __init__(
        self,
        num_units: int,
        forget_bias: float = 1.0,
        state_is_tuple: bool = True,
        activation: Any = None,
        reuse: Any = None,
        name: Optional[str] = None,
        dtype: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(name=name, dtype=dtype, **kwargs)
        self._num_units = num_units
        self._forget_bias = forget_bias
        self._state_is_tuple = state_is_tuple
        self._activation = _activation(activation)

    @property
    def state_size(self) -> Any:
        n = self._num_units
        return LSTMStateTuple(n, n) if self._state_is_tuple else 2 * n

    @property
    def output_size(self) -> int:
        return self._num_units

    def build(self, input_depth: int) -> None:
        n = self._num_units
        self._kernel = self._get_variable("kernel", [input_depth + n, 4 * n])
        self._bias = self._get_variable("bias", [4 * n], init_ops.Zeros())

    def call(self, inputs: Any, state: Any) -> tuple:
        if self._state_is_tuple:
            c, h = state
        else:
            c, h = _split(state, 2, axis=1)
        i, j, f, o = _split(linear([inputs, h], self._kernel, self._bias), 4, axis=1)
        new_c = c * math_ops.sigmoid(f + self._forget_bias) + math_ops.sigmoid(i) * self._activation(j)
        new_h = self._activation(new_c) * math_ops.sigmoid(o)
        new_state = LSTMStateTuple(new_c, new_h) if self._state_is_tuple else array_ops.concat([new_c, new_h], 1)
        return new_h, new_state


class LSTMCell(RNNCell):
    """The full LSTM of TF1: optional peepholes (``w_f_diag``, ``w_i_diag``, ``w_o_diag``), clipping of the cell
    state to ``[-cell_clip, cell_clip]``, and a projection of the output to ``num_proj`` units."""

    _base_name = "lstm_cell"

    def __init__(
        self,
        num_units: int,
        use_peepholes: bool = False,
        cell_clip: Any = None,
        initializer: Any = None,
        num_proj: Any = None,
        proj_clip: Any = None,
        num_unit_shards: Any = None,
        num_proj_shards: Any = None,
        forget_bias: float = 1.0,
        state_is_tuple: bool = True,
        activation: Any = None,
        reuse: Any = None,
        name: Optional[str] = None,
        dtype: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(name=name, dtype=dtype, **kwargs)
        if num_unit_shards is not None or num_proj_shards is not None:
            raise NotImplementedError("LSTMCell's num_unit_shards and num_proj_shards (partitioned kernels)")
        self._num_units = num_units
        self._use_peepholes = use_peepholes
        self._cell_clip = cell_clip
        self._initializer = initializer
        self._num_proj = num_proj
        self._proj_clip = proj_clip
        self._forget_bias = forget_bias
        self._state_is_tuple = state_is_tuple
        self._activation = _activation(activation)

    @property
    def state_size(self) -> Any:
        n, m = self._num_units, self._num_proj or self._num_units
        return LSTMStateTuple(n, m) if self._state_is_tuple else n + m

    @property
    def output_size(self) -> int:
        return self._num_proj or self._num_units

    def build(self, input_depth: int) -> None:
        n, h_depth = self._num_units, self._num_proj or self._num_units
        self._kernel = self._get_variable("kernel", [input_depth + h_depth, 4 * n], self._initializer)
        self._bias = self._get_variable("bias", [4 * n], init_ops.Zeros())
        if self._use_peepholes:
            self._w_f_diag = self._get_variable("w_f_diag", [n], self._initializer)
            self._w_i_diag = self._get_variable("w_i_diag", [n], self._initializer)
            self._w_o_diag = self._get_variable("w_o_diag", [n], self._initializer)
        if self._num_proj is not None:
            self._proj_kernel = self._get_variable("projection/kernel", [n, self._num_proj], self._initializer)

    def call(self, inputs: Any, state: Any) -> tuple:
        from ...ops.math_ops import clip_by_value, matmul

        n, m = self._num_units, self._num_proj or self._num_units
        if self._state_is_tuple:
            c_prev, m_prev = state
        else:
            c_prev = _slice(state, [0, 0], [-1, n])
            m_prev = _slice(state, [0, n], [-1, m])
        i, j, f, o = _split(linear([inputs, m_prev], self._kernel, self._bias), 4, axis=1)
        if self._use_peepholes:
            c = math_ops.sigmoid(f + self._forget_bias + self._w_f_diag * c_prev) * c_prev + math_ops.sigmoid(
                i + self._w_i_diag * c_prev
            ) * self._activation(j)
        else:
            c = math_ops.sigmoid(f + self._forget_bias) * c_prev + math_ops.sigmoid(i) * self._activation(j)
        if self._cell_clip is not None:
            c = clip_by_value(c, -self._cell_clip, self._cell_clip)
        if self._use_peepholes:
            h = math_ops.sigmoid(o + self._w_o_diag * c) * self._activation(c)
        else:
            h = math_ops.sigmoid(o) * self._activation(c)
        if self._num_proj is not None:
            h = matmul(h, self._proj_kernel)
            if self._proj_clip is not None:
                h = clip_by_value(h, -self._proj_clip, self._proj_clip)
        new_state = LSTMStateTuple(c, h) if self._state_is_tuple else array_ops.concat([c, h], 1)
        return h, new_state

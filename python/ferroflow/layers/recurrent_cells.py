"""``SimpleRNNCell``, ``LSTMCell`` and ``GRUCell``: one timestep each, with Keras's weight layout.

The kernels hold the gates side by side in Keras's order (LSTM: i, f, c, o; GRU: z, r, h), so weights
taken from Keras with ``set_weights`` give Keras's outputs.
"""

from __future__ import annotations

from typing import Any, Optional, Tuple

from ..framework.ops import convert_to_tensor
from ..ops import array_ops, math_ops
from . import _resolve
from ._fused_lstm import fused_step, has_default_activations
from .recurrent_cell_base import RecurrentCell


class SimpleRNNCell(RecurrentCell):
    """``h_t = activation(x_t @ kernel + bias + h_{t-1} @ recurrent_kernel)``."""

    gates = 1

    def _step(self, projected: Any, states: list, weights: Any, recurrent_mask: Any) -> Tuple[Any, list]:
        h = states[0]
        if recurrent_mask is not None:
            h = math_ops.multiply(h, recurrent_mask)
        output = self.activation(math_ops.add(projected, math_ops.matmul(h, weights)))
        return output, [output]


class LSTMCell(RecurrentCell):
    """Long short-term memory: states ``[h, c]``; gates i, f, c, o in the kernels' column blocks."""

    gates = 4

    def __init__(
        self,
        units: int,
        activation: Any = "tanh",
        recurrent_activation: Any = "sigmoid",
        use_bias: bool = True,
        kernel_initializer: Any = "glorot_uniform",
        recurrent_initializer: Any = "orthogonal",
        bias_initializer: Any = "zeros",
        unit_forget_bias: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            units,
            activation=activation,
            use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            recurrent_initializer=recurrent_initializer,
            bias_initializer=bias_initializer,
            **kwargs,
        )
        self.recurrent_activation = _resolve.activation(recurrent_activation)
        self.unit_forget_bias = bool(unit_forget_bias)
        self.state_size = [self.units, self.units]

    def _bias_initializer(self) -> Any:
        if not self.unit_forget_bias:
            return self.bias_initializer
        units, init = self.units, self.bias_initializer

        def bias_initializer(shape: Any, dtype: Any = None, **kwargs: Any) -> Any:
            # As Keras: the forget gate's bias starts at one, so the cell remembers by default.
            parts = [
                init((units,), dtype=dtype),
                array_ops.ones((units,), dtype=dtype),
                init((2 * units,), dtype=dtype),
            ]
            return array_ops.concat([convert_to_tensor(p, dtype=dtype) for p in parts], 0)

        return bias_initializer

    def _step(self, projected: Any, states: list, weights: Any, recurrent_mask: Any) -> Tuple[Any, list]:
        h, c = states[0], states[1]
        u = self.units
        if recurrent_mask is not None:
            h = math_ops.multiply(h, recurrent_mask)
        z = math_ops.add(projected, math_ops.matmul(h, weights))
        if has_default_activations(self):
            h, c = fused_step(z, c, u)
            return h, [h, c]
        i = self.recurrent_activation(z[:, :u])
        f = self.recurrent_activation(z[:, u : 2 * u])
        g = self.activation(z[:, 2 * u : 3 * u])
        o = self.recurrent_activation(z[:, 3 * u :])
        c = math_ops.add(math_ops.multiply(f, c), math_ops.multiply(i, g))
        h = math_ops.multiply(o, self.activation(c))
        return h, [h, c]

    def _config_head(self) -> dict:
        config = super()._config_head()
        config["recurrent_activation"] = _resolve.serialize_activation(self.recurrent_activation)
        return config

    def _config_flags(self) -> dict:
        return {"unit_forget_bias": self.unit_forget_bias}


class GRUCell(RecurrentCell):
    """Gated recurrent unit: gates z, r, h. ``reset_after`` (Keras's default) applies the reset gate after
    the recurrent product and keeps a second, recurrent bias: ``bias`` is then (2, 3 * units)."""

    gates = 3

    def __init__(
        self,
        units: int,
        activation: Any = "tanh",
        recurrent_activation: Any = "sigmoid",
        use_bias: bool = True,
        kernel_initializer: Any = "glorot_uniform",
        recurrent_initializer: Any = "orthogonal",
        bias_initializer: Any = "zeros",
        kernel_regularizer: Any = None,
        recurrent_regularizer: Any = None,
        bias_regularizer: Any = None,
        kernel_constraint: Any = None,
        recurrent_constraint: Any = None,
        bias_constraint: Any = None,
        dropout: float = 0.0,
        recurrent_dropout: float = 0.0,
        reset_after: bool = True,
        seed: Optional[int] = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            units,
            activation=activation,
            use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            recurrent_initializer=recurrent_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            recurrent_regularizer=recurrent_regularizer,
            bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint,
            recurrent_constraint=recurrent_constraint,
            bias_constraint=bias_constraint,
            dropout=dropout,
            recurrent_dropout=recurrent_dropout,
            seed=seed,
            **kwargs,
        )
        self.recurrent_activation = _resolve.activation(recurrent_activation)
        self.reset_after = bool(reset_after)

    def _bias_shape(self) -> tuple:
        return (2, 3 * self.units) if self.reset_after else (3 * self.units,)

    def _input_bias(self) -> Any:
        if self.bias is None:
            return None
        bias = convert_to_tensor(self.bias)
        return bias[0] if self.reset_after else bias

    def _recurrent_weights(self) -> Any:
        kernel = convert_to_tensor(self.recurrent_kernel)
        if self.reset_after:
            return kernel, None if self.bias is None else convert_to_tensor(self.bias)[1]
        u = self.units
        return kernel[:, : 2 * u], kernel[:, 2 * u :]

    def _step(self, projected: Any, states: list, weights: Any, recurrent_mask: Any) -> Tuple[Any, list]:
        h = states[0]
        u = self.units
        h_in = h if recurrent_mask is None else math_ops.multiply(h, recurrent_mask)
        x_z, x_r, x_h = projected[:, :u], projected[:, u : 2 * u], projected[:, 2 * u :]
        if self.reset_after:
            kernel, recurrent_bias = weights
            inner = math_ops.matmul(h_in, kernel)
            if recurrent_bias is not None:
                inner = math_ops.add(inner, recurrent_bias)
            z = self.recurrent_activation(math_ops.add(x_z, inner[:, :u]))
            r = self.recurrent_activation(math_ops.add(x_r, inner[:, u : 2 * u]))
            recurrent_h = math_ops.multiply(r, inner[:, 2 * u :])
        else:
            kernel_zr, kernel_h = weights
            inner = math_ops.matmul(h_in, kernel_zr)
            z = self.recurrent_activation(math_ops.add(x_z, inner[:, :u]))
            r = self.recurrent_activation(math_ops.add(x_r, inner[:, u:]))
            recurrent_h = math_ops.matmul(math_ops.multiply(r, h_in), kernel_h)
        hh = self.activation(math_ops.add(x_h, recurrent_h))
        # h = z * h_{t-1} + (1 - z) * hh, written as hh + z * (h_{t-1} - hh): one product fewer
        new_h = math_ops.add(hh, math_ops.multiply(z, math_ops.subtract(h, hh)))
        return new_h, [new_h]

    def _config_head(self) -> dict:
        config = super()._config_head()
        config["recurrent_activation"] = _resolve.serialize_activation(self.recurrent_activation)
        return config

    def _config_tail(self) -> dict:
        return {"reset_after": self.reset_after}

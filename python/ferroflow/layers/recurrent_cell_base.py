"""What the built-in recurrent cells share: their arguments, weights, dropout masks, config and fast path.

A cell computes one timestep. Run by an ``RNN`` layer, a built-in cell takes a faster path than its
``call``: :meth:`RecurrentCell.sequence_step` projects the inputs of all timesteps with one matrix product,
and each step then does one product with the recurrent kernel for all gates together.
"""

from __future__ import annotations

from typing import Any, Callable, Optional, Tuple

import numpy as np

from ..framework import nest
from ..framework.ops import convert_to_tensor
from ..ops import array_ops, math_ops, nn_ops
from . import _resolve
from .base_layer import Layer


class DropoutRNNCell:
    """Dropout masks drawn once per sequence and reused at every step, as Keras's ``DropoutRNNCell``.

    The ``RNN`` layer calls ``reset_dropout_mask``/``reset_recurrent_dropout_mask`` after each sequence.
    """

    dropout: float = 0.0
    recurrent_dropout: float = 0.0
    seed: Optional[int] = None

    def _create_dropout_mask(self, step_input: Any, rate: float) -> Any:
        ones = array_ops.ones_like(step_input)
        if rate >= 1.0:
            return array_ops.zeros_like(step_input)
        return nn_ops.dropout(ones, rate, seed=self.seed)

    def get_dropout_mask(self, step_input: Any) -> Any:
        if getattr(self, "_dropout_mask", None) is None and self.dropout > 0:
            self._dropout_mask = self._create_dropout_mask(step_input, self.dropout)
        return getattr(self, "_dropout_mask", None)

    def get_recurrent_dropout_mask(self, step_input: Any) -> Any:
        if getattr(self, "_recurrent_dropout_mask", None) is None and self.recurrent_dropout > 0:
            self._recurrent_dropout_mask = self._create_dropout_mask(step_input, self.recurrent_dropout)
        return getattr(self, "_recurrent_dropout_mask", None)

    def reset_dropout_mask(self) -> None:
        self._dropout_mask = None

    def reset_recurrent_dropout_mask(self) -> None:
        self._recurrent_dropout_mask = None


def positive_units(units: Any) -> int:
    if isinstance(units, bool) or not isinstance(units, (int, np.integer)) or units <= 0:
        raise ValueError(f"Received an invalid value for argument `units`, expected a positive integer, got {units}.")
    return int(units)


def _rate(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"`{name}` must be a float between 0 and 1, received {name}={value!r}")
    return min(1.0, max(0.0, float(value)))


class RecurrentCell(DropoutRNNCell, Layer):
    """Base of ``SimpleRNNCell``, ``LSTMCell`` and ``GRUCell``: ``gates`` blocks of ``units`` columns."""

    gates = 1
    _zero_initial_state = True  # so an RNN in a graph of unknown batch size can broadcast zeros instead

    def __init__(
        self,
        units: int,
        activation: Any = "tanh",
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
        seed: Optional[int] = None,
        **kwargs: Any,
    ) -> None:
        units = positive_units(units)
        self.implementation = kwargs.pop("implementation", 2)  # Keras's choice of kernel split; one here
        super().__init__(**kwargs)
        self.units = units
        self.activation = _resolve.activation(activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = _resolve.initializer(kernel_initializer)
        self.recurrent_initializer = _resolve.initializer(recurrent_initializer)
        self.bias_initializer = _resolve.initializer(bias_initializer)
        self.kernel_regularizer = _resolve.regularizer(kernel_regularizer)
        self.recurrent_regularizer = _resolve.regularizer(recurrent_regularizer)
        self.bias_regularizer = _resolve.regularizer(bias_regularizer)
        self.kernel_constraint = _resolve.constraint(kernel_constraint)
        self.recurrent_constraint = _resolve.constraint(recurrent_constraint)
        self.bias_constraint = _resolve.constraint(bias_constraint)
        self.dropout = _rate(dropout, "dropout")
        self.recurrent_dropout = _rate(recurrent_dropout, "recurrent_dropout")
        self.seed = seed
        self.state_size: Any = self.units
        self.output_size = self.units

    # -- weights
    def _bias_shape(self) -> tuple:
        return (self.gates * self.units,)

    def _bias_initializer(self) -> Any:
        return self.bias_initializer

    def build(self, input_shape: Any) -> None:
        input_dim = tuple(input_shape)[-1]
        if input_dim is None:
            raise ValueError(
                f"The last dimension of the inputs to {type(self).__name__} '{self.name}' should be defined. "
                f"Found None. Full input shape received: {tuple(input_shape)}"
            )
        width = self.gates * self.units
        self.kernel = self.add_weight(
            shape=(input_dim, width),
            name="kernel",
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
        )
        self.recurrent_kernel = self.add_weight(
            shape=(self.units, width),
            name="recurrent_kernel",
            initializer=self.recurrent_initializer,
            regularizer=self.recurrent_regularizer,
            constraint=self.recurrent_constraint,
        )
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                shape=self._bias_shape(),
                name="bias",
                initializer=self._bias_initializer(),
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )
        self.built = True

    # -- the computation, split for the fast path
    def _input_bias(self) -> Any:
        return None if self.bias is None else convert_to_tensor(self.bias)

    def _recurrent_weights(self) -> Any:
        """The recurrent kernel (and bias), read once per sequence rather than once per step."""
        return convert_to_tensor(self.recurrent_kernel)

    def _dropped_inputs(self, sequences: Any, training: Any) -> Any:
        """``sequences`` (batch, time, features) with Keras's input dropout while training: one mask per
        sample, the same at every timestep."""
        if training and self.dropout > 0:
            mask = self.get_dropout_mask(sequences[:, 0])
            sequences = math_ops.multiply(sequences, array_ops.expand_dims(mask, 1))
        return sequences

    def _project(self, inputs: Any, weights: Optional[tuple] = None) -> Any:
        """``inputs @ kernel + input bias`` for (batch, features) or, in one product, (batch, time, features);
        ``weights``: the (kernel, bias) already read, so that a loop reads them once, not at every step."""
        shape = tuple(inputs.shape)
        kernel, bias = weights if weights is not None else (convert_to_tensor(self.kernel), self._input_bias())
        # A sequence of unknown length cannot be folded by a static reshape: the product broadcasts instead.
        fold = len(shape) != 2 and None not in shape[1:-1]
        x = array_ops.reshape(inputs, [-1, shape[-1]]) if fold else inputs
        y = math_ops.matmul(x, kernel)
        if bias is not None:
            y = math_ops.add(y, bias)
        if fold:
            y = array_ops.reshape(y, [-1, *[int(d) for d in shape[1:-1]], self.gates * self.units])
        return y

    def _step(self, projected: Any, states: list, weights: Any, recurrent_mask: Any) -> Tuple[Any, list]:
        raise NotImplementedError

    def _masked_state(self, states: list, training: Any) -> Any:
        if training and self.recurrent_dropout > 0:
            return self.get_recurrent_dropout_mask(states[0])
        return None

    def call(self, inputs: Any, states: Any, training: Any = False) -> Any:
        nested = nest.is_nested(states)
        states = list(states) if nested else [states]
        if not inputs.dtype.is_floating:
            inputs = array_ops.cast(inputs, self.compute_dtype)  # as RNN.call: bool/int inputs promoted
        if training and self.dropout > 0:
            inputs = math_ops.multiply(inputs, self.get_dropout_mask(inputs))
        output, new_states = self._step(
            self._project(inputs), states, self._recurrent_weights(), self._masked_state(states, training)
        )
        if not nested and len(new_states) == 1:
            return output, new_states[0]
        return output, new_states

    def sequence_step(
        self, sequences: Any, states: list, training: Any, project_each_step: bool = False
    ) -> Tuple[Any, Callable]:
        """The projected inputs of every timestep and the step function the time loop runs on them.

        With ``project_each_step`` the inputs stay as they are and each step projects its own: what a while
        loop reads then is only as wide as the inputs, and a loop over data (no trainable value upstream)
        needs no gradient for it at all; each read's gradient is as large as the whole sequence."""
        sequences = self._dropped_inputs(sequences, training)
        weights = self._recurrent_weights()
        recurrent_mask = self._masked_state(list(states), training)
        input_weights = (convert_to_tensor(self.kernel), self._input_bias()) if project_each_step else None

        def step(x_t: Any, step_states: Any) -> Tuple[Any, list]:
            if project_each_step:
                x_t = self._project(x_t, input_weights)
            return self._step(x_t, list(step_states), weights, recurrent_mask)

        return (sequences if project_each_step else self._project(sequences)), step

    def get_initial_state(self, batch_size: Any = None) -> list:
        sizes = self.state_size if isinstance(self.state_size, (list, tuple)) else [self.state_size]
        return [array_ops.zeros((batch_size, d), dtype=self.compute_dtype) for d in sizes]

    def compute_output_shape(self, input_shape: Any, states_shape: Any = None) -> tuple:
        return (tuple(input_shape)[0], self.units)

    # -- config
    def _config_head(self) -> dict:
        return {"units": self.units, "activation": _resolve.serialize_activation(self.activation)}

    def _config_tail(self) -> dict:
        return {}

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(self._config_head())
        config.update(use_bias=self.use_bias)
        config.update(self._config_flags())
        config.update(
            kernel_initializer=_resolve.serialize_initializer(self.kernel_initializer),
            recurrent_initializer=_resolve.serialize_initializer(self.recurrent_initializer),
            bias_initializer=_resolve.serialize_initializer(self.bias_initializer),
            kernel_regularizer=_resolve.serialize(self.kernel_regularizer),
            recurrent_regularizer=_resolve.serialize(self.recurrent_regularizer),
            bias_regularizer=_resolve.serialize(self.bias_regularizer),
            kernel_constraint=_resolve.serialize(self.kernel_constraint),
            recurrent_constraint=_resolve.serialize(self.recurrent_constraint),
            bias_constraint=_resolve.serialize(self.bias_constraint),
            dropout=self.dropout,
            recurrent_dropout=self.recurrent_dropout,
        )
        config.update(self._config_tail())
        config["seed"] = self.seed
        return config

    def _config_flags(self) -> dict:
        return {}

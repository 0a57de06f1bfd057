"""``ConvLSTM1D``, ``ConvLSTM2D`` and ``ConvLSTM3D``: an ``RNN`` over a ``ConvLSTMCell``, configured flat as in
Keras 3.

Inputs are ``(batch, time, *spatial, channels)`` (``channels_first``: ``(batch, time, channels, *spatial)``);
the spatial sizes must be known. The ``RNN`` layer's time loop runs the cell: unrolled for a static number
of timesteps, a while loop for a length known only at run time. Weights exchange with Keras's ``.keras``
files (``layers/<name>/cell/vars/{0: kernel, 1: recurrent_kernel, 2: bias}``).
"""

from __future__ import annotations

from typing import Any, Optional

from ..framework import nest
from ..framework.ops import convert_to_tensor
from ..ops import array_ops, math_ops
from . import _resolve, masking_support
from .base_layer import Layer
from .conv_lstm_cell import CONFIG_KEYS, ConvLSTMCell
from .input_spec import InputSpec
from .rnn import RNN


class _ConvLSTM(RNN):
    """The shared part of ``ConvLSTM1D/2D/3D``; ``rank`` is the number of spatial axes."""

    rank = 2

    def __init__(
        self,
        filters: int,
        kernel_size: Any,
        strides: Any = 1,
        padding: str = "valid",
        data_format: Optional[str] = None,
        dilation_rate: Any = 1,
        activation: Any = "tanh",
        recurrent_activation: Any = "sigmoid",
        use_bias: bool = True,
        kernel_initializer: Any = "glorot_uniform",
        recurrent_initializer: Any = "orthogonal",
        bias_initializer: Any = "zeros",
        unit_forget_bias: bool = True,
        kernel_regularizer: Any = None,
        recurrent_regularizer: Any = None,
        bias_regularizer: Any = None,
        activity_regularizer: Any = None,
        kernel_constraint: Any = None,
        recurrent_constraint: Any = None,
        bias_constraint: Any = None,
        dropout: float = 0.0,
        recurrent_dropout: float = 0.0,
        seed: Optional[int] = None,
        return_sequences: bool = False,
        return_state: bool = False,
        go_backwards: bool = False,
        stateful: bool = False,
        **kwargs: Any,
    ) -> None:
        cell = ConvLSTMCell(
            rank=self.rank,
            filters=filters,
            kernel_size=kernel_size,
            strides=strides,
            padding=padding,
            data_format=data_format,
            dilation_rate=dilation_rate,
            activation=activation,
            recurrent_activation=recurrent_activation,
            use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            recurrent_initializer=recurrent_initializer,
            bias_initializer=bias_initializer,
            unit_forget_bias=unit_forget_bias,
            kernel_regularizer=kernel_regularizer,
            recurrent_regularizer=recurrent_regularizer,
            bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint,
            recurrent_constraint=recurrent_constraint,
            bias_constraint=bias_constraint,
            dropout=dropout,
            recurrent_dropout=recurrent_dropout,
            seed=seed,
            name="conv_lstm_cell",
            dtype=kwargs.get("dtype"),
        )
        super().__init__(
            cell,
            return_sequences=return_sequences,
            return_state=return_state,
            go_backwards=go_backwards,
            stateful=stateful,
            activity_regularizer=activity_regularizer,
            **kwargs,
        )
        self.input_spec = InputSpec(ndim=self.rank + 3)

    # -- shapes, masks and states
    def compute_output_shape(self, sequences_shape: Any, initial_state_shape: Any = None) -> Any:
        shape = tuple(sequences_shape)
        batch, steps = shape[0], shape[1]
        state_shape = tuple(self.cell.compute_output_shape((batch,) + shape[2:])[0][1:])
        output = (batch, steps) + state_shape if self.return_sequences else (batch,) + state_shape
        if self.return_state:
            return output, (batch,) + state_shape, (batch,) + state_shape
        return output

    def compute_mask(self, inputs: Any, previous_mask: Any = None) -> Any:
        mask = nest.flatten(previous_mask)[0] if previous_mask is not None else None
        output_mask = mask if self.return_sequences else None
        return [output_mask, None, None] if self.return_state else output_mask

    def _zero_states(self, sequences: Any) -> list:
        """Zero ``[h, c]`` for a batch only known at run time: a (batch, 1, ...) zero column broadcast."""
        first = sequences[:, 0]
        column = array_ops.reshape(first, [-1, int(_prod(tuple(first.shape)[1:]))])[:, :1]
        state_shape = tuple(self.cell.compute_output_shape(tuple(first.shape))[0][1:])
        column = array_ops.cast(array_ops.zeros_like(column), self._cell_dtype())
        column = array_ops.reshape(column, [-1] + [1] * len(state_shape))
        zeros = math_ops.add(column, array_ops.zeros(state_shape, dtype=self._cell_dtype()))
        return [zeros, zeros]

    def _initial_state(self, sequences: Any, initial_state: Any) -> list:
        if initial_state is None:
            return super()._initial_state(sequences, initial_state)
        flat = nest.flatten(initial_state)
        if len(flat) != 2:
            raise ValueError(f"Layer '{self.name}' expects 2 initial state tensors (h and c), received {len(flat)}")
        return [array_ops.cast(convert_to_tensor(s), self._cell_dtype()) for s in flat]

    def call(self, sequences: Any, initial_state: Any = None, mask: Any = None, training: Any = False) -> Any:
        given = mask if mask is not None else masking_support.get_mask(sequences)
        if given is not None and len(nest.flatten(given)[0].shape) != 2:
            # e.g. Masking's (batch, time, *spatial) mask, which Keras's ConvLSTM fails on as well
            raise ValueError(
                f"Layer '{self.name}' ({type(self).__name__}) takes a mask of shape (batch, timesteps), received "
                f"a mask of shape {tuple(nest.flatten(given)[0].shape)}"
            )
        return super().call(sequences, initial_state=initial_state, mask=mask, training=training)

    # -- config
    def get_config(self) -> dict:
        config = RNN.get_config(self)
        del config["cell"]
        cell_config = self.cell.get_config()
        for key in CONFIG_KEYS:
            config[key] = cell_config[key]
            if key == "bias_regularizer":
                config["activity_regularizer"] = _resolve.serialize(self.activity_regularizer)
        return config

    @classmethod
    def from_config(cls, config: dict, custom_objects: Optional[dict] = None) -> Layer:
        return cls(**config)


def _cell_property(name: str) -> property:
    return property(lambda self: getattr(self.cell, name), doc=f"The cell's ``{name}``.")


for _name in CONFIG_KEYS:
    setattr(_ConvLSTM, _name, _cell_property(_name))


def _prod(dims: tuple) -> int:
    out = 1
    for d in dims:
        out *= int(d)
    return out


class ConvLSTM1D(_ConvLSTM):
    """1-D convolutional LSTM: like ``LSTM``, with convolutions over (batch, time, steps, channels)."""

    rank = 1


class ConvLSTM2D(_ConvLSTM):
    """2-D convolutional LSTM (Shi et al. 2015) over (batch, time, rows, cols, channels)."""

    rank = 2


class ConvLSTM3D(_ConvLSTM):
    """3-D convolutional LSTM over (batch, time, depth, rows, cols, channels)."""

    rank = 3

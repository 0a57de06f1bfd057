"""``ConvLSTMCell``: one timestep of a convolutional LSTM, with Keras 3's arguments and weight layout.

The kernels hold the four gates side by side along their last axis in Keras's order (i, f, c, o):
``kernel`` is ``kernel_size + (channels, 4 * filters)`` and ``recurrent_kernel`` is
``kernel_size + (filters, 4 * filters)``. The input convolution uses the layer's strides, padding and
dilation; the recurrent one is always ``"same"`` with strides 1, as in Keras. Run by an ``RNN`` layer, the
cell takes the recurrent cells' fast path (:meth:`sequence_step`): one convolution over all timesteps
(folded into the batch) for the inputs, then one recurrent convolution for all gates per step.
"""

from __future__ import annotations

from typing import Any, Callable, Optional, Tuple

import numpy as np

from ..framework import nest
from ..framework.ops import convert_to_tensor
from ..ops import array_ops, nn_ops
from . import _resolve
from ._conv_lstm_gates import _FORMATS, _ConvLSTMGates, _masked
from ._conv_utils import conv_output_length, data_format_of, normalize_tuple
from .base_layer import Layer
from .input_spec import InputSpec
from .recurrent_cell_base import DropoutRNNCell, _rate

# Keras 3's config of the cell, in order (the layer's adds activity_regularizer after bias_regularizer)
CONFIG_KEYS = tuple(
    """
    filters kernel_size strides padding data_format dilation_rate activation recurrent_activation use_bias
    kernel_initializer recurrent_initializer bias_initializer unit_forget_bias kernel_regularizer
    recurrent_regularizer bias_regularizer kernel_constraint recurrent_constraint bias_constraint dropout
    recurrent_dropout seed
    """.split()
)


def _padding(value: Any) -> str:
    padding = str(value).lower()
    if padding not in ("valid", "same"):
        raise ValueError(
            f"The `padding` argument must be a list/tuple or one of {{'valid', 'same'}}. Received: {padding}"
        )
    return padding


class ConvLSTMCell(_ConvLSTMGates, DropoutRNNCell, Layer):
    """The cell of ``ConvLSTM1D/2D/3D``: states ``[h, c]``, each ``(batch, *spatial, filters)``."""

    _zero_initial_state = True  # all zeros: an RNN of unknown batch size broadcasts them (see ConvLSTM)

    def __init__(
        self,
        rank: int,
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
        kernel_constraint: Any = None,
        recurrent_constraint: Any = None,
        bias_constraint: Any = None,
        dropout: float = 0.0,
        recurrent_dropout: float = 0.0,
        seed: Optional[int] = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.seed = seed
        if rank not in _FORMATS:
            raise ValueError(f"Rank {rank} convolutions are not currently implemented. Received: rank={rank}")
        if isinstance(filters, bool) or not isinstance(filters, (int, np.integer)) or filters <= 0:
            raise ValueError(
                f"Invalid value for argument `filters`. Expected a strictly positive value. Received filters={filters}."
            )
        self.rank = int(rank)
        self.filters = int(filters)
        self.kernel_size = normalize_tuple(kernel_size, self.rank, "kernel_size")
        self.strides = normalize_tuple(strides, self.rank, "strides", allow_zero=True)
        self.padding = _padding(padding)
        self.data_format = data_format_of(data_format)
        self.dilation_rate = normalize_tuple(dilation_rate, self.rank, "dilation_rate")
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError(
                "Specifying `strides > 1` is not compatible with `dilation_rate > 1`. Please provide `strides=1` "
                f"or `dilation_rate=1`. Received: strides={self.strides} and dilation_rate={self.dilation_rate}"
            )
        self.activation = _resolve.activation(activation)
        self.recurrent_activation = _resolve.activation(recurrent_activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = _resolve.initializer(kernel_initializer)
        self.recurrent_initializer = _resolve.initializer(recurrent_initializer)
        self.bias_initializer = _resolve.initializer(bias_initializer)
        self.unit_forget_bias = bool(unit_forget_bias)
        self.kernel_regularizer = _resolve.regularizer(kernel_regularizer)
        self.recurrent_regularizer = _resolve.regularizer(recurrent_regularizer)
        self.bias_regularizer = _resolve.regularizer(bias_regularizer)
        self.kernel_constraint = _resolve.constraint(kernel_constraint)
        self.recurrent_constraint = _resolve.constraint(recurrent_constraint)
        self.bias_constraint = _resolve.constraint(bias_constraint)
        self.dropout = _rate(dropout, "dropout")
        self.recurrent_dropout = _rate(recurrent_dropout, "recurrent_dropout")
        self.dropout_mask_count = 4  # one mask per gate, as Keras
        self.input_spec = InputSpec(ndim=self.rank + 2)
        self.state_size: Any = -1  # as Keras: the states' shapes come from get_initial_state
        self.spatial_dims: tuple = ()
        self.input_dim: Optional[int] = None

    # -- weights
    def build(self, inputs_shape: Any, states_shape: Any = None) -> None:
        shape = tuple(inputs_shape)
        self.spatial_dims = shape[2:] if self._first else shape[1:-1]
        if None in self.spatial_dims:
            raise ValueError(
                "ConvLSTM layers only support static input shapes for the spatial dimension. "
                f"Received invalid input shape: input_shape={shape}"
            )
        channels = shape[self._axis]
        if channels is None:
            raise ValueError(
                "The channel dimension of the inputs (last axis) should be defined. Found None. Full input shape "
                f"received: input_shape={shape}"
            )
        self.input_dim = int(channels)
        self.input_spec = InputSpec(ndim=self.rank + 2, shape=(None,) + shape[1:])
        width = 4 * self.filters
        self.kernel = self._add("kernel", "kernel", self.kernel_size + (self.input_dim, width))
        self.recurrent_kernel = self._add("recurrent_kernel", "recurrent", self.kernel_size + (self.filters, width))
        self.bias = self._add("bias", "bias", (width,), self._bias_initializer()) if self.use_bias else None
        self.built = True

    def _add(self, name: str, kind: str, shape: tuple, initializer: Any = None) -> Any:
        """A weight with the ``kind``'s (kernel, recurrent, bias) initializer, regularizer and constraint."""
        return self.add_weight(
            shape=shape,
            name=name,
            initializer=initializer or getattr(self, f"{kind}_initializer"),
            regularizer=getattr(self, f"{kind}_regularizer"),
            constraint=getattr(self, f"{kind}_constraint"),
        )

    def _bias_initializer(self) -> Any:
        if not self.unit_forget_bias:
            return self.bias_initializer
        filters, init = self.filters, self.bias_initializer

        def bias_initializer(shape: Any, dtype: Any = None, **kwargs: Any) -> Any:
            # As Keras: the forget gate's bias starts at one, so the cell remembers by default.
            parts = [
                init((filters,), dtype=dtype),
                array_ops.ones((filters,), dtype=dtype),
                init((2 * filters,), dtype=dtype),
            ]
            return array_ops.concat([convert_to_tensor(p, dtype=dtype) for p in parts], 0)

        return bias_initializer

    # -- dropout (Keras applies it only for rates strictly between 0 and 1)
    def _create_dropout_mask(self, step_input: Any, rate: float) -> list:
        ones = array_ops.ones_like(step_input)
        return [nn_ops.dropout(ones, rate, seed=self.seed) for _ in range(self.dropout_mask_count)]

    def _masks(self, step_input: Any, h: Any, training: Any) -> tuple:
        masks = self.get_dropout_mask(step_input) if training and 0.0 < self.dropout < 1.0 else None
        recurrent = self.get_recurrent_dropout_mask(h) if training and 0.0 < self.recurrent_dropout < 1.0 else None
        return masks, recurrent

    # -- running
    def call(self, inputs: Any, states: Any, training: Any = False) -> Tuple[Any, list]:
        states = list(states)
        if not inputs.dtype.is_floating:
            inputs = array_ops.cast(inputs, self.compute_dtype)
        masks, recurrent_masks = self._masks(inputs, states[0], training)
        projected = self._input_conv(_masked(inputs, masks))
        return self._step(projected, states, convert_to_tensor(self.recurrent_kernel), recurrent_masks)

    def sequence_step(
        self, sequences: Any, states: list, training: Any, project_each_step: bool = False
    ) -> Tuple[Any, Callable]:
        """What ``RNN`` runs: the projected inputs of all timesteps and the step on them (see the module doc).

        With ``project_each_step`` (a sequence of unknown length, run in a while loop) each step convolves
        its own input instead."""
        states = list(states)
        masks, recurrent_masks = self._masks(sequences[:, 0], nest.flatten(states)[0], training)
        kernel = convert_to_tensor(self.recurrent_kernel)

        def step(x_t: Any, step_states: Any) -> Tuple[Any, list]:
            if project_each_step:
                x_t = self._input_conv(_masked(x_t, masks))
            return self._step(x_t, list(step_states), kernel, recurrent_masks)

        return (sequences if project_each_step else self._project_sequence(sequences, masks)), step

    # -- shapes and states
    def compute_output_shape(self, inputs_shape: Any, states_shape: Any = None) -> tuple:
        shape = tuple(inputs_shape)
        spatial = shape[2:] if self._first else shape[1:-1]
        out = tuple(
            conv_output_length(n, k, self.padding, s, d)
            for n, k, s, d in zip(spatial, self.kernel_size, self.strides, self.dilation_rate)
        )
        out_shape = (shape[0], self.filters) + out if self._first else (shape[0],) + out + (self.filters,)
        return out_shape, [out_shape, out_shape]

    def get_initial_state(self, batch_size: Any = None) -> list:
        if self._first:
            input_shape = (batch_size, self.input_dim) + tuple(self.spatial_dims)
        else:
            input_shape = (batch_size,) + tuple(self.spatial_dims) + (self.input_dim,)
        state_shape = self.compute_output_shape(input_shape)[0]
        return [array_ops.zeros(state_shape, dtype=self.compute_dtype) for _ in range(2)]

    # -- config
    def get_config(self) -> dict:
        config = super().get_config()
        for key in CONFIG_KEYS:
            config[key] = _serialize(key, getattr(self, key))
        return config


def _serialize(key: str, value: Any) -> Any:
    if key.endswith("activation"):
        return _resolve.serialize_activation(value)
    if key.endswith("initializer"):
        return _resolve.serialize_initializer(value)
    if key.endswith(("regularizer", "constraint")):
        return _resolve.serialize(value)
    return value

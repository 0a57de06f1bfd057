"""``SimpleRNN``, ``LSTM`` and ``GRU``: an ``RNN`` over the matching built-in cell, configured flat as in Keras."""

from __future__ import annotations

from typing import Any, Optional

from . import _resolve
from .base_layer import Layer
from .input_spec import InputSpec
from .recurrent_cells import GRUCell, LSTMCell, SimpleRNNCell
from .rnn import RNN

_SHARED_KEYS = (
    "use_bias",
    "kernel_initializer",
    "recurrent_initializer",
    "bias_initializer",
    "kernel_regularizer",
    "recurrent_regularizer",
    "bias_regularizer",
    "activity_regularizer",
    "kernel_constraint",
    "recurrent_constraint",
    "bias_constraint",
    "dropout",
    "recurrent_dropout",
)
_CELL_ATTRIBUTES = ("units", "activation", "recurrent_activation", "unit_forget_bias", "reset_after") + tuple(
    k for k in _SHARED_KEYS if k != "activity_regularizer"
)


def _cell_property(name: str) -> property:
    return property(lambda self: getattr(self.cell, name), doc=f"The cell's ``{name}``.")


def _check_use_cudnn(use_cudnn: Any) -> Any:
    if use_cudnn not in ("auto", True, False):
        raise ValueError(
            f"Invalid valid received for argument `use_cudnn`. Expected one of {{'auto', True, False}}. "
            f"Received: use_cudnn={use_cudnn}"
        )
    return use_cudnn


class _CellLayer(RNN):
    """An ``RNN`` whose cell it creates itself from flat arguments, and whose config lists them flat."""

    _config_keys: tuple = ()

    def _make(self, cell: Any, rnn_args: dict, kwargs: dict) -> None:
        activity_regularizer = kwargs.pop("activity_regularizer", None)
        super().__init__(cell, activity_regularizer=activity_regularizer, **rnn_args, **kwargs)
        self.input_spec = InputSpec(ndim=3)

    @staticmethod
    def _cell_kwargs(kwargs: dict) -> dict:
        return {
            "dtype": kwargs.get("dtype"),
            "trainable": kwargs.get("trainable", True),
            "implementation": kwargs.pop("implementation", 2),
        }

    def get_config(self) -> dict:
        config = RNN.get_config(self)
        del config["cell"]
        cell_config = self.cell.get_config()
        for key in self._config_keys:
            config[key] = (
                _resolve.serialize(self.activity_regularizer) if key == "activity_regularizer" else cell_config[key]
            )
        return config

    @classmethod
    def from_config(cls, config: dict, custom_objects: Optional[dict] = None) -> Layer:
        return cls(**config)


for _name in _CELL_ATTRIBUTES:
    setattr(_CellLayer, _name, _cell_property(_name))


class SimpleRNN(_CellLayer):
    """Fully-connected RNN whose output is fed back as the next input: ``RNN(SimpleRNNCell(units))``."""

    _config_keys = ("units", "activation") + _SHARED_KEYS  # Keras 3 leaves `seed` out of this config

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
        activity_regularizer: Any = None,
        kernel_constraint: Any = None,
        recurrent_constraint: Any = None,
        bias_constraint: Any = None,
        dropout: float = 0.0,
        recurrent_dropout: float = 0.0,
        return_sequences: bool = False,
        return_state: bool = False,
        go_backwards: bool = False,
        stateful: bool = False,
        unroll: bool = False,
        seed: Optional[int] = None,
        **kwargs: Any,
    ) -> None:
        extra = self._cell_kwargs(kwargs)
        extra.pop("implementation")
        cell = SimpleRNNCell(
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
            name="simple_rnn_cell",
            **extra,
        )
        rnn_args = dict(
            return_sequences=return_sequences,
            return_state=return_state,
            go_backwards=go_backwards,
            stateful=stateful,
            unroll=unroll,
        )
        self._make(cell, rnn_args, dict(kwargs, activity_regularizer=activity_regularizer))


class LSTM(_CellLayer):
    """Long short-term memory layer (Hochreiter 1997): ``RNN(LSTMCell(units))`` with Keras's arguments."""

    _config_keys = ("units", "activation", "recurrent_activation") + _SHARED_KEYS[:4] + ("unit_forget_bias",)
    _config_keys += _SHARED_KEYS[4:] + ("seed",)

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
        unroll: bool = False,
        use_cudnn: Any = "auto",
        **kwargs: Any,
    ) -> None:
        cell = LSTMCell(
            units,
            activation=activation,
            recurrent_activation=recurrent_activation,
            use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            unit_forget_bias=unit_forget_bias,
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
            name="lstm_cell",
            **self._cell_kwargs(kwargs),
        )
        rnn_args = dict(
            return_sequences=return_sequences,
            return_state=return_state,
            go_backwards=go_backwards,
            stateful=stateful,
            unroll=unroll,
        )
        self._make(cell, rnn_args, dict(kwargs, activity_regularizer=activity_regularizer))
        self.use_cudnn = _check_use_cudnn(use_cudnn)  # accepted; there is no cuDNN path here


class GRU(_CellLayer):
    """Gated recurrent unit layer (Cho et al. 2014): ``RNN(GRUCell(units))`` with Keras's arguments."""

    _config_keys = ("units", "activation", "recurrent_activation") + _SHARED_KEYS + ("reset_after", "seed")

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
        unroll: bool = False,
        reset_after: bool = True,
        use_cudnn: Any = "auto",
        **kwargs: Any,
    ) -> None:
        cell = GRUCell(
            units,
            activation=activation,
            recurrent_activation=recurrent_activation,
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
            reset_after=reset_after,
            seed=seed,
            name="gru_cell",
            **self._cell_kwargs(kwargs),
        )
        rnn_args = dict(
            return_sequences=return_sequences,
            return_state=return_state,
            go_backwards=go_backwards,
            stateful=stateful,
            unroll=unroll,
        )
        self._make(cell, rnn_args, dict(kwargs, activity_regularizer=activity_regularizer))
        self.use_cudnn = _check_use_cudnn(use_cudnn)  # accepted; there is no cuDNN path here

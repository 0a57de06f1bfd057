"""``tf.compat.v1.nn.rnn_cell``: TF1's recurrent cells and cell wrappers, for ``dynamic_rnn`` and
``static_rnn``."""

from __future__ import annotations

from ferroflow._api import public_dir as _public_dir

from .rnn_cell_base import LSTMStateTuple, RNNCell  # noqa: F401
from .rnn_cell_wrappers import DeviceWrapper, DropoutWrapper, MultiRNNCell, ResidualWrapper  # noqa: F401
from .rnn_cells import BasicLSTMCell, BasicRNNCell, GRUCell, LSTMCell  # noqa: F401

__dir__ = _public_dir(globals())

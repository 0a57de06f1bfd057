"""``keras.ops.nn``: Keras 3's neural-network ops (activations, ``conv``, ``moments``, ``normalize``,
``one_hot``); each is the same function as ``keras.ops``'s (with its dtype rules and symbolic calls)."""

from __future__ import annotations

from ferroflow._api import public_dir as _public_dir

from . import _nn_functions
from . import ops as _ops

# keras.ops's nn functions and six more of its ops, taken from ops.py once they exist (it imports this module
# last) so they carry its dtype rules and symbolic calls.
__all__ = sorted([*_nn_functions.__all__, "log_softmax", "one_hot", "relu", "sigmoid", "softmax", "softplus"])
globals().update({_name: getattr(_ops, _name) for _name in __all__})
__dir__ = _public_dir(globals())

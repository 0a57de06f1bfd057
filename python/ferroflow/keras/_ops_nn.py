"""``keras.ops.nn``: Keras 3's neural-network ops (activations, ``conv``, ``moments``, ``normalize``,
``one_hot``); each is the same function as ``keras.ops``'s (with its dtype rules and symbolic calls)."""

from __future__ import annotations

from ferroflow._api import public_dir as _public_dir

# ops.py imports this module last, once its functions exist.
from .ops import (
    conv,
    elu,
    gelu,
    hard_sigmoid,
    leaky_relu,
    log_sigmoid,
    log_softmax,
    moments,
    normalize,
    one_hot,
    relu,
    relu6,
    selu,
    sigmoid,
    silu,
    softmax,
    softplus,
    softsign,
    swish,
)

__all__ = [
    "conv",
    "elu",
    "gelu",
    "hard_sigmoid",
    "leaky_relu",
    "log_sigmoid",
    "log_softmax",
    "moments",
    "normalize",
    "one_hot",
    "relu",
    "relu6",
    "selu",
    "sigmoid",
    "silu",
    "softmax",
    "softplus",
    "softsign",
    "swish",
]
__dir__ = _public_dir(globals())

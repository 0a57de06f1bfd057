"""``ferroflow.bitwise``: TensorFlow's ``tf.bitwise`` ops on integer tensors."""

from ferroflow._api import public_dir as _public_dir

from .ops.bitwise_ops import (  # noqa: F401
    bitwise_and,
    bitwise_or,
    bitwise_xor,
    invert,
    left_shift,
    right_shift,
)

__dir__ = _public_dir(globals())

"""``tf.autodiff``: reverse-mode tapes and forward-mode accumulators."""

from ferroflow._api import public_dir as _public_dir

from .framework.forward_accumulator import ForwardAccumulator  # noqa: F401
from .framework.tape import GradientTape  # noqa: F401

__dir__ = _public_dir(globals())

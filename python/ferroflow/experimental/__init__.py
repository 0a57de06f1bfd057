"""``tf.experimental``: the NumPy-style API (``tf.experimental.numpy``)."""

from ferroflow._api import public_dir as _public_dir

from . import numpy  # noqa: F401

__dir__ = _public_dir(globals(), "numpy")

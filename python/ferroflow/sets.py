"""``ferroflow.sets``: TensorFlow's ``tf.sets`` (size, intersection, union, difference along the last axis)."""

from ferroflow._api import public_dir as _public_dir

from .ops.set_ops import set_difference as difference  # noqa: F401
from .ops.set_ops import set_intersection as intersection  # noqa: F401
from .ops.set_ops import set_size as size  # noqa: F401
from .ops.set_ops import set_union as union  # noqa: F401

__dir__ = _public_dir(globals())

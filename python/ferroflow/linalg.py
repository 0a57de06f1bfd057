"""``ferroflow.linalg``: the linear-algebra names that exist so far."""

from ferroflow._api import public_dir as _public_dir  # noqa: E402

from .ops.array_ops import transpose  # noqa: F401
from .ops.math_ops import matmul  # noqa: F401

__dir__ = _public_dir(globals())

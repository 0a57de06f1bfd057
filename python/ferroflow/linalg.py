"""``ferroflow.linalg``: the linear-algebra names that exist so far."""

from .ops.array_ops import transpose  # noqa: F401
from .ops.math_ops import matmul  # noqa: F401

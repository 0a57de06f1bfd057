"""``ferroflow.random``: seeded random tensors (``tf.random``)."""

from .ops.random_ops import normal, set_seed, shuffle, truncated_normal, uniform  # noqa: F401

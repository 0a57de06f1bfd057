"""``tf.experimental.numpy.random``: NumPy's random functions as tensors, drawn by ``tf.random``'s kernels.

As in TensorFlow, floats come out as float64 (NumPy's default) and ``seed`` seeds the global generator.
"""

from __future__ import annotations

from typing import Any

from ferroflow._api import public_dir as _public_dir

from ..ops import random_ops as _random_ops


def _shape(size: Any) -> list:
    if size is None:
        return []
    if isinstance(size, int):
        return [size]
    return [int(d) for d in size]


def seed(s: int) -> None:
    """Seeds the draws that follow, through ``tf.random.set_seed``."""
    _random_ops.set_seed(s)


def standard_normal(size: Any = None) -> Any:
    """Draws from the standard normal distribution, float64."""
    return _random_ops.normal(_shape(size), dtype="float64")


def randn(*args: int) -> Any:
    """``randn(d0, d1, ...)``: standard normal draws of that shape, float64."""
    return standard_normal(args)


def uniform(low: float = 0.0, high: float = 1.0, size: Any = None) -> Any:
    """Draws uniformly from ``[low, high)``, float64."""
    return _random_ops.uniform(_shape(size), minval=low, maxval=high, dtype="float64")


def rand(*size: int) -> Any:
    """``rand(d0, d1, ...)``: uniform draws from ``[0, 1)`` of that shape, float64."""
    return uniform(size=size)


def random(size: Any = None) -> Any:
    """Uniform draws from ``[0, 1)``, float64."""
    return uniform(size=size)


def randint(low: int, high: Any = None, size: Any = None, dtype: Any = "int64") -> Any:
    """Integers drawn uniformly from ``[low, high)`` (``[0, low)`` without ``high``)."""
    if high is None:
        low, high = 0, low
    return _random_ops.uniform(_shape(size), minval=low, maxval=high, dtype=dtype)


__all__ = ["seed", "standard_normal", "randn", "uniform", "rand", "random", "randint"]
__dir__ = _public_dir(globals())

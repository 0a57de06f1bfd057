"""TensorFlow 2's top-level initializers: ``constant_initializer``, ``zeros_initializer``, ``ones_initializer``,
``random_normal_initializer``, ``random_uniform_initializer``.

They differ from Keras's: ``dtype`` defaults to float32 (not ``floatx()``), zeros and ones take integer and
bool dtypes, uniform draws integers for integer dtypes, ``constant_initializer`` reshapes a list of values to
the shape asked for, and ``__call__`` accepts only the partition keywords.
"""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from ..framework import context
from ..framework.dtypes import DType, as_dtype
from ..framework.tensor import Tensor
from ..initializers import _random
from ..initializers.constant_initializers import Initializer
from .array_ops import constant

_PARTITION_KEYWORDS = ("partition_shape", "partition_offset")


def _shape(shape: Any, kwargs: dict, owner: Initializer, partitions: bool = True) -> tuple:
    """The shape to make: ``shape``, or the ``partition_shape`` keyword when partitions are supported."""
    for key in kwargs:
        if key not in _PARTITION_KEYWORDS:
            raise TypeError(f"Keyword argument should be one of {list(_PARTITION_KEYWORDS)}. Received: {key}")
        if not partitions:
            raise ValueError(f"{type(owner).__name__} initializer doesn't support partition-related arguments")
    return _random.as_shape(kwargs.get("partition_shape", shape))


class Constant(Initializer):
    """Every element ``value`` (a scalar), or ``value`` (a list or array) reshaped to the shape asked for."""

    def __init__(self, value: Any = 0, support_partition: bool = False) -> None:
        if not (np.isscalar(value) or isinstance(value, (list, tuple, np.ndarray))):
            raise TypeError(
                f"Invalid type for initial value: {type(value).__name__}. Expected Python scalar, list or tuple "
                "of values, or numpy.ndarray."
            )
        self.value = value
        self.support_partition = support_partition

    def __call__(self, shape: Any, dtype: Any = None, **kwargs: Any) -> Tensor:
        dims = _shape(shape, kwargs, self, self.support_partition)
        with context.eager_scope():
            return constant(self.value, dtype=None if dtype is None else as_dtype(dtype), shape=list(dims))

    def get_config(self) -> dict:
        return {"value": self.value}


class Zeros(Initializer):
    """All zeros (False for bool)."""

    def __call__(self, shape: Any, dtype: Any = "float32", **kwargs: Any) -> Tensor:
        return _random.to_tensor(np.zeros(_shape(shape, kwargs, self)), as_dtype(dtype))


class Ones(Initializer):
    """All ones (True for bool)."""

    def __call__(self, shape: Any, dtype: Any = "float32", **kwargs: Any) -> Tensor:
        return _random.to_tensor(np.ones(_shape(shape, kwargs, self)), as_dtype(dtype))


def _float_dtype(dtype: Any) -> DType:
    d = as_dtype(dtype)
    if not d.is_floating:
        raise ValueError(f"Argument `dtype` is expected to be floating point. Received: {d.name}.")
    return d


class RandomNormal(Initializer):
    """Draws from ``N(mean, stddev**2)``; a seeded instance gives the same values on every call."""

    def __init__(self, mean: float = 0.0, stddev: float = 0.05, seed: Optional[int] = None) -> None:
        self.mean = mean
        self.stddev = stddev
        self.seed = _random.check_seed(seed)

    def __call__(self, shape: Any, dtype: Any = "float32", **kwargs: Any) -> Tensor:
        d = _float_dtype(dtype)
        dims = _shape(shape, kwargs, self)
        return _random.to_tensor(_random.normal(dims, float(self.mean), float(self.stddev), self.seed), d)

    def get_config(self) -> dict:
        return {"mean": self.mean, "stddev": self.stddev, "seed": self.seed}


def _integer_bound(value: Any, dtype: DType) -> int:
    if float(value) != int(value):
        raise TypeError(f"Cannot convert {value} to EagerTensor of dtype {dtype.name}")
    return int(value)


class RandomUniform(Initializer):
    """Draws uniformly from ``[minval, maxval)``; integers for integer dtypes."""

    def __init__(self, minval: float = -0.05, maxval: float = 0.05, seed: Optional[int] = None) -> None:
        self.minval = minval
        self.maxval = maxval
        self.seed = _random.check_seed(seed)

    def __call__(self, shape: Any, dtype: Any = "float32", **kwargs: Any) -> Tensor:
        d = as_dtype(dtype)
        dims = _shape(shape, kwargs, self)
        if d.is_integer:
            low, high = _integer_bound(self.minval, d), _integer_bound(self.maxval, d)
            return _random.to_tensor(_random.generator(self.seed).integers(low, high, dims), d)
        if not d.is_floating:
            raise ValueError(f"Argument `dtype` expected to be numeric or boolean. Received {d.name}.")
        return _random.to_tensor(_random.uniform(dims, float(self.minval), float(self.maxval), self.seed), d)

    def get_config(self) -> dict:
        return {"minval": self.minval, "maxval": self.maxval, "seed": self.seed}


constant_initializer = Constant
zeros_initializer = Zeros
ones_initializer = Ones
random_normal_initializer = RandomNormal
random_uniform_initializer = RandomUniform

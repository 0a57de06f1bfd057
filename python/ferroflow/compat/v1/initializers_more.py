"""More TF1 initializers: ``orthogonal_initializer`` (QR of a Gaussian matrix, signs fixed by R's
diagonal), ``initializers.identity``, ``uniform_unit_scaling_initializer`` and the ``he_*`` / ``lecun_*``
variance-scaling functions, with TensorFlow 1's formulas and defaults."""

from __future__ import annotations

import math
from typing import Any, Optional

import numpy as np

from ...framework.dtypes import float32
from ...framework.ops import convert_to_tensor
from ...framework.tensor import Tensor
from .initializers import Initializer, VarianceScaling


class Orthogonal(Initializer):
    """``orthogonal_initializer(gain=1.0, seed=None, dtype=tf.float32)``: the shape flattened to
    ``(prod(shape[:-1]), shape[-1])`` filled with orthonormal rows or columns, times ``gain``."""

    def __init__(self, gain: float = 1.0, seed: Optional[int] = None, dtype: Any = float32) -> None:
        super().__init__(dtype)
        self.gain, self.seed = gain, seed
        self._config.update(gain=gain, seed=seed)

    def _generate(self, shape: list, dtype: Any) -> Tensor:
        from ...ops.random_ops import normal

        if len(shape) < 2:
            raise ValueError("The tensor to initialize must be at least two-dimensional")
        rows, cols = int(np.prod(shape[:-1])), shape[-1]
        flat = (cols, rows) if rows < cols else (rows, cols)
        a = normal(list(flat), dtype=dtype, seed=self.seed).numpy().astype(np.float64)
        q, r = np.linalg.qr(a)
        q = q * np.sign(np.diag(r))
        if rows < cols:
            q = q.T
        return convert_to_tensor((self.gain * q.reshape(shape)).astype(dtype.as_numpy_dtype))


class Identity(Initializer):
    """``initializers.identity(gain=1.0, dtype=tf.float32)``: ``gain`` times the identity (2-D shapes only)."""

    def __init__(self, gain: float = 1.0, dtype: Any = float32) -> None:
        super().__init__(dtype)
        self.gain = gain
        self._config.update(gain=gain)

    def _generate(self, shape: list, dtype: Any) -> Tensor:
        if len(shape) != 2:  # TensorFlow's message, although the shape must be exactly two-dimensional
            raise ValueError(
                "The tensor to initialize, specified by argument `shape` must be at least two-dimensional. "
                f"Received shape={list(shape)}"
            )
        return convert_to_tensor((self.gain * np.eye(*shape)).astype(dtype.as_numpy_dtype))


class UniformUnitScaling(Initializer):
    """``uniform_unit_scaling_initializer(factor=1.0, seed=None, dtype=tf.float32)``: uniform in
    ``+-factor * sqrt(3 / input_size)``, ``input_size`` the product of all dimensions but the last."""

    def __init__(self, factor: float = 1.0, seed: Optional[int] = None, dtype: Any = float32) -> None:
        super().__init__(dtype)
        self.factor, self.seed = factor, seed
        self._config.update(factor=factor, seed=seed)

    def _generate(self, shape: list, dtype: Any) -> Tensor:
        from ...ops.random_ops import uniform

        input_size = max(float(np.prod(shape[:-1])) if len(shape) > 1 else 1.0, 1.0)
        limit = math.sqrt(3 / input_size) * self.factor
        return uniform(shape, -limit, limit, dtype=dtype, seed=self.seed)


def he_normal(seed: Optional[int] = None) -> VarianceScaling:
    """Truncated normal with variance ``2 / fan_in``."""
    return VarianceScaling(scale=2.0, mode="fan_in", distribution="truncated_normal", seed=seed)


def he_uniform(seed: Optional[int] = None) -> VarianceScaling:
    """Uniform with variance ``2 / fan_in``."""
    return VarianceScaling(scale=2.0, mode="fan_in", distribution="uniform", seed=seed)


def lecun_normal(seed: Optional[int] = None) -> VarianceScaling:
    """Truncated normal with variance ``1 / fan_in``."""
    return VarianceScaling(scale=1.0, mode="fan_in", distribution="truncated_normal", seed=seed)


def lecun_uniform(seed: Optional[int] = None) -> VarianceScaling:
    """Uniform with variance ``1 / fan_in``."""
    return VarianceScaling(scale=1.0, mode="fan_in", distribution="uniform", seed=seed)

"""TensorFlow 1's initializer classes (``tf.compat.v1.zeros_initializer`` ...), with their v1 defaults.

An initializer is called as ``init(shape, dtype=None, partition_info=None)`` and returns an eager
tensor; a graph variable turns it into a constant that its initializer op assigns. Random ones draw
from ``ferroflow.random`` and follow its seed rules (global seed plus optional op seed).
"""

from __future__ import annotations

import math
from typing import Any, Optional

import numpy as np

from ...framework import context
from ...framework.dtypes import as_dtype, float32
from ...framework.ops import convert_to_tensor
from ...framework.tensor import Tensor


def _shape(shape: Any) -> list:
    if shape is None:
        raise ValueError("an initializer needs a fully defined shape, received None")
    dims = [int(d) for d in (shape.as_list() if hasattr(shape, "as_list") else shape)]
    if any(d < 0 for d in dims):
        raise ValueError(f"an initializer needs a fully defined, non-negative shape, received {list(shape)}")
    return dims


class Initializer:
    """Base class: subclasses implement ``_generate(shape, dtype)`` and keep their arguments in ``_config``."""

    def __init__(self, dtype: Any = float32) -> None:
        self.dtype = as_dtype(dtype)
        self._config: dict = {"dtype": self.dtype.name}

    def __call__(self, shape: Any, dtype: Any = None, partition_info: Any = None) -> Tensor:
        d = as_dtype(dtype) if dtype is not None else self.dtype
        with context.eager_scope():
            return self._generate(_shape(shape), d)

    def _generate(self, shape: list, dtype: Any) -> Tensor:
        raise NotImplementedError

    def get_config(self) -> dict:
        return dict(self._config)

    @classmethod
    def from_config(cls, config: dict) -> Initializer:
        return cls(**config)


class Zeros(Initializer):
    """``zeros_initializer(dtype=tf.float32)``."""

    def _generate(self, shape: list, dtype: Any) -> Tensor:
        return convert_to_tensor(np.zeros(shape, dtype.as_numpy_dtype))


class Ones(Initializer):
    """``ones_initializer(dtype=tf.float32)``."""

    def _generate(self, shape: list, dtype: Any) -> Tensor:
        return convert_to_tensor(np.ones(shape, dtype.as_numpy_dtype))


class Constant(Initializer):
    """``constant_initializer(value=0, dtype=tf.float32, verify_shape=False)``: a scalar fills, a list reshapes."""

    def __init__(self, value: Any = 0, dtype: Any = float32, verify_shape: bool = False) -> None:
        super().__init__(dtype)
        self.value = value
        self._config.update(value=value, verify_shape=verify_shape)

    def _generate(self, shape: list, dtype: Any) -> Tensor:
        v = self.value.numpy() if isinstance(self.value, Tensor) else self.value
        arr = np.asarray(v, dtype=dtype.as_numpy_dtype)
        if arr.size == 1:
            return convert_to_tensor(np.full(shape, arr.reshape(()), dtype.as_numpy_dtype))
        if arr.size != int(np.prod(shape)):
            raise TypeError(
                f"constant_initializer expected {int(np.prod(shape))} values for shape {tuple(shape)}, "
                f"received {arr.size}"
            )
        return convert_to_tensor(arr.reshape(shape))


class RandomUniform(Initializer):
    """``random_uniform_initializer(minval=0, maxval=None, seed=None, dtype=tf.float32)`` (maxval 1 for floats)."""

    def __init__(self, minval: Any = 0, maxval: Any = None, seed: Optional[int] = None, dtype: Any = float32) -> None:
        super().__init__(dtype)
        self.minval, self.maxval, self.seed = minval, maxval, seed
        self._config.update(minval=minval, maxval=maxval, seed=seed)

    def _generate(self, shape: list, dtype: Any) -> Tensor:
        from ...ops.random_ops import uniform

        maxval = 1 if self.maxval is None and dtype.is_floating else self.maxval
        return uniform(shape, self.minval, maxval, dtype=dtype, seed=self.seed)


class RandomNormal(Initializer):
    """``random_normal_initializer(mean=0.0, stddev=1.0, seed=None, dtype=tf.float32)``."""

    def __init__(
        self, mean: float = 0.0, stddev: float = 1.0, seed: Optional[int] = None, dtype: Any = float32
    ) -> None:
        super().__init__(dtype)
        self.mean, self.stddev, self.seed = mean, stddev, seed
        self._config.update(mean=mean, stddev=stddev, seed=seed)

    def _generate(self, shape: list, dtype: Any) -> Tensor:
        from ...ops.random_ops import normal

        return normal(shape, self.mean, self.stddev, dtype=dtype, seed=self.seed)


class TruncatedNormal(RandomNormal):
    """``truncated_normal_initializer(mean=0.0, stddev=1.0, seed=None, dtype=tf.float32)``."""

    def _generate(self, shape: list, dtype: Any) -> Tensor:
        from ...ops.random_ops import truncated_normal

        return truncated_normal(shape, self.mean, self.stddev, dtype=dtype, seed=self.seed)


def _fans(shape: list) -> tuple:
    """(fan_in, fan_out) as TensorFlow computes them; conv kernels multiply by the receptive field."""
    if len(shape) < 1:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    if len(shape) == 2:
        return shape[0], shape[1]
    receptive = int(np.prod(shape[:-2]))
    return shape[-2] * receptive, shape[-1] * receptive


class VarianceScaling(Initializer):
    """``variance_scaling_initializer(scale=1.0, mode="fan_in", distribution="truncated_normal", seed, dtype)``."""

    def __init__(
        self,
        scale: float = 1.0,
        mode: str = "fan_in",
        distribution: str = "truncated_normal",
        seed: Optional[int] = None,
        dtype: Any = float32,
    ) -> None:
        super().__init__(dtype)
        if scale <= 0.0:
            raise ValueError(f"`scale` must be a positive float, received {scale}")
        if mode not in ("fan_in", "fan_out", "fan_avg"):
            raise ValueError(f"`mode` must be one of 'fan_in', 'fan_out', 'fan_avg', received {mode!r}")
        if distribution == "normal":
            distribution = "truncated_normal"  # v1's historical alias
        if distribution not in ("uniform", "truncated_normal", "untruncated_normal"):
            raise ValueError(
                "`distribution` must be one of 'uniform', 'truncated_normal', 'untruncated_normal', "
                f"received {distribution!r}"
            )
        self.scale, self.mode, self.distribution, self.seed = scale, mode, distribution, seed
        self._config.update(scale=scale, mode=mode, distribution=distribution, seed=seed)

    def _generate(self, shape: list, dtype: Any) -> Tensor:
        from ...ops.random_ops import normal, truncated_normal, uniform

        fan_in, fan_out = _fans(shape)
        n = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2.0}[self.mode]
        scale = self.scale / max(1.0, n)
        if self.distribution == "truncated_normal":
            # 0.8796... is the stddev of a unit normal truncated to two standard deviations.
            return truncated_normal(shape, 0.0, math.sqrt(scale) / 0.87962566103423978, dtype=dtype, seed=self.seed)
        if self.distribution == "untruncated_normal":
            return normal(shape, 0.0, math.sqrt(scale), dtype=dtype, seed=self.seed)
        limit = math.sqrt(3.0 * scale)
        return uniform(shape, -limit, limit, dtype=dtype, seed=self.seed)


class GlorotUniform(VarianceScaling):
    """``glorot_uniform_initializer(seed=None, dtype=tf.float32)``: uniform in +-sqrt(6 / (fan_in + fan_out))."""

    def __init__(self, seed: Optional[int] = None, dtype: Any = float32) -> None:
        super().__init__(1.0, "fan_avg", "uniform", seed, dtype)
        self._config = {"seed": seed, "dtype": self.dtype.name}


class GlorotNormal(VarianceScaling):
    """``glorot_normal_initializer(seed=None, dtype=tf.float32)``: truncated normal, stddev sqrt(2 / fans)."""

    def __init__(self, seed: Optional[int] = None, dtype: Any = float32) -> None:
        super().__init__(1.0, "fan_avg", "truncated_normal", seed, dtype)
        self._config = {"seed": seed, "dtype": self.dtype.name}


# The names ``tf.compat.v1.initializers.*`` uses.
zeros = Zeros
ones = Ones
constant = Constant
random_uniform = RandomUniform
random_normal = RandomNormal
truncated_normal = TruncatedNormal
variance_scaling = VarianceScaling
glorot_uniform = GlorotUniform
glorot_normal = GlorotNormal


_MORE = {
    "orthogonal": "Orthogonal", "identity": "Identity", "uniform_unit_scaling": "UniformUnitScaling",
    "he_normal": "he_normal", "he_uniform": "he_uniform", "lecun_normal": "lecun_normal",
    "lecun_uniform": "lecun_uniform",
}


def __getattr__(name: str) -> Any:
    if name in _MORE:
        from . import initializers_more

        return getattr(initializers_more, _MORE[name])
    # ``initializers.global_variables()`` / ``initializers.variables(var_list)`` live with the variables.
    if name == "tables_initializer":
        from ...lookup._v1 import tables_initializer

        return tables_initializer
    if name in ("global_variables", "variables", "local_variables"):
        from . import variables

        return {
            "global_variables": variables.global_variables_initializer,
            "variables": variables.variables_initializer,
            "local_variables": variables.local_variables_initializer,
        }[name]
    raise AttributeError(f"module 'ferroflow.compat.v1.initializers' has no attribute '{name}'")

from ferroflow._api import public_dir as _public_dir  # noqa: E402

# The classes are listed under their TF1 names (``constant``, ``zeros`` ...).
__dir__ = _public_dir(
    globals(),
    *_MORE,
    hidden=(
        "Constant", "GlorotNormal", "GlorotUniform", "Initializer", "Ones", "RandomNormal", "RandomUniform",
        "TruncatedNormal", "VarianceScaling", "Zeros", "Tensor", "as_dtype", "convert_to_tensor", "float32",
    ),
)

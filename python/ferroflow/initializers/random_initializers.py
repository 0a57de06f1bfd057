"""Random initializers: normal, uniform, truncated normal, the variance-scaling family and orthogonal."""

from __future__ import annotations

import math
from typing import Any, Optional

import numpy as np

from ..framework.tensor import Tensor
from . import _random
from ._random import as_shape, check_seed, resolve_dtype, to_tensor
from .constant_initializers import Initializer

# Standard deviation of a unit normal truncated to [-2, 2]: dividing by it restores the intended variance.
_TRUNCATED_STDDEV = 0.87962566103423978


def compute_fans(shape: Any) -> tuple:
    """``(fan_in, fan_out)`` of a weight shape; conv kernels ``(..., in, out)`` count their receptive field."""
    shape = as_shape(shape)
    if len(shape) < 1:
        fan_in = fan_out = 1
    elif len(shape) == 1:
        fan_in = fan_out = shape[0]
    elif len(shape) == 2:
        fan_in, fan_out = shape
    else:
        receptive_field_size = 1
        for dim in shape[:-2]:
            receptive_field_size *= dim
        fan_in = shape[-2] * receptive_field_size
        fan_out = shape[-1] * receptive_field_size
    return int(fan_in), int(fan_out)


class RandomInitializer(Initializer):
    """Base of the random initializers: a seeded instance gives the same values on every call."""

    def __init__(self, seed: Optional[int] = None) -> None:
        self.seed = check_seed(seed)

    def get_config(self) -> dict:
        return {"seed": self.seed}


class RandomNormal(RandomInitializer):
    """Draws from ``N(mean, stddev**2)``."""

    def __init__(self, mean: float = 0.0, stddev: float = 0.05, seed: Optional[int] = None) -> None:
        self.mean = mean
        self.stddev = stddev
        super().__init__(seed=seed)

    def __call__(self, shape: Any, dtype: Any = None) -> Tensor:
        d = resolve_dtype(dtype, floating=True)
        return to_tensor(_random.normal(as_shape(shape), self.mean, self.stddev, self.seed), d)

    def get_config(self) -> dict:
        return {"mean": self.mean, "stddev": self.stddev, **super().get_config()}


class TruncatedNormal(RandomInitializer):
    """Draws from ``N(mean, stddev**2)``, redrawing values more than two standard deviations from the mean."""

    def __init__(self, mean: float = 0.0, stddev: float = 0.05, seed: Optional[int] = None) -> None:
        self.mean = mean
        self.stddev = stddev
        super().__init__(seed=seed)

    def __call__(self, shape: Any, dtype: Any = None) -> Tensor:
        d = resolve_dtype(dtype, floating=True)
        return to_tensor(_random.truncated_normal(as_shape(shape), self.mean, self.stddev, self.seed), d)

    def get_config(self) -> dict:
        return {"mean": self.mean, "stddev": self.stddev, **super().get_config()}


class RandomUniform(RandomInitializer):
    """Draws uniformly from ``[minval, maxval)``."""

    def __init__(self, minval: float = -0.05, maxval: float = 0.05, seed: Optional[int] = None) -> None:
        self.minval = minval
        self.maxval = maxval
        super().__init__(seed=seed)

    def __call__(self, shape: Any, dtype: Any = None) -> Tensor:
        d = resolve_dtype(dtype, floating=True)
        return to_tensor(_random.uniform(as_shape(shape), self.minval, self.maxval, self.seed), d)

    def get_config(self) -> dict:
        return {"minval": self.minval, "maxval": self.maxval, **super().get_config()}


_MODES = ("fan_in", "fan_out", "fan_avg")
_DISTRIBUTIONS = ("uniform", "truncated_normal", "untruncated_normal")


class VarianceScaling(RandomInitializer):
    """Variance ``scale / n`` with ``n`` the fan given by ``mode``; uniform, truncated or plain normal."""

    def __init__(
        self,
        scale: float = 1.0,
        mode: str = "fan_in",
        distribution: str = "truncated_normal",
        seed: Optional[int] = None,
    ) -> None:
        if scale <= 0.0:
            raise ValueError(f"Argument `scale` must be positive float. Received: scale={scale}")
        if mode not in _MODES:
            raise ValueError(f"Invalid `mode` argument: {mode}. Please use one of {list(_MODES)}")
        distribution = distribution.lower()
        if distribution == "normal":  # the legacy name of the truncated normal
            distribution = "truncated_normal"
        if distribution not in _DISTRIBUTIONS:
            raise ValueError(
                f"Invalid `distribution` argument: {distribution}. Please use one of {list(_DISTRIBUTIONS)}"
            )
        self.scale = scale
        self.mode = mode
        self.distribution = distribution
        super().__init__(seed=seed)

    def __call__(self, shape: Any, dtype: Any = None) -> Tensor:
        shape = as_shape(shape)
        d = resolve_dtype(dtype, floating=True)
        fan_in, fan_out = compute_fans(shape)
        fan = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2.0}[self.mode]
        scale = self.scale / max(1.0, fan)
        if self.distribution == "truncated_normal":
            values = _random.truncated_normal(shape, 0.0, math.sqrt(scale) / _TRUNCATED_STDDEV, self.seed)
        elif self.distribution == "untruncated_normal":
            values = _random.normal(shape, 0.0, math.sqrt(scale), self.seed)
        else:
            limit = math.sqrt(3.0 * scale)
            values = _random.uniform(shape, -limit, limit, self.seed)
        return to_tensor(values, d)

    def get_config(self) -> dict:
        return {"scale": self.scale, "mode": self.mode, "distribution": self.distribution, **super().get_config()}


def _preset(name: str, scale: float, mode: str, distribution: str, doc: str) -> type:
    """A named VarianceScaling whose config holds only the seed, as in Keras."""

    def __init__(self: Any, seed: Optional[int] = None) -> None:
        VarianceScaling.__init__(self, scale=scale, mode=mode, distribution=distribution, seed=seed)

    def get_config(self: Any) -> dict:
        return {"seed": self.seed}

    return type(name, (VarianceScaling,), {"__init__": __init__, "get_config": get_config, "__doc__": doc})


GlorotUniform = _preset("GlorotUniform", 1.0, "fan_avg", "uniform", "Uniform in ``±sqrt(6 / (fan_in + fan_out))``.")
GlorotNormal = _preset(
    "GlorotNormal", 1.0, "fan_avg", "truncated_normal", "Truncated normal, stddev ``sqrt(2 / (fan_in + fan_out))``."
)
HeNormal = _preset("HeNormal", 2.0, "fan_in", "truncated_normal", "Truncated normal, stddev ``sqrt(2 / fan_in)``.")
HeUniform = _preset("HeUniform", 2.0, "fan_in", "uniform", "Uniform in ``±sqrt(6 / fan_in)``.")
LecunNormal = _preset(
    "LecunNormal", 1.0, "fan_in", "truncated_normal", "Truncated normal, stddev ``sqrt(1 / fan_in)``."
)
LecunUniform = _preset("LecunUniform", 1.0, "fan_in", "uniform", "Uniform in ``±sqrt(3 / fan_in)``.")
for _cls in (GlorotUniform, GlorotNormal, HeNormal, HeUniform, LecunNormal, LecunUniform):
    _cls.__module__ = __name__


class Orthogonal(RandomInitializer):
    """A (semi-)orthogonal matrix times ``gain``, from the QR decomposition of a normal draw.

    Shapes of rank > 2 are flattened to ``(prod(shape[:-1]), shape[-1])`` first, as for conv kernels.
    """

    def __init__(self, gain: float = 1.0, seed: Optional[int] = None) -> None:
        self.gain = gain
        super().__init__(seed=seed)

    def __call__(self, shape: Any, dtype: Any = None) -> Tensor:
        shape = as_shape(shape)
        if len(shape) < 2:
            raise ValueError(
                f"The tensor to initialize must be at least two-dimensional. Received: shape={shape} "
                f"of rank {len(shape)}."
            )
        d = resolve_dtype(dtype, floating=True)
        num_rows = int(np.prod(shape[:-1]))
        num_cols = shape[-1]
        flat_shape = (max(num_cols, num_rows), min(num_cols, num_rows))
        a = _random.normal(flat_shape, 0.0, 1.0, self.seed)
        q, r = np.linalg.qr(a)
        # Multiplying by the signs of diag(r) makes the result uniformly distributed over orthogonal matrices.
        q = q * np.sign(np.diag(r))
        if num_rows < num_cols:
            q = q.T
        return to_tensor(self.gain * q.reshape(shape), d)

    def get_config(self) -> dict:
        return {"gain": self.gain, **super().get_config()}

"""Where initializers get their numbers: a per-instance generator for a seed, else one global stream.

Draws are made in float64 with NumPy's ``Generator`` and cast to the requested dtype, so the same seed
gives the same weights on every platform and thread count.
"""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from ..framework import context
from ..framework.dtypes import DType, as_dtype
from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor

_GLOBAL: dict = {"rng": np.random.default_rng()}
_SEED_MOD = 2**64  # default_rng rejects negative seeds; fold them into its range


def set_global_seed(seed: int) -> None:
    """Restarts the stream unseeded initializers draw from, so a rebuilt model gets the same weights."""
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise ValueError(f"Expected `seed` to be an integer. Received: seed={seed!r} (of type {type(seed)})")
    _GLOBAL["rng"] = np.random.default_rng(int(seed) % _SEED_MOD)


def check_seed(seed: Any) -> Optional[int]:
    """Validates an initializer's ``seed`` argument (an integer or None)."""
    if seed is None:
        return None
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise ValueError(f"`seed` argument should be an integer or None. Received: seed={seed!r}")
    return int(seed)


def generator(seed: Optional[int]) -> np.random.Generator:
    """A fresh generator for a seed (the same numbers on every call), else the global stream."""
    if seed is None:
        return _GLOBAL["rng"]
    return np.random.default_rng(int(seed) % _SEED_MOD)


def resolve_dtype(dtype: Any, floating: bool = False) -> DType:
    """The dtype to create: ``dtype``, else Keras's ``floatx()``."""
    if dtype is None:
        from ..keras.backend import floatx

        dtype = floatx()
    d = as_dtype(dtype)
    if floating and not d.is_floating:
        raise ValueError(f"Expected a floating dtype for a random initializer. Received: dtype={d.name}")
    return d


def to_tensor(values: Any, dtype: DType) -> Tensor:
    """An eager tensor holding ``values`` cast to ``dtype``, even while a graph is being traced."""
    arr = np.asarray(values, dtype=dtype.as_numpy_dtype)
    with context.eager_scope():
        return convert_to_tensor(arr, dtype=dtype)


def normal(shape: tuple, mean: float, stddev: float, seed: Optional[int]) -> np.ndarray:
    return generator(seed).standard_normal(shape) * stddev + mean


def uniform(shape: tuple, minval: float, maxval: float, seed: Optional[int]) -> np.ndarray:
    return generator(seed).uniform(minval, maxval, shape)


def truncated_normal(shape: tuple, mean: float, stddev: float, seed: Optional[int]) -> np.ndarray:
    """Normal draws, each redrawn until it lies within two standard deviations of the mean."""
    rng = generator(seed)
    z = rng.standard_normal(shape)
    bad = np.abs(z) > 2.0
    while bad.any():
        z[bad] = rng.standard_normal(int(bad.sum()))
        bad = np.abs(z) > 2.0
    return z * stddev + mean


def as_shape(shape: Any) -> tuple:
    """A shape as a tuple of ints, with a message naming what was received otherwise."""
    if isinstance(shape, Tensor):
        shape = shape.numpy().tolist()
    if isinstance(shape, (int, np.integer)):
        shape = (shape,)
    try:
        return tuple(int(d) for d in shape)
    except (TypeError, ValueError):
        raise ValueError(f"Expected a shape (a tuple of non-negative integers). Received: shape={shape!r}") from None

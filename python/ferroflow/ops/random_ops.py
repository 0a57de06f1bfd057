"""Random ops (``tf.random``) with TensorFlow's seed rules: a global seed plus an optional per-op seed.

Numbers come from the core's counter-based generator, so a seed fixes the stream on any thread count.
"""

from __future__ import annotations

import os
from typing import Any, Optional

import numpy as np

from ..framework import context
from ..framework.dtypes import as_dtype, float32
from ..framework.ops import apply, convert_to_tensor
from ..framework.tensor import Tensor

_state = {"global_seed": None, "counter": 0, "calls": {}}
_MASK = (1 << 63) - 1


def set_seed(seed: Optional[int]) -> None:
    """Sets the global seed: every later random op draws a repeatable stream."""
    _state["global_seed"] = None if seed is None else int(seed)
    _state["counter"] = 0
    _state["calls"] = {}


def get_global_seed() -> Optional[int]:
    return _state["global_seed"]


def _mix(*parts: int) -> int:
    h = 0x9E3779B97F4A7C15
    for p in parts:
        h = (h ^ (int(p) & _MASK)) * 0xBF58476D1CE4E5B9 & _MASK
        h ^= h >> 31
    return h


def resolve_seed(seed: Optional[int]) -> tuple:
    """(seed, step) for one random op: TensorFlow's rules, with a step that advances per eager call."""
    g = _state["global_seed"]
    if g is None and seed is None:
        return int.from_bytes(os.urandom(8), "little") & _MASK, 0
    if seed is None:
        _state["counter"] += 1
        op_seed = _state["counter"]
    else:
        op_seed = int(seed)
    key = (g, op_seed)
    step = _state["calls"].get(key, 0)
    if context.current_graph() is None:
        _state["calls"][key] = step + 1  # eager: the same seeded op gives a new sample each call
    return _mix(87654321 if g is None else g, op_seed), step


def shape_source(shape: Any, dtype: Any) -> Tensor:
    """A tensor of the requested shape whose only use is to carry that shape into a random op."""
    if isinstance(shape, Tensor) and context.current_graph() is None:
        shape = shape.numpy().tolist()  # in a graph, a symbolic shape (``tf.shape(x)``) stays a tensor
    from .array_ops import zeros

    return zeros(shape, dtype=dtype)


def uniform_like(source: Any, seed: Optional[int] = None, dtype: Any = None) -> Tensor:
    source = convert_to_tensor(source) if not isinstance(source, Tensor) else source
    s, step = resolve_seed(seed)
    d = as_dtype(dtype or source.dtype)
    return apply("random_uniform", [source], {"seed": s, "step": step, "dtype": d.name})


def uniform(
    shape: Any,
    minval: Any = 0,
    maxval: Any = None,
    dtype: Any = float32,
    seed: Optional[int] = None,
    name: Optional[str] = None,
) -> Tensor:
    """Uniform samples in ``[minval, maxval)``; ``maxval`` defaults to 1 for floats and is required for ints."""
    from . import math_ops
    from .array_ops import cast

    d = as_dtype(dtype)
    if d.is_integer:
        if maxval is None:
            raise ValueError("uniform with an integer dtype needs maxval")
        u = uniform_like(shape_source(shape, "float64"), seed=seed)
        span = float(maxval) - float(minval)
        return cast(math_ops.add(math_ops.floor(math_ops.multiply(u, span)), float(minval)), d)
    if not d.is_floating:
        raise TypeError(f"uniform expects a float or int dtype, received {d.name}")
    maxval = 1.0 if maxval is None else maxval
    u = uniform_like(shape_source(shape, d), seed=seed)
    if not isinstance(minval, Tensor) and not isinstance(maxval, Tensor) and minval == 0 and maxval == 1.0:
        return u
    # Python bounds in the sample's dtype (a float64 sample with float bounds must not meet float32 constants).
    lo = minval if isinstance(minval, Tensor) else convert_to_tensor(minval, dtype=d)
    hi = maxval if isinstance(maxval, Tensor) else convert_to_tensor(maxval, dtype=d)
    return math_ops.add(math_ops.multiply(u, math_ops.subtract(hi, lo)), lo)


def normal(
    shape: Any,
    mean: Any = 0.0,
    stddev: Any = 1.0,
    dtype: Any = float32,
    seed: Optional[int] = None,
    name: Optional[str] = None,
) -> Tensor:
    from . import math_ops

    d = as_dtype(dtype)
    if not d.is_floating:
        raise TypeError(f"normal expects a float dtype, received {d.name}")
    s, step = resolve_seed(seed)
    z = apply("random_normal", [shape_source(shape, d)], {"seed": s, "step": step, "dtype": d.name})
    if mean == 0.0 and stddev == 1.0:
        return z
    return math_ops.add(math_ops.multiply(z, stddev), mean)


def truncated_normal(
    shape: Any,
    mean: Any = 0.0,
    stddev: Any = 1.0,
    dtype: Any = float32,
    seed: Optional[int] = None,
    name: Optional[str] = None,
) -> Tensor:
    """Normal samples within two standard deviations of the mean: eagerly redrawn until inside, in a graph
    (TF1 initial values, ``tf.function``) drawn by the inverse normal CDF of a uniform on [Phi(-2), Phi(2))."""
    if context.current_graph() is not None:
        return _truncated_normal_graph(shape, mean, stddev, as_dtype(dtype), seed)
    s, step = resolve_seed(seed)
    rng = np.random.default_rng([s, step])
    dims = [int(d) for d in (shape.numpy().tolist() if isinstance(shape, Tensor) else shape)]
    z = rng.standard_normal(dims)
    bad = np.abs(z) > 2
    while bad.any():
        z[bad] = rng.standard_normal(int(bad.sum()))
        bad = np.abs(z) > 2
    return convert_to_tensor((z * float(stddev) + float(mean)).astype(as_dtype(dtype).as_numpy_dtype))


def _truncated_normal_graph(shape: Any, mean: Any, stddev: Any, dtype: Any, seed: Optional[int]) -> Tensor:
    from . import math_ops
    from .special_math_ops import erfinv

    if not dtype.is_floating:
        raise TypeError(f"truncated_normal expects a float dtype, received {dtype.name}")
    lo, hi = 0.022750131948179195, 0.9772498680518208  # Phi(-2), Phi(2)
    u = uniform_like(shape_source(shape, dtype), seed=seed)
    p = math_ops.add(math_ops.multiply(u, hi - lo), lo)
    z = math_ops.multiply(erfinv(math_ops.subtract(math_ops.multiply(p, 2.0), 1.0)), float(np.sqrt(2.0)))
    return math_ops.add(math_ops.multiply(z, stddev), mean)


def shuffle(value: Any, seed: Optional[int] = None, name: Optional[str] = None) -> Tensor:
    from .array_ops import gather

    value = convert_to_tensor(value)
    if context.current_graph() is not None:
        # In a graph the permutation is drawn each time the op runs (a fresh one per Session.run, as TF's
        # RandomShuffle): the order of float64 uniform keys, whose ties are vanishingly rare.
        from .array_ops import range as range_
        from .array_ops import shape
        from .sorting_ops import argsort

        keys = uniform_like(range_(shape(value)[0]), seed=seed, dtype="float64")
        out = gather(value, argsort(keys, stable=True), name=name)
        out.set_shape(value.shape)
        return out
    s, step = resolve_seed(seed)
    perm = np.random.default_rng([s, step]).permutation(value.shape[0])
    return gather(value, perm.astype(np.int64))

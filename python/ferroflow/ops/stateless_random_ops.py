"""``tf.random.stateless_*`` and ``tf.random.categorical``: random numbers that are a pure function of a seed.

A stateless op given the same ``seed`` (a pair of integers) returns the same numbers on every call, eagerly
and on every run of a graph; the core's counter-based generator makes them independent of thread counts.
"""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from ..framework import context
from ..framework.dtypes import as_dtype, float32, int64
from ..framework.ops import apply, convert_to_tensor
from ..framework.tensor import EagerTensor, Tensor
from .random_ops import _mix, shape_source


def seed_pair(seed: Any, op: str) -> tuple:
    """The two integers of a stateless ``seed`` (a list, array or eager tensor of shape [2])."""
    if isinstance(seed, Tensor) and not isinstance(seed, EagerTensor):
        raise ValueError(f"{op} needs a seed known when the graph is built (a Python pair or an eager tensor)")
    values = np.asarray(seed.numpy() if isinstance(seed, EagerTensor) else seed)
    if values.shape != (2,) or values.dtype.kind not in "iu":
        raise ValueError(f"{op} expects seed to be a pair of integers (shape [2]), received {seed!r}")
    return int(values[0]), int(values[1])


def _stateless(dist: str, shape: Any, seed: Any, dtype: Any, op: str) -> Tensor:
    a, b = seed_pair(seed, op)
    d = as_dtype(dtype)
    attrs = {"seed": _mix(0x57A7E1E55, a, b), "step": 0, "dtype": d.name, "stateless": True}
    return apply(dist, [shape_source(shape, d)], attrs)


def stateless_uniform(
    shape: Any,
    seed: Any,
    minval: Any = 0,
    maxval: Any = None,
    dtype: Any = float32,
    name: Optional[str] = None,
    alg: Any = "auto_select",
) -> Tensor:
    """Uniform samples in ``[minval, maxval)``, the same for the same ``seed``; ints need ``maxval``."""
    from .array_ops import cast
    from .math_ops import add, floor, multiply, subtract

    d = as_dtype(dtype)
    if d.is_integer:
        if maxval is None or minval is None:
            raise ValueError("stateless_uniform with an integer dtype needs minval and maxval")
        u = _stateless("random_uniform", shape, seed, "float64", "stateless_uniform")
        return cast(add(floor(multiply(u, float(maxval) - float(minval))), float(minval)), d)
    if not d.is_floating:
        raise TypeError(f"stateless_uniform expects a float or int dtype, received {d.name}")
    u = _stateless("random_uniform", shape, seed, d, "stateless_uniform")
    maxval = 1.0 if maxval is None else maxval
    if minval == 0 and maxval == 1.0:
        return u
    return add(multiply(u, subtract(maxval, minval)), minval)


def stateless_normal(
    shape: Any,
    seed: Any,
    mean: Any = 0.0,
    stddev: Any = 1.0,
    dtype: Any = float32,
    name: Optional[str] = None,
    alg: Any = "auto_select",
) -> Tensor:
    """Normal samples, the same for the same ``seed``."""
    from .math_ops import add, multiply

    d = as_dtype(dtype)
    if not d.is_floating:
        raise TypeError(f"stateless_normal expects a float dtype, received {d.name}")
    z = _stateless("random_normal", shape, seed, d, "stateless_normal")
    return z if (mean == 0.0 and stddev == 1.0) else add(multiply(z, stddev), mean)


def stateless_truncated_normal(
    shape: Any,
    seed: Any,
    mean: Any = 0.0,
    stddev: Any = 1.0,
    dtype: Any = float32,
    name: Optional[str] = None,
    alg: Any = "auto_select",
) -> Tensor:
    """Normal samples within two standard deviations of the mean, the same for the same ``seed`` (eager)."""
    if context.current_graph() is not None:
        raise NotImplementedError("stateless_truncated_normal runs eagerly only; create the values outside the graph")
    a, b = seed_pair(seed, "stateless_truncated_normal")
    dims = [int(x) for x in (shape.numpy().tolist() if isinstance(shape, Tensor) else shape)]
    return convert_to_tensor(
        truncated_samples(np.random.default_rng([a & (2**63 - 1), b & (2**63 - 1)]), dims, mean, stddev, dtype)
    )


def truncated_samples(rng: np.random.Generator, dims: list, mean: Any, stddev: Any, dtype: Any) -> np.ndarray:
    """Standard normal samples redrawn until within two standard deviations, scaled and shifted."""
    z = rng.standard_normal(dims)
    bad = np.abs(z) > 2
    while bad.any():
        z[bad] = rng.standard_normal(int(bad.sum()))
        bad = np.abs(z) > 2
    return (z * float(stddev) + float(mean)).astype(as_dtype(dtype).as_numpy_dtype)


def _gumbel_argmax(logits: Any, num_samples: int, uniform: Any, dtype: Any) -> Tensor:
    """Samples class indices by the Gumbel-max trick: argmax(logits + Gumbel noise), one per draw."""
    from .array_ops import cast, expand_dims
    from .math_ops import add, argmax, log, negative

    logits = convert_to_tensor(logits)
    dims = logits.shape.as_list()
    if len(dims) != 2 or None in dims:
        raise ValueError(
            f"categorical expects logits of known shape [batch_size, num_classes], received {logits.shape}"
        )
    batch, classes = dims
    u = uniform([batch, int(num_samples), classes], logits.dtype)
    # Keep u away from 0 so that log(-log(u)) is finite.
    tiny = np.finfo(logits.dtype.as_numpy_dtype).tiny
    gumbel = negative(log(negative(log(u * (1 - 2 * tiny) + tiny))))
    samples = argmax(add(expand_dims(logits, 1), gumbel), axis=-1)
    return cast(samples, dtype)


def categorical(
    logits: Any, num_samples: int, dtype: Any = None, seed: Optional[int] = None, name: Optional[str] = None
) -> Tensor:
    """``tf.random.categorical``: ``num_samples`` class indices per row of unnormalized log-probabilities."""
    from .random_ops import uniform

    return _gumbel_argmax(logits, num_samples, lambda shape, d: uniform(shape, dtype=d, seed=seed), dtype or int64)


def stateless_categorical(
    logits: Any, num_samples: int, seed: Any, dtype: Any = int64, name: Optional[str] = None
) -> Tensor:
    """``categorical`` as a pure function of ``seed``."""
    return _gumbel_argmax(logits, num_samples, lambda shape, d: stateless_uniform(shape, seed=seed, dtype=d), dtype)

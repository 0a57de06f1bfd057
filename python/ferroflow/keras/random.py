"""``keras.random``: random tensors with Keras 3's seeding: an int seed gives the same numbers on every call,
a ``SeedGenerator`` a new draw each call from a repeatable sequence, and None the global random state."""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from ferroflow._api import public_dir as _public_dir

from ..framework.ops import convert_to_tensor as _convert
from ..ops import random_gamma_poisson_ops as _gamma_ops
from ..ops import random_ops as _random
from ..ops import stateless_random_ops as _stateless
from ..ops.random_generator import Generator as _Generator


class SeedGenerator:
    """A repeatable sequence of seeds (``keras.random.SeedGenerator(seed)``): each draw that takes it as
    ``seed`` advances it."""

    def __init__(self, seed: Optional[int] = None, name: Optional[str] = None, **kwargs: Any) -> None:
        self._generator = _Generator.from_seed(seed) if seed is not None else _Generator.from_non_deterministic_state()
        self.name = name or "seed_generator"

    @property
    def state(self) -> Any:
        return self._generator.state

    def next(self, ordered: bool = True) -> Any:
        """A fresh ``[2]`` int seed for a stateless op."""
        return self._generator.make_seeds(1)[:, 0]


def _traced_seed(seed: Any) -> Optional[int]:
    """Inside a traced function (a ``train_step`` that ``fit`` traces), a ``SeedGenerator``'s draw is taken
    once, when tracing, as the op seed of a random op that gives new values on every run of the graph
    (Keras advances a seed variable each step instead); ``None`` when not traced or not a SeedGenerator."""
    from ..framework import context

    if not isinstance(seed, SeedGenerator) or context.current_graph() is None:
        return None
    with context.eager_scope():
        pair = seed.next().numpy()
    return int((int(pair[0]) ^ int(pair[1])) & 0x7FFFFFFF)


def _seed_pair(seed: Any) -> Any:
    if isinstance(seed, SeedGenerator):
        return seed.next().numpy()
    return np.array([int(seed), 0], dtype=np.int64)


def normal(shape: Any, mean: float = 0.0, stddev: float = 1.0, dtype: Any = None, seed: Any = None) -> Any:
    if seed is None:
        return _random.normal(shape, mean, stddev, dtype or "float32")
    if (traced := _traced_seed(seed)) is not None:
        return _random.normal(shape, mean, stddev, dtype or "float32", seed=traced)
    return _stateless.stateless_normal(shape, _seed_pair(seed), mean, stddev, dtype or "float32")


def uniform(shape: Any, minval: float = 0.0, maxval: float = 1.0, dtype: Any = None, seed: Any = None) -> Any:
    if seed is None:
        return _random.uniform(shape, minval, maxval, dtype or "float32")
    if (traced := _traced_seed(seed)) is not None:
        return _random.uniform(shape, minval, maxval, dtype or "float32", seed=traced)
    return _stateless.stateless_uniform(shape, _seed_pair(seed), minval, maxval, dtype or "float32")


def randint(shape: Any, minval: int, maxval: int, dtype: Any = "int32", seed: Any = None) -> Any:
    """Integers in ``[minval, maxval)``."""
    if seed is None:
        return _random.uniform(shape, minval, maxval, dtype)
    if (traced := _traced_seed(seed)) is not None:
        return _random.uniform(shape, minval, maxval, dtype, seed=traced)
    return _stateless.stateless_uniform(shape, _seed_pair(seed), minval, maxval, dtype)


def truncated_normal(shape: Any, mean: float = 0.0, stddev: float = 1.0, dtype: Any = None, seed: Any = None) -> Any:
    if seed is None:
        return _random.truncated_normal(shape, mean, stddev, dtype or "float32")
    if (traced := _traced_seed(seed)) is not None:
        return _random.truncated_normal(shape, mean, stddev, dtype or "float32", seed=traced)
    return _stateless.stateless_truncated_normal(shape, _seed_pair(seed), mean, stddev, dtype or "float32")


def dropout(inputs: Any, rate: float, noise_shape: Any = None, seed: Any = None) -> Any:
    """Zeros a fraction ``rate`` of the elements and scales the rest by ``1 / (1 - rate)``."""
    x = _convert(inputs)
    if not 0 <= rate < 1:
        raise ValueError(f"dropout rate must be in [0, 1), received {rate}")
    shape = (
        list(x.shape)
        if noise_shape is None
        else [d if d is not None else x.shape[i] for i, d in enumerate(noise_shape)]
    )
    keep = uniform(shape, dtype=x.dtype, seed=seed) >= rate
    from ..ops.array_ops import cast

    return x * cast(keep, x.dtype) / (1.0 - rate)


def shuffle(x: Any, axis: int = 0, seed: Any = None) -> Any:
    """The slices of ``x`` along ``axis`` in a random order."""
    from ..ops.array_ops import gather

    t = _convert(x)
    n = t.shape[axis]
    if seed is None:
        order = np.random.default_rng().permutation(n)
    else:
        pair = _seed_pair(seed)
        order = np.random.default_rng([int(pair[0]) & (2**63 - 1), int(pair[1]) & (2**63 - 1)]).permutation(n)
    return gather(t, order.astype(np.int64), axis=axis)


def gamma(shape: Any, alpha: Any, dtype: Any = None, seed: Any = None) -> Any:
    """Gamma-distributed values of shape ``alpha`` (scale 1)."""
    if seed is None:
        return _gamma_ops.gamma(shape, alpha, dtype=dtype or "float32")
    if (traced := _traced_seed(seed)) is not None:
        return _gamma_ops.gamma(shape, alpha, dtype=dtype or "float32", seed=traced)
    return _gamma_ops.stateless_gamma(shape, _seed_pair(seed), alpha, dtype=dtype or "float32")


def beta(shape: Any, alpha: Any, beta: Any, dtype: Any = None, seed: Any = None) -> Any:
    """Beta-distributed values in ``(0, 1)``: ``g_a / (g_a + g_b)`` of two gamma draws, as Keras's backends."""
    if seed is None or isinstance(seed, SeedGenerator):
        gamma_a = gamma(shape, alpha, dtype, seed)
        gamma_b = gamma(shape, beta, dtype, seed)
    else:  # an int seed: the second draw's seed is derived from it (+12, as Keras's TensorFlow backend)
        gamma_a = gamma(shape, alpha, dtype, int(seed))
        gamma_b = gamma(shape, beta, dtype, int(seed) + 12)
    return gamma_a / (gamma_a + gamma_b)


def binomial(shape: Any, counts: Any, probabilities: Any, dtype: Any = None, seed: Any = None) -> Any:
    """Binomial(counts, probabilities) values of ``shape`` (in ``dtype``, float32 by default): the number of
    successes among ``counts`` trials, each succeeding with ``probabilities`` (both broadcast to ``shape``).

    Counts the uniforms below ``probabilities`` among ``max(counts)`` draws per element (the first ``counts``
    of them), so the draws take ``max(counts)`` times the memory of the result.
    """
    from ..ops import array_ops as _array
    from ..ops import fill_range_ops as _fill
    from ..ops import math_ops as _math
    from ..ops._sample_shape import concat, sample_shape

    dims, _ = sample_shape(shape, "keras.random.binomial")
    n = _array.cast(_convert(counts), "float32") + _array.zeros(dims, "float32")
    p = _array.cast(_convert(probabilities), "float32") + _array.zeros(dims, "float32")
    most = _array.cast(_math.reduce_max(n), "int32") if n.shape.num_elements() != 0 else 0
    draws = uniform(concat(_array.reshape(most, [1]), _array.shape(n)), dtype="float32", seed=seed)
    trial = _array.reshape(_fill.range(0, most, dtype="float32"), concat([-1], [1] * n.shape.rank))
    hits = _math.logical_and(_math.less(draws, p), _math.less(trial, n))
    return _array.cast(_math.reduce_sum(_array.cast(hits, "float32"), axis=0), dtype or "float32")


def categorical(logits: Any, num_samples: int, dtype: Any = "int32", seed: Any = None) -> Any:
    if seed is None:
        return _stateless.categorical(logits, num_samples, dtype=dtype)
    return _stateless.stateless_categorical(logits, num_samples, _seed_pair(seed), dtype=dtype)


__dir__ = _public_dir(globals())

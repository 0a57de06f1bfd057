"""Seeds for the stateless ops and generator states: ``tf.random.Algorithm``, ``create_rng_state``,
``split`` and ``fold_in``.

New seeds are a hash of the old seed (and of the folded-in data), so they are a pure function of their inputs
as in TensorFlow, though not the same numbers TensorFlow's Philox draws give.
"""

from __future__ import annotations

import enum
from typing import Any

import numpy as np

from ..framework.dtypes import as_dtype
from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor
from .random_ops import _MASK, _mix
from .stateless_random_ops import seed_pair


class Algorithm(enum.Enum):
    """``tf.random.Algorithm``: the random-number algorithms a ``Generator`` or stateless op can name."""

    PHILOX = 1
    THREEFRY = 2
    AUTO_SELECT = 3


def algorithm_value(alg: Any) -> int:
    """The ``Algorithm`` value of ``alg`` (None, a name such as ``"philox"``, an ``Algorithm`` or its int)."""
    if alg is None:
        return Algorithm.PHILOX.value
    if isinstance(alg, Algorithm):
        return alg.value
    if isinstance(alg, str):
        try:
            return Algorithm[alg.upper()].value
        except KeyError:
            raise ValueError(_unsupported(alg)) from None
    if isinstance(alg, (int, np.integer)) and int(alg) in (1, 2, 3):
        return int(alg)
    raise ValueError(_unsupported(alg))


def _unsupported(alg: Any) -> str:
    return (
        f"Argument `alg` got unsupported value {alg}. Supported values are philox for the Philox algorithm, "
        "threefry for the ThreeFry algorithm, and auto_select for auto-selection."
    )


def seed_state(seed: Any) -> list:
    """The int64 ``[counter, 0, key]`` state ``Generator.from_seed(seed)`` starts from."""
    value = int(seed.numpy() if isinstance(seed, Tensor) else seed)
    return [0, 0, _mix(0x6E4E7A70, value) & _MASK]


def create_rng_state(seed: Any, alg: Any) -> Tensor:
    """``tf.random.create_rng_state``: the state a ``Generator`` made ``from_seed(seed)`` has."""
    algorithm_value(alg)
    return convert_to_tensor(np.asarray(seed_state(seed), dtype=np.int64))


def _in_range(values: list, dtype: Any) -> np.ndarray:
    """Hash values wrapped into the integer range of ``dtype`` (seeds keep the dtype they came in)."""
    d = as_dtype(dtype)
    bits = np.iinfo(d.as_numpy_dtype).bits
    wrapped = [(v & ((1 << bits) - 1)) - ((1 << bits) if v & (1 << (bits - 1)) else 0) for v in values]
    return np.asarray(wrapped, dtype=d.as_numpy_dtype)


def _seed_dtype(seed: Any) -> Any:
    t = convert_to_tensor(seed)
    if not t.dtype.is_integer:
        raise ValueError(f"a seed is a pair of integers, received dtype {t.dtype.name}")
    return t.dtype


def split(seed: Any, num: int = 2, alg: Any = "auto_select") -> Tensor:
    """``tf.random.split``: ``num`` new seeds (shape ``[num, 2]``, the seed's dtype) made from ``seed``."""
    algorithm_value(alg)
    a, b = seed_pair(seed, "tf.random.split")
    values = [_mix(0x5E1D5, a, b, i, j) for i in range(int(num)) for j in range(2)]
    return convert_to_tensor(_in_range(values, _seed_dtype(seed)).reshape(int(num), 2))


def fold_in(seed: Any, data: Any, alg: Any = "auto_select") -> Tensor:
    """``tf.random.fold_in``: a new seed ``[hash(seed), data]`` (in ``data``'s dtype), as TensorFlow builds it."""
    algorithm_value(alg)
    a, b = seed_pair(seed, "tf.random.fold_in")
    data = convert_to_tensor(data)
    if not data.dtype.is_integer or data.shape.rank != 0:
        raise ValueError(f"fold_in's data must be an integer scalar, received {data!r}")
    first = _in_range([_mix(0xF01D, a, b)], data.dtype)[0]
    return convert_to_tensor(np.asarray([first, data.numpy()], dtype=data.dtype.as_numpy_dtype))

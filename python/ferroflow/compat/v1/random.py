"""``tf.compat.v1.random``: ``tf.random`` with TF1's names and orders: ``set_random_seed``, ``get_seed``,
``multinomial``, ``stateless_multinomial`` and ``poisson(lam, shape, ...)``."""

from __future__ import annotations

from typing import Any, Optional

from .array_v1 import multinomial  # noqa: F401

_DEFAULT_GRAPH_SEED = 87654321
_MAXINT32 = 2**31 - 1


def set_random_seed(seed: Any) -> None:
    """The graph-level (global) seed of every later random op."""
    from ...ops.random_ops import set_seed

    set_seed(seed)


def get_seed(op_seed: Optional[int]) -> tuple:
    """TensorFlow's ``(graph seed, op seed)`` for an op given ``op_seed``: with a global seed, the op seed
    (or the next one of the global sequence); without, ``(87654321, op_seed)`` or ``(None, None)``."""
    from ...ops import random_ops

    state = random_ops._state
    global_seed = state["global_seed"]
    if global_seed is not None:
        if op_seed is None:
            state["counter"] += 1
            op_seed = state["counter"]
        seeds = (int(global_seed) % (_MAXINT32 + 1), int(op_seed) % (_MAXINT32 + 1))
    elif op_seed is not None:
        seeds = (_DEFAULT_GRAPH_SEED, int(op_seed) % (_MAXINT32 + 1))
    else:
        return None, None
    return (0, _MAXINT32) if seeds == (0, 0) else seeds


def poisson(
    lam: Any, shape: Any, dtype: Any = "float32", seed: Optional[int] = None, name: Optional[str] = None
) -> Any:
    """Poisson samples (TF1 puts the rates ``lam`` first)."""
    from ... import random as _random

    return _random.poisson(shape, lam, dtype=dtype, seed=seed, name=name)


def stateless_multinomial(
    logits: Any, num_samples: int, seed: Any, output_dtype: Any = "int64", name: Optional[str] = None
) -> Any:
    from ... import random as _random

    return _random.stateless_categorical(logits, num_samples, seed, dtype=output_dtype, name=name)


_OWN = {"set_random_seed", "get_seed", "multinomial", "poisson", "stateless_multinomial"}


def __getattr__(name: str) -> Any:
    from ... import random as _random

    try:
        return getattr(_random, name)
    except AttributeError:
        raise AttributeError(f"module 'ferroflow.compat.v1.random' has no attribute '{name}'") from None


def __dir__() -> list:
    from ... import random as _random

    return sorted(set(dir(_random)) | _OWN)

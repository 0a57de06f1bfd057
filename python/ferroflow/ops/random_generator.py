"""``tf.random.Generator``: a random-number generator whose state is a variable (saved by checkpoints).

The state is TensorFlow's shape, an int64 vector ``[counter, 0, key]``: each draw uses the key and the
current counter and advances the counter by one, so a generator made ``from_seed`` gives the same sequence
every time, and ``split`` makes independent generators. Under a strategy with several replicas, a generator
made outside its scope is shared (the replicas draw from it in turn, so each gets different numbers), and one
made inside (or inside ``strategy.run``) draws a different stream on each replica. Inside a ``tf.function``
each traced draw continues from the counter at trace time and advances on every run of the graph; the state
variable is not updated there.
"""

from __future__ import annotations

import os
from typing import Any, List, Optional

import numpy as np

from ..framework import context
from ..framework.dtypes import as_dtype, float32, int64
from ..framework.ops import apply, convert_to_tensor
from ..framework.tensor import Tensor
from ..framework.variables import Variable
from .random_ops import _MASK, _mix, shape_source
from .random_seed_ops import algorithm_value, seed_state
from .stateless_random_ops import truncated_samples

# TensorFlow's ``tf.random.Algorithm.PHILOX`` value: the algorithm the state's layout follows.
PHILOX = 1


class Generator:
    """``tf.random.Generator``: make one with ``from_seed``, ``from_non_deterministic_state`` or ``from_state``."""

    def __init__(self, copy_from: Optional[Generator] = None, state: Any = None, alg: Any = None) -> None:
        if copy_from is not None:
            state = copy_from.state.numpy()
            alg = copy_from.algorithm if alg is None else alg
        if state is None:
            raise ValueError("Generator needs copy_from or state; use Generator.from_seed(seed) to make one")
        values = np.asarray(state.numpy() if isinstance(state, (Tensor, Variable)) else state, dtype=np.int64)
        if values.shape != (3,):
            raise ValueError(f"a Generator state is an int64 vector of 3 values, received shape {values.shape}")
        with context.eager_scope():
            self._state = Variable(values, trainable=False, name="StateVar", dtype="int64")
        self._alg = algorithm_value(alg)

    # -- construction
    @classmethod
    def from_seed(cls, seed: int, alg: Any = None) -> Generator:
        """A generator whose sequence is fixed by the integer ``seed``."""
        return cls(state=seed_state(seed), alg=alg)

    @classmethod
    def from_non_deterministic_state(cls, alg: Any = None) -> Generator:
        """A generator seeded from the operating system's entropy."""
        return cls(state=[0, 0, int.from_bytes(os.urandom(8), "little") & _MASK], alg=alg)

    @classmethod
    def from_state(cls, state: Any, alg: Any = None) -> Generator:
        return cls(state=state, alg=alg)

    @classmethod
    def from_key_counter(cls, key: Any, counter: Any, alg: Any = None) -> Generator:
        counter = np.asarray(counter, dtype=np.int64).reshape(-1)
        return cls(state=[int(counter[0]), int(counter[1]) if counter.size > 1 else 0, int(np.asarray(key).item())])

    # -- state
    @property
    def state(self) -> Variable:
        """The int64 ``[counter, 0, key]`` variable."""
        return self._state

    @property
    def algorithm(self) -> int:
        return self._alg

    @property
    def key(self) -> Tensor:
        return self._state[2]

    def reset(self, state: Any) -> None:
        self._state.assign(np.asarray(state, dtype=np.int64))

    def reset_from_seed(self, seed: int) -> None:
        self.reset(Generator.from_seed(seed).state.numpy())

    def reset_from_key_counter(self, key: Any, counter: Any) -> None:
        self.reset(Generator.from_key_counter(key, counter).state.numpy())

    def skip(self, delta: int) -> None:
        """Advances the counter by ``delta`` draws."""
        self._advance(int(delta))

    def _checkpoint_children(self) -> dict:
        return {"state": self._state}

    @property
    def variables(self) -> tuple:
        return (self._state,)

    def _next(self) -> tuple:
        """(seed, counter) for one draw; advances the state when running eagerly."""
        state = self._state.numpy()
        seed = _mix(0x6E4E7A70, int(state[2]))
        counter = int(state[0]) & _MASK
        from ..distribute import mirrored_run

        run = mirrored_run.current()
        if run is not None and getattr(self._state, "_strategy", None) is run.strategy:
            # A generator made in a several-replica strategy's scope gives each replica its own stream, as in
            # TensorFlow; its state (a mirrored variable) advances once per step for all of them.
            seed = _mix(seed, run.replica + 1)
        if context.current_graph() is None:
            self._advance(1)
        return seed, counter

    def _advance(self, n: int) -> None:
        state = self._state.numpy()
        state[0] = np.int64((int(state[0]) + n) & _MASK)
        self._state.assign(state)

    def _draw(self, dist: str, shape: Any, dtype: Any) -> Tensor:
        seed, counter = self._next()
        d = as_dtype(dtype)
        return apply(dist, [shape_source(shape, d)], {"seed": seed, "step": counter, "dtype": d.name})

    # -- distributions
    def normal(
        self, shape: Any, mean: Any = 0.0, stddev: Any = 1.0, dtype: Any = float32, name: Optional[str] = None
    ) -> Tensor:
        d = as_dtype(dtype)
        if not d.is_floating:
            raise TypeError(f"Generator.normal expects a float dtype, received {d.name}")
        z = self._draw("random_normal", shape, d)
        return z if (mean == 0.0 and stddev == 1.0) else z * stddev + mean

    def uniform(
        self, shape: Any, minval: Any = 0, maxval: Any = None, dtype: Any = float32, name: Optional[str] = None
    ) -> Tensor:
        """Samples in ``[minval, maxval)``; integer dtypes need ``maxval``."""
        from .array_ops import cast
        from .math_ops import floor

        d = as_dtype(dtype)
        if d.is_integer:
            if maxval is None:
                raise ValueError("Generator.uniform with an integer dtype needs maxval")
            u = self._draw("random_uniform", shape, "float64")
            return cast(floor(u * (float(maxval) - float(minval))) + float(minval), d)
        if not d.is_floating:
            raise TypeError(f"Generator.uniform expects a float or int dtype, received {d.name}")
        u = self._draw("random_uniform", shape, d)
        maxval = 1.0 if maxval is None else maxval
        return u if (minval == 0 and maxval == 1.0) else u * (maxval - minval) + minval

    def uniform_full_int(self, shape: Any, dtype: Any = int64, name: Optional[str] = None) -> Tensor:
        """Integers spread over the whole range of ``dtype`` (int32 or int64), eagerly."""
        d = as_dtype(dtype)
        if d.name not in ("int32", "int64"):
            raise TypeError(f"uniform_full_int expects int32 or int64, received {d.name}")
        rng = self._numpy_rng("uniform_full_int")
        info = np.iinfo(d.as_numpy_dtype)
        dims = _dims(shape)
        return convert_to_tensor(rng.integers(info.min, info.max, size=dims, dtype=d.as_numpy_dtype, endpoint=True))

    def truncated_normal(
        self, shape: Any, mean: Any = 0.0, stddev: Any = 1.0, dtype: Any = float32, name: Optional[str] = None
    ) -> Tensor:
        """Normal samples within two standard deviations of the mean (eager)."""
        rng = self._numpy_rng("truncated_normal")
        return convert_to_tensor(truncated_samples(rng, _dims(shape), mean, stddev, dtype))

    def _numpy_rng(self, what: str) -> np.random.Generator:
        if context.current_graph() is not None:
            raise NotImplementedError(f"Generator.{what} runs eagerly only; draw the values outside the graph")
        seed, counter = self._next()
        return np.random.default_rng([seed, counter])

    # -- new generators
    def make_seeds(self, count: int = 1) -> Tensor:
        """An int64 ``[2, count]`` tensor of seeds for stateless ops."""
        rng = self._numpy_rng("make_seeds")
        return convert_to_tensor(rng.integers(0, 2**63 - 1, size=(2, int(count)), dtype=np.int64))

    def split(self, count: int = 1) -> List[Generator]:
        """``count`` new generators, independent of this one and of each other."""
        seeds = self.make_seeds(count).numpy()
        return [Generator(state=[0, 0, _mix(int(seeds[0, i]), int(seeds[1, i])) & _MASK]) for i in range(int(count))]


def _dims(shape: Any) -> list:
    return [int(d) for d in (shape.numpy().tolist() if isinstance(shape, Tensor) else shape)]


_global: dict = {"generator": None}


def get_global_generator() -> Generator:
    """The process's generator, from non-deterministic state unless ``set_global_generator`` replaced it."""
    if _global["generator"] is None:
        _global["generator"] = Generator.from_non_deterministic_state()
    return _global["generator"]


def set_global_generator(generator: Generator) -> None:
    _global["generator"] = generator

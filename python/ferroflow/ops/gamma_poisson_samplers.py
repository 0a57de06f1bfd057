"""The samplers behind ``tf.random.gamma``/``poisson`` and their stateless forms, as ferroflow ops.

Gamma: Marsaglia and Tsang's squeeze-and-reject method (alpha < 1 through Gamma(alpha + 1) * U^(1/alpha)),
TensorFlow's algorithm. Poisson: inversion of the CDF by sequential search below rate 10, Hormann's
transformed rejection (PTRS) from 10 up, as TensorFlow splits it. Every element draws until it accepts;
the draws of one round cover the whole tensor, and ``tf.while_loop`` repeats rounds until all elements have
accepted, so a graph holds one round whatever the number it takes.

Where the numbers of a round come from (``Draws``): a stateful op's random ops advance their counter on each
run (in a graph) or take a seed mixed with the round (eagerly); a stateless op's round k reads the k-th
block of one stateless stream (the stream of a [k + 1, ...] shape, whose first k blocks are those of the
earlier rounds), so its samples are a pure function of the seed, the same eagerly and in graphs.
"""

from __future__ import annotations

import math
from typing import Any, Optional

from ..framework.ops import apply, convert_to_tensor
from ..framework.tensor import EagerTensor, Tensor
from ..framework.tensor_shape import TensorShape
from . import array_ops, math_ops
from ._sample_shape import concat
from .control_flow_ops import while_loop
from .math_derived_ops import reduce_any
from .random_ops import _MASK, _mix
from .special_math_ops import lgamma

_MAX_ROUNDS = 1000  # acceptance is above 0.9 per round for both rejection samplers
_NORMAL, _UNIFORM = "random_normal", "random_uniform"


class Draws:
    """Fresh float64 random tensors of ``shape`` for each round of a rejection loop."""

    def __init__(self, shape: Any, seed: int, step: int, stateless: bool, static: Optional[list] = None) -> None:
        # ``shape``: ints, or an int vector known at run time with ``static`` its known values (``_sample_shape``)
        self.shape = list(shape) if isinstance(shape, (list, tuple)) else shape
        self.static = list(shape) if static is None else list(static)
        self.seed, self.step, self.stateless = int(seed), int(step), stateless

    def _with_block(self, size: int) -> Any:
        return concat([size], self.shape)

    def _op(self, dist: str, source: Tensor, salt: int, stateless: bool) -> Tensor:
        attrs = {"seed": _mix(self.seed, salt) & _MASK, "step": self.step, "dtype": "float64"}
        if stateless:
            attrs["stateless"] = True
        return apply(dist, [source], attrs)

    def once(self, dist: str, salt: int) -> Tensor:
        """One tensor outside the rounds."""
        return self._op(dist, array_ops.zeros(self.shape, "float64"), salt, self.stateless)

    def loop_vars(self) -> list:
        return [array_ops.zeros(self._with_block(0), "float64")] if self.stateless else []

    def invariants(self) -> list:
        return [TensorShape([None] + self.static)] if self.stateless else []

    def round(self, i: Tensor, state: list, dists: list) -> tuple:
        """``(tensors, state)``: one tensor per ``(dist, salt)`` for round ``i``."""
        if self.stateless:
            (blocks,) = state
            blocks = array_ops.concat([blocks, array_ops.zeros(self._with_block(1), "float64")], 0)
            return [self._op(d, blocks, salt, True)[-1] for d, salt in dists], [blocks]
        source = array_ops.zeros(self.shape, "float64")
        if isinstance(i, EagerTensor):  # an eager loop builds each round's ops anew: vary their seed
            return [self._op(d, source, _mix(salt, int(i)), False) for d, salt in dists], []
        return [self._op(d, source, salt, False) for d, salt in dists], []  # a graph op advances per run


def _reject(draws: Draws, dists: list, propose: Any, done: Tensor, init: Tensor) -> Tensor:
    """Rounds of ``accepted, value = propose(*tensors)`` until every element has accepted once."""

    def cond(i: Tensor, finished: Tensor, value: Tensor, *state: Tensor) -> Tensor:
        return math_ops.logical_and(math_ops.less(i, _MAX_ROUNDS), reduce_any(math_ops.logical_not(finished)))

    def body(i: Tensor, finished: Tensor, value: Tensor, *state: Tensor) -> tuple:
        tensors, state = draws.round(i, list(state), dists)
        accepted, proposal = propose(*tensors)
        value = array_ops.where(math_ops.logical_or(finished, math_ops.logical_not(accepted)), value, proposal)
        return (i + 1, math_ops.logical_or(finished, accepted), value, *state)

    loop_vars = [convert_to_tensor(0), done, init, *draws.loop_vars()]
    invariants = [TensorShape([]), TensorShape(draws.static), TensorShape(draws.static), *draws.invariants()]
    return while_loop(cond, body, loop_vars, shape_invariants=invariants)[2]


def standard_gamma(alpha: Tensor, draws: Draws) -> Tensor:
    """Gamma(alpha, 1) samples for float64 ``alpha`` of the draws' shape; NaN for alpha < 0 or NaN."""
    valid = math_ops.logical_and(math_ops.greater(alpha, 0.0), math_ops.is_finite(alpha))
    boost = math_ops.less(alpha, 1.0)
    a = array_ops.where(valid, array_ops.where(boost, alpha + 1.0, alpha), array_ops.ones_like(alpha))
    d = a - 1.0 / 3.0
    c = 1.0 / math_ops.sqrt(9.0 * d)

    def propose(z: Tensor, u: Tensor) -> tuple:
        v = 1.0 + c * z
        v = v * v * v
        positive = math_ops.greater(v, 0.0)
        v = array_ops.where(positive, v, array_ops.ones_like(v))
        z2 = z * z
        squeeze = math_ops.less(u, 1.0 - 0.0331 * z2 * z2)
        log_test = math_ops.less(math_ops.log(u), 0.5 * z2 + d * (1.0 - v + math_ops.log(v)))
        return math_ops.logical_and(positive, math_ops.logical_or(squeeze, log_test)), d * v

    sample = _reject(draws, [(_NORMAL, 1), (_UNIFORM, 2)], propose, math_ops.logical_not(valid), alpha * 0.0)
    u = draws.once(_UNIFORM, 3)
    safe_alpha = array_ops.where(valid, alpha, array_ops.ones_like(alpha))
    sample = array_ops.where(boost, sample * math_ops.pow(u, 1.0 / safe_alpha), sample)
    # Outside the sampler's domain: alpha = 0 gives 0 (TensorFlow's smallest normal after clamping),
    # inf gives inf, negative or NaN alpha gives NaN.
    sample = array_ops.where(math_ops.equal(alpha, 0.0), alpha * 0.0, sample)
    sample = array_ops.where(math_ops.equal(alpha, math.inf), alpha, sample)
    nan = math_ops.logical_or(math_ops.less(alpha, 0.0), math_ops.is_nan(alpha))
    return array_ops.where(nan, array_ops.zeros_like(alpha) + math.nan, sample)


def _poisson_small(lam: Tensor, active: Tensor, draws: Draws) -> Tensor:
    """Inversion: the least k with P(X <= k) >= u, walking up the CDF; ``lam`` < 10 where ``active``."""
    u = draws.once(_UNIFORM, 4)
    p = math_ops.exp(-lam)

    def cond(i: Tensor, finished: Tensor, k: Tensor, p: Tensor, cdf: Tensor) -> Tensor:
        return math_ops.logical_and(math_ops.less(i, _MAX_ROUNDS), reduce_any(math_ops.logical_not(finished)))

    def body(i: Tensor, finished: Tensor, k: Tensor, p: Tensor, cdf: Tensor) -> tuple:
        k_next = k + 1.0
        p_next = p * lam / k_next
        cdf_next = cdf + p_next
        # Stop where the CDF reached u, or where it can no longer grow (rounding just below 1).
        stop = math_ops.logical_or(math_ops.less_equal(u, cdf_next), math_ops.equal(cdf_next, cdf))
        keep = finished
        return (
            i + 1,
            math_ops.logical_or(finished, stop),
            array_ops.where(keep, k, k_next),
            array_ops.where(keep, p, p_next),
            array_ops.where(keep, cdf, cdf_next),
        )

    done = math_ops.logical_or(math_ops.logical_not(active), math_ops.less_equal(u, p))
    zero = array_ops.zeros_like(lam)
    return while_loop(cond, body, [convert_to_tensor(0), done, zero, p, p])[2]


def _poisson_large(lam: Tensor, active: Tensor, draws: Draws) -> Tensor:
    """Hormann's PTRS (transformed rejection with squeeze); ``lam`` >= 10 where ``active``."""
    log_lam = math_ops.log(lam)
    b = 0.931 + 2.53 * math_ops.sqrt(lam)
    a = -0.059 + 0.02483 * b
    inv_alpha = 1.1239 + 1.1328 / (b - 3.4)
    vr = 0.9277 - 3.6224 / (b - 2.0)

    def propose(u: Tensor, v: Tensor) -> tuple:
        u = u - 0.5
        us = 0.5 - math_ops.abs(u)
        k = math_ops.floor((2.0 * a / us + b) * u + lam + 0.43)
        quick = math_ops.logical_and(math_ops.greater_equal(us, 0.07), math_ops.less_equal(v, vr))
        reject = math_ops.logical_or(
            math_ops.less(k, 0.0), math_ops.logical_and(math_ops.less(us, 0.013), math_ops.greater(v, us))
        )
        safe_k = array_ops.where(math_ops.less(k, 0.0), array_ops.zeros_like(k), k)
        log_accept = math_ops.log(v * inv_alpha / (a / (us * us) + b))
        target = -lam + safe_k * log_lam - lgamma(safe_k + 1.0)
        accept = math_ops.logical_or(
            quick, math_ops.logical_and(math_ops.logical_not(reject), math_ops.less_equal(log_accept, target))
        )
        return accept, k

    return _reject(draws, [(_UNIFORM, 5), (_UNIFORM, 6)], propose, math_ops.logical_not(active), lam * 0.0)


def poisson_samples(lam: Tensor, draws: Draws) -> Tensor:
    """Poisson(lam) samples (as float64) for float64 ``lam`` of the draws' shape: 0 for lam <= 0, inf for
    lam = inf, NaN for NaN."""
    finite = math_ops.logical_and(math_ops.greater(lam, 0.0), math_ops.is_finite(lam))
    small = math_ops.logical_and(finite, math_ops.less(lam, 10.0))
    large = math_ops.logical_and(finite, math_ops.greater_equal(lam, 10.0))
    one, ten = array_ops.ones_like(lam), array_ops.ones_like(lam) * 10.0
    low = _poisson_small(array_ops.where(small, lam, one), small, draws)
    high = _poisson_large(array_ops.where(large, lam, ten), large, draws)
    out = array_ops.where(small, low, array_ops.where(large, high, array_ops.zeros_like(lam)))
    out = array_ops.where(math_ops.equal(lam, math.inf), lam, out)
    return array_ops.where(math_ops.is_nan(lam), lam, out)

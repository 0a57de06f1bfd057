"""``tf.math.zeta`` (the Hurwitz zeta function) and ``tf.math.polygamma``, by Cephes' algorithm as
TensorFlow runs it: direct summation of (k + q)^-x until k + q > 9 (and at least nine terms), then the
Euler-Maclaurin tail with twelve Bernoulli-number terms.

Gradients as TensorFlow defines them: zeta with respect to q, polygamma with respect to x.
"""

from __future__ import annotations

from typing import Any, Optional

from ..framework.custom_gradient import _custom_gradient
from ..framework.tensor import Tensor
from . import array_ops, math_ops
from ._special_common import (
    INF,
    MACHEP,
    NAN,
    broadcast_all,
    converge,
    f64,
    float_operands,
    is_integer,
    select,
)
from .special_math_ops import digamma, lgamma

# (2j)! / B_2j for j = 1..12: the Euler-Maclaurin coefficients.
_EULER_MACLAURIN = (
    12.0,
    -720.0,
    30240.0,
    -1209600.0,
    47900160.0,
    -1.8924375803183791606e9,
    7.47242496e10,
    -2.950130727918164224e12,
    1.1646782814350067249e14,
    -4.5979787224074726105e15,
    1.8152105401943546773e17,
    -7.1661652561756670113e18,
)
# Negative q is summed term by term up to q + k > 9: allow for q down to about -100000.
_MAX_TERMS = 100_000


def _zeta64(x: Tensor, q: Tensor) -> Tensor:
    """zeta(x, q) = sum_k (k + q)^-x for broadcast float64 ``x`` and ``q``."""
    q_le_0 = math_ops.less_equal(q, 0.0)
    q_int = is_integer(q)
    x_int = is_integer(x)
    x_even = math_ops.logical_and(x_int, math_ops.equal(math_ops.floormod(x, 2.0), 0.0))
    # q a non-positive integer: a pole (inf) for even integer x, else NaN; other negative q needs integer x.
    pole = math_ops.logical_and(math_ops.logical_and(q_le_0, q_int), x_even)
    bad = math_ops.logical_or(math_ops.less(x, 1.0), math_ops.logical_and(q_le_0, math_ops.logical_not(x_int)))
    bad = math_ops.logical_or(
        bad, math_ops.logical_and(math_ops.logical_and(q_le_0, q_int), math_ops.logical_not(x_even))
    )
    bad = math_ops.logical_or(bad, math_ops.logical_or(math_ops.is_nan(x), math_ops.is_nan(q)))
    special = math_ops.logical_or(math_ops.logical_or(bad, pole), math_ops.equal(x, 1.0))
    ok = math_ops.logical_not(special)
    xs = select(ok, x, 2.0)
    qs = select(ok, q, 1.0)

    s0 = math_ops.pow(qs, -xs)
    zero = array_ops.zeros_like(xs)

    def step(i: Tensor, a: Tensor, b: Tensor, s: Tensor, converged: Tensor) -> tuple:
        a = a + 1.0
        b = math_ops.pow(a, -xs)
        s = s + b
        converged = math_ops.less(math_ops.abs(b / s), MACHEP)
        more = math_ops.logical_or(math_ops.less(i + 1.0, 9.0), math_ops.less_equal(a, 9.0))
        return [i + 1.0, a, b, s, converged], math_ops.logical_or(converged, math_ops.logical_not(more))

    finished = math_ops.logical_not(ok)
    _, a, b, s, converged = converge(step, [zero, qs, zero, s0, math_ops.less(zero, -1.0)], finished, _MAX_TERMS)

    # The Euler-Maclaurin tail, stopping (per element) once a term is negligible. A last term of zero
    # leaves the sum as it is (the tail's factors could overflow to inf * 0 there).
    direct = math_ops.logical_or(converged, math_ops.equal(b, 0.0))
    w = a
    tail = s + b * w / (xs - 1.0) - 0.5 * b
    fact = array_ops.ones_like(xs)
    k = zero
    stopped = direct
    for coefficient in _EULER_MACLAURIN:
        fact = fact * (xs + k)
        b = b / w
        t = fact * b / coefficient
        tail = array_ops.where(stopped, tail, tail + t)
        stopped = math_ops.logical_or(stopped, math_ops.less(math_ops.abs(t / tail), MACHEP))
        k = k + 1.0
        fact = fact * (xs + k)
        b = b / w
        k = k + 1.0
    out = array_ops.where(direct, s, tail)
    out = select(math_ops.logical_or(pole, math_ops.equal(x, 1.0)), INF, out)
    return select(bad, NAN, out)


def _in_dtype(fn: Any, *ts: Tensor) -> Tensor:
    out = fn(*[f64(t) for t in ts])
    return out if ts[0].dtype.name == "float64" else array_ops.cast(out, ts[0].dtype)


def _zeta_forward(x: Tensor, q: Tensor) -> tuple:
    def grad(upstream: Tensor) -> tuple:
        return None, upstream * (-x) * zeta(x + 1.0, q)

    return _in_dtype(_zeta64, x, q), grad


def _polygamma64(n: Tensor, x: Tensor) -> Tensor:
    valid = math_ops.logical_and(is_integer(n), math_ops.greater_equal(n, 0.0))
    order0 = math_ops.equal(n, 0.0)
    # TensorFlow's digamma is NaN at zero (a pole of either sign).
    psi = select(math_ops.equal(x, 0.0), NAN, digamma(x))
    n1 = select(valid, n, 1.0) + 1.0
    sign = select(math_ops.equal(math_ops.floormod(n1, 2.0), 0.0), 1.0, -1.0)
    higher = sign * math_ops.exp(lgamma(n1)) * _zeta64(n1, x)
    return select(math_ops.logical_not(valid), NAN, array_ops.where(order0, psi, higher))


def _polygamma_forward(n: Tensor, x: Tensor) -> tuple:
    def grad(upstream: Tensor) -> tuple:
        return None, upstream * polygamma(n + 1.0, x)

    return _in_dtype(_polygamma64, n, x), grad


_zeta = _custom_gradient(_zeta_forward, pause=True)
_polygamma = _custom_gradient(_polygamma_forward, pause=True)


def zeta(x: Any, q: Any, name: Optional[str] = None) -> Tensor:
    """The Hurwitz zeta function sum_k (k + q)^-x, elementwise with broadcasting; inf at x = 1, NaN for
    x < 1."""
    x, q = broadcast_all(*float_operands("zeta", x, q))
    return _zeta(x, q)


def polygamma(a: Any, x: Any, name: Optional[str] = None) -> Tensor:
    """The polygamma function psi^(a)(x), the a-th derivative of digamma; ``a`` a non-negative integer
    (NaN otherwise)."""
    a, x = broadcast_all(*float_operands("polygamma", a, x))
    return _polygamma(a, x)

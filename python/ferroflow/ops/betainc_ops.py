"""``tf.math.betainc``: the regularized incomplete beta function I_x(a, b), by Cephes' algorithm as
TensorFlow runs it in double precision: a power series where b*x <= 1 and x <= 0.95, otherwise one of two
continued fractions after reflecting x > a / (a + b) to 1 - x.

Its gradient, as TensorFlow's, is defined with respect to x only.
"""

from __future__ import annotations

from typing import Any, Optional

from .._core import InvalidArgumentError
from ..framework.custom_gradient import _custom_gradient
from ..framework.tensor import Tensor
from . import array_ops, math_ops
from ._special_common import BIG, BIGINV, MACHEP, NAN, broadcast_all, converge, f64, float_operands, select
from .math_derived_ops import xlogy
from .math_extra_ops import xlog1py
from .special_math_ops import lgamma

_CF_ITERATIONS = 300
_SERIES_ITERATIONS = 5000  # b*x <= 1 and x <= 0.95: the terms shrink at least like 0.95^n


def _log_beta(a: Tensor, b: Tensor) -> Tensor:
    return lgamma(a) + lgamma(b) - lgamma(a + b)


def _power_series(a: Tensor, b: Tensor, x: Tensor, active: Tensor) -> Tensor:
    """I_x(a, b) by the power series (Cephes ``pseries``), valid where ``active``."""
    ai = 1.0 / a
    u = (1.0 - b) * x
    v = u / (a + 1.0)
    z = MACHEP * ai
    zero = array_ops.zeros_like(a)

    def step(n: Tensor, t: Tensor, s: Tensor) -> tuple:
        t = t * ((n - b) * x / n)
        v = t / (a + n)
        return [n + 1.0, t, s + v], math_ops.less_equal(math_ops.abs(v), z)

    done = math_ops.logical_or(math_ops.logical_not(active), math_ops.less_equal(math_ops.abs(v), z))
    _, _, s = converge(step, [zero + 2.0, u, zero], done, _SERIES_ITERATIONS)
    s = s + v + ai
    return math_ops.exp(a * math_ops.log(x) - _log_beta(a, b) + math_ops.log(s))


def _continued_fraction(a: Tensor, b: Tensor, x: Tensor, small: Tensor, active: Tensor) -> Tensor:
    """Cephes ``incbcf`` where ``small`` (in x), else ``incbd`` (in x / (1 - x)), valid where ``active``."""
    one = array_ops.ones_like(a)
    sign = select(small, 1.0, -1.0)  # how k2 moves per step (k6 moves the other way)
    k2_0 = select(small, a + b, b - 1.0)
    k6_0 = select(small, b - 1.0, a + b)
    var = array_ops.where(small, x, x / (1.0 - x))
    thresh = 3.0 * MACHEP

    def step(n: Tensor, pkm2: Tensor, pkm1: Tensor, qkm2: Tensor, qkm1: Tensor, ans: Tensor) -> tuple:
        k1, k2 = a + n, k2_0 + sign * n
        k3, k4 = a + 2.0 * n, a + 1.0 + 2.0 * n
        k5, k6 = 1.0 + n, k6_0 - sign * n
        k7, k8 = a + 1.0 + 2.0 * n, a + 2.0 + 2.0 * n
        xk = -(var * k1 * k2) / (k3 * k4)
        pk, qk = pkm1 + pkm2 * xk, qkm1 + qkm2 * xk
        pkm2, pkm1, qkm2, qkm1 = pkm1, pk, qkm1, qk
        xk = (var * k5 * k6) / (k7 * k8)
        pk, qk = pkm1 + pkm2 * xk, qkm1 + qkm2 * xk
        pkm2, pkm1, qkm2, qkm1 = pkm1, pk, qkm1, qk
        nonzero = math_ops.not_equal(qk, 0.0)
        r = pk / select(nonzero, qk, 1.0)
        done = math_ops.logical_and(nonzero, math_ops.less(math_ops.abs(ans - r), math_ops.abs(r) * thresh))
        ans = array_ops.where(nonzero, r, ans)
        # Keep the recurrence in range (the ratio p/q is unchanged).
        big = math_ops.greater(math_ops.abs(qk) + math_ops.abs(pk), BIG)
        scale = select(big, BIGINV, 1.0)
        tiny = math_ops.logical_or(math_ops.less(math_ops.abs(qk), BIGINV), math_ops.less(math_ops.abs(pk), BIGINV))
        scale = scale * select(tiny, BIG, 1.0)
        return [n + 1.0, pkm2 * scale, pkm1 * scale, qkm2 * scale, qkm1 * scale, ans], done

    zero = array_ops.zeros_like(a)
    out = converge(step, [zero, zero, one, one, one, one], math_ops.logical_not(active), _CF_ITERATIONS)
    return out[5]


def _betainc64(a: Tensor, b: Tensor, x: Tensor) -> Tensor:
    bad = math_ops.logical_or(math_ops.less_equal(a, 0.0), math_ops.less_equal(b, 0.0))
    bad = math_ops.logical_or(
        bad, math_ops.logical_not(math_ops.logical_and(math_ops.less(0.0, x), math_ops.less(x, 1.0)))
    )
    ok = math_ops.logical_not(bad)
    direct = math_ops.logical_and(
        ok, math_ops.logical_and(math_ops.less_equal(b * x, 1.0), math_ops.less_equal(x, 0.95))
    )
    rest = math_ops.logical_and(ok, math_ops.logical_not(direct))
    w = 1.0 - x
    flip = math_ops.logical_and(rest, math_ops.greater(x, a / (a + b)))
    a2, b2 = array_ops.where(flip, b, a), array_ops.where(flip, a, b)
    x2, xc = array_ops.where(flip, w, x), array_ops.where(flip, x, w)
    flipped_series = math_ops.logical_and(
        flip, math_ops.logical_and(math_ops.less_equal(b2 * x2, 1.0), math_ops.less_equal(x2, 0.95))
    )
    use_series = math_ops.logical_or(direct, flipped_series)
    use_cf = math_ops.logical_and(rest, math_ops.logical_not(flipped_series))

    sa = select(use_series, array_ops.where(direct, a, a2), 1.0)
    sb = select(use_series, array_ops.where(direct, b, b2), 1.0)
    sx = select(use_series, array_ops.where(direct, x, x2), 0.5)
    series = _power_series(sa, sb, sx, use_series)

    ca, cb = select(use_cf, a2, 1.0), select(use_cf, b2, 1.0)
    cx, cxc = select(use_cf, x2, 0.5), select(use_cf, xc, 0.5)
    small = math_ops.less(cx * (ca + cb - 2.0) - (ca - 1.0), 0.0)
    w_cf = _continued_fraction(ca, cb, cx, small, use_cf)
    w_cf = array_ops.where(small, w_cf, w_cf / cxc)
    log_t = ca * math_ops.log(cx) + cb * math_ops.log(cxc) - _log_beta(ca, cb) + math_ops.log(w_cf / ca)
    cf = math_ops.exp(log_t)

    t = array_ops.where(use_series, series, cf)
    reflected = select(math_ops.less_equal(t, MACHEP), 1.0 - MACHEP, 1.0 - t)
    t = array_ops.where(flip, reflected, t)
    t = select(bad, NAN, t)
    t = select(math_ops.logical_and(math_ops.equal(x, 0.0), _ok_params(a, b)), 0.0, t)
    return select(math_ops.logical_and(math_ops.equal(x, 1.0), _ok_params(a, b)), 1.0, t)


def _ok_params(a: Tensor, b: Tensor) -> Tensor:
    return math_ops.logical_and(math_ops.greater(a, 0.0), math_ops.greater(b, 0.0))


def _forward(a: Tensor, b: Tensor, x: Tensor) -> tuple:
    out = _betainc64(f64(a), f64(b), f64(x))
    out = out if x.dtype.name == "float64" else array_ops.cast(out, x.dtype)

    def grad(upstream: Tensor) -> tuple:
        # d I_x(a, b) / dx = x^(a-1) (1-x)^(b-1) / B(a, b); TensorFlow defines no gradient for a and b.
        log_density = xlog1py(b - 1.0, -x) + xlogy(a - 1.0, x) - _log_beta(a, b)
        return None, None, upstream * math_ops.exp(log_density)

    return out, grad


_betainc = _custom_gradient(_forward, pause=True)


def _check_shapes(a: Tensor, b: Tensor, x: Tensor) -> None:
    """TensorFlow's rule: the non-scalar arguments have one shape (scalars broadcast)."""
    shapes = [("a", a.shape), ("b", b.shape), ("x", x.shape)]
    full = [(n, s) for n, s in shapes if s.rank != 0]
    for (n1, s1), (n2, s2) in zip(full, full[1:]):
        if s1.rank is not None and s2.rank is not None and not s1.is_compatible_with(s2):
            raise InvalidArgumentError(f"Shapes of {n1} and {n2} are inconsistent: {s1.as_list()} vs. {s2.as_list()}")


def betainc(a: Any, b: Any, x: Any, name: Optional[str] = None) -> Tensor:
    """The regularized incomplete beta function I_x(a, b); ``a``, ``b`` and ``x`` of one shape or scalars.
    NaN where a <= 0, b <= 0 or x is outside [0, 1]."""
    a, b, x = float_operands("betainc", a, b, x)
    _check_shapes(a, b, x)
    a, b, x = broadcast_all(a, b, x)
    return _betainc(a, b, x)

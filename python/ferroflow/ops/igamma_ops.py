"""The regularized incomplete gamma functions ``tf.math.igamma`` (P) and ``tf.math.igammac`` (Q = 1 - P),
their derivative with respect to ``a``, and the implicit derivative of a gamma sample with respect to its
concentration (the reparameterization gradient of ``tf.random.gamma``).

Cephes' algorithm, as TensorFlow runs it: the power series of P where x <= 1 or x <= a, the continued
fraction of Q elsewhere, each carried with its derivative in ``a`` (forward-mode) when that is asked for.
"""

from __future__ import annotations

from typing import Any, Optional

from ..framework.custom_gradient import _custom_gradient
from ..framework.tensor import Tensor
from . import array_ops, math_ops
from ._special_common import BIG, BIGINV, MACHEP, MAXLOG, NAN, broadcast_all, converge, f64, float_operands, select
from .special_math_ops import digamma, lgamma

VALUE, DERIVATIVE, SAMPLE_DERIVATIVE = "value", "derivative", "sample_derivative"


def _iterations(mode: str) -> int:
    return 2000 if mode == VALUE else 500


def _log_main_term(a: Tensor, x: Tensor, lgamma_a: Tensor) -> Tensor:
    """log(x^a e^-x / Gamma(a)) given lgamma(a); the callers treat -inf / NaN as a zero term."""
    return a * math_ops.log(x) - x - lgamma_a


def _main_term(a: Tensor, x: Tensor) -> Tensor:
    logax = _log_main_term(a, x, lgamma(a))
    small = math_ops.logical_or(math_ops.less(logax, -MAXLOG), math_ops.is_nan(logax))
    return select(small, 0.0, math_ops.exp(select(small, 0.0, logax)))


def _series(a: Tensor, x: Tensor, active: Tensor, mode: str) -> Tensor:
    """P(a, x) (or its a-derivative, or the sample derivative) by the power series; ``a``, ``x`` valid
    (positive) wherever ``active``."""
    ax = _main_term(a, x)
    zero = array_ops.zeros_like(a)
    one = zero + 1.0

    if mode == VALUE:

        def step(r: Tensor, c: Tensor, ans: Tensor) -> tuple:
            r = r + 1.0
            c = c * (x / r)
            ans = ans + c
            return [r, c, ans], math_ops.less_equal(c, MACHEP * ans)

        _, _, ans = converge(step, [a, one, one], math_ops.logical_not(active), _iterations(mode))
        return select(math_ops.equal(ax, 0.0), 0.0, ans * ax / a)

    def dstep(r: Tensor, c: Tensor, ans: Tensor, dc: Tensor, dans: Tensor) -> tuple:
        r = r + 1.0
        term = x / r
        dc = term * dc - x / (r * r) * c
        dans = dans + dc
        c = c * term
        ans = ans + c
        return [r, c, ans, dc, dans], math_ops.less_equal(math_ops.abs(dc), MACHEP * math_ops.abs(dans))

    _, _, ans, _, dans = converge(dstep, [a, one, one, zero, zero], math_ops.logical_not(active), _iterations(mode))
    dlogax = math_ops.log(x) - digamma(a + 1.0)
    if mode == DERIVATIVE:
        out = (ans * dlogax + dans) * ax / a
    else:
        out = -(dans + ans * dlogax) * x / a
    return select(math_ops.equal(ax, 0.0), 0.0, out)


def _continued_fraction(a: Tensor, x: Tensor, active: Tensor, mode: str) -> Tensor:
    """Q(a, x) (or its a-derivative, or the sample derivative with Q's sign) by the continued fraction;
    ``a`` > 0, finite ``x`` >= 1 wherever ``active``."""
    ax = _main_term(a, x)
    zero = array_ops.zeros_like(a)
    y0 = 1.0 - a
    z0 = x + y0 + 1.0
    pkm1, qkm1 = x + 1.0, z0 * x
    ans = pkm1 / qkm1
    state = [zero, y0, z0, zero + 1.0, x, pkm1, qkm1, ans]
    derivative = mode != VALUE
    if derivative:
        dqkm1 = -x
        state += [zero, zero, zero, dqkm1, (zero - ans * dqkm1) / qkm1]

    def step(
        c: Tensor, y: Tensor, z: Tensor, pkm2: Tensor, qkm2: Tensor, pkm1: Tensor, qkm1: Tensor, ans: Tensor, *d: Tensor
    ) -> tuple:
        c, y, z = c + 1.0, y + 1.0, z + 2.0
        yc = y * c
        pk = pkm1 * z - pkm2 * yc
        qk = qkm1 * z - qkm2 * yc
        nonzero = math_ops.not_equal(qk, 0.0)
        new_ans = array_ops.where(nonzero, pk / select(nonzero, qk, 1.0), ans)
        if derivative:
            dpkm2, dpkm1, dqkm2, dqkm1, dans = d
            dpk = dpkm1 * z - pkm1 - dpkm2 * yc + pkm2 * c
            dqk = dqkm1 * z - qkm1 - dqkm2 * yc + qkm2 * c
            new_dans = array_ops.where(nonzero, (dpk - new_ans * dqk) / select(nonzero, qk, 1.0), dans)
            done = math_ops.less_equal(math_ops.abs(new_dans - dans), MACHEP)
        else:
            done = math_ops.less_equal(math_ops.abs(ans - new_ans), MACHEP * math_ops.abs(new_ans))
        done = math_ops.logical_and(nonzero, done)
        # Rescale the recurrence before it overflows (the ratio is unchanged).
        scale = select(math_ops.greater(math_ops.abs(pk), BIG), BIGINV, 1.0)
        values = [c, y, z, pkm1 * scale, qkm1 * scale, pk * scale, qk * scale, new_ans]
        if derivative:
            values += [dpkm1 * scale, dpk * scale, dqkm1 * scale, dqk * scale, new_dans]
        return values, done

    out = converge(step, state, math_ops.logical_not(active), _iterations(mode))
    ans = out[7]
    if mode == VALUE:
        result = ans * ax
    else:
        dans = out[12]
        dlogax = math_ops.log(x) - digamma(a)
        result = (dans + ans * dlogax) * ax if mode == DERIVATIVE else -(dans + ans * dlogax) * x
    return select(math_ops.equal(ax, 0.0), 0.0, result)


def _domain(a: Tensor, x: Tensor) -> Tensor:
    bad = math_ops.logical_or(math_ops.less(x, 0.0), math_ops.less_equal(a, 0.0))
    return math_ops.logical_or(bad, math_ops.logical_or(math_ops.is_nan(a), math_ops.is_nan(x)))


def _lower(a: Tensor, x: Tensor, mode: str) -> Tensor:
    """P(a, x) or one of its derivatives, for broadcast float64 ``a`` and ``x``."""
    bad = _domain(a, x)
    use_cf = math_ops.logical_and(
        math_ops.logical_not(bad), math_ops.logical_and(math_ops.greater(x, 1.0), math_ops.greater(x, a))
    )
    use_series = math_ops.logical_not(math_ops.logical_or(bad, use_cf))
    finite_x = math_ops.logical_not(math_ops.is_inf(x))
    cf_active = math_ops.logical_and(use_cf, finite_x)
    series = _series(select(use_series, a, 1.0), select(use_series, x, 0.5), use_series, mode)
    cf = _continued_fraction(select(cf_active, a, 1.0), select(cf_active, x, 2.0), cf_active, mode)
    cf = select(finite_x, cf, 0.0)
    out = array_ops.where(use_cf, (1.0 - cf) if mode == VALUE else -cf, series)
    out = select(bad, NAN, out)
    return select(math_ops.equal(x, 0.0), 0.0, out)


def _upper(a: Tensor, x: Tensor) -> Tensor:
    """Q(a, x) for broadcast float64 ``a`` and ``x``."""
    bad = _domain(a, x)
    use_series = math_ops.logical_and(
        math_ops.logical_not(bad), math_ops.logical_or(math_ops.less(x, 1.0), math_ops.less(x, a))
    )
    use_cf = math_ops.logical_not(math_ops.logical_or(bad, use_series))
    finite_x = math_ops.logical_not(math_ops.is_inf(x))
    cf_active = math_ops.logical_and(use_cf, finite_x)
    series = _series(select(use_series, a, 1.0), select(use_series, x, 0.5), use_series, VALUE)
    cf = _continued_fraction(select(cf_active, a, 1.0), select(cf_active, x, 2.0), cf_active, VALUE)
    out = array_ops.where(use_series, 1.0 - series, select(finite_x, cf, 0.0))
    return select(bad, NAN, out)


def _in_dtype(fn: Any, a: Tensor, x: Tensor, *args: Any) -> Tensor:
    out = fn(f64(a), f64(x), *args)
    return out if a.dtype.name == "float64" else array_ops.cast(out, a.dtype)


def _dp_dx(a: Tensor, x: Tensor) -> Tensor:
    """dP/dx = x^(a-1) e^-x / Gamma(a), TensorFlow's gradient of igamma with respect to x."""
    return math_ops.exp(-x + (a - 1.0) * math_ops.log(x) - lgamma(a))


def _igamma_forward(a: Tensor, x: Tensor) -> tuple:
    def grad(upstream: Tensor) -> tuple:
        return upstream * igamma_grad_a(a, x), upstream * _dp_dx(a, x)

    return _in_dtype(_lower, a, x, VALUE), grad


def _igammac_forward(a: Tensor, x: Tensor) -> tuple:
    def grad(upstream: Tensor) -> tuple:
        return -upstream * igamma_grad_a(a, x), -upstream * _dp_dx(a, x)

    return _in_dtype(lambda a64, x64: _upper(a64, x64), a, x), grad


_igamma = _custom_gradient(_igamma_forward, pause=True)
_igammac = _custom_gradient(_igammac_forward, pause=True)


def igamma(a: Any, x: Any, name: Optional[str] = None) -> Tensor:
    """The lower regularized incomplete gamma function P(a, x) = gamma(a, x) / Gamma(a), elementwise with
    broadcasting; NaN where a <= 0 or x < 0 (0 at x = 0)."""
    a, x = broadcast_all(*float_operands("igamma", a, x))
    return _igamma(a, x)


def igammac(a: Any, x: Any, name: Optional[str] = None) -> Tensor:
    """The upper regularized incomplete gamma function Q(a, x) = 1 - P(a, x); NaN where a <= 0 or x < 0."""
    a, x = broadcast_all(*float_operands("igammac", a, x))
    return _igammac(a, x)


def igamma_grad_a(a: Any, x: Any) -> Tensor:
    """dP(a, x)/da (TensorFlow's ``IgammaGradA``), forward-mode through the series or continued fraction."""
    a, x = broadcast_all(*float_operands("igamma_grad_a", a, x))
    return _in_dtype(_lower, array_ops.stop_gradient(a), array_ops.stop_gradient(x), DERIVATIVE)


def random_gamma_grad(alpha: Any, sample: Any) -> Tensor:
    """d sample / d alpha for sample ~ Gamma(alpha, 1) held at a fixed CDF value: -(dP/dalpha) / pdf."""
    a, x = broadcast_all(*float_operands("random_gamma_grad", alpha, sample))
    return _in_dtype(_lower, array_ops.stop_gradient(a), array_ops.stop_gradient(x), SAMPLE_DERIVATIVE)

"""The Bessel functions of ``tf.math.special`` that the modified ones (``bessel_i0``...) do not cover:
J0, J1, Y0, Y1 and the modified functions of the second kind K0, K1 (and their scaled forms K0e, K1e).

Cephes' double-precision approximations, which TensorFlow uses: rational functions of x^2 up to |x| = 5
and Hankel's asymptotic form beyond for J and Y; Chebyshev series on [0, 2] and (2, inf) for K. Gradients
are TensorFlow's closed forms (J0' = -J1, K0' = -K1, ...).
"""

from __future__ import annotations

import math

from ..framework.tensor import Tensor
from . import array_ops, math_ops
from ._special_common import INF, chbevl, floats, polevl, select, unary_function
from .math_more_ops import bessel_i0 as _i0
from .math_more_ops import bessel_i1 as _i1

# Hankel expansion P and Q factors: J0/Y0 ...
_PP0 = floats(
    "0.0007969367292973471 0.08283523921074408 1.239533716464143 5.447250030587687 "
    "8.74716500199817 5.303240382353949 1.0 "
)
_PQ0 = floats(
    "0.0009244088105588637 0.08562884743544745 1.2535274390105895 5.470977403304171 "
    "8.761908832370695 5.306052882353947 1.0 "
)
_QP0 = floats(
    "-0.011366383889846916 -1.2825271867050931 -19.553954425773597 -93.20601521237683 "
    "-177.68116798048806 -147.07750515495118 -51.41053267665993 -6.050143506007285 "
)
_QQ0 = floats(
    "1.0 64.3178256118178 856.4300259769806 3882.4018360540163 "
    "7240.467741956525 5930.727011873169 2062.0933166032783 242.0057402402914 "
)
# ... and J1/Y1.
_PP1 = floats(
    "0.0007621256162081731 0.07313970569409176 1.1271960812968493 5.112079511468076 "
    "8.424045901417724 5.214515986823615 1.0 "
)
_PQ1 = floats(
    "0.0005713231280725487 0.06884559087544954 1.105142326340617 5.073863861286015 "
    "8.399855543276042 5.209828486823619 1.0 "
)
_QP1 = floats(
    "0.05108625947501766 4.982138729512334 75.82382841325453 366.7796093601508 "
    "710.8563049989261 597.4896124006136 211.68875710057213 25.207020585802372 "
)
_QQ1 = floats(
    "1.0 74.23732770356752 1056.4488603826283 4986.410583376536 "
    "9562.318924047562 7997.041604473507 2826.1927851763908 336.0936078106983 "
)
# Rational approximations on [0, 5].
_RP0 = floats("-4794432209.782018 1956174919465.5657 -249248344360967.72 9708622510473064.0 ")
_RQ0 = floats(
    "1.0 499.563147152651 173785.4016763747 48440965.83399621 "
    "11185553704.535683 2112775201154.892 310518229857422.56 3.1812195594320496e+16 "
    "1.7108629408104315e+18 "
)
_YP0 = floats(
    "15592.436785523574 -14663929.59039716 5435264770.518765 -982136065717.9115 "
    "87590639439536.7 -3466283033847297.0 4.4273326857256984e+16 -1.8495080043698668e+16 "
)
_YQ0 = floats(
    "1.0 1041.2835366425984 626107.330137135 268919633.39381415 "
    "86400248710.3935 20297961275010.555 3171577528429750.5 2.5059625617265306e+17 "
)
_RP1 = floats("-899971225.7055594 452228297998.19403 -72749424522181.83 3682957328638529.0 ")
_RQ1 = floats(
    "1.0 620.8364781180543 256987.25675774884 83514679.14319493 "
    "22151159547.97925 4749141220799.914 784369607876235.9 8.952223361846274e+16 "
    "5.322786203326801e+18 "
)
_YP1 = floats(
    "1263204747.9017804 -647355876379.1603 114509511541823.73 -8127702555013251.0 "
    "2.024394757135949e+17 -7.788771962659501e+17 "
)
_YQ1 = floats(
    "1.0 594.3015923461282 235564.09294306856 73481194.44597217 "
    "18760131610.870617 3882312774962.3857 620557727146953.8 6.871410873553005e+16 "
    "3.9727060811656064e+18 "
)
_J0_ZEROS_SQ = floats("5.783185962946784 30.471262343662087 ")
_J1_ZEROS_SQ = floats("14.681970642123893 49.2184563216946 ")
# K0 and K1: Chebyshev coefficients on [0, 2] (in x^2 - 2) and (2, inf) (in 8/x - 2).
_K0_A = floats(
    "1.374465435613523e-16 4.25981614279661e-14 1.0349695257633842e-11 1.904516377220209e-09 "
    "2.5347910790261494e-07 2.286212103119452e-05 0.001264615411446926 0.0359799365153615 "
    "0.3442898999246285 -0.5353273932339028 "
)
_K0_B = floats(
    "5.300433772686263e-18 -1.6475804301524212e-17 5.2103915050390274e-17 -1.678231096805412e-16 "
    "5.512055978524319e-16 -1.848593377343779e-15 6.3400764774050706e-15 -2.2275133269916698e-14 "
    "8.032890775363575e-14 -2.9800969231727303e-13 1.140340588208475e-12 -4.514597883373944e-12 "
    "1.8559491149547177e-11 -7.957489244477107e-11 3.577397281400301e-10 -1.69753450938906e-09 "
    "8.574034017414225e-09 -4.660489897687948e-08 2.766813639445015e-07 -1.8317555227191195e-06 "
    "1.39498137188765e-05 -0.00012849549581627802 0.0015698838857300533 -0.0314481013119645 "
    "2.4403030820659555 "
)
_K1_A = floats(
    "-7.023863479386288e-18 -2.427449850519366e-15 -6.666901694199329e-13 -1.4114883926335278e-10 "
    "-2.213387630734726e-08 -2.4334061415659684e-06 -0.0001730288957513052 -0.006975723859639864 "
    "-0.12261118082265715 -0.3531559607765449 1.5253002273389478 "
)
_K1_B = floats(
    "-5.756744483665017e-18 1.7940508731475592e-17 -5.689462558442859e-17 1.838093544366639e-16 "
    "-6.057047248373319e-16 2.038703165624334e-15 -7.019837090418314e-15 2.4771544244813043e-14 "
    "-8.976705182324994e-14 3.3484196660784293e-13 -1.2891739609510289e-12 5.13963967348173e-12 "
    "-2.1299678384275683e-11 9.218315187605006e-11 -4.1903547593418965e-10 2.015049755197033e-09 "
    "-1.0345762465678097e-08 5.7410841254500495e-08 -3.5019606030878126e-07 2.406484947837217e-06 "
    "-1.936197974166083e-05 0.00019521551847135162 -0.002857816859622779 0.10392373657681724 "
    "2.7206261904844427 "
)
_SQ2OPI = math.sqrt(2.0 / math.pi)
_TWOOPI = 2.0 / math.pi


def _hankel(y: Tensor, order: int, sine: bool) -> Tensor:
    """sqrt(2/(pi y)) (P cos(phase) - (5/y) Q sin(phase)) for J (``sine`` False) or the sine form for Y,
    ``y`` > 5 (other elements are replaced by 10 and their values discarded by the caller)."""
    y = select(math_ops.greater(y, 5.0), y, 10.0)
    s = 25.0 / (y * y)
    pp, pq, qp, qq = (_PP0, _PQ0, _QP0, _QQ0) if order == 0 else (_PP1, _PQ1, _QP1, _QQ1)
    p = polevl(s, pp) / polevl(s, pq)
    q = polevl(s, qp) / polevl(s, qq)
    phase = y - (math.pi / 4 if order == 0 else 3 * math.pi / 4)
    w = 5.0 / y
    if sine:
        p = p * math_ops.sin(phase) + w * q * math_ops.cos(phase)
    else:
        p = p * math_ops.cos(phase) - w * q * math_ops.sin(phase)
    return p * _SQ2OPI / math_ops.sqrt(y)


def _j0(x: Tensor) -> Tensor:
    y = math_ops.abs(x)
    z = y * y
    near = (z - _J0_ZEROS_SQ[0]) * (z - _J0_ZEROS_SQ[1]) * polevl(z, _RP0) / polevl(z, _RQ0)
    near = array_ops.where(math_ops.less(y, 1e-5), 1.0 - 0.25 * z, near)
    return array_ops.where(math_ops.less_equal(y, 5.0), near, _hankel(y, 0, sine=False))


def _j1(x: Tensor) -> Tensor:
    y = math_ops.abs(x)
    z = y * y
    near = polevl(z, _RP1) / polevl(z, _RQ1) * x * (z - _J1_ZEROS_SQ[0]) * (z - _J1_ZEROS_SQ[1])
    far = _hankel(y, 1, sine=False)
    far = array_ops.where(math_ops.less(x, 0.0), -far, far)
    return array_ops.where(math_ops.less_equal(y, 5.0), near, far)


def _y0(x: Tensor) -> Tensor:
    z = x * x
    positive = math_ops.greater(x, 0.0)
    xs = select(positive, x, 1.0)
    near = polevl(z, _YP0) / polevl(z, _YQ0) + _TWOOPI * math_ops.log(xs) * _j0(xs)
    near = select(positive, near, -INF)
    return array_ops.where(math_ops.less_equal(x, 5.0), near, _hankel(x, 0, sine=True))


def _y1(x: Tensor) -> Tensor:
    z = x * x
    positive = math_ops.greater(x, 0.0)
    xs = select(positive, x, 1.0)
    near = polevl(z, _YP1) / polevl(z, _YQ1) * xs + _TWOOPI * (_j1(xs) * math_ops.log(xs) - 1.0 / xs)
    near = select(positive, near, -INF)
    return array_ops.where(math_ops.less_equal(x, 5.0), near, _hankel(x, 1, sine=True))


def _k(x: Tensor, order: int, scaled: bool) -> Tensor:
    """K0 / K1 (times e^x when ``scaled``); inf for x <= 0."""
    small = math_ops.less_equal(x, 2.0)
    positive = math_ops.greater(x, 0.0)
    xs = select(math_ops.logical_and(small, positive), x, 1.0)
    if order == 0:
        near = chbevl(xs * xs - 2.0, _K0_A) - math_ops.log(0.5 * xs) * _i0(xs)
    else:
        near = chbevl(xs * xs - 2.0, _K1_A) / xs + math_ops.log(0.5 * xs) * _i1(xs)
    if scaled:
        near = near * math_ops.exp(xs)
    near = select(positive, near, INF)
    xl = select(small, 4.0, x)
    far = chbevl(8.0 / xl - 2.0, _K0_B if order == 0 else _K1_B) / math_ops.sqrt(xl)
    if not scaled:
        far = far * math_ops.exp(-xl)
    return array_ops.where(small, near, far)


def _inverse(x: Tensor) -> Tensor:
    return 1.0 / x


bessel_j0 = unary_function("bessel_j0", _j0, lambda x, y: -bessel_j1(x))
bessel_j1 = unary_function(
    "bessel_j1",
    _j1,
    lambda x, y: select(
        math_ops.equal(x, 0.0), 0.5, bessel_j0(x) - y * _inverse(select(math_ops.equal(x, 0.0), 1.0, x))
    ),
)
bessel_y0 = unary_function("bessel_y0", _y0, lambda x, y: -bessel_y1(x))
bessel_y1 = unary_function("bessel_y1", _y1, lambda x, y: bessel_y0(x) - y / x)
bessel_k0 = unary_function("bessel_k0", lambda x: _k(x, 0, False), lambda x, y: -bessel_k1(x))
bessel_k0e = unary_function("bessel_k0e", lambda x: _k(x, 0, True), lambda x, y: y - bessel_k1e(x))
bessel_k1 = unary_function("bessel_k1", lambda x: _k(x, 1, False), lambda x, y: -bessel_k0(x) - y / x)
bessel_k1e = unary_function("bessel_k1e", lambda x: _k(x, 1, True), lambda x, y: -bessel_k0e(x) - y * (1.0 / x - 1.0))

bessel_j0.__doc__ = "The Bessel function of the first kind of order 0, J0(x)."
bessel_j1.__doc__ = "The Bessel function of the first kind of order 1, J1(x)."
bessel_y0.__doc__ = "The Bessel function of the second kind of order 0, Y0(x); -inf for x <= 0."
bessel_y1.__doc__ = "The Bessel function of the second kind of order 1, Y1(x); -inf for x <= 0."
bessel_k0.__doc__ = "The modified Bessel function of the second kind of order 0, K0(x); inf for x <= 0."
bessel_k0e.__doc__ = "exp(x) K0(x), the exponentially scaled K0."
bessel_k1.__doc__ = "The modified Bessel function of the second kind of order 1, K1(x); inf for x <= 0."
bessel_k1e.__doc__ = "exp(x) K1(x), the exponentially scaled K1."

"""The integrals of ``tf.math.special``: Dawson's integral ``dawsn``, the exponential integral ``expint``
(Ei), the Fresnel integrals ``fresnel_cos``/``fresnel_sin`` and Spence's function ``spence`` (the
dilogarithm Li2(1 - x)), by the Cephes rational approximations TensorFlow uses, with TensorFlow's
closed-form gradients.
"""

from __future__ import annotations

import math

from ..framework.tensor import Tensor
from . import array_ops, math_ops
from ._special_common import NAN, floats, polevl, select, unary_function

_DAWSN_AN = floats(
    "1.1368149897175597e-11 8.492622676674738e-10 1.9443420417555306e-08 9.531517412544844e-07 "
    "3.078283098749132e-06 0.00035251336852028877 -0.0008501498467244109 0.04226182230055466 "
    "-0.09174803717734524 1.0 "
)
_DAWSN_AD = floats(
    "2.403720730667626e-11 1.488646813684934e-09 5.212652810105416e-08 1.2725847827318697e-06 "
    "2.324902498207895e-05 0.00032552474182605793 0.003488058146571626 0.027944853119882897 "
    "0.15887424196012057 0.5749186294893204 1.0 "
)
_DAWSN_BN = floats(
    "0.5089551564179009 -0.24475441814269785 0.09415123353035344 -0.021871125514203903 "
    "0.003662076123295692 -0.0004232091144603888 3.5964130479389666e-05 -2.1464035171996896e-06 "
    "9.100107800763914e-08 -2.4027452082825098e-09 3.592333854409284e-11 "
)
_DAWSN_BD = floats(
    "1.0 -0.6318398698733682 0.2367067882282487 -0.053180636700322324 "
    "0.008480417185862954 -0.0009479967684866654 7.810255929445524e-05 -4.558751532524426e-06 "
    "1.8910035811142186e-07 -4.913246913319206e-09 7.184664032357345e-11 "
)
_DAWSN_CN = floats(
    "-0.5905928605347732 0.6292352427243688 -0.17285897538038814 0.016483704782518965 -0.0004868276130204627 "
)
_DAWSN_CD = floats(
    "1.0 -2.698200571975449 1.7327079904594784 -0.3937085822819395 0.03442789240412334 -0.0009736552260409412 "
)
_EULER = 0.5772156649015329
# Ei(x): x A/B on (0, 2]; then x e^-x Ei(x) - 1 = (1/x) N(1/x) / D(1/x) on [2, 4), [4, 8), [8, 16), [16, 32),
# [32, 64) and [64, inf).
_EI_A = floats(
    "-5.350447357812543 218.50491688166133 -4176.572384826693 55411.76756393557 -331338.13311781443 1592627.1633849454 "
)
_EI_B = floats(
    "1.0 -52.505479591128626 1259.6161867867906 -17565.495819735348 "
    "149306.2117002726 -729494.9239640528 1592627.1633849454 "
)
_EI_TAIL = (
    (
        4.0,
        floats(
            "0.019818085032596897 -1.2716456259849176 -2.0881603356812284 2.7555445091879367 "
            "-0.44095070487016 0.046656238059358916 -0.0015450426796734852 7.059980605299618e-05 "
        ),
        floats(
            "1.0 1.4764986709149215 0.5629177174822436 0.16990178978793072 "
            "0.02291647179034212 0.0044501504397287525 0.00017274396122065214 3.953167195549672e-05 "
        ),
    ),
    (
        8.0,
        floats(
            "-1.3732153758712087 -0.7084559133740839 1.580806855547941 -0.2601500427425623 "
            "0.029946746941137137 -0.001038086040188744 4.371064420753005e-05 2.141783679522603e-06 "
        ),
        floats(
            "1.0 0.8585231423622028 0.4483285822873995 0.07687932158124476 "
            "0.024498682410218877 0.0008832165941927797 0.00045909522995113536 -4.729848351866523e-06 "
            "2.66519553739071e-06 "
        ),
    ),
    (
        16.0,
        floats(
            "-2.1069346016919166 1.7327338696646881 -0.2423619178935842 0.02322724180937566 "
            "0.00023728804404931798 -8.343219561192553e-05 1.3634087956052505e-05 -3.655412321999254e-07 "
            "1.4649417339759612e-08 6.17640786371036e-10 "
        ),
        floats(
            "1.0 -0.2298062239901678 0.11050770414740378 -0.015665429666307924 "
            "0.002761106850817353 -0.00020891480122840484 1.7085289388076754e-05 -4.4593117963566865e-07 "
            "1.3946349303538475e-08 6.150865933977338e-10 "
        ),
    ),
    (
        32.0,
        floats(
            "-0.24581193676740204 -0.14833822533220778 0.07248291795735552 -0.013483156873809405 "
            "0.001342775069788637 -7.942465637159712e-05 2.644179518984236e-06 -4.239473659313765e-08 "
        ),
        floats(
            "1.0 -0.10442259084438711 -0.26764531281014026 0.09695000254621984 "
            "-0.01601745692712991 0.001496414899205908 -8.462452563778485e-05 2.7289384034767266e-06 "
            "-4.239462431819542e-08 "
        ),
    ),
    (
        64.0,
        floats(
            "0.12125611181054567 -0.5823133179043894 0.2348887314557017 -0.030400343181132484 "
            "0.0015100821468651906 -2.5231370954995714e-05 "
        ),
        floats(
            "1.0 -1.002252150365854 0.2928709694872224 -0.03337004338674008 "
            "0.0015605448811273888 -2.5231370936032347e-05 "
        ),
    ),
    (
        math.inf,
        floats(
            "-0.7657847078286127 0.6886192415566705 -0.2132598113545206 0.033461075523841935 "
            "-0.003076541477344756 0.00017471193164549074 -6.1037116822741705e-06 1.218032765428652e-07 "
            "-1.0860761027932903e-09 "
        ),
        floats(
            "1.0 -1.8888028686623086 1.066691687211409 -0.27519159823063805 "
            "0.039308526882338234 -0.003414684558602365 0.00018668443707035555 -6.345146083130515e-06 "
            "1.239754287483207e-07 -1.0860761027931265e-09 "
        ),
    ),
)
_FRESNEL_CN = floats(
    "-4.9884311457357354e-08 9.504280628298596e-06 -0.0006451914356839651 0.018884331939670384 "
    "-0.20552590095501388 1.0 "
)
_FRESNEL_CD = floats(
    "3.99982968972496e-12 9.154392157746574e-10 1.2500186247959882e-07 1.2226278902417902e-05 "
    "0.0008680295429417843 0.04121420907221998 1.0 "
)
_FRESNEL_SN = floats(
    "-2991.8191940101983 708840.0452577386 -62974148.62058625 2548908805.7337637 -44297951805.96978 318016297876.5678 "
)
_FRESNEL_SD = floats(
    "1.0 281.3762688899943 45584.78108065326 5173438.887700964 419320245.8981112 22441179564.534092 607366389490.0846 "
)
_FRESNEL_FN = floats(
    "0.4215435550436775 0.1434079197807589 0.011522095507358577 0.000345017939782574 "
    "4.6361374928786735e-06 3.055689837902576e-08 1.0230451416490724e-10 1.7201074326816183e-13 "
    "1.3428327623306275e-16 3.763297112699879e-20 "
)
_FRESNEL_FD = floats(
    "1.0 0.7515863983533789 0.11688892585919138 0.0064405152650885865 "
    "0.00015593440916415301 1.8462756734893055e-06 1.1269922476399903e-08 3.6014002958937136e-11 "
    "5.887545336215784e-14 4.5200143407412973e-17 1.2544323709001127e-20 "
)
_FRESNEL_GN = floats(
    "0.5044420736433832 0.1971028335255234 0.018764858409257526 0.0006840793809153931 "
    "1.1513882611188428e-05 9.828524436884223e-08 4.4534441586175015e-10 1.0826804113902088e-12 "
    "1.375554606332618e-15 8.363544356306774e-19 1.8695871016278324e-22 "
)
_FRESNEL_GD = floats(
    "1.0 1.4749575992512833 0.33774898912002 0.02536037414203388 "
    "0.0008146791071843061 1.2754507566772912e-05 1.0431458965757199e-07 4.6068072814652043e-10 "
    "1.1027321506624028e-12 1.3879653125957886e-15 8.391588162831187e-19 1.8695871016278324e-22 "
)
_SPENCE_A = floats(
    "4.6512858607399003e-05 0.007315890452380947 0.13384763957830903 0.8796913117545303 "
    "2.7114985119655346 4.256971560081218 3.297713409852251 1.0 "
)
_SPENCE_B = floats(
    "0.0006909904889125533 0.02540437639325444 0.2829748606025681 1.4117259775183106 "
    "3.6380053334513707 5.03278880143317 3.547713409852251 1.0 "
)
_PI2O6 = math.pi * math.pi / 6.0


def _odd(x: Tensor, magnitude: Tensor) -> Tensor:
    return array_ops.where(math_ops.less(x, 0.0), -magnitude, magnitude)


def _dawsn(x: Tensor) -> Tensor:
    ax = math_ops.abs(x)
    x2 = ax * ax
    near = ax * polevl(x2, _DAWSN_AN) / polevl(x2, _DAWSN_AD)
    inv = 1.0 / select(math_ops.equal(ax, 0.0), 1.0, ax)
    inv2 = inv * inv
    middle = 0.5 * (inv2 * polevl(inv2, _DAWSN_BN) / (ax * polevl(inv2, _DAWSN_BD)) + inv)
    far = 0.5 * (inv2 * polevl(inv2, _DAWSN_CN) / (ax * polevl(inv2, _DAWSN_CD)) + inv)
    out = array_ops.where(math_ops.less(ax, 6.25), middle, array_ops.where(math_ops.less(ax, 1e9), far, 0.5 * inv))
    return _odd(x, array_ops.where(math_ops.less(ax, 3.25), near, out))


def _expint(x: Tensor) -> Tensor:
    xs = select(math_ops.greater(x, 0.0), x, 1.0)
    out = x * polevl(x, _EI_A) / polevl(x, _EI_B) + _EULER + math_ops.log(x)
    w = 1.0 / xs
    lower = 2.0
    for upper, numerator, denominator in _EI_TAIL:
        tail = math_ops.exp(xs) * w * (w * polevl(w, numerator) / polevl(w, denominator) + 1.0)
        within = math_ops.logical_and(math_ops.greater_equal(x, lower), math_ops.less(x, upper))
        out = array_ops.where(within, tail, out)
        lower = upper
    out = array_ops.where(math_ops.equal(x, math.inf), x * 0.0, out)  # TensorFlow: NaN at +inf
    return select(math_ops.less(x, 0.0), NAN, out)


def _fresnel(x: Tensor, sine: bool) -> Tensor:
    ax = math_ops.abs(x)
    x2 = ax * ax
    x4 = x2 * x2
    if sine:
        near = ax * x2 * polevl(x4, _FRESNEL_SN) / polevl(x4, _FRESNEL_SD)
    else:
        near = ax * polevl(x4, _FRESNEL_CN) / polevl(x4, _FRESNEL_CD)
    big = math_ops.greater(ax, 36974.0)
    xa = select(math_ops.logical_or(big, math_ops.less(x2, 2.5625)), 2.0, ax)
    xa2 = xa * xa
    t = 1.0 / (math.pi * xa2)
    u = t * t
    f = 1.0 - u * polevl(u, _FRESNEL_FN) / polevl(u, _FRESNEL_FD)
    g = t * polevl(u, _FRESNEL_GN) / polevl(u, _FRESNEL_GD)
    z = (math.pi / 2) * xa2
    c, s = math_ops.cos(z), math_ops.sin(z)
    y = 1.0 / (math.pi * xa)
    far = 0.5 - (f * c + g * s) * y if sine else 0.5 + (f * s - g * c) * y
    out = array_ops.where(math_ops.less(x2, 2.5625), near, far)
    return _odd(x, select(big, 0.5, out))


def _spence(x: Tensor) -> Tensor:
    xs = select(math_ops.greater(x, 0.0), x, 1.0)
    y = array_ops.where(math_ops.less(xs, 2.0), xs, 1.0 / xs)
    w = array_ops.where(math_ops.less(y, 0.5), -y, y - 1.0)
    w = array_ops.where(math_ops.greater(y, 1.5), 1.0 / y - 1.0, w)
    out = -w * polevl(w, _SPENCE_A) / polevl(w, _SPENCE_B)
    z = math_ops.log(y)
    out = array_ops.where(math_ops.less(y, 0.5), -z * math_ops.log1p(-y) + _PI2O6 - out, out)
    out = array_ops.where(math_ops.greater(xs, 1.5), -0.5 * z * z - out, out)
    out = select(math_ops.equal(x, 1.0), 0.0, out)
    out = select(math_ops.equal(x, 0.0), _PI2O6, out)
    out = array_ops.where(math_ops.equal(x, math.inf), x * 0.0, out)
    return select(math_ops.less(x, 0.0), NAN, out)


def _spence_derivative(x: Tensor, y: Tensor) -> Tensor:
    one = math_ops.equal(x, 1.0)
    safe = select(one, 2.0, x)
    return select(one, -1.0, math_ops.log(safe) / (1.0 - safe))


dawsn = unary_function("dawsn", _dawsn, lambda x, y: 1.0 - 2.0 * x * y)
expint = unary_function("expint", _expint, lambda x, y: math_ops.exp(x) / x)
fresnel_cos = unary_function(
    "fresnel_cos", lambda x: _fresnel(x, False), lambda x, y: math_ops.cos(0.5 * math.pi * x * x)
)
fresnel_sin = unary_function(
    "fresnel_sin", lambda x: _fresnel(x, True), lambda x, y: math_ops.sin(0.5 * math.pi * x * x)
)
spence = unary_function("spence", _spence, _spence_derivative)

dawsn.__doc__ = "Dawson's integral exp(-x^2) * integral of exp(t^2) from 0 to x."
expint.__doc__ = "The exponential integral Ei(x); NaN for x < 0, -inf at 0."
fresnel_cos.__doc__ = "The Fresnel cosine integral: integral of cos(pi t^2 / 2) from 0 to x."
fresnel_sin.__doc__ = "The Fresnel sine integral: integral of sin(pi t^2 / 2) from 0 to x."
spence.__doc__ = "Spence's function: integral of log(t) / (1 - t) from 1 to x; NaN for x < 0."

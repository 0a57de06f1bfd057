"""``tf.math.special``: the special functions TensorFlow groups there (Bessel functions, Dawson's, Fresnel's
and Spence's integrals, the exponential integral)."""

from ferroflow._api import public_dir as _public_dir

from .bessel_ops import (  # noqa: F401
    bessel_j0,
    bessel_j1,
    bessel_k0,
    bessel_k0e,
    bessel_k1,
    bessel_k1e,
    bessel_y0,
    bessel_y1,
)
from .math_more_ops import bessel_i0, bessel_i0e, bessel_i1, bessel_i1e  # noqa: F401
from .special_integral_ops import dawsn, expint, fresnel_cos, fresnel_sin, spence  # noqa: F401

__dir__ = _public_dir(globals())

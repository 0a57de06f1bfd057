"""Inverse trigonometric and hyperbolic functions, ``atan2`` and the special functions of ``tf.math``.

The core computes each in float64 (float32 inputs are widened and rounded once); the compositions below
(``lbeta``, ``ndtri``, ``erfcinv``) differentiate through the functions they are made of.
"""

from __future__ import annotations

import math
from typing import Any, Optional

from ..framework.ops import convert_to_tensor
from ..framework.sparse_tensor import on_values as _on_values
from ..framework.tensor import Tensor
from .math_ops import _binary, _unary, reduce_sum

asin = _unary("asin", "Inverse sine, in [-pi/2, pi/2]; NaN outside [-1, 1].")
acos = _unary("acos", "Inverse cosine, in [0, pi]; NaN outside [-1, 1].")
atan = _unary("atan", "Inverse tangent, in (-pi/2, pi/2).")
sinh = _unary("sinh", "Hyperbolic sine.")
cosh = _unary("cosh", "Hyperbolic cosine.")
asinh = _unary("asinh", "Inverse hyperbolic sine.")
acosh = _unary("acosh", "Inverse hyperbolic cosine; NaN below 1.")
atanh = _unary("atanh", "Inverse hyperbolic tangent; +-inf at +-1, NaN outside [-1, 1].")
erf = _on_values(_unary("erf", "The error function, 2/sqrt(pi) times the integral of exp(-t^2) from 0 to x."))
erfc = _unary("erfc", "1 - erf(x), accurate where erf(x) is close to 1.")
erfinv = _unary("erfinv", "The inverse of erf on (-1, 1); +-inf at +-1.")
lgamma = _unary("lgamma", "log |Gamma(x)|; +inf at zero and the negative integers.")
digamma = _unary("digamma", "The derivative of lgamma, psi(x).")
atan2 = _binary("atan2", "atan2(y, x): the angle of the point (x, y) in (-pi, pi], elementwise with broadcasting.")


def lbeta(x: Any, name: Optional[str] = None) -> Tensor:
    """log |Beta(x)| over the last axis: ``sum(lgamma(x)) - lgamma(sum(x))``."""
    x = convert_to_tensor(x)
    return reduce_sum(lgamma(x), axis=-1) - lgamma(reduce_sum(x, axis=-1))


def ndtri(x: Any, name: Optional[str] = None) -> Tensor:
    """The inverse of the standard normal CDF: ``sqrt(2) * erfinv(2x - 1)``."""
    x = convert_to_tensor(x)
    return erfinv(x * 2.0 - 1.0) * math.sqrt(2.0)


def erfcinv(x: Any, name: Optional[str] = None) -> Tensor:
    """The inverse of erfc on (0, 2): ``erfinv(1 - x)``."""
    x = convert_to_tensor(x)
    return erfinv(1.0 - x)

"""The standard normal CDF from elementary ops, for the exact ``gelu``.

There is no ``erf`` kernel, so ``erfc`` comes from the Chebyshev fit of Numerical Recipes (``erfcc``,
Press et al., 2nd ed., section 6.2), whose *relative* error is below 1.2e-7 for every argument. Working
with ``erfc`` instead of ``erf`` keeps the lower tail accurate: ``gelu(-5)`` is about -1.4e-6, and an
``erf`` that is only accurate in absolute terms would get it wrong by a quarter.
"""

from __future__ import annotations

import math

from ..framework.tensor import Tensor
from ..ops import array_ops, math_ops

# Coefficients of the fitted polynomial in t, constant term first.
_ERFC_COEFFS = (
    -1.26551223,
    1.00002368,
    0.37409196,
    0.09678418,
    -0.18628806,
    0.27886807,
    -1.13520398,
    1.48851587,
    -0.82215223,
    0.17087277,
)


def _erfc_nonneg(z: Tensor) -> Tensor:
    """``erfc(z)`` for ``z >= 0``."""
    t = math_ops.reciprocal(math_ops.add(math_ops.multiply(z, 0.5), 1.0))
    poly = math_ops.multiply(t, _ERFC_COEFFS[-1])
    for c in reversed(_ERFC_COEFFS[1:-1]):
        poly = math_ops.multiply(t, math_ops.add(poly, c))
    poly = math_ops.add(poly, _ERFC_COEFFS[0])
    return math_ops.multiply(t, math_ops.exp(math_ops.subtract(poly, math_ops.square(z))))


def erfc(x: Tensor) -> Tensor:
    """``1 - erf(x)``, using ``erfc(-z) = 2 - erfc(z)`` for negative arguments."""
    positive = math_ops.greater_equal(x, 0.0)
    # |x| through where, so the gradient at 0 is the one-sided derivative rather than 0.
    y = _erfc_nonneg(array_ops.where(positive, x, math_ops.negative(x)))
    return array_ops.where(positive, y, math_ops.subtract(2.0, y))


def erf(x: Tensor) -> Tensor:
    """The error function, with absolute error below 1.2e-7."""
    return math_ops.subtract(1.0, erfc(x))


def normal_cdf(x: Tensor) -> Tensor:
    """``P(X <= x)`` for a standard normal ``X``: ``0.5 * erfc(-x / sqrt(2))``."""
    return math_ops.multiply(erfc(math_ops.multiply(x, -1.0 / math.sqrt(2.0))), 0.5)

"""Shared pieces of the special functions (``special_functions_*``, ``igamma_ops``, ``betainc_ops``,
``zeta_ops``): argument conversion with TensorFlow's dtype rules, polynomial and Chebyshev evaluation,
elementwise functions with a closed-form derivative, and a masked convergence loop.

Every function is computed in float64 from ferroflow ops (so it runs eagerly and in graphs) and rounded once
to the input's dtype. Iterative expansions run in ``tf.while_loop`` until every element has converged: the
loop stops as soon as the slowest element is done, and elements that are done no longer change.
"""

from __future__ import annotations

from typing import Any, Callable, List, Sequence, Tuple

import numpy as np

from ..framework.custom_gradient import _custom_gradient
from ..framework.ops import _is_python_number, convert_to_tensor
from ..framework.tensor import Tensor
from ..framework.variables import Variable
from . import array_ops, math_ops
from .math_derived_ops import reduce_any

MACHEP = float(np.finfo(np.float64).eps / 2)  # 1 - MACHEP == 1
BIG = float(1.0 / np.finfo(np.float64).eps)
BIGINV = float(np.finfo(np.float64).eps)
MAXLOG = float(np.log(np.finfo(np.float64).max))
INF = float("inf")
NAN = float("nan")


def float_operands(op: str, *values: Any) -> List[Tensor]:
    """``values`` as tensors of one float dtype: Python numbers take the dtype of the first tensor among
    them (of the first value when none is a tensor); anything else must already agree (TypeError)."""
    anchor = next((v for v in values if isinstance(v, (Tensor, Variable))), None)
    dtype = convert_to_tensor(values[0]).dtype if anchor is None else anchor.dtype
    out = [convert_to_tensor(v, dtype=dtype) if _is_python_number(v) else convert_to_tensor(v) for v in values]
    for t in out:
        if not t.dtype.is_floating:
            raise TypeError(f"{op} expects float32 or float64 tensors, received {t.dtype.name}")
        if t.dtype != out[0].dtype:
            raise TypeError(f"{op} expects all inputs of one dtype, received {out[0].dtype.name} and {t.dtype.name}")
    return out


def f64(x: Tensor) -> Tensor:
    return x if x.dtype.name == "float64" else array_ops.cast(x, "float64")


def broadcast_all(*xs: Tensor) -> List[Tensor]:
    """The tensors broadcast against each other (adding zeros, so gradients reduce back by themselves)."""
    zero = None
    for x in xs:
        z = array_ops.zeros_like(x)
        zero = z if zero is None else zero + z
    return [x + zero for x in xs]


def full_like(x: Tensor, value: float) -> Tensor:
    return array_ops.zeros_like(x) + value


def select(cond: Tensor, x: Any, y: Any) -> Tensor:
    """``tf.where`` where either branch may be a Python number (both numbers: float64, shaped as ``cond``)."""
    if not isinstance(x, Tensor) and not isinstance(y, Tensor):
        x = full_like(array_ops.cast(cond, "float64"), float(x))
    if not isinstance(x, Tensor):
        x = full_like(y, float(x))
    if not isinstance(y, Tensor):
        y = full_like(x, float(y))
    return array_ops.where(cond, x, y)


def is_integer(x: Tensor) -> Tensor:
    return math_ops.logical_and(math_ops.equal(math_ops.floor(x), x), math_ops.is_finite(x))


def polevl(x: Tensor, coefficients: Sequence[float]) -> Tensor:
    """sum c[i] x^(n-i): the polynomial with the highest power first (Horner's rule)."""
    acc = full_like(x, coefficients[0])
    for c in coefficients[1:]:
        acc = acc * x + c
    return acc


def chbevl(x: Tensor, coefficients: Sequence[float]) -> Tensor:
    """The Chebyshev series sum' c[i] T_i(x/2), coefficients in reverse order (Clenshaw's recurrence)."""
    b0 = full_like(x, coefficients[0])
    b1 = array_ops.zeros_like(x)
    b2 = b1
    for c in coefficients[1:]:
        b2 = b1
        b1 = b0
        b0 = x * b1 - b2 + c
    return 0.5 * (b0 - b2)


def unary_function(op: str, value: Callable, derivative: Callable) -> Callable:
    """A public elementwise function: ``value(x64)`` in float64, rounded to the input's dtype, whose gradient
    is ``upstream * derivative(x)`` (``x`` in the input's dtype), as TensorFlow defines it."""

    def forward(x: Tensor) -> tuple:
        x64 = f64(x)
        y = array_ops.where(math_ops.is_nan(x64), x64, value(x64))
        y = y if x.dtype.name == "float64" else array_ops.cast(y, x.dtype)

        def grad(upstream: Tensor) -> Tensor:
            return upstream * derivative(x, y)

        return y, grad

    differentiable = _custom_gradient(forward, pause=True)

    def fn(x: Any, name: Any = None) -> Tensor:
        (t,) = float_operands(op, x)
        return differentiable(t)

    fn.__name__ = op
    return fn


def converge(step: Callable[..., Tuple[list, Tensor]], state: list, done: Tensor, max_iterations: int) -> list:
    """Repeats ``state, finished = step(*state)`` for the elements not yet ``done`` (their new values are
    kept, done elements keep theirs) until all are done or after ``max_iterations`` steps."""
    from .control_flow_ops import while_loop

    def cond(i: Tensor, finished: Tensor, *values: Tensor) -> Tensor:
        return math_ops.logical_and(math_ops.less(i, max_iterations), reduce_any(math_ops.logical_not(finished)))

    def body(i: Tensor, finished: Tensor, *values: Tensor) -> tuple:
        new, now_done = step(*values)
        kept = [array_ops.where(finished, old, fresh) for old, fresh in zip(values, new)]
        return (i + 1, math_ops.logical_or(finished, now_done), *kept)

    out = while_loop(cond, body, [convert_to_tensor(0), done, *state])
    return list(out[2:])


def floats(text: str) -> Tuple[float, ...]:
    """A coefficient table written as whitespace-separated numbers."""
    return tuple(float(v) for v in text.split())

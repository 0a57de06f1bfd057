"""``tf.linalg.sqrtm``: the principal square root of real square matrices (batched).

Computed by the scaled product form of the Denman-Beavers iteration (Higham, *Functions of Matrices*,
(6.29)): M_0 = Y_0 = A, then with mu = |det M|^(-1/(2n))

    Y <- mu Y (I + M^-1 / mu^2) / 2,    M <- (I + (mu^2 M + M^-1 / mu^2) / 2) / 2,

until M = I, when Y = A^(1/2). It converges quadratically for every matrix without eigenvalues on the
closed negative real axis, so for the matrices with a real principal square root; the others (a negative
real eigenvalue) get NaN, as TensorFlow returns. Built of ``inv``, ``matmul`` and ``slogdet`` inside a
``tf.while_loop`` in float64, so it runs in graphs and its gradient flows through the iteration.
"""

from __future__ import annotations

import math
from typing import Any, Optional

import numpy as np

from .._core import InvalidArgumentError
from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor
from . import array_ops, math_ops
from .control_flow_ops import while_loop
from .linalg_ops import inv, slogdet
from .math_derived_ops import reduce_any

_MAX_ITERATIONS = 100
_SCALED_UNTIL = 1e-2  # determinant scaling helps far from convergence; near it, plain steps converge faster
_NOT_CONVERGED = 1e-6


def _check(a: Tensor) -> tuple:
    if not a.dtype.is_floating:
        raise TypeError(f"sqrtm expects float32 or float64 matrices, received {a.dtype.name}")
    dims = a.shape.as_list() if a.shape.rank is not None else None
    if dims is None or len(dims) < 2:
        raise InvalidArgumentError(f"sqrtm expects a tensor of rank >= 2 ([..., n, n]), received shape {a.shape}")
    if None not in dims[-2:] and dims[-1] != dims[-2]:
        raise InvalidArgumentError(f"Input matrix must be square: sqrtm received shape {a.shape}")
    if None in dims:  # the inverse it is built of unrolls over the matrix size and the batch
        raise ValueError(f"sqrtm needs a shape known when the graph is built, received {a.shape}")
    return dims, dims[-1]


def _frobenius(x: Tensor) -> Tensor:
    """The Frobenius norm of each matrix, shaped [..., 1, 1] to scale the matrices by."""
    return math_ops.sqrt(math_ops.reduce_sum(math_ops.square(x), axis=[-2, -1], keepdims=True))


def sqrtm(input: Any, name: Optional[str] = None) -> Tensor:  # noqa: A002
    """The principal square root X of each matrix A in ``input`` ([..., n, n]): X @ X = A. NaN for a
    matrix with a negative real eigenvalue (no real principal square root)."""
    a = convert_to_tensor(input)
    dims, n = _check(a)
    if n == 0 or 0 in dims:
        return array_ops.identity(a)
    x = array_ops.cast(a, "float64") if a.dtype.name != "float64" else a
    eye = convert_to_tensor(np.eye(n))
    # Converged once ||M - I||_F is at rounding level for a matrix of this size.
    tolerance = 10.0 * n * float(np.finfo(np.float64).eps)

    def not_done(i: Tensor, y: Tensor, m: Tensor, err: Tensor) -> Tensor:
        return math_ops.logical_and(math_ops.less(i, _MAX_ITERATIONS), reduce_any(math_ops.greater(err, tolerance)))

    def step(i: Tensor, y: Tensor, m: Tensor, err: Tensor) -> tuple:
        m_inv = inv(m)
        _, log_abs_det = slogdet(m)
        log_abs_det = array_ops.expand_dims(array_ops.expand_dims(log_abs_det, -1), -1)  # [..., 1, 1] as err
        mu = math_ops.exp(log_abs_det * (-1.0 / (2 * n)))
        mu = array_ops.where(math_ops.greater(err, _SCALED_UNTIL), mu, array_ops.ones_like(mu))
        mu2 = mu * mu
        y_next = mu * math_ops.matmul(y, eye + m_inv / mu2) * 0.5
        m_next = (eye + (mu2 * m + m_inv / mu2) * 0.5) * 0.5
        # Batch members already converged keep their values.
        done = math_ops.less_equal(err, tolerance)
        y_next = array_ops.where(done, y, y_next)
        m_next = array_ops.where(done, m, m_next)
        return i + 1, y_next, m_next, array_ops.where(done, err, _frobenius(m_next - eye))

    start_err = array_ops.ones_like(_frobenius(x)) * math.inf
    _, y, m, err = while_loop(not_done, step, [convert_to_tensor(0), x, x, start_err])
    failed = math_ops.logical_not(math_ops.less_equal(err, _NOT_CONVERGED))  # NaN too
    y = array_ops.where(failed, array_ops.zeros_like(y) + math.nan, y)
    return y if a.dtype.name == "float64" else array_ops.cast(y, a.dtype)

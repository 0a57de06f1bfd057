"""``keras.ops``'s linear algebra (``keras.ops.linalg``): factorizations, solves, inverses and determinants
with Keras 3's signatures."""

from __future__ import annotations

from typing import Any, List

import numpy as np

from .. import _core
from ..debugging import check_numerics as _check_numerics
from ..framework.custom_gradient import custom_gradient as _custom_gradient
from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor
from ..ops import array_ops as _array
from ..ops import complex_ops as _complex_ops
from ..ops import decomposition_ops as _decomp
from ..ops import linalg_more_ops as _linalg_more
from ..ops import linalg_ops as _linalg
from ..ops import math_ops as _math
from ..ops.host_op import host_op as _host_op
from ._ops_linalg_2 import _assert_2d, lstsq, matrix_rank, pinv, qr, svd

__all__ = [
    "cholesky",
    "cholesky_inverse",
    "det",
    "eig",
    "eigh",
    "inv",
    "logdet",
    "lstsq",
    "lu_factor",
    "matrix_rank",
    "pinv",
    "qr",
    "slogdet",
    "solve",
    "solve_triangular",
    "svd",
]


def _assert_square(x: Tensor) -> None:
    m, n = x.shape.as_list()[-2:]
    if m != n:
        raise ValueError(f"Expected a square matrix. Received non-square input with shape {tuple(x.shape.as_list())}")


def _assert_1d(x: Tensor) -> None:
    if x.shape.rank is not None and x.shape.rank < 1:
        raise ValueError(f"Expected input to have rank >= 1. Received scalar input {x}.")


def _assert_a_b_compat(a: Tensor, b: Tensor) -> None:
    a_dims, b_dims = a.shape.as_list(), b.shape.as_list()
    if len(a_dims) == len(b_dims):
        if a_dims[-2] != b_dims[-2]:
            raise ValueError(
                "Incompatible shapes between `a` and `b`. Expected `a.shape[-2] == b.shape[-2]`. "
                f"Received: a.shape={tuple(a_dims)}, b.shape={tuple(b_dims)}"
            )
    elif len(a_dims) == len(b_dims) + 1 and a_dims[-1] != b_dims[-1]:
        # b is a (batch of) vector(s), solved as one column: TensorFlow's kernels reject the mismatch.
        raise _core.InvalidArgumentError("Input matrix and rhs are incompatible.")


def _square_input(x: Any) -> Tensor:
    x = convert_to_tensor(x)
    _assert_2d(x)
    _assert_square(x)
    return x


def _eye_like(x: Tensor) -> Tensor:
    # By broadcasting, so that leading dimensions unknown until the graph runs are fine.
    return _array.zeros_like(x) + np.eye(x.shape[-1], dtype=x.dtype.as_numpy_dtype)


def cholesky(x: Any, upper: bool = False) -> Tensor:
    """The Cholesky factor of symmetric positive-definite matrices ``(..., M, M)``: lower triangular (``L @ L^T
    = x``), or its transpose with ``upper=True``. A matrix that is not positive definite raises ``ValueError``."""
    x = _square_input(x)
    try:
        # The factorization takes square roots of non-positive pivots as NaN: that is the failure signal.
        out = _check_numerics(_linalg.cholesky(x), "Cholesky")
    except Exception as e:  # noqa: BLE001 - Keras reports every failure of the factorization as ValueError
        raise ValueError(f"Cholesky decomposition failed: {e}") from e
    return _linalg.matrix_transpose(out) if upper else out


def cholesky_inverse(x: Any, upper: bool = False) -> Tensor:
    """The inverse of ``A`` from its Cholesky factor ``x`` (lower: ``A = x @ x^T``; ``upper=True``: ``A = x^T @ x``)."""
    x = _square_input(x)
    try:
        inv_chol = _linalg.triangular_solve(x, _eye_like(x), lower=not upper)
    except Exception as e:  # noqa: BLE001 - as Keras, any failure is reported as ValueError
        raise ValueError(f"Cholesky inverse failed: {e}") from e
    if upper:
        return _math.matmul(inv_chol, inv_chol, transpose_b=True)
    return _math.matmul(inv_chol, inv_chol, transpose_a=True)


def det(x: Any) -> Tensor:
    """The determinants of square matrices ``(..., M, M)``, shape ``(...)``."""
    return _linalg.det(_square_input(x))


def _invertible(result: Tensor, message: str) -> Tensor:
    """``result`` of an LU solve, raising ``InvalidArgumentError`` (as TensorFlow's kernels do) where a zero
    pivot made it infinite; checked each time a graph runs, too."""
    try:
        return _check_numerics(result, message)
    except _core.InvalidArgumentError as e:
        raise _core.InvalidArgumentError(message) from e


def inv(x: Any) -> Tensor:
    """The inverses of square matrices ``(..., M, M)``; a singular matrix raises ``InvalidArgumentError``."""
    return _invertible(_linalg.inv(_square_input(x)), "Input is not invertible.")


def slogdet(x: Any) -> tuple:
    """``(sign, logabsdet)`` of the determinants of square matrices: ``sign`` is -1, 0 or 1 and
    ``logabsdet`` is ``log|det|`` (``-inf`` for a singular matrix)."""
    x = _square_input(x)
    return tuple(_linalg.slogdet(x))


def logdet(x: Any) -> Tensor:
    """``log(det(x))`` of symmetric positive-definite matrices, from their Cholesky factors."""
    return _linalg.logdet(convert_to_tensor(x))


def _solve_operands(a: Any, b: Any) -> tuple:
    """``(a, rhs, vector)`` of a solve, its operands checked as Keras checks them: ``b`` as ``(..., M, K)`` in
    ``a``'s dtype, and whether it was a vector ``(..., M)`` to squeeze back."""
    a, b = convert_to_tensor(a), convert_to_tensor(b)
    _assert_2d(a)
    _assert_square(a)
    _assert_1d(b)
    _assert_a_b_compat(a, b)
    vector = b.shape.rank == a.shape.rank - 1
    rhs = _array.expand_dims(b, -1) if vector else b
    return a, _array.cast(rhs, a.dtype) if rhs.dtype != a.dtype else rhs, vector


def solve(a: Any, b: Any) -> Tensor:
    """``x`` with ``a @ x = b`` for square ``a`` ``(..., M, M)`` and ``b`` ``(..., M)`` or ``(..., M, K)``; a
    singular ``a`` raises ``InvalidArgumentError``."""
    a, rhs, vector = _solve_operands(a, b)
    x = _linalg.solve(a, rhs)
    x = _invertible(x, "Input matrix is not invertible.")
    return _array.squeeze(x, -1) if vector else x


def solve_triangular(a: Any, b: Any, lower: bool = False) -> Tensor:
    """``x`` with ``a @ x = b`` for triangular ``a`` (upper unless ``lower=True``; the other triangle is not
    read) and ``b`` ``(..., M)`` or ``(..., M, K)``."""
    a, rhs, vector = _solve_operands(a, b)
    x = _linalg.triangular_solve(a, rhs, lower=lower)
    return _array.squeeze(x, -1) if vector else x


def lu_factor(x: Any) -> tuple:
    """``(lu, pivots)``: ``L`` (unit lower, below the diagonal) and ``U`` packed in one matrix, and the row
    permutation as TensorFlow's backend of Keras gives it (the inverse of ``tf.linalg.lu``'s, int32)."""
    x = convert_to_tensor(x)
    _assert_2d(x)
    try:
        _assert_square(x)
    except ValueError as e:
        raise ValueError(
            f"LU decomposition failed: {e}. LU decomposition is only supported for square matrices in Tensorflow."
        ) from e
    lu, perm = _linalg_more.lu(x)
    n = x.shape[-1]
    # inverse[perm[j]] = j, batched: the permutation matrix's rows weighted by their index.
    one_hot = _array.one_hot(perm, n, dtype="float32")
    index = convert_to_tensor(np.arange(n, dtype=np.float32))
    inverse = _math.reduce_sum(one_hot * _array.expand_dims(index, -1), axis=-2)
    return lu, _array.stop_gradient(_array.cast(_math.round(inverse), "int32"))


def eigh(x: Any) -> tuple:
    """``(eigenvalues, eigenvectors)`` of symmetric matrices: ascending eigenvalues ``(..., M)`` and the
    matching unit eigenvectors as the columns of ``(..., M, M)``."""
    x = _square_input(x)
    return tuple(_decomp.eigh(x))


def _eig_gradient(arrays: List[np.ndarray]) -> list:
    """TensorFlow's gradient of ``Eig`` for real input (distinct eigenvalues), from the input and the
    gradients of the real and imaginary parts of ``(w, v)``; the factorization is recomputed, as it is
    deterministic."""
    a, grad_wr, grad_wi, grad_vr, grad_vi = arrays
    w, v = np.linalg.eig(a)
    grad_w, grad_v = grad_wr + 1j * grad_wi, grad_vr + 1j * grad_vi
    vt = np.conj(np.swapaxes(v, -1, -2))
    n = a.shape[-1]
    off_diagonal = 1.0 - np.eye(n)
    diff = w[..., None, :] - w[..., :, None]  # [i, j] = w_j - w_i
    f = np.conj(off_diagonal * diff / (diff * diff + 1e-20))
    vgv = vt @ grad_v
    diag_real = np.eye(n) * np.real(np.diagonal(vgv, axis1=-2, axis2=-1))[..., None, :]
    mid = np.eye(n) * grad_w[..., None, :] + f * (vgv - (vt @ v) @ diag_real)
    return [np.real(np.linalg.solve(vt, mid @ vt))]


def eig(x: Any) -> tuple:
    """``(eigenvalues, eigenvectors)`` of general square matrices, complex (complex64 for float32 input,
    complex128 for float64): ``x @ v[..., :, i] = w[..., i] * v[..., :, i]`` with unit-norm columns."""
    x = _square_input(x)
    if not x.dtype.is_floating:
        raise TypeError(f"eig expects float32 or float64 matrices, received {x.dtype.name}")
    dims = x.shape.as_list()
    real_dtype = x.dtype.name
    # LAPACK's geev through NumPy (a host call in graphs), its complex results carried as real and imaginary
    # parts so that the gradient rule receives one real gradient per part.

    def compute(arrays: List[np.ndarray]) -> list:
        w, v = np.linalg.eig(arrays[0])
        return [w.real, w.imag, v.real, v.imag]

    @_custom_gradient
    def parts(a: Tensor) -> tuple:
        outputs = [(real_dtype, dims[:-1])] * 2 + [(real_dtype, dims)] * 2
        values = _host_op("Eig", compute, [a], outputs)

        def grad(*upstream: Any) -> Tensor:
            grads = [_array.zeros_like(t) if g is None else g for g, t in zip(upstream, values)]
            return _host_op("EigGrad", _eig_gradient, [a, *grads], [(real_dtype, dims)])[0]

        return tuple(values), grad

    wr, wi, vr, vi = parts(x)
    return _complex_ops.complex(wr, wi), _complex_ops.complex(vr, vi)

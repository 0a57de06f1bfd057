"""``tf.linalg`` for small and medium matrices, written as sequences of core ops so that every result has a
gradient, eagerly and in graphs: LU with partial pivoting (``det``, ``slogdet``, ``solve``, ``inv``),
Cholesky, triangular and Cholesky solves, and the structural helpers (``trace``, ``diag``, ``band_part`` ...).

Each factorization takes one step of whole-matrix ops per column (n steps for an n x n matrix), batched
over leading dimensions: meant for the matrices of models and guides (up to a few hundred rows), not as a
replacement for LAPACK on large systems.
"""

from __future__ import annotations

from typing import Any, List, Optional

import numpy as np

from ..framework.ops import apply, convert_to_tensor
from ..framework.tensor import Tensor
from .array_ops import cast, concat, expand_dims, one_hot, ones_like, squeeze, where, zeros_like
from .linalg_diag_ops import diag, diag_part, set_diag  # noqa: F401  (tf.linalg names kept importable from here)
from .math_ops import abs as tf_abs
from .math_ops import argmax, log, matmul, reduce_prod, reduce_sum, sign, sqrt


def _square(x: Any, op: str) -> tuple:
    t = convert_to_tensor(x)
    dims = t.shape.as_list() if t.shape.rank is not None else None
    if dims is None or len(dims) < 2 or dims[-1] != dims[-2] or None in dims[-2:]:
        raise ValueError(f"{op} expects square matrices [..., n, n], received shape {t.shape}")
    if not t.dtype.is_floating:
        raise TypeError(f"{op} expects float32 or float64 matrices, received {t.dtype.name}")
    return t, dims


def _cols(t: Tensor, start: int, stop: Optional[int]) -> Tensor:
    rank = len(t.shape)
    specs = [("range", None, None, 1)] * (rank - 1) + [("range", start, stop, 1)]
    return apply("strided_slice", [t], {"specs": specs})


def _rows(t: Tensor, start: int, stop: Optional[int]) -> Tensor:
    rank = len(t.shape)
    specs = [("range", None, None, 1)] * (rank - 2) + [("range", start, stop, 1), ("range", None, None, 1)]
    return apply("strided_slice", [t], {"specs": specs})


def matrix_transpose(a: Any, name: Optional[str] = None, conjugate: bool = False) -> Tensor:
    """Swaps the last two dimensions."""
    t = convert_to_tensor(a)
    rank = len(t.shape)
    if rank < 2:
        raise ValueError(f"matrix_transpose expects rank >= 2, received shape {t.shape}")
    return apply("transpose", [t], {"perm": list(range(rank - 2)) + [rank - 1, rank - 2]})


def trace(x: Any, name: Optional[str] = None) -> Tensor:
    """The sum of the main diagonal of the last two dimensions."""
    return reduce_sum(diag_part(x), axis=-1)


def band_part(input: Any, num_lower: int, num_upper: int, name: Optional[str] = None) -> Tensor:  # noqa: A002
    """Keeps ``num_lower`` diagonals below and ``num_upper`` above the main one (negative: all), zeros the rest."""
    t = convert_to_tensor(input)
    rows, cols = t.shape.as_list()[-2:]
    i, j = np.arange(rows)[:, None], np.arange(cols)[None, :]
    keep = ((num_lower < 0) | (i - j <= num_lower)) & ((num_upper < 0) | (j - i <= num_upper))
    return where(keep, t, zeros_like(t))


def matvec(a: Any, b: Any, transpose_a: bool = False, adjoint_a: bool = False, name: Optional[str] = None) -> Tensor:
    """Matrix times vector over the last dimensions: ``a @ b[..., None]`` without the trailing axis."""
    out = matmul(a, expand_dims(convert_to_tensor(b), -1), transpose_a=transpose_a or adjoint_a)
    return apply("squeeze", [out], {"axis": -1})


def _lu(a: Tensor, n: int, rhs: Optional[Tensor] = None) -> tuple:
    """Gaussian elimination with partial pivoting: (U, the product of the row swaps' signs, rhs after the
    same row operations). The pivot choice is not differentiated (as in LAPACK-based gradients)."""
    dtype = a.dtype.as_numpy_dtype
    swap_sign = None
    for k in range(n - 1):
        col = tf_abs(_cols(_rows(a, k, None), k, k + 1))  # [..., n-k, 1]
        pivot = argmax(squeeze(col, [-1]), axis=-1) + k  # [...]
        # The permutation exchanging rows k and pivot, as a matrix (identity when pivot == k).
        e_k = np.eye(n, dtype=dtype)[k]
        e_p = one_hot(pivot, n, dtype=a.dtype)
        swap = np.eye(n, dtype=dtype) - expand_dims(e_k - e_p, -1) * expand_dims(e_k - e_p, -2)
        a = matmul(swap, a)
        if rhs is not None:
            rhs = matmul(swap, rhs)
        moved = cast(pivot, "int64") - k
        flip = where(moved > 0, convert_to_tensor(np.asarray(-1, dtype)), convert_to_tensor(np.asarray(1, dtype)))
        swap_sign = flip if swap_sign is None else swap_sign * flip
        top, row_k, below = _rows(a, 0, k), _rows(a, k, k + 1), _rows(a, k + 1, None)
        # A zero pivot means the whole column below is zero too: nothing to eliminate (not 0/0).
        pivot_value = _cols(row_k, k, k + 1)
        safe_pivot = where(tf_abs(pivot_value) > 0, pivot_value, pivot_value + 1)
        factors = _cols(below, k, k + 1) / safe_pivot  # [..., n-k-1, 1]
        a = concat([top, row_k, below - factors * row_k], -2)
        if rhs is not None:
            r_top, r_k, r_below = _rows(rhs, 0, k), _rows(rhs, k, k + 1), _rows(rhs, k + 1, None)
            rhs = concat([r_top, r_k, r_below - factors * r_k], -2)
    if swap_sign is None:
        swap_sign = ones_like(squeeze(_cols(_rows(a, 0, 1), 0, 1), [-2, -1]))  # leading dims may be unknown
    return a, swap_sign, rhs


def det(input: Any, name: Optional[str] = None) -> Tensor:  # noqa: A002
    """Determinants of square matrices (batched over leading dimensions)."""
    a, dims = _square(input, "det")
    n = dims[-1]
    if n == 0:
        return convert_to_tensor(np.ones(dims[:-2], a.dtype.as_numpy_dtype))
    u, swap_sign, _ = _lu(a, n)
    return swap_sign * reduce_prod(diag_part(u), axis=-1)


def slogdet(input: Any, name: Optional[str] = None) -> tuple:  # noqa: A002
    """``(sign, log|det|)`` of square matrices, without the overflow of ``det`` for large ones."""
    a, dims = _square(input, "slogdet")
    u, swap_sign, _ = _lu(a, dims[-1])
    d = diag_part(u)
    return swap_sign * reduce_prod(sign(d), axis=-1), reduce_sum(log(tf_abs(d)), axis=-1)


def _back_substitute(u: Tensor, y: Tensor, n: int, lower: bool) -> Tensor:
    """Solves ``u x = y`` for triangular ``u`` ([..., n, n]) and ``y`` ([..., n, m]), one row at a time."""
    solved: List[Optional[Tensor]] = [None] * n
    order = range(n) if lower else range(n - 1, -1, -1)
    for i in order:
        row = _rows(u, i, i + 1)  # [..., 1, n]
        acc = _rows(y, i, i + 1)  # [..., 1, m]
        known = [j for j in (range(i) if lower else range(i + 1, n))]
        if known:
            coeffs = _cols(row, known[0], known[-1] + 1)  # [..., 1, len(known)]
            xs = concat([solved[j] for j in known], -2)  # [..., len(known), m]
            acc = acc - matmul(coeffs, xs)
        solved[i] = acc / _cols(row, i, i + 1)
    return concat(solved, -2)


def solve(matrix: Any, rhs: Any, adjoint: bool = False, name: Optional[str] = None) -> Tensor:
    """``x`` with ``matrix @ x = rhs`` (``rhs`` is [..., n, k])."""
    a, dims = _square(matrix, "solve")
    if adjoint:
        a = matrix_transpose(a)
    b = convert_to_tensor(rhs)
    if b.shape.as_list()[-2] != dims[-1]:
        raise ValueError(f"solve: the matrix has {dims[-1]} rows but rhs has shape {b.shape}")
    u, _, y = _lu(a, dims[-1], b)
    return _back_substitute(u, y, dims[-1], lower=False)


def inv(input: Any, adjoint: bool = False, name: Optional[str] = None) -> Tensor:  # noqa: A002
    """Inverses of square matrices."""
    a, dims = _square(input, "inv")
    eye = zeros_like(a) + np.eye(dims[-1], dtype=a.dtype.as_numpy_dtype)
    return solve(a, eye, adjoint=adjoint)


def triangular_solve(
    matrix: Any, rhs: Any, lower: bool = True, adjoint: bool = False, name: Optional[str] = None
) -> Tensor:
    """``x`` with ``matrix @ x = rhs`` for a lower (or upper) triangular ``matrix``; the other triangle is ignored."""
    a, dims = _square(matrix, "triangular_solve")
    a = band_part(a, -1, 0) if lower else band_part(a, 0, -1)
    if adjoint:
        a, lower = matrix_transpose(a), not lower
    return _back_substitute(a, convert_to_tensor(rhs), dims[-1], lower=lower)


def cholesky(input: Any, name: Optional[str] = None) -> Tensor:  # noqa: A002
    """The lower-triangular ``L`` with ``L @ L^T = input`` for symmetric positive-definite matrices."""
    a, dims = _square(input, "cholesky")
    n = dims[-1]
    columns: List[Tensor] = []
    for j in range(n):
        col = _cols(_rows(a, j, None), j, j + 1)  # [..., n-j, 1]
        if columns:
            left = concat([_rows(c, j, None) for c in columns], -1)  # [..., n-j, j]
            row_j = _rows(left, 0, 1)  # [..., 1, j]
            col = col - matmul(left, matrix_transpose(row_j))
        pivot = sqrt(_rows(col, 0, 1))  # [..., 1, 1]
        below = col / pivot
        columns.append(concat([zeros_like(_rows(columns[0], 0, j)), below], -2) if j else below)
    return concat(columns, -1)


def cholesky_solve(chol: Any, rhs: Any, name: Optional[str] = None) -> Tensor:
    """``x`` with ``(chol @ chol^T) x = rhs``, from a Cholesky factor."""
    y = triangular_solve(chol, rhs, lower=True)
    return triangular_solve(matrix_transpose(convert_to_tensor(chol)), y, lower=False)


def logdet(matrix: Any, name: Optional[str] = None) -> Tensor:
    """``log(det(matrix))`` of a symmetric positive-definite matrix, from its Cholesky factor."""
    return 2.0 * reduce_sum(log(diag_part(cholesky(matrix))), axis=-1)


def qr(input: Any, full_matrices: bool = False, name: Optional[str] = None) -> tuple:  # noqa: A002
    """``(q, r)`` with ``q`` orthonormal columns and ``r`` upper triangular, ``q @ r = input``, by Householder
    reflections (the signs of LAPACK's, so NumPy's ``qr`` gives the same factors)."""
    a = convert_to_tensor(input)
    dims = a.shape.as_list()
    if len(dims) < 2 or None in dims[-2:]:
        raise ValueError(f"qr expects matrices [..., m, n], received shape {a.shape}")
    if not a.dtype.is_floating:
        raise TypeError(f"qr expects float32 or float64 matrices, received {a.dtype.name}")
    m, n = dims[-2:]
    dtype = a.dtype.as_numpy_dtype
    r = a
    q = zeros_like(_cols(a, 0, 1)) + np.eye(m, dtype=dtype)  # leading dims may be unknown
    for k in range(min(m - 1, n)):
        x = _cols(_rows(r, k, None), k, k + 1)  # [..., m-k, 1]
        x0 = _rows(x, 0, 1)
        norm_x = sqrt(reduce_sum(x * x, axis=-2, keepdims=True))
        # A zero column needs no reflection; the sign convention keeps v away from cancellation.
        direction = where(x0 >= 0, convert_to_tensor(np.asarray(1, dtype)), convert_to_tensor(np.asarray(-1, dtype)))
        e1 = np.zeros((m - k, 1), dtype)
        e1[0, 0] = 1.0
        v = x + direction * norm_x * e1
        v_norm2 = reduce_sum(v * v, axis=-2, keepdims=True)
        safe = where(v_norm2 > 0, v_norm2, v_norm2 + 1)
        scale = where(v_norm2 > 0, 2.0 / safe, zeros_like(v_norm2))
        tail = _rows(r, k, None)
        tail = tail - scale * matmul(v, matmul(matrix_transpose(v), tail))
        r = concat([_rows(r, 0, k), tail], -2) if k else tail
        q_tail = _cols(q, k, None)  # apply the reflection on the right: Q <- Q H
        q_tail = q_tail - scale * matmul(matmul(q_tail, v), matrix_transpose(v))
        q = concat([_cols(q, 0, k), q_tail], -1) if k else q_tail
    r = band_part(r, 0, -1)
    if not full_matrices and m > n:
        q, r = _cols(q, 0, n), _rows(r, 0, n)
    return q, r


def lstsq(matrix: Any, rhs: Any, l2_regularizer: float = 0.0, fast: bool = True, name: Optional[str] = None) -> Tensor:
    """Least-squares solutions of ``matrix @ x = rhs`` ([..., m, n] and [..., m, k]): by the normal
    equations and a Cholesky solve (``fast=True``, as TensorFlow's default), or by QR (``fast=False``)."""
    a = convert_to_tensor(matrix)
    b = convert_to_tensor(rhs)
    m, n = a.shape.as_list()[-2:]
    if fast or l2_regularizer:
        gram = matmul(a, a, transpose_a=True)
        if l2_regularizer:
            gram = gram + float(l2_regularizer) * np.eye(n, dtype=a.dtype.as_numpy_dtype)
        return cholesky_solve(cholesky(gram), matmul(a, b, transpose_a=True))
    q, r = qr(a)
    return triangular_solve(r, matmul(q, b, transpose_a=True), lower=False)

"""More ``tf.linalg``: ``cross``, ``normalize``, ``matrix_rank``, ``tensor_diag(_part)``, tridiagonal and banded
systems, ``expm`` (scaling and squaring with a degree-13 Pade approximant) and the LU family (``lu``,
``lu_solve``, ``lu_reconstruct``, ``lu_matrix_inverse``), composed of ops so they run in graphs with gradients."""

from __future__ import annotations

from collections import namedtuple
from typing import Any, Optional

import numpy as np

from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor
from . import array_ops, math_ops
from .linalg_ops import _back_substitute, _cols, _rows, band_part, diag, diag_part, matrix_transpose, solve

Lu = namedtuple("Lu", ["lu", "p"])


def cross(a: Any, b: Any, name: Optional[str] = None) -> Tensor:
    """The cross product of 3-vectors along the last axis (broadcasting the leading ones)."""
    a, b = convert_to_tensor(a), convert_to_tensor(b)
    if a.shape[-1] != 3 or b.shape[-1] != 3:
        raise ValueError(f"cross needs vectors of 3 elements in the last dimension, received {a.shape} and {b.shape}")
    ax, ay, az = (a[..., i] for i in range(3))
    bx, by, bz = (b[..., i] for i in range(3))
    return array_ops.stack([ay * bz - az * by, az * bx - ax * bz, ax * by - ay * bx], axis=-1)


def normalize(tensor: Any, ord: Any = "euclidean", axis: Any = None, name: Optional[str] = None) -> tuple:
    """``(tensor / norm, norm)`` with the norm kept in the reduced dimensions."""
    from .norm_ops import norm

    x = convert_to_tensor(tensor)
    n = norm(x, ord=ord, axis=axis, keepdims=True)
    return x / n, n


def matrix_rank(a: Any, tol: Any = None, validate_args: bool = False, name: Optional[str] = None) -> Tensor:
    """The number of singular values above ``tol`` (default ``max(s) * max(rows, cols) * eps``), int32."""
    from .decomposition_ops import svd

    x = convert_to_tensor(a)
    s = svd(x, compute_uv=False)
    if tol is None:
        rows, cols = x.shape[-2], x.shape[-1]
        eps = float(np.finfo(x.dtype.as_numpy_dtype).eps)
        tol = math_ops.reduce_max(s, axis=-1, keepdims=True) * (max(rows, cols) * eps)
    else:
        tol = convert_to_tensor(tol, dtype=x.dtype)
    return math_ops.reduce_sum(array_ops.cast(math_ops.greater(s, tol), "int32"), axis=-1)


def tensor_diag(diagonal: Any, name: Optional[str] = None) -> Tensor:
    """The tensor of shape ``s + s`` holding ``diagonal`` (shape ``s``) where both index halves agree."""
    d = convert_to_tensor(diagonal)
    dims = d.shape.as_list()
    return array_ops.reshape(diag(array_ops.reshape(d, [-1])), dims + dims)


def tensor_diag_part(input: Any, name: Optional[str] = None) -> Tensor:
    """The inverse of ``tensor_diag``: from shape ``s + s``, the elements where both halves agree."""
    x = convert_to_tensor(input)
    dims = x.shape.as_list()
    half = len(dims) // 2
    if len(dims) % 2 or dims[:half] != dims[half:]:
        raise ValueError(f"tensor_diag_part needs a shape of the form s + s, received {x.shape}")
    n = int(np.prod(dims[:half]))
    return array_ops.reshape(diag_part(array_ops.reshape(x, [n, n])), dims[:half])


def _band(row_values: Tensor, k: int) -> Tensor:
    """``[..., M, M]`` with ``row_values[..., i]`` at ``(i, i + k)`` (entries that fall outside are dropped)."""
    m = row_values.shape[-1]
    return array_ops.expand_dims(row_values, -1) * np.eye(m, k=k, dtype=row_values.dtype.as_numpy_dtype)


def _tridiagonal_dense(diagonals: Any, diagonals_format: str) -> Tensor:
    """The ``[..., M, M]`` matrix of compact ``[..., 3, M]`` (superdiagonal padded at the end, subdiagonal
    padded at the start), sequence or matrix diagonals."""
    if diagonals_format == "matrix":
        return convert_to_tensor(diagonals)
    if diagonals_format == "sequence":
        sup, main, sub = (convert_to_tensor(d) for d in diagonals)
    elif diagonals_format == "compact":
        d = convert_to_tensor(diagonals)
        sup, main, sub = d[..., 0, :], d[..., 1, :], d[..., 2, :]
    else:
        raise ValueError(f"Unrecognized diagonals_format: {diagonals_format}")
    return _band(main, 0) + _band(sup, 1) + _band(sub, -1)


def tridiagonal_matmul(
    diagonals: Any, rhs: Any, diagonals_format: str = "compact", name: Optional[str] = None
) -> Tensor:
    """The tridiagonal matrix given by ``diagonals`` times ``rhs`` ``[..., M, N]``."""
    return math_ops.matmul(_tridiagonal_dense(diagonals, diagonals_format), convert_to_tensor(rhs))


def tridiagonal_solve(
    diagonals: Any,
    rhs: Any,
    diagonals_format: str = "compact",
    transpose_rhs: bool = False,
    conjugate_rhs: bool = False,
    name: Optional[str] = None,
    partial_pivoting: bool = True,
    perturb_singular: bool = False,
) -> Tensor:
    """``x`` with ``T x = rhs`` for the tridiagonal ``T``; ``rhs`` ``[..., M]`` or ``[..., M, K]`` (``[..., K, M]``
    with ``transpose_rhs``)."""
    t = _tridiagonal_dense(diagonals, diagonals_format)
    b = convert_to_tensor(rhs)
    vector = b.shape.rank == t.shape.rank - 1
    if vector:
        b = array_ops.expand_dims(b, -1)
    elif transpose_rhs:
        b = matrix_transpose(b)
    x = solve(t, b)
    return array_ops.squeeze(x, [-1]) if vector else x


def banded_triangular_solve(
    bands: Any, rhs: Any, lower: bool = True, adjoint: bool = False, name: Optional[str] = None
) -> Tensor:
    """``x`` with ``A x = rhs`` for the triangular band matrix ``A`` stored as ``[..., K, M]`` bands: lower, the
    diagonal first and subdiagonals padded at the start; upper, the diagonal last and superdiagonals padded at
    the end (TensorFlow's LEFT_RIGHT alignment)."""
    b = convert_to_tensor(bands)
    k, m = b.shape[-2], b.shape[-1]
    # Row-indexed bands: lower band i holds A[j, j - i] at j (padded at the start), upper band i (counted from
    # the last row, the diagonal) holds A[j, j + i] at j (padded at the end).
    a = None
    for i in range(k):
        part = _band(b[..., i, :], -i) if lower else _band(b[..., k - 1 - i, :], i)
        a = part if a is None else a + part
    if adjoint:
        a, lower = matrix_transpose(a), not lower
    return _back_substitute(a, convert_to_tensor(rhs), m, lower=lower)


# Pade(13) numerator coefficients (Higham 2005); the denominator has the same with alternating signs.
_PADE13 = [
    64764752532480000.0,
    32382376266240000.0,
    7771770303897600.0,
    1187353796428800.0,
    129060195264000.0,
    10559470521600.0,
    670442572800.0,
    33522128640.0,
    1323241920.0,
    40840800.0,
    960960.0,
    16380.0,
    182.0,
    1.0,
]
_THETA13 = 5.371920351148152
_MAX_SQUARINGS = 40


def expm(input: Any, name: Optional[str] = None) -> Tensor:
    """The matrix exponential of ``[..., n, n]``: ``A / 2^s`` through the degree-13 Pade approximant, squared
    ``s`` times (``s`` from the 1-norm, per matrix; the squarings past it are skipped with a select)."""
    a = convert_to_tensor(input)
    dtype = a.dtype
    x = array_ops.cast(a, "float64")
    n = x.shape[-1]
    one_norm = math_ops.reduce_max(math_ops.reduce_sum(math_ops.abs(x), axis=-2), axis=-1)
    s = math_ops.maximum(math_ops.ceil(math_ops.log(one_norm / _THETA13) / np.log(2.0)), 0.0)
    s = math_ops.minimum(array_ops.where(math_ops.is_finite(s), s, array_ops.zeros_like(s)), float(_MAX_SQUARINGS))
    scale = array_ops.expand_dims(array_ops.expand_dims(math_ops.pow(2.0, math_ops.negative(s)), -1), -1)
    x = x * scale
    eye = convert_to_tensor(np.eye(n))
    x2 = math_ops.matmul(x, x)
    x4 = math_ops.matmul(x2, x2)
    x6 = math_ops.matmul(x4, x2)
    b = _PADE13
    u_inner = math_ops.matmul(x6, b[13] * x6 + b[11] * x4 + b[9] * x2) + b[7] * x6 + b[5] * x4 + b[3] * x2 + b[1] * eye
    u = math_ops.matmul(x, u_inner)
    v = math_ops.matmul(x6, b[12] * x6 + b[10] * x4 + b[8] * x2) + b[6] * x6 + b[4] * x4 + b[2] * x2 + b[0] * eye
    r = solve(v - u, v + u)
    for i in range(_MAX_SQUARINGS):
        more = array_ops.expand_dims(array_ops.expand_dims(math_ops.less(float(i), s), -1), -1)
        r = array_ops.where(more, math_ops.matmul(r, r), r)
    return array_ops.cast(r, dtype)


def lu(input: Any, output_idx_type: Any = "int32", name: Optional[str] = None) -> tuple:
    """``Lu(lu, p)``: the unit-lower ``L`` (below the diagonal) and ``U`` packed in one matrix with
    ``L @ U = input[..., p, :]`` (partial pivoting on the largest magnitude, the first on ties)."""
    a = convert_to_tensor(input)
    dims = a.shape.as_list()
    n = dims[-1]
    if dims[-2] != n:
        raise ValueError(f"lu needs square matrices, received shape {a.shape}")
    dtype = a.dtype.as_numpy_dtype
    perm = array_ops.zeros_like(_cols(a, 0, 1)) + np.arange(n, dtype=dtype).reshape(n, 1)  # [..., n, 1]
    for k in range(n - 1):
        col = math_ops.abs(_cols(_rows(a, k, None), k, k + 1))
        pivot = math_ops.argmax(array_ops.squeeze(col, [-1]), axis=-1) + k
        e_k = np.eye(n, dtype=dtype)[k]
        e_p = array_ops.one_hot(pivot, n, dtype=a.dtype)
        swap = np.eye(n, dtype=dtype) - array_ops.expand_dims(e_k - e_p, -1) * array_ops.expand_dims(e_k - e_p, -2)
        a = math_ops.matmul(swap, a)
        perm = math_ops.matmul(swap, perm)
        top, row_k, below = _rows(a, 0, k), _rows(a, k, k + 1), _rows(a, k + 1, None)
        # A zero pivot means the whole column below is zero too: nothing to eliminate (not 0/0).
        pivot_value = _cols(row_k, k, k + 1)
        safe_pivot = array_ops.where(math_ops.abs(pivot_value) > 0, pivot_value, pivot_value + 1)
        factors = _cols(below, k, k + 1) / safe_pivot
        updated = _cols(below, k + 1, None) - factors * _cols(row_k, k + 1, None)
        below = array_ops.concat([_cols(below, 0, k), factors, updated], -1)
        a = array_ops.concat([top, row_k, below], -2)
    p = array_ops.cast(math_ops.round(array_ops.squeeze(perm, [-1])), output_idx_type)
    return Lu(a, array_ops.stop_gradient(p))


def _factors(lower_upper: Tensor) -> tuple:
    n = lower_upper.shape[-1]
    unit = convert_to_tensor(np.eye(n, dtype=lower_upper.dtype.as_numpy_dtype))
    return band_part(lower_upper, -1, 0) - lower_upper * unit + unit, band_part(lower_upper, 0, -1)


def _permutation_matrix(perm: Any, n: int, dtype: Any) -> Tensor:
    """``P`` with ``(P @ x)[i] = x[perm[i]]``."""
    return array_ops.one_hot(array_ops.cast(convert_to_tensor(perm), "int64"), n, dtype=dtype)


def lu_reconstruct(lower_upper: Any, perm: Any, validate_args: bool = False, name: Optional[str] = None) -> Tensor:
    """The matrix whose ``lu`` is ``(lower_upper, perm)``."""
    lu_ = convert_to_tensor(lower_upper)
    low, up = _factors(lu_)
    p = _permutation_matrix(perm, lu_.shape[-1], lu_.dtype)
    return math_ops.matmul(p, math_ops.matmul(low, up), transpose_a=True)


def lu_solve(lower_upper: Any, perm: Any, rhs: Any, validate_args: bool = False, name: Optional[str] = None) -> Tensor:
    """``x`` with ``A x = rhs`` from ``A``'s ``lu``."""
    lu_ = convert_to_tensor(lower_upper)
    n = lu_.shape[-1]
    low, up = _factors(lu_)
    b = math_ops.matmul(_permutation_matrix(perm, n, lu_.dtype), convert_to_tensor(rhs, dtype=lu_.dtype))
    return _back_substitute(up, _back_substitute(low, b, n, lower=True), n, lower=False)


def lu_matrix_inverse(lower_upper: Any, perm: Any, validate_args: bool = False, name: Optional[str] = None) -> Tensor:
    """The inverse of ``A`` from its ``lu``."""
    lu_ = convert_to_tensor(lower_upper)
    dims = lu_.shape.as_list()
    eye = array_ops.zeros_like(lu_) + np.eye(dims[-1], dtype=lu_.dtype.as_numpy_dtype)
    return lu_solve(lu_, perm, eye)

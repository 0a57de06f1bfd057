"""``keras.ops``'s orthogonal factorizations and what is built on them: ``qr``, ``svd``, ``lstsq``,
``matrix_rank`` and ``pinv``, with Keras 3's signatures and its TensorFlow backend's results."""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor
from ..ops import array_ops as _array
from ..ops import decomposition_ops as _decomp
from ..ops import linalg_more_ops as _linalg_more
from ..ops import linalg_ops as _linalg
from ..ops import math_ops as _math

__all__ = ["lstsq", "matrix_rank", "pinv", "qr", "svd"]


def _assert_2d(x: Tensor) -> None:
    if x.shape.rank is not None and x.shape.rank < 2:
        raise ValueError(f"Expected input to have rank >= 2. Received input with shape {tuple(x.shape.as_list())}.")


def qr(x: Any, mode: str = "reduced") -> tuple:
    """``(q, r)`` with ``q @ r = x`` for matrices ``(..., M, N)``: ``q`` has orthonormal columns, ``r`` is upper
    triangular; ``mode="reduced"`` gives ``K = min(M, N)`` columns of ``q``, ``"complete"`` all ``M``."""
    if mode not in {"reduced", "complete"}:
        raise ValueError(
            f"`mode` argument value not supported. Expected one of {{'reduced', 'complete'}}. Received: mode={mode}"
        )
    return tuple(_linalg.qr(convert_to_tensor(x), full_matrices=mode == "complete"))


def _complete_basis(thin: Tensor) -> Tensor:
    """``thin`` (``(..., M, K)``, orthonormal columns, K < M) extended by ``M - K`` orthonormal columns to a
    square orthogonal matrix: a complete QR of ``thin`` spans its columns first, so its last columns span the
    orthogonal complement."""
    k = thin.shape[-1]
    q, _ = _linalg.qr(thin, full_matrices=True)
    return _array.concat([thin, q[..., k:]], -1)


def svd(x: Any, full_matrices: bool = True, compute_uv: bool = True) -> Any:
    """``(u, s, vh)`` with ``x = u @ diag(s) @ vh`` for matrices ``(..., M, N)`` (singular values ``s``
    descending), or ``s`` alone with ``compute_uv=False``; ``full_matrices=False`` keeps ``K = min(M, N)``
    columns of ``u`` and rows of ``vh``, ``True`` (the default) gives square ``u`` and ``vh``."""
    x = convert_to_tensor(x)
    _assert_2d(x)
    if not compute_uv:
        return _decomp.svd(x, compute_uv=False)
    s, u, v = _decomp.svd(x)
    m, n = x.shape.as_list()[-2:]
    if full_matrices and m > n:
        u = _complete_basis(u)
    elif full_matrices and n > m:
        v = _complete_basis(v)
    return u, s, _linalg.matrix_transpose(v)


def lstsq(a: Any, b: Any, rcond: Optional[float] = None) -> Tensor:
    """The least-squares solution ``x`` (``(N,)`` or ``(N, K)``) of ``a @ x = b`` for ``a`` ``(M, N)`` and ``b``
    ``(M,)`` or ``(M, K)``, of minimal norm when several minimize ``|b - a @ x|``; singular values below
    ``rcond`` times the largest count as zero (default ``eps * max(M, N)``; a negative ``rcond`` means ``eps``)."""
    a = convert_to_tensor(a)
    b = convert_to_tensor(b)
    a_dims, b_dims = a.shape.as_list(), b.shape.as_list()
    if a_dims[:1] != b_dims[:1]:
        raise ValueError("Leading dimensions of input arrays must match")
    vector = len(b_dims) == 1
    if vector:
        b = _array.expand_dims(b, -1)
    if len(a_dims) != 2:
        raise TypeError(f"{len(a_dims)}-dimensional array given. Array must be two-dimensional")
    if len(b.shape) != 2:
        raise TypeError(f"{len(b.shape)}-dimensional array given. Array must be one or two-dimensional")
    if b.dtype != a.dtype:
        b = _array.cast(b, a.dtype)
    m, n = a_dims
    eps = float(np.finfo(a.dtype.as_numpy_dtype).eps)
    if rcond is None:
        cutoff_ratio: Any = eps * max(m, n)
    elif isinstance(rcond, (int, float, np.number)):
        cutoff_ratio = eps if rcond < 0 else float(rcond)
    else:
        ratio = convert_to_tensor(rcond, dtype=a.dtype)
        cutoff_ratio = _array.where(ratio < 0, _array.ones_like(ratio) * eps, ratio)
    s, u, v = _decomp.svd(a)
    keep = _math.greater_equal(s, s[:1] * cutoff_ratio)
    safe_s = _array.where(keep, s, _array.ones_like(s))
    s_inv = _array.where(keep, 1.0 / safe_s, _array.zeros_like(s))
    x = _math.matmul(v, _array.expand_dims(s_inv, -1) * _math.matmul(u, b, transpose_a=True))
    return _array.squeeze(x, -1) if vector else x


def matrix_rank(x: Any, tol: Any = None) -> Tensor:
    """The number of singular values above ``tol`` (default ``max(s) * max(M, N) * eps``) of matrices
    ``(..., M, N)``, int32 of shape ``(...)``."""
    return _linalg_more.matrix_rank(convert_to_tensor(x), tol=tol)


def pinv(x: Any, rcond: Any = None) -> Tensor:
    """The Moore-Penrose pseudo-inverses ``(..., N, M)`` of matrices ``(..., M, N)``, from the SVD; singular
    values at most ``rcond`` times the largest (default ``10 * max(M, N) * eps``) count as zero."""
    return _decomp.pinv(convert_to_tensor(x), rcond=rcond)

"""``tf.linalg.eigh``/``eigvalsh``/``svd``/``pinv``: Jacobi-based native kernels whose outputs arrive packed
in one tensor (a graph node has one output) and are sliced apart here, so gradients flow through the slices
into the kernels' own gradient rules."""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from ..framework.ops import apply, convert_to_tensor
from ..framework.tensor import Tensor
from .array_ops import expand_dims, where, zeros_like
from .math_ops import greater, matmul, reciprocal, reduce_max


def _matrix(tensor: Any, what: str) -> Tensor:
    x = convert_to_tensor(tensor)
    if not x.dtype.is_floating:
        raise TypeError(f"{what} expects a float32 or float64 tensor, received {x.dtype.name}")
    if x.shape.rank is not None and x.shape.rank < 2:
        raise ValueError(f"{what} expects a tensor of rank >= 2, received shape {x.shape}")
    return x


def _static_dims(x: Tensor, what: str) -> tuple:
    m, n = x.shape[-2], x.shape[-1]
    if m is None or n is None:
        raise ValueError(
            f"{what} needs the matrix dimensions known when the function is traced; received shape {x.shape}"
        )
    return int(m), int(n)


def eigh(tensor: Any, name: Optional[str] = None) -> tuple:
    """Eigenvalues (ascending) and eigenvectors (columns) of self-adjoint matrices; only the lower triangle
    is read."""
    x = _matrix(tensor, "eigh")
    m, n = _static_dims(x, "eigh")
    if m != n:
        raise ValueError(f"eigh expects square matrices, received shape {x.shape}")
    packed = apply("eigh", [x], op_name=name)
    return packed[..., 0, :], packed[..., 1:, :]


def eigvalsh(tensor: Any, name: Optional[str] = None) -> Tensor:
    """The eigenvalues of self-adjoint matrices, ascending."""
    return eigh(tensor, name)[0]


def svd(tensor: Any, full_matrices: bool = False, compute_uv: bool = True, name: Optional[str] = None) -> Any:
    """``s`` (descending) or ``(s, u, v)`` with ``tensor = u @ diag(s) @ transpose(v)``; thin factors."""
    x = _matrix(tensor, "svd")
    m, n = _static_dims(x, "svd")
    if full_matrices and compute_uv and m != n:
        raise NotImplementedError(
            f"svd(full_matrices=True) of a non-square {m}x{n} matrix is not available: only the thin factors "
            "(full_matrices=False) are computed"
        )
    packed = apply("svd", [x], op_name=name)
    s = packed[..., 0, :]
    if not compute_uv:
        return s
    return s, packed[..., 1 : 1 + m, :], packed[..., 1 + m :, :]


def pinv(a: Any, rcond: Any = None, validate_args: bool = False, name: Optional[str] = None) -> Tensor:
    """The Moore-Penrose pseudo-inverse, from the SVD; singular values at most ``rcond * max(s)`` count as 0."""
    x = _matrix(a, "pinv")
    m, n = _static_dims(x, "pinv")
    if rcond is None:
        rcond = 10.0 * max(m, n) * float(np.finfo(x.dtype.as_numpy_dtype).eps)
    s, u, v = svd(x)
    cutoff = expand_dims(reduce_max(s, axis=-1), -1) * rcond
    keep = greater(s, cutoff)
    safe = where(keep, s, zeros_like(s) + 1.0)
    inv_s = where(keep, reciprocal(safe), zeros_like(s))
    return matmul(v * expand_dims(inv_s, -2), u, transpose_b=True)

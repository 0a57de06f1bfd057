"""``tf.linalg.diag``, ``diag_part`` and ``set_diag`` with TensorFlow's ``k`` (one diagonal, or for
``diag_part`` a band of them), ``num_rows``/``num_cols``, ``padding_value`` and ``align``.

Each is a mask and a broadcast over the last two dimensions (``where``), so every result has a gradient,
eagerly and in graphs, whatever the batch dimensions.
"""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor
from .array_ops import expand_dims, stack, where, zeros_like
from .math_ops import reduce_sum
from .tiling_ops import pad

_ALIGNS = ("RIGHT_LEFT", "LEFT_RIGHT", "LEFT_LEFT", "RIGHT_RIGHT")


def _matrix_dims(t: Tensor, op: str) -> tuple:
    if t.shape.rank is None or t.shape.rank < 2 or None in t.shape.as_list()[-2:]:
        raise ValueError(f"{op} expects a tensor of rank >= 2 with known matrix dimensions, received shape {t.shape}")
    rows, cols = t.shape.as_list()[-2:]
    return rows, cols


def _diagonal_length(rows: int, cols: int, k: int) -> int:
    return max(0, min(rows + min(k, 0), cols - max(k, 0)))


def _band(k: Any, op: str) -> tuple:
    """``k`` as (lowest, highest) diagonal index: one int, or a pair for a band."""
    if isinstance(k, Tensor):
        k = k.numpy()
    ks = np.asarray(k).reshape(-1)
    if ks.size not in (1, 2) or not np.issubdtype(ks.dtype, np.integer):
        raise ValueError(f"{op}: k must be an integer or a pair of integers (low, high), received {k!r}")
    low, high = int(ks[0]), int(ks[-1])
    if low > high:
        raise ValueError(f"{op}: k[0] must not be greater than k[1], received k = ({low}, {high})")
    return low, high


def _single_diagonal(k: Any, op: str) -> int:
    """``k`` as one diagonal index (``diag`` and ``set_diag`` take no band)."""
    low, high = _band(k, op)
    if low != high:
        raise ValueError(f"{op}: k must be one diagonal index here, received the band {k!r}")
    return low


def _one_diagonal(t: Tensor, rows: int, cols: int, k: int) -> Tensor:
    """Diagonal ``k`` of the matrices: entries (i, i + k), ``_diagonal_length`` of them."""
    length = _diagonal_length(rows, cols, k)
    # Masked to diagonal k, row i holds at most its (i, i + k) entry, and column j its (j - k, j) entry.
    masked = where(np.eye(rows, cols, k=k, dtype=bool), t, zeros_like(t))
    if k >= 0:
        return reduce_sum(masked, axis=-1)[..., :length]
    return reduce_sum(masked, axis=-2)[..., :length]


def _left_aligned(k: int, align: str) -> bool:
    """TensorFlow's rule: superdiagonals (k >= 0) follow the first word of ``align``, subdiagonals (k <= 0) the
    second; the main diagonal is left-aligned when either says LEFT."""
    first, second = align.split("_")
    return (k >= 0 and first == "LEFT") or (k <= 0 and second == "LEFT")


def diag_part(
    input: Any,  # noqa: A002
    name: Optional[str] = None,
    k: Any = 0,
    padding_value: Any = 0,
    align: str = "RIGHT_LEFT",
) -> Tensor:
    """Diagonal ``k`` of the last two dimensions (the main one by default); for ``k = (low, high)`` the
    diagonals from ``high`` down to ``low`` stacked on axis -2, each padded with ``padding_value`` to the
    longest as ``align`` says (TensorFlow's ``matrix_diag_part_v3``)."""
    t = convert_to_tensor(input)
    rows, cols = _matrix_dims(t, "diag_part")
    if align not in _ALIGNS:
        raise ValueError(f"diag_part: align must be one of {', '.join(_ALIGNS)}, received {align!r}")
    low, high = _band(k, "diag_part")
    if low == high and np.ndim(k.numpy() if isinstance(k, Tensor) else k) == 0:
        return _one_diagonal(t, rows, cols, low)
    longest = max(_diagonal_length(rows, cols, d) for d in range(low, high + 1))
    diagonals = []
    for d in range(high, low - 1, -1):
        part = _one_diagonal(t, rows, cols, d)
        missing = longest - _diagonal_length(rows, cols, d)
        if missing:
            where_pad = [0, missing] if _left_aligned(d, align) else [missing, 0]
            part = pad(part, [[0, 0]] * (len(t.shape) - 2) + [where_pad], constant_values=padding_value)
        diagonals.append(part)
    return stack(diagonals, axis=-2)


def _spread(d: Tensor, k: int, rows: int, cols: int, filler: Any) -> Tensor:
    """A [..., rows, cols] tensor whose entry (i, i + k) is the diagonal's value for that entry: row i reads
    d[i] for k >= 0, column j reads d[j] for k < 0 (TensorFlow's indexing of one diagonal)."""
    n = d.shape[-1]
    along = rows if k >= 0 else cols
    if n < along:
        d = pad(d, [[0, 0]] * (len(d.shape) - 1) + [[0, along - n]], constant_values=filler)
    elif n > along:
        d = d[..., :along]
    if k >= 0:
        return expand_dims(d, -1) * np.ones((1, cols), d.dtype.as_numpy_dtype)
    return expand_dims(d, -2) * np.ones((rows, 1), d.dtype.as_numpy_dtype)


def diag(
    diagonal: Any,
    name: Optional[str] = None,
    k: Any = 0,
    num_rows: int = -1,
    num_cols: int = -1,
    padding_value: Any = 0,
    align: str = "RIGHT_LEFT",
) -> Tensor:
    """Matrices with ``diagonal`` (its last dimension) on diagonal ``k`` and ``padding_value`` elsewhere;
    square of side ``len + |k|`` unless ``num_rows``/``num_cols`` say otherwise (TensorFlow's rule)."""
    d = convert_to_tensor(diagonal)
    if d.shape.rank is None or d.shape.rank < 1 or d.shape[-1] is None:
        raise ValueError(f"diag expects a tensor of rank >= 1 with a known last dimension, received shape {d.shape}")
    low = _single_diagonal(k, "diag")
    n = d.shape[-1]
    min_rows, min_cols = n - min(low, 0), n + max(low, 0)
    if num_rows in (-1, None) and num_cols in (-1, None):
        rows = cols = max(min_rows, min_cols)
    else:
        rows = min_rows if num_rows in (-1, None) else int(num_rows)
        cols = min_cols if num_cols in (-1, None) else int(num_cols)
    if _diagonal_length(rows, cols, low) != n:
        raise ValueError(
            f"diag: a diagonal of {n} values does not fit diagonal {low} of a {rows}x{cols} matrix, which holds "
            f"{_diagonal_length(rows, cols, low)}"
        )
    padding = convert_to_tensor(padding_value, dtype=d.dtype)
    return where(np.eye(rows, cols, k=low, dtype=bool), _spread(d, low, rows, cols, 0), padding)


def set_diag(
    input: Any,  # noqa: A002
    diagonal: Any,
    name: Optional[str] = None,
    k: Any = 0,
    align: str = "RIGHT_LEFT",
) -> Tensor:
    """``input`` with diagonal ``k`` of its last two dimensions replaced by ``diagonal``."""
    t = convert_to_tensor(input)
    rows, cols = _matrix_dims(t, "set_diag")
    low = _single_diagonal(k, "set_diag")
    d = convert_to_tensor(diagonal, dtype=t.dtype) if not isinstance(diagonal, Tensor) else diagonal
    length = _diagonal_length(rows, cols, low)
    if d.shape[-1] is not None and d.shape[-1] != length:
        raise ValueError(
            f"set_diag: diagonal {low} of {rows}x{cols} matrices holds {length} values, received a diagonal of shape "
            f"{d.shape}"
        )
    return where(np.eye(rows, cols, k=low, dtype=bool), _spread(d, low, rows, cols, 0), t)

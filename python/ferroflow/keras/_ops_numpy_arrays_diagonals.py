"""``keras.ops``'s NumPy-named diagonal functions (``diag``, ``diagflat``, ``diagonal``, ``trace``, ``tri``),
with Keras 3's result dtypes; sizes known only as the graph runs are supported."""

from __future__ import annotations

import builtins
from typing import Any, Optional

from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor
from ..ops import array_ops as _array
from ..ops import math_ops as _math
from ._ops_numpy_arrays_common import broadcast_all, moveaxis, tf_module

__all__: list = ["diag", "diagflat", "diagonal", "trace", "tri"]


def _zeros_diagonal(t: Tensor) -> Tensor:
    return _array.zeros(list(t.shape[:-2]) + [0], dtype=t.dtype)


def _main_diagonal(t: Tensor, offset: int) -> Tensor:
    """The ``offset`` diagonal over the last two axes of ``t`` (static sizes)."""
    rows, cols = t.shape[-2], t.shape[-1]
    if (cols is not None and offset >= cols) or (rows is not None and -offset >= rows):
        return _zeros_diagonal(t)
    t = t[..., offset:] if offset > 0 else t[..., -offset:, :] if offset < 0 else t
    if 0 in (t.shape[-2], t.shape[-1]):
        return _zeros_diagonal(t)
    if None in (t.shape[-2], t.shape[-1]):
        return _diagonal_of_unknown_size(t)
    if t.dtype.name == "bool":  # (the diagonal kernels take numbers)
        return _array.cast(tf_module().linalg.diag_part(_array.cast(t, "int32")), "bool")
    return tf_module().linalg.diag_part(t)


def _diagonal_of_unknown_size(t: Tensor) -> Tensor:
    """The main diagonal over the last two axes when their sizes are known only as the graph runs: the
    elements ``i * (cols + 1)`` of each flattened matrix."""
    tf = tf_module()
    shape = tf.shape(t)
    rows, cols = shape[-2], shape[-1]
    flat = _array.reshape(t, tf.concat([shape[:-2], _array.reshape(rows * cols, [1])], 0))
    return tf.gather(flat, tf.range(tf.minimum(rows, cols)) * (cols + 1), axis=len(t.shape) - 2)


def diagonal(x: Any, offset: int = 0, axis1: int = 0, axis2: int = 1) -> Tensor:
    """The ``offset`` diagonal of the planes that ``axis1`` and ``axis2`` span, as the last axis."""
    t = convert_to_tensor(x)
    rank = len(t.shape)
    if rank < 2:
        raise ValueError(f"`diagonal` requires an array of at least two dimensions, but `x` is of shape {t.shape}.")
    a1, a2 = axis1 % rank, axis2 % rank
    if a1 == a2:
        raise ValueError(f"`axis1` and `axis2` cannot be the same. Received: axis1={axis1}, axis2={axis2}")
    return _main_diagonal(moveaxis(t, [a1, a2], [-2, -1]), int(offset))


def _diag_matrix(v: Tensor, k: int) -> Tensor:
    """The square matrix with ``v`` on its ``k``-th diagonal: ``M[i, j] = v[min(i, j)]`` where ``j - i == k``."""
    tf = tf_module()
    a = builtins.abs(k)
    padded = tf.pad(v, [[0, a]])
    n = v.shape[0] + a if v.shape[0] is not None else tf.shape(v)[0] + a
    index = tf.range(n)
    on_diagonal = _math.equal(_array.expand_dims(index, 0) - _array.expand_dims(index, 1), k)
    values = _array.expand_dims(padded, 1 if k >= 0 else 0)
    on_diagonal, values = broadcast_all(on_diagonal, values)
    return _array.where(on_diagonal, values, _array.zeros_like(values))


def diag(x: Any, k: int = 0) -> Tensor:
    """A 1-D ``x`` placed on the ``k``-th diagonal of a square matrix, or a 2-D ``x``'s ``k``-th diagonal."""
    t = convert_to_tensor(x)
    if len(t.shape) == 1:
        return _diag_matrix(t, int(k))
    if len(t.shape) == 2:
        return diagonal(t, offset=k)
    raise ValueError(f"`x` must be 1d or 2d. Received: x.shape={tuple(t.shape)}")


def diagflat(x: Any, k: int = 0) -> Tensor:
    """The flattened ``x`` on the ``k``-th diagonal of a square matrix."""
    return _diag_matrix(_array.reshape(convert_to_tensor(x), [-1]), int(k))


def trace(x: Any, offset: int = 0, axis1: int = 0, axis2: int = 1) -> Tensor:
    """The sum of the ``offset`` diagonal; bool and small ints sum as int32, small unsigned as uint32."""
    t = convert_to_tensor(x)
    name = t.dtype.name
    if name in ("bool", "int8", "int16"):
        t = _array.cast(t, "int32")
    elif name in ("uint8", "uint16"):
        t = _array.cast(t, "uint32")
    return _math.reduce_sum(diagonal(t, offset, axis1, axis2), axis=-1)


def tri(N: int, M: Optional[int] = None, k: int = 0, dtype: Any = None) -> Tensor:  # noqa: N803
    """A ``N x M`` matrix of ones at and below the ``k``-th diagonal, zeros above (``floatx`` by default)."""
    M = N if M is None else M  # noqa: N806
    rows = _array.expand_dims(tf_module().range(N), 1)
    cols = _array.expand_dims(tf_module().range(M), 0)
    return _array.cast(_math.less_equal(cols - rows, k), dtype or "float32")

"""``keras.ops``'s NumPy-named array builders, splitters and elementwise functions (diagonals, windows,
bitwise ops, ``kron``, ``cross``), with Keras 3's signatures and result dtypes."""

from __future__ import annotations

from typing import Any, Optional, Sequence

import numpy as np

from ..framework.dtypes import as_dtype
from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor
from ..ops import array_ops as _array
from ..ops import math_ops as _math
from . import (
    _ops_numpy_arrays_2,
    _ops_numpy_arrays_3,
    _ops_numpy_arrays_diagonals,
    _ops_numpy_arrays_products,
    _ops_numpy_arrays_unary,
)
from ._ops_numpy_arrays_common import broadcast_all, cast_common, result_dtype, tf_module

__all__: list = [
    "append",
    "array",
    "array_split",
    "copy",
    "dsplit",
    "dstack",
    "dtype",
    "empty",
    "empty_like",
    "fliplr",
    "flipud",
    "get_item",
    "hsplit",
    "rot90",
    "select",
    "unravel_index",
    "vsplit",
]


def array(x: Any, dtype: Any = None) -> Tensor:
    """``x`` as a tensor (of ``dtype`` when given: a tensor of another dtype is cast, as Keras converts)."""
    if dtype is None:
        return convert_to_tensor(x)
    dtype = as_dtype(dtype)
    if getattr(x, "dtype", None) is not None and not isinstance(x, np.ndarray):
        return _array.cast(convert_to_tensor(x), dtype)
    return convert_to_tensor(x, dtype=dtype)


def copy(x: Any) -> Tensor:
    """A copy of ``x``."""
    return _array.identity(convert_to_tensor(x))


def empty(shape: Any, dtype: Any = None) -> Tensor:
    """A tensor of ``shape`` (``floatx`` by default); its values are zeros, as on Keras's TensorFlow backend."""
    return _array.zeros(shape, dtype=dtype or "float32")


def empty_like(x: Any, dtype: Any = None) -> Tensor:
    """A tensor of ``x``'s shape (and dtype unless ``dtype`` is given), filled with zeros."""
    return _array.zeros_like(convert_to_tensor(x), dtype=dtype)


def dtype(x: Any) -> str:
    """The dtype of ``x`` as a standardized string (``"float32"``)."""
    return as_dtype(x.dtype).name


def get_item(x: Any, key: Any) -> Tensor:
    """``x[key]``."""
    return convert_to_tensor(x)[key]


def append(x1: Any, x2: Any, axis: Optional[int] = None) -> Tensor:
    """``x2`` joined after ``x1`` along ``axis`` (both flattened when ``axis`` is None), in their common dtype."""
    a, b = cast_common(x1, x2)
    if axis is None:
        return _array.concat([_array.reshape(a, [-1]), _array.reshape(b, [-1])], 0)
    return _array.concat([a, b], axis)


def array_split(x: Any, indices_or_sections: int, axis: int = 0) -> list:
    """``x`` split into ``indices_or_sections`` parts along ``axis``; the first ``size % n`` are one longer."""
    if not isinstance(indices_or_sections, int) or isinstance(indices_or_sections, bool):
        raise TypeError(
            f"Argument `indices_or_sections` must be of type `int`. Received: indices_or_sections={indices_or_sections}"
        )
    if indices_or_sections <= 0:
        raise ValueError(
            "Argument `indices_or_sections` must be a positive integer. "
            f"Received: indices_or_sections={indices_or_sections}"
        )
    if not isinstance(axis, int):
        raise TypeError(f"Argument `axis` must be of type `int`. Received: {axis}")
    t = convert_to_tensor(x)
    n = indices_or_sections
    total = t.shape[axis]
    if total is not None:
        sizes = [total // n + 1] * (total % n) + [total // n] * (n - total % n)
        return tf_module().split(t, sizes, axis=axis)
    return _split_unknown_length(t, n, axis % len(t.shape))


def _split_unknown_length(t: Tensor, n: int, axis: int) -> list:
    """``array_split`` of an axis whose length is known only when the graph runs: ``n`` slices."""
    tf = tf_module()
    total = tf.shape(t)[axis]
    avg, rem = total // n, total % n
    parts, start = [], _array.zeros([], dtype=total.dtype)
    for i in range(n):
        size = avg + _array.cast(_math.less(i, rem), total.dtype)
        parts.append(tf.gather(t, tf.range(start, start + size), axis=axis))
        start = start + size
    return parts


def _split(x: Any, indices_or_sections: Any, axis: int) -> list:
    from . import ops

    return ops.split(x, indices_or_sections, axis=axis)


def hsplit(x: Any, indices_or_sections: Any) -> list:
    """``split`` along axis 1 (axis 0 for a 1-D ``x``)."""
    t = convert_to_tensor(x)
    return _split(t, indices_or_sections, 0 if len(t.shape) == 1 else 1)


def vsplit(x: Any, indices_or_sections: Any) -> list:
    """``split`` along axis 0."""
    return _split(x, indices_or_sections, 0)


def dsplit(x: Any, indices_or_sections: Any) -> list:
    """``split`` along axis 2."""
    return _split(x, indices_or_sections, 2)


def dstack(xs: Sequence[Any]) -> Tensor:
    """The tensors joined along a third axis (scalars as ``(1, 1, 1)``, vectors as ``(1, n, 1)``, matrices
    as ``(m, n, 1)``), in their common dtype."""
    ts = cast_common(*xs)
    shaped = []
    for t in ts:
        rank = len(t.shape)
        if rank == 0:
            t = _array.reshape(t, [1, 1, 1])
        elif rank == 1:
            t = _array.expand_dims(_array.expand_dims(t, 0), 2)
        elif rank == 2:
            t = _array.expand_dims(t, 2)
        shaped.append(t)
    return _array.concat(shaped, 2)


def rot90(array: Any, k: int = 1, axes: Sequence[int] = (0, 1)) -> Tensor:
    """``array`` rotated by ``k`` quarter turns in the plane of ``axes`` (from the first axis to the second)."""
    t = convert_to_tensor(array)
    rank = len(t.shape)
    if rank < 2:
        raise ValueError(f"Input array must have at least 2 dimensions. Received: array.ndim={rank}")
    axes = tuple(axes)
    if len(axes) != 2 or axes[0] == axes[1]:
        raise ValueError(f"Invalid axes: {axes}. Axes must be a tuple of two different dimensions.")
    a0, a1 = axes[0] % rank, axes[1] % rank
    k = k % 4
    if k == 0:
        return t
    if k == 2:
        return tf_module().reverse(t, [a0, a1])
    perm = list(range(rank))
    perm[a0], perm[a1] = perm[a1], perm[a0]
    if k == 1:
        return _array.transpose(tf_module().reverse(t, [a1]), perm)
    return tf_module().reverse(_array.transpose(t, perm), [a1])


def fliplr(x: Any) -> Tensor:
    """``x`` reversed along axis 1."""
    return tf_module().reverse(convert_to_tensor(x), [1])


def flipud(x: Any) -> Tensor:
    """``x`` reversed along axis 0."""
    return tf_module().reverse(convert_to_tensor(x), [0])


def select(condlist: Sequence[Any], choicelist: Sequence[Any], default: Any = 0) -> Tensor:
    """Elementwise, the entry of the first choice whose condition holds, else ``default``."""
    if not isinstance(condlist, (list, tuple)) or not isinstance(choicelist, (list, tuple)):
        raise ValueError(
            "condlist and choicelist must be lists. Received: "
            f"type(condlist) = {type(condlist)}, type(choicelist) = {type(choicelist)}"
        )
    if not condlist or not choicelist:
        raise ValueError(
            f"condlist and choicelist must not be empty. Received: condlist = {condlist}, choicelist = {choicelist}"
        )
    if len(condlist) != len(choicelist):
        raise ValueError("list of cases must be same length as list of conditions")
    conds = [convert_to_tensor(c) for c in condlist]
    for c in conds:
        if c.dtype.name != "bool":
            raise TypeError(f"invalid entry in condlist: should be boolean ndarray, got {c.dtype.name}")
    choices = [convert_to_tensor(c) for c in choicelist]
    default_operand = as_dtype(default.dtype).name if hasattr(default, "dtype") else default
    out_dtype = result_dtype(*[c.dtype.name for c in choices], default_operand, numpy_rules=True)
    out = _array.cast(convert_to_tensor(default), out_dtype)
    for c, v in zip(reversed(conds), reversed(choices)):
        out = _array.where(*broadcast_all(c, _array.cast(v, out_dtype), out))
    return out


def unravel_index(indices: Any, shape: Sequence[int]) -> tuple:
    """The coordinates in an array of ``shape`` of each flat (C order) index, one tensor per axis."""
    if None in list(shape):
        raise ValueError(f"`shape` argument cannot contain `None`. Received: shape={shape}")
    t = convert_to_tensor(indices)
    coords = []
    for dim in reversed(list(shape)):
        coords.append(_math.floormod(t, _array.cast(dim, t.dtype)))
        t = _math.floordiv(t, _array.cast(dim, t.dtype))
    return tuple(reversed(coords))


# The functions of the sibling modules are this module's too (keras.ops copies them from here).
for _module in (
    _ops_numpy_arrays_2,
    _ops_numpy_arrays_3,
    _ops_numpy_arrays_diagonals,
    _ops_numpy_arrays_products,
    _ops_numpy_arrays_unary,
):
    globals().update({_name: getattr(_module, _name) for _name in _module.__all__})
    __all__ += _module.__all__
__all__ = sorted(__all__)

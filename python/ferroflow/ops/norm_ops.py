"""Norms and clipping by norm: ``tf.norm``, ``clip_by_norm``, ``clip_by_global_norm``, ``linalg.global_norm``."""

from __future__ import annotations

from typing import Any, List, Optional, Tuple

import numpy as np

from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor
from .math_ops import abs as tf_abs
from .math_ops import maximum, minimum, reduce_max, reduce_sum, sqrt, square


def norm(
    tensor: Any, ord: Any = "euclidean", axis: Any = None, keepdims: Optional[bool] = None, name: Optional[str] = None
) -> Tensor:
    """``tf.norm``: vector norms (``ord`` 1, 2 / "euclidean", ``np.inf``, or any p > 0) over ``axis`` (all
    elements when None), and the Frobenius norm ("fro", or "euclidean" over two axes)."""
    x = convert_to_tensor(tensor)
    keep = bool(keepdims)
    axes = axis if axis is None or isinstance(axis, (list, tuple)) else [axis]
    if axes is not None and len(axes) not in (1, 2):
        raise ValueError(f"norm axis must be an int or a pair of ints, received {axis!r}")
    if axes is not None and len(axes) == 2 and ord not in ("euclidean", "fro"):
        raise ValueError(f"matrix norms other than 'fro' and 'euclidean' are not supported, received ord={ord!r}")
    if ord in ("euclidean", "fro", 2, 2.0):
        return sqrt(reduce_sum(square(x), axis=axes, keepdims=keep))
    if ord in (1, 1.0):
        return reduce_sum(tf_abs(x), axis=axes, keepdims=keep)
    if ord == np.inf:
        return reduce_max(tf_abs(x), axis=axes, keepdims=keep)
    if isinstance(ord, (int, float)) and ord > 0:
        return reduce_sum(tf_abs(x) ** float(ord), axis=axes, keepdims=keep) ** (1.0 / float(ord))
    raise ValueError(f"norm ord must be 'euclidean', 'fro', 1, 2, np.inf or a positive number, received {ord!r}")


def clip_by_norm(t: Any, clip_norm: Any, axes: Any = None, name: Optional[str] = None) -> Tensor:
    """``t`` scaled down so that its L2 norm over ``axes`` is at most ``clip_norm`` (unchanged if already).
    For IndexedSlices, the values are clipped (by their own norm), as TensorFlow does."""
    from ..framework.indexed_slices import IndexedSlices

    if isinstance(t, IndexedSlices):
        return IndexedSlices(clip_by_norm(t.values, clip_norm, axes, name), t.indices, t.dense_shape)
    x = convert_to_tensor(t)
    l2 = sqrt(reduce_sum(square(x), axis=axes, keepdims=True))
    clip = convert_to_tensor(clip_norm, dtype=x.dtype) if not isinstance(clip_norm, Tensor) else clip_norm
    # x * clip / max(l2, clip): unchanged when l2 <= clip, and no division by a zero norm.
    return x * clip / maximum(l2, clip)


def global_norm(t_list: List[Any], name: Optional[str] = None) -> Tensor:
    """The L2 norm of all the tensors together (None entries are skipped; IndexedSlices count their values)."""
    parts = [reduce_sum(square(convert_to_tensor(_values(t)))) for t in t_list if t is not None]
    if not parts:
        raise ValueError("global_norm needs at least one tensor")
    total = parts[0]
    for p in parts[1:]:
        total = total + p
    return sqrt(total)


def clip_by_global_norm(
    t_list: List[Any], clip_norm: Any, use_norm: Any = None, name: Optional[str] = None
) -> Tuple[List[Any], Tensor]:
    """``(t_list scaled by clip_norm / max(global_norm, clip_norm), global_norm)``, as TensorFlow's."""
    if not isinstance(t_list, (list, tuple)):
        raise TypeError(f"clip_by_global_norm expects a list of tensors, received {type(t_list).__name__}")
    norm_value = global_norm(t_list) if use_norm is None else convert_to_tensor(use_norm)
    clip = convert_to_tensor(clip_norm, dtype=norm_value.dtype) if not isinstance(clip_norm, Tensor) else clip_norm
    scale = clip / maximum(norm_value, clip)
    scale = minimum(scale, 1.0)
    clipped = [None if t is None else _scaled(t, scale) for t in t_list]
    return clipped, norm_value


def _values(t: Any) -> Any:
    from ..framework.indexed_slices import IndexedSlices

    return t.values if isinstance(t, IndexedSlices) else t


def _scaled(t: Any, scale: Tensor) -> Any:
    """``t * scale``; IndexedSlices stay IndexedSlices (their values scaled), as in TensorFlow."""
    from ..framework.indexed_slices import IndexedSlices

    if isinstance(t, IndexedSlices):
        return IndexedSlices(convert_to_tensor(t.values) * scale, t.indices, t.dense_shape)
    return convert_to_tensor(t) * scale

"""Making ragged tensors: ``tf.ragged.constant`` from nested lists, ``tf.ragged.range``, and the
conversions between row splits and segment ids."""

from __future__ import annotations

import builtins
from typing import Any, Optional

import numpy as np

from .._core import InvalidArgumentError
from ..framework.ops import convert_to_tensor
from ..framework.ragged_tensor import RaggedTensor
from ..framework.tensor import Tensor

# -- construction


def _depth(x: Any) -> int:
    """How many list levels a nested Python list has along its first elements (ignoring empty lists)."""
    if isinstance(x, (list, tuple)):
        depths = [_depth(v) for v in x]
        return 1 + (builtins.max(depths) if depths else 0)
    return 0


def constant(
    pylist: Any,
    dtype: Any = None,
    ragged_rank: Optional[int] = None,
    inner_shape: Any = None,
    name: Any = None,
    row_splits_dtype: Any = "int64",
) -> RaggedTensor:
    """``tf.ragged.constant``: a ragged tensor from nested Python lists of uneven lengths.

    By default every list level but the values is ragged (``[[1, 2], [3]]`` has ragged_rank 1);
    ``ragged_rank`` or ``inner_shape`` make the innermost levels uniform (their lists must then be of equal
    length). Python floats become float32 and ints int32, as in ``tf.constant``.
    """
    depth = _depth(pylist)
    if depth < 2:
        raise ValueError(f"tf.ragged.constant needs a nested list of rank at least 2, received {pylist!r}")
    rr = depth - 1 if ragged_rank is None else int(ragged_rank)
    if inner_shape is not None and ragged_rank is None:
        rr = depth - 1 - len(inner_shape)
    if not 1 <= rr < depth:
        raise ValueError(f"ragged_rank must be in [1, {depth - 1}] for a list of depth {depth}, received {rr}")
    partitions = []
    level = list(pylist)
    for _ in builtins.range(rr):
        partitions.append([len(r) if isinstance(r, (list, tuple)) else _not_list(r) for r in level])
        level = [v for r in level for v in r]
    _check_one_kind(level)
    try:
        np.asarray(level)
    except ValueError:
        raise ValueError(
            f"the innermost {depth - rr} list levels must be uniform for ragged_rank={rr}: found rows of "
            "different lengths there"
        ) from None
    if level:
        # The flat values convert as tf.constant's Python lists do (dtype inference, mixed-type errors).
        values = convert_to_tensor(level, dtype=dtype)
    else:
        values = convert_to_tensor(np.zeros((0,) + tuple(inner_shape or ()), dtype=np.float32), dtype=dtype)
    if inner_shape is not None and level:
        from .array_ops import reshape

        values = reshape(values, [-1] + list(inner_shape))
    result: Any = values
    for lengths in reversed(partitions):
        result = RaggedTensor.from_row_lengths(result, lengths, validate=False)
    return result


def _check_one_kind(level: list) -> None:
    """TensorFlow's error for leaves that mix strings with numbers (NumPy would silently make them all strings)."""
    stack, text, other = list(level), False, False
    while stack:
        v = stack.pop()
        if isinstance(v, (list, tuple)):
            stack.extend(v)
        elif isinstance(v, (str, bytes, np.str_, np.bytes_)):
            text = True
        else:
            other = True
        if text and other:
            raise ValueError("Can't convert Python sequence with mixed types to Tensor.")


def _not_list(r: Any) -> int:
    raise ValueError("all scalar values must have the same nesting depth")


def range(starts: Any, limits: Any = None, deltas: Any = 1, dtype: Any = None, name: Any = None) -> RaggedTensor:  # noqa: A001
    """``tf.ragged.range``: row ``i`` is ``range(starts[i], limits[i], deltas[i])``."""
    if limits is None:
        starts, limits = 0, starts
    if any(_symbolic(v) for v in (starts, limits, deltas)):
        from .ragged_graph_factory_ops import graph_range

        return graph_range(starts, limits, deltas, dtype)
    s, lim, d = (np.asarray(v.numpy() if isinstance(v, Tensor) else v) for v in (starts, limits, deltas))
    s, lim, d = np.broadcast_arrays(s, lim, d)
    if s.ndim != 1:
        s, lim, d = s.reshape(-1), lim.reshape(-1), d.reshape(-1)
    if np.any(d == 0):
        raise InvalidArgumentError("tf.ragged.range deltas must not be zero")
    rows = [np.arange(a, b, c) for a, b, c in zip(s, lim, d)]
    kind = np.result_type(s, lim, d)
    values = np.concatenate(rows).astype(kind) if rows else np.zeros(0, kind)
    if dtype is None:
        dtype = "int32" if kind.kind in "iu" else "float32"
    return RaggedTensor.from_row_lengths(convert_to_tensor(values, dtype=dtype), [len(r) for r in rows])


def _symbolic(x: Any) -> bool:
    from ..framework.tensor import EagerTensor

    return isinstance(x, Tensor) and not isinstance(x, EagerTensor)


def row_splits_to_segment_ids(splits: Any, name: Any = None, out_type: Any = None) -> Tensor:
    if _symbolic(splits):
        from .ragged_partition_ops import rowids_from_splits

        return rowids_from_splits(splits)
    s = np.asarray(splits.numpy() if isinstance(splits, Tensor) else splits, dtype=np.int64)
    return convert_to_tensor(np.repeat(np.arange(len(s) - 1, dtype=np.int64), np.diff(s)))


def segment_ids_to_row_splits(
    segment_ids: Any, num_segments: Any = None, out_type: Any = None, name: Any = None
) -> Tensor:
    if _symbolic(segment_ids) or _symbolic(num_segments):
        from .math_ops import reduce_max
        from .ragged_partition_ops import splits_from_rowids

        ids = convert_to_tensor(segment_ids)
        if num_segments is None:
            from .array_ops import concat

            num_segments = reduce_max(concat([ids, convert_to_tensor([-1], dtype=ids.dtype)], 0)) + 1
        return splits_from_rowids(ids, num_segments)
    ids = np.asarray(segment_ids.numpy() if isinstance(segment_ids, Tensor) else segment_ids, dtype=np.int64)
    n = int(num_segments) if num_segments is not None else (int(ids.max()) + 1 if ids.size else 0)
    return convert_to_tensor(np.concatenate([[0], np.cumsum(np.bincount(ids, minlength=n))]).astype(np.int64))

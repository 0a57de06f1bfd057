"""``tf.ragged.range`` of graph tensors: row ``i`` is ``range(starts[i], limits[i], deltas[i])``, laid out with
``ragged_partition_ops.ranges`` (the row lengths come from the bounds, the values from each row's start and
step)."""

from __future__ import annotations

from typing import Any

from ..framework.dtypes import as_dtype
from ..framework.ops import convert_to_tensor
from ..framework.ragged_tensor import RaggedTensor
from .array_ops import cast, gather, reshape, where, zeros_like
from .ragged_partition_ops import ranges


def _dtype(values: list, dtype: Any) -> Any:
    """``dtype``, or the inputs' (floats win over integers, then the widest)."""
    if dtype is not None:
        return as_dtype(dtype)
    dtypes = [convert_to_tensor(v).dtype for v in values]
    floats = [d for d in dtypes if d.is_floating]
    return max(floats or dtypes, key=lambda d: d.size)


def graph_range(starts: Any, limits: Any, deltas: Any, dtype: Any) -> RaggedTensor:
    from .math_ops import ceil, floordiv, maximum

    out = _dtype([starts, limits, deltas], dtype)
    s, lim, d = (
        convert_to_tensor(v, dtype=out) if not hasattr(v, "dtype") else cast(v, out) for v in (starts, limits, deltas)
    )
    rank = max(t.shape.rank or 0 for t in (s, lim, d))
    s, lim, d = (zeros_like(s + lim + d) + t for t in (s, lim, d))  # broadcast to one shape
    if rank == 0:
        s, lim, d = (reshape(t, [1]) for t in (s, lim, d))
    if out.is_integer:
        up = floordiv(lim - s + d - 1, d)
        down = floordiv(s - lim - d - 1, -d)
        lengths = where(d > 0, up, down)
    else:
        lengths = ceil((lim - s) / d)
    lengths = maximum(cast(lengths, "int64"), 0)
    splits, within = ranges(zeros_like(lengths), lengths)
    rt = RaggedTensor.from_row_splits(within, splits, validate=False)
    rows = rt.value_rowids()
    values = gather(s, rows) + cast(within, out) * gather(d, rows)
    return rt.with_values(values)

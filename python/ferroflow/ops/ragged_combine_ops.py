"""Combining ``RaggedTensor``s: ``concat`` along rows or within rows, ``stack``, ``tile`` and
``tf.ragged.boolean_mask``."""

from __future__ import annotations

import builtins
from typing import Any, Callable

import numpy as np

from .._core import InvalidArgumentError
from ..framework.ops import convert_to_tensor
from ..framework.ragged_tensor import RaggedTensor
from ..framework.tensor import Tensor
from .ragged_factory_ops import constant
from .ragged_ops import _select_rows, _take_values

# -- combining


def concat(values: list, axis: int = 0) -> RaggedTensor:
    """``tf.concat`` of ragged (and dense) tensors along the rows (``axis=0``) or within rows (``axis=1``)."""
    from . import ragged_graph_combine as graph

    if any(graph.is_graph(v) for v in values):
        return graph.concat(values, axis)
    if axis < 0:
        axis += builtins.max(v.rank if isinstance(v, RaggedTensor) else np.ndim(v) for v in values)
    rts = [v if isinstance(v, RaggedTensor) else _to_ragged(v) for v in values]
    if axis == 0:
        flat = [r.values for r in rts]
        from .array_ops import concat as dense_concat

        joined = _concat_values(flat, dense_concat)
        lengths = np.concatenate([r.row_lengths_np() for r in rts])
        return RaggedTensor.from_row_lengths(joined, lengths, validate=False)
    if axis == 1:
        n = rts[0].nrows_int()
        if any(r.nrows_int() != n for r in rts):
            raise InvalidArgumentError(
                f"concat along axis 1 needs the same number of rows, received {[r.nrows_int() for r in rts]}"
            )
        from .array_ops import concat as dense_concat

        joined = _concat_values([r.values for r in rts], dense_concat)
        offsets = np.cumsum([0] + [_nvals(r) for r in rts])
        index = []
        for i in builtins.range(n):
            for r, off in zip(rts, offsets):
                index.append(np.arange(r._row_splits[i], r._row_splits[i + 1]) + off)
        lengths = sum(r.row_lengths_np() for r in rts)
        idx = np.concatenate(index or [np.zeros(0)]).astype(np.int64)
        return RaggedTensor.from_row_lengths(_take_values(joined, idx), lengths, validate=False)
    raise NotImplementedError(f"concat of ragged tensors along axis {axis}; axes 0 and 1 are supported")


def _nvals(r: RaggedTensor) -> int:
    return int(r._row_splits[-1])


def _concat_values(values: list, dense_concat: Callable) -> Any:
    if all(isinstance(v, RaggedTensor) for v in values):
        return concat(values, axis=0)
    return dense_concat([convert_to_tensor(v) for v in values], 0)


def _to_ragged(value: Any) -> RaggedTensor:
    if isinstance(value, Tensor):
        return RaggedTensor.from_tensor(value)
    arr = np.asarray(value, dtype=object) if not isinstance(value, np.ndarray) else value
    if arr.dtype == object:
        return constant(value)
    return RaggedTensor.from_tensor(convert_to_tensor(value))


def stack(values: list, axis: int = 0, name: Any = None) -> RaggedTensor:
    """``tf.ragged.stack``: the tensors as rows of a new outer dimension (``axis=0``)."""
    if axis != 0:
        raise NotImplementedError("tf.ragged.stack along axis 0 is supported")
    from . import ragged_graph_combine as graph

    if any(graph.is_graph(v) for v in values):
        return graph.stack(values)
    rts = [v if isinstance(v, RaggedTensor) else _to_ragged(v) for v in values]
    inner = concat(rts, axis=0)
    return RaggedTensor.from_row_lengths(inner, [r.nrows_int() for r in rts], validate=False)


def tile(rt: RaggedTensor, multiples: Any) -> RaggedTensor:
    """``tf.tile`` of a ragged tensor of ragged_rank 1: rows repeated ``multiples[0]`` times, each row's
    values ``multiples[1]`` times."""
    reps = [int(m) for m in np.asarray(multiples.numpy() if isinstance(multiples, Tensor) else multiples).reshape(-1)]
    if rt.ragged_rank != 1 or len(reps) != rt.rank:
        raise NotImplementedError("tile of a ragged tensor of ragged_rank 1 with one multiple per dimension")
    if any(m != 1 for m in reps[2:]):
        from .tiling_ops import tile as dense_tile

        rt = rt.with_values(dense_tile(rt.values, [1] + reps[2:]))
    rows, within = reps[0], reps[1]
    index, lengths = [], []
    for _ in builtins.range(rows):
        for s, e in zip(rt._row_splits[:-1], rt._row_splits[1:]):
            index.append(np.tile(np.arange(s, e), within))
            lengths.append((e - s) * within)
    idx = np.concatenate(index or [np.zeros(0)]).astype(np.int64)
    return RaggedTensor.from_row_lengths(_take_values(rt.values, idx), lengths, validate=False)


def boolean_mask(data: Any, mask: Any, name: Any = None) -> Any:
    """``tf.ragged.boolean_mask``: the elements of ``data`` where ``mask`` is True, as a ragged tensor whose
    rows keep what each row of ``data`` kept. ``mask`` (dense or ragged) covers ``data``'s first dimensions."""
    from . import ragged_graph_combine as graph
    from .array_ops import gather

    if graph.is_graph(data) or graph.is_graph(mask):
        return graph.boolean_mask(data, mask)
    if isinstance(mask, RaggedTensor):
        if not isinstance(data, RaggedTensor) or mask.ragged_rank != 1:
            raise NotImplementedError("a ragged mask must match a ragged tensor of ragged_rank 1")
        keep = mask.flat_values.numpy().astype(bool)
        idx = np.flatnonzero(keep)
        lengths = [int(keep[s:e].sum()) for s, e in zip(mask._row_splits[:-1], mask._row_splits[1:])]
        return RaggedTensor.from_row_lengths(_take_values(data.values, idx), lengths, validate=False)
    m = np.asarray(mask.numpy() if isinstance(mask, Tensor) else mask, dtype=bool)
    if m.ndim == 1:
        rows = np.flatnonzero(m)
        if isinstance(data, RaggedTensor):
            return _select_rows(data, rows)
        return gather(convert_to_tensor(data), rows)
    if m.ndim == 2:
        if isinstance(data, RaggedTensor):
            raise NotImplementedError("a 2-D dense mask over a ragged tensor: pass the mask as a ragged tensor")
        x = convert_to_tensor(data)
        dims = x.shape.as_list()
        from .array_ops import reshape

        flat = reshape(x, [dims[0] * dims[1]] + dims[2:])
        idx = np.flatnonzero(m.reshape(-1))
        return RaggedTensor.from_row_lengths(gather(flat, idx), m.sum(axis=1), validate=False)
    raise NotImplementedError("boolean_mask with a mask of rank 1 or 2")

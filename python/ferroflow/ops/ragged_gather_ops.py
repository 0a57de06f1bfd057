"""``tf.gather`` with ragged tensors (rows of a ragged ``params`` by dense or ragged indices, or a dense
``params`` gathered by ragged indices) and ``tf.reverse`` of a ragged tensor. Eagerly and inside graphs;
values move through gathers, so gradients reach them."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._core import InvalidArgumentError
from ..framework.ops import convert_to_tensor
from ..framework.ragged_tensor import RaggedTensor
from ..framework.tensor import EagerTensor


def gather(params: Any, indices: Any, axis: Any, batch_dims: int) -> Any:
    """``tf.gather(params, indices)`` where ``params`` or ``indices`` is a ``RaggedTensor`` (axis 0)."""
    from .array_ops import gather as dense_gather

    if (axis not in (None, 0)) or batch_dims:
        raise NotImplementedError("tf.gather of ragged tensors supports axis=0 and batch_dims=0")
    if isinstance(indices, RaggedTensor):
        if not indices.dtype.is_integer:
            raise TypeError(f"gather expects int32 or int64 indices, received {indices.dtype.name}")
        return indices.with_flat_values(gather(params, indices.flat_values, None, 0))
    if not isinstance(params, RaggedTensor):
        return dense_gather(params, indices)
    index = convert_to_tensor(indices)
    if not index.dtype.is_integer:
        raise TypeError(f"gather expects int32 or int64 indices, received {index.dtype.name}")
    if index.shape.rank == 0:
        return params[index]
    if index.shape.rank == 1:
        return rows(params, index)
    from .array_ops import reshape
    from .string_ragged_ops import _nest_outer

    return _nest_outer(rows(params, reshape(index, [-1])), index)


def rows(rt: RaggedTensor, index: Any) -> RaggedTensor:
    """The rows ``index`` (a 1-D integer tensor) of ``rt``, in that order."""
    from .ragged_graph_index import select_rows

    graph = not isinstance(index, EagerTensor) or not _eager_partition(rt)
    if graph:
        return select_rows(rt, index)
    ids = np.asarray(index.numpy(), dtype=np.int64)
    n = rt.nrows_int()
    bad = ids[(ids < 0) | (ids >= n)]
    if bad.size:
        raise InvalidArgumentError(
            f"indices[{int(np.flatnonzero(ids == bad[0])[0])}] = {int(bad[0])} is not in [0, {n})"
        )
    from .ragged_ops import _select_rows

    return _select_rows(rt, ids)


def _eager_partition(rt: Any) -> bool:
    """Whether every row partition of ``rt`` is known eagerly (NumPy row splits)."""
    from ..framework.graph_ragged_tensor import GraphRaggedTensor

    while isinstance(rt, RaggedTensor):
        if isinstance(rt, GraphRaggedTensor):
            return False
        rt = rt.values
    return True


def reverse(rt: RaggedTensor, axes: Any) -> RaggedTensor:
    """``tf.reverse(rt, axes)``: the order of the rows (axis 0), of each row's values (axis 1) or of an inner
    dimension reversed."""
    from .array_ops import gather, range, reshape
    from .ragged_graph_index import select_rows, take_values
    from .ragged_partition_ops import row_lengths, rowids_from_splits

    rank = rt.rank
    wanted = [int(a) for a in np.asarray(axes.numpy() if isinstance(axes, EagerTensor) else axes).reshape(-1)]
    for a in wanted:
        if not -rank <= a < rank:
            raise InvalidArgumentError(f"reverse axis {a} is out of range for a tensor of rank {rank}")
    wanted = sorted({a % rank for a in wanted})
    out = rt
    for a in wanted:
        if a == 0:
            n = out.nrows()
            out = select_rows(out, range(n - 1, -1, -1, dtype="int64"))
        elif a == 1:
            splits = convert_to_tensor(out.row_splits)
            rows = rowids_from_splits(splits)
            within = range(splits[-1], dtype="int64") - gather(splits[:-1], rows)
            index = gather(splits[:-1], rows) + gather(row_lengths(splits), rows) - 1 - within
            values = take_values(out.values, reshape(index, [-1]))
            out = RaggedTensor.from_row_splits(values, splits, validate=False)
        elif isinstance(out.values, RaggedTensor):
            out = out.with_values(reverse(out.values, [a - 1]))
        else:
            from .slicing_ops import reverse as dense_reverse

            out = out.with_values(dense_reverse(out.values, [a - 1]))
    return out

"""``tf.sparse.reduce_sum`` / ``reduce_max`` with ``output_is_sparse=True``: one element for each group of
elements sharing their coordinates off the reduced axes (groups without elements are left out, groups
that sum to zero are kept), in row-major order. Composed from graph ops, so the same code runs eagerly and
inside ``tf.function``."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..framework.ops import apply
from ..framework.sparse_tensor import SparseTensor
from ..framework.tensor_shape import TensorShape
from ._sparse_compose import dims_of, flat_positions, make_sparse, segment_max
from .array_ops import cast, concat, gather, reshape, size, zeros


def reduce_to_sparse(sp: SparseTensor, axis: Any, keepdims: bool, how: str) -> SparseTensor:
    """The sum (``how="sum"``) or maximum (``"max"``) over ``axis`` (every axis when None) as a sparse tensor."""
    from .sorting_ops import argsort, unique
    from .sparse_graph_combine import unravel

    rank = len(sp.shape)
    if axis is None:
        axes = list(range(rank))
    else:
        axes = sorted({int(a) % rank for a in (axis if isinstance(axis, (list, tuple)) else [axis])})
    kept = [i for i in range(rank) if i not in axes]
    kept_shape = gather(sp.dense_shape, np.asarray(kept, np.int64))
    if kept:
        coords = gather(sp.indices, np.asarray(kept, np.int64), axis=1)
        flat = flat_positions(coords, kept_shape, len(kept))
    else:  # one group holding every element
        flat = sp.indices[:, 0] * 0 if rank else cast(apply("fill_like", [sp.values], {"value": 0.0}), "int64")
    order = argsort(flat, stable=True)
    positions, slot = unique(gather(flat, order), out_idx="int64")
    values = gather(sp.values, order)
    if how == "sum":
        target = zeros(reshape(size(positions, out_type="int64"), [1]), dtype=sp.dtype)
        out = apply("unsorted_segment_sum", [values, slot, target], {"axis": 0})
    else:
        out = segment_max(values, slot)
    n_kept = len(kept)
    indices = unravel(positions, dims_of(kept_shape, n_kept)) if kept else reshape(positions, [-1, 1])[:, :0]
    static = [sp.shape[i] for i in kept]
    dense_shape = kept_shape
    if keepdims:
        # the reduced axes come back with size 1 (index 0)
        columns, shape_parts, static = [], [], [1 if i in axes else sp.shape[i] for i in range(rank)]
        zero_col = reshape(positions * 0, [-1, 1])
        for i in range(rank):
            columns.append(zero_col if i in axes else indices[:, kept.index(i) : kept.index(i) + 1])
            shape_parts.append(np.ones(1, np.int64) if i in axes else sp.dense_shape[i : i + 1])
        indices = concat(columns, 1)
        dense_shape = concat(shape_parts, 0)
    if static:
        indices = reshape(indices, [-1, len(static)])
    return make_sparse(indices, out, dense_shape, TensorShape(static))

"""``tf.nn.embedding_lookup_sparse``: per row of a sparse tensor of ids, a weighted combination of embeddings."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..framework.graph_composites import GraphSparseTensor
from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor
from .array_ops import gather, reshape, where
from .segment_ops import unsorted_segment_sum
from .sparse_ops import _sparse


def embedding_lookup_sparse(
    params: Any,
    sp_ids: Any,
    sp_weights: Any,
    combiner: str = "mean",
    max_norm: Any = None,
    name: Any = None,
    allow_fast_lookup: bool = False,
) -> Tensor:
    """``tf.nn.embedding_lookup_sparse``: for each row of ``sp_ids``, the ``combiner`` ("sum", "mean" or
    "sqrtn") of the embeddings ``params[id]`` weighted by ``sp_weights`` (all ones when None)."""
    from .math_ops import sqrt

    ids = _sparse(sp_ids, "embedding_lookup_sparse")
    if combiner not in ("sum", "mean", "sqrtn"):
        raise ValueError(f"combiner must be 'sum', 'mean' or 'sqrtn', received {combiner!r}")
    from .embedding_ops import _clip_rows, _table

    params = _clip_rows(_table(params), max_norm)
    if isinstance(ids, GraphSparseTensor):
        from . import sparse_graph_ops

        weights = None if sp_weights is None else _sparse(sp_weights, "embedding_lookup_sparse")
        return sparse_graph_ops.embedding_lookup_sparse(params, ids, weights, combiner)
    rows = ids._indices[:, 0]
    n_rows = int(ids._shape[0])
    embedded = gather(params, ids.values)
    if sp_weights is None:
        weights = np.ones(len(rows), params.dtype.as_numpy_dtype)
        w = convert_to_tensor(weights)
    else:
        w = _sparse(sp_weights, "embedding_lookup_sparse").values
    total = unsorted_segment_sum(embedded * reshape(w, [-1, 1]), rows, n_rows)
    if combiner == "sum":
        return total
    weight = unsorted_segment_sum(w if combiner == "mean" else w * w, rows, n_rows)
    if combiner == "sqrtn":
        weight = sqrt(weight)
    safe = where(weight > 0, weight, weight + 1)
    return total / reshape(safe, [-1, 1])

"""``tf.nn.embedding_lookup`` (sharded tables, ``max_norm``) and ``tf.nn.safe_embedding_lookup_sparse``
(invalid ids and non-positive weights pruned, empty rows filled), composed of gathers and scatter-adds so
gradients reach the table."""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from ..framework.graph_composites import GraphSparseTensor
from ..framework.ops import convert_to_tensor
from ..framework.ragged_tensor import RaggedTensor
from ..framework.sparse_tensor import SparseTensor
from ..framework.tensor import Tensor
from ..framework.tensor_shape import TensorShape
from . import array_ops, math_ops
from .norm_ops import clip_by_norm


def _table(params: Any, dtype: Any = None) -> Tensor:
    """One table from ``params`` or its "div"-partitioned shards (shard ``p`` holds a contiguous block of ids,
    the first ``total % n`` shards one id more), which then concatenate in order."""
    if params is None:
        raise ValueError("params must be specified")
    if isinstance(params, (list, tuple)):
        if not params:
            raise ValueError("Length of params is currently 0. Need at least one param.")
        shards = [convert_to_tensor(p, dtype=dtype) for p in params]
        if len(shards) == 1:
            return shards[0]
        sizes = [s.shape[0] for s in shards]
        if all(n is not None for n in sizes):
            total, n = sum(sizes), len(sizes)
            expected = [total // n + (1 if i < total % n else 0) for i in range(n)]
            if sizes != expected:
                raise ValueError(
                    f"embedding shards of sizes {sizes} do not follow the 'div' partition strategy: {total} ids "
                    f"over {n} shards are held as {expected}"
                )
        return array_ops.concat(shards, 0)
    return convert_to_tensor(params, dtype=dtype)


def _clip_rows(table: Tensor, max_norm: Any) -> Tensor:
    """Each embedding (row) scaled down to an L2 norm of at most ``max_norm``: clipping rows before the gather
    equals clipping the gathered embeddings."""
    if max_norm is None:
        return table
    rank = table.shape.rank
    return clip_by_norm(table, max_norm, axes=list(range(1, rank)) if rank and rank > 1 else None)


def embedding_lookup(params: Any, ids: Any, max_norm: Any = None, name: Optional[str] = None) -> Tensor:
    """``params[ids]`` along the first axis (shape ``ids.shape + params.shape[1:]``); ``params`` may be a list
    of shards ("div" strategy). With ``max_norm`` each embedding is clipped to that L2 norm. Ragged ``ids``
    give a ragged result with their rows."""
    if isinstance(ids, RaggedTensor):
        return ids.with_flat_values(embedding_lookup(params, ids.flat_values, max_norm, name))
    ids = convert_to_tensor(ids)
    if not ids.dtype.is_integer:
        raise TypeError(f"embedding_lookup ids must be int32 or int64, received {ids.dtype.name}")
    return array_ops.gather(_clip_rows(_table(params), max_norm), ids)


def _flatten_leading(sp: SparseTensor) -> tuple:
    """(a rank-2 sparse tensor whose rows are the positions of ``sp``'s leading dimensions, those dimensions)."""
    rank = len(sp.shape)
    if rank < 2:
        raise ValueError(f"safe_embedding_lookup_sparse needs sparse ids of rank >= 2, received rank {rank}")
    if isinstance(sp, GraphSparseTensor):
        dims = sp.shape.as_list()
        if rank == 2:
            return sp, [dims[0]]
        if any(d is None for d in dims):
            raise ValueError(
                f"safe_embedding_lookup_sparse inside a graph needs a known dense shape for rank-{rank} ids, "
                f"received {sp.shape}"
            )
        rows = sp.indices[:, 0]
        for k in range(1, rank - 1):
            rows = rows * dims[k] + sp.indices[:, k]
        lead = dims[:-1]
        indices = array_ops.stack([rows, sp.indices[:, rank - 1]], axis=1)
        n_rows = int(np.prod(lead))
        shape = convert_to_tensor(np.array([n_rows, dims[-1]], np.int64))
        return GraphSparseTensor(indices, sp.values, shape, TensorShape([n_rows, dims[-1]])), lead
    lead = [int(d) for d in sp._shape[:-1]]
    if rank == 2:
        return sp, lead
    rows = np.ravel_multi_index(tuple(sp._indices[:, :-1].T), lead) if len(sp._indices) else np.zeros(0, np.int64)
    indices = np.stack([rows, sp._indices[:, -1]], axis=1).astype(np.int64)
    return SparseTensor(indices, sp.values, [int(np.prod(lead)), int(sp._shape[-1])]), lead


def safe_embedding_lookup_sparse(
    embedding_weights: Any,
    sparse_ids: Any,
    sparse_weights: Any = None,
    combiner: str = "mean",
    default_id: Any = None,
    max_norm: Any = None,
    name: Optional[str] = None,
    allow_fast_lookup: bool = False,
) -> Tensor:
    """``embedding_lookup_sparse`` over the last dimension of ``sparse_ids`` (any rank >= 2), after dropping ids
    below 0 and (unless ``combiner="sum"``) entries whose weight is not positive; a row left empty gives the
    embedding of ``default_id``, or zeros. The result has shape ``dense_shape[:-1] + params.shape[1:]``."""
    from .sparse_ops import embedding_lookup_sparse

    if not isinstance(sparse_ids, SparseTensor):
        raise TypeError(
            f"safe_embedding_lookup_sparse expects a SparseTensor of ids, received {type(sparse_ids).__name__}"
        )
    if combiner not in ("sum", "mean", "sqrtn"):
        raise ValueError(f"combiner must be one of 'mean', 'sqrtn' or 'sum', received {combiner!r}")
    if isinstance(embedding_weights, (list, tuple)) and not embedding_weights:
        raise ValueError(f"Missing embedding_weights {embedding_weights}.")
    table = _clip_rows(_table(embedding_weights, None if sparse_weights is None else sparse_weights.dtype), max_norm)
    ids, lead = _flatten_leading(sparse_ids)
    id_values = ids.values
    valid = math_ops.greater_equal(id_values, array_ops.zeros_like(id_values))
    if sparse_weights is None:
        weights = array_ops.ones_like(array_ops.cast(id_values, table.dtype))
    else:
        weights = array_ops.cast(sparse_weights.values, table.dtype)
        if combiner != "sum":
            valid = math_ops.logical_and(valid, math_ops.greater(weights, 0.0))
    # Pruning keeps every entry but gives the pruned ones weight 0 (and a safe id), so shapes stay static.
    weights = array_ops.where(valid, weights, array_ops.zeros_like(weights))
    safe_ids = array_ops.where(valid, id_values, array_ops.zeros_like(id_values))
    result = embedding_lookup_sparse(table, ids.with_values(safe_ids), ids.with_values(weights), combiner=combiner)
    counts = embedding_lookup_sparse(
        array_ops.ones([1, 1], dtype=table.dtype),
        ids.with_values(array_ops.zeros_like(id_values)),
        ids.with_values(array_ops.cast(valid, table.dtype)),
        combiner="sum",
    )
    filled = math_ops.greater(counts, 0.0)
    if default_id is None:
        fallback = array_ops.zeros_like(result)
    else:
        fallback = array_ops.expand_dims(array_ops.gather(table, default_id), 0) + array_ops.zeros_like(result)
    result = array_ops.where(filled, result, fallback)
    if len(lead) == 1:
        return result
    return array_ops.reshape(result, list(lead) + list(table.shape)[1:])

"""``tf.compat.v1.nn``'s lookups and sampled losses over embedding tables given as one tensor or a list of
shards: ``embedding_lookup``, ``embedding_lookup_sparse``, ``safe_embedding_lookup_sparse``, ``nce_loss``,
``sampled_softmax_loss``. TF1's ``partition_strategy`` says how ids map to shards: its default "mod" keeps id
``i`` in shard ``i % n``, which the TF2 functions (contiguous "div" blocks) do not read, so the shards are put
back into one table in id order first.
"""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from ...framework.ops import convert_to_tensor
from ...ops import array_ops as _array


def _one_table(params: Any, partition_strategy: str) -> Any:
    """``params`` as one table indexed by id. TF1's default "mod" strategy keeps id ``i`` in shard ``i % n``
    at row ``i // n``; "div" keeps contiguous blocks (the TF2 functions' layout)."""
    if partition_strategy not in ("mod", "div"):
        raise ValueError(f"Unrecognized partition strategy: {partition_strategy}")
    if hasattr(params, "_get_variable_list"):  # a PartitionedVariable: its shards
        params = params._get_variable_list()
    if not isinstance(params, (list, tuple)) or len(params) < 2 or partition_strategy == "div":
        return params
    shards = [convert_to_tensor(p) for p in params]
    sizes = [s.shape[0] for s in shards]
    if any(n is None for n in sizes):
        raise ValueError(f"the 'mod' partition strategy needs shards with known first dimensions, received {sizes}")
    n, total = len(shards), sum(sizes)
    expected = [total // n + (1 if i < total % n else 0) for i in range(n)]
    if sizes != expected:
        raise ValueError(f"embedding shards of sizes {sizes} do not follow the 'mod' partition strategy ({expected})")
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    order = np.array([offsets[i % n] + i // n for i in range(total)], np.int64)
    return _array.gather(_array.concat(shards, 0), order)


def embedding_lookup(
    params: Any,
    ids: Any,
    partition_strategy: str = "mod",
    name: Optional[str] = None,
    validate_indices: bool = True,
    max_norm: Any = None,
) -> Any:
    """The rows of ``params`` (a table, or a list of shards split by ``partition_strategy``) at ``ids``."""
    from ...ops.embedding_ops import embedding_lookup as _lookup

    return _lookup(_one_table(params, partition_strategy), ids, max_norm=max_norm, name=name)


def embedding_lookup_sparse(
    params: Any,
    sp_ids: Any,
    sp_weights: Any,
    partition_strategy: str = "mod",
    name: Optional[str] = None,
    combiner: Any = None,
    max_norm: Any = None,
    allow_fast_lookup: bool = False,
) -> Any:
    from ...ops.sparse_ops import embedding_lookup_sparse as _lookup_sparse

    return _lookup_sparse(
        _one_table(params, partition_strategy),
        sp_ids,
        sp_weights,
        combiner=combiner or "mean",
        max_norm=max_norm,
        name=name,
        allow_fast_lookup=allow_fast_lookup,
    )


def safe_embedding_lookup_sparse(
    embedding_weights: Any,
    sparse_ids: Any,
    sparse_weights: Any = None,
    combiner: str = "mean",
    default_id: Any = None,
    name: Optional[str] = None,
    partition_strategy: str = "div",
    max_norm: Any = None,
    allow_fast_lookup: bool = False,
) -> Any:
    from ...ops.embedding_ops import safe_embedding_lookup_sparse as _safe

    return _safe(
        _one_table(embedding_weights, partition_strategy),
        sparse_ids,
        sparse_weights,
        combiner=combiner,
        default_id=default_id,
        max_norm=max_norm,
        name=name,
        allow_fast_lookup=allow_fast_lookup,
    )


def nce_loss(
    weights: Any,
    biases: Any,
    labels: Any,
    inputs: Any,
    num_sampled: int,
    num_classes: int,
    num_true: int = 1,
    sampled_values: Any = None,
    remove_accidental_hits: bool = False,
    partition_strategy: str = "mod",
    name: str = "nce_loss",
) -> Any:
    from ...ops.sampled_loss_ops import nce_loss as _nce

    return _nce(
        _one_table(weights, partition_strategy),
        biases,
        labels,
        inputs,
        num_sampled,
        num_classes,
        num_true=num_true,
        sampled_values=sampled_values,
        remove_accidental_hits=remove_accidental_hits,
        name=name,
    )


def sampled_softmax_loss(
    weights: Any,
    biases: Any,
    labels: Any,
    inputs: Any,
    num_sampled: int,
    num_classes: int,
    num_true: int = 1,
    sampled_values: Any = None,
    remove_accidental_hits: bool = True,
    partition_strategy: str = "mod",
    name: str = "sampled_softmax_loss",
    seed: Any = None,
) -> Any:
    from ...ops.sampled_loss_ops import sampled_softmax_loss as _sampled

    return _sampled(
        _one_table(weights, partition_strategy),
        biases,
        labels,
        inputs,
        num_sampled,
        num_classes,
        num_true=num_true,
        sampled_values=sampled_values,
        remove_accidental_hits=remove_accidental_hits,
        seed=seed,
        name=name,
    )

"""``tf.compat.v1.nn``'s lookups and sampled losses over embedding tables given as one tensor or a list of
shards: ``embedding_lookup``, ``embedding_lookup_sparse``, ``safe_embedding_lookup_sparse``, ``nce_loss``,
``sampled_softmax_loss``. TF1's ``partition_strategy`` says how ids map to shards: its default "mod" keeps id
``i`` in shard ``i % n``, which the TF2 functions (contiguous "div" blocks) do not read, so the shards are put
back into one table in id order first.
"""

from __future__ import annotations

import inspect
from typing import Any, Callable, Optional

import numpy as np

from ...framework.ops import convert_to_tensor
from ...ops import array_ops as _array
from ...ops import sampled_loss_ops as _sampled_loss_ops


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


def _with_partition_strategy(v2: Callable[..., Any]) -> Callable[..., Any]:
    """TF1's form of the TF2 sampled loss ``v2``: the same arguments plus ``partition_strategy`` (how the shards
    of ``weights`` split the ids, default "mod") before ``name``, and ``seed``, where ``v2`` takes one, last, as
    in TF1's signatures; the shards are put back into one table, then ``v2`` computes the loss."""
    params = inspect.signature(v2).parameters
    strategy = inspect.Parameter(
        "partition_strategy", inspect.Parameter.POSITIONAL_OR_KEYWORD, default="mod", annotation="str"
    )
    order = [p for n, p in params.items() if n not in ("name", "seed")] + [strategy, params["name"]]
    signature = inspect.Signature(order + ([params["seed"]] if "seed" in params else []))

    def v1(*args: Any, **kwargs: Any) -> Any:
        try:
            bound = signature.bind(*args, **kwargs)
        except TypeError as e:  # as Python words it for a plain function
            raise TypeError(f"{v2.__name__}() {e}") from None
        bound.apply_defaults()
        arguments = bound.arguments
        arguments["weights"] = _one_table(arguments["weights"], arguments.pop("partition_strategy"))
        return v2(**arguments)

    v1.__name__ = v1.__qualname__ = v2.__name__
    v1.__module__ = __name__
    v1.__signature__ = signature  # type: ignore[attr-defined]
    v1.__doc__ = f"TF1's ``{v2.__name__}``: the TF2 loss over ``weights`` given as one table or shards."
    return v1


nce_loss = _with_partition_strategy(_sampled_loss_ops.nce_loss)
sampled_softmax_loss = _with_partition_strategy(_sampled_loss_ops.sampled_softmax_loss)

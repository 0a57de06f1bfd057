"""``tf.compat.v1.nn``'s non-convolution functions with TF1's signatures: ``dropout(x, keep_prob)``, the
cross entropies (``softmax_cross_entropy_with_logits`` stops the labels' gradient, as TF1's does),
``moments(..., keep_dims)``, ``xw_plus_b`` / ``relu_layer``, ``embedding_lookup`` with TF1's default "mod"
partitioning of sharded tables, ``crelu(features, name, axis)`` ...
"""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from ...framework.ops import convert_to_tensor
from ...ops import array_ops as _array
from ...ops import nn_ops as _nn
from .arg_lookup import lookup


def dropout(
    x: Any,
    keep_prob: Any = None,
    noise_shape: Any = None,
    seed: Any = None,
    name: Optional[str] = None,
    rate: Any = None,
) -> Any:
    """Keeps each element with probability ``keep_prob`` (TF1) or drops it with probability ``rate``, scaling
    the kept ones by ``1 / keep_prob``. ``keep_prob`` may be a placeholder fed at each run."""
    try:
        rate_from_keep_prob = None if keep_prob is None else 1.0 - keep_prob
    except TypeError:
        raise ValueError(
            f"`keep_prob` must be a floating point number or Tensor. Received: keep_prob={keep_prob}"
        ) from None
    rate = lookup("rate", rate, "keep_prob", rate_from_keep_prob)
    if rate is None:
        raise ValueError(f"`rate` must be provided. Received: rate={rate}")
    return _nn.dropout(x, rate, noise_shape=noise_shape, seed=seed, name=name)


def softmax_cross_entropy_with_logits_v2(
    labels: Any, logits: Any, axis: Any = None, name: Optional[str] = None, dim: Any = None
) -> Any:
    """Cross entropy of ``softmax(logits)`` against the distributions ``labels`` (gradients reach both)."""
    axis = lookup("axis", axis, "dim", dim)
    return _nn.softmax_cross_entropy_with_logits(
        labels=labels, logits=logits, axis=-1 if axis is None else axis, name=name
    )


def softmax_cross_entropy_with_logits(
    labels: Any = None, logits: Any = None, dim: Any = -1, name: Optional[str] = None, axis: Any = None
) -> Any:
    """TF1's softmax cross entropy: as the v2 function, but no gradient flows into ``labels``."""
    from ...ops.array_ops import stop_gradient

    dim = lookup("axis", axis, "dim", dim)
    if labels is None or logits is None:
        raise ValueError("Both labels and logits must be provided.")
    return softmax_cross_entropy_with_logits_v2(stop_gradient(convert_to_tensor(labels)), logits, axis=dim, name=name)


def weighted_cross_entropy_with_logits(
    labels: Any = None, logits: Any = None, pos_weight: Any = None, name: Optional[str] = None, targets: Any = None
) -> Any:
    from ...ops.nn_loss_extra_ops import weighted_cross_entropy_with_logits as _weighted

    labels = lookup("labels", labels, "targets", targets)
    return _weighted(labels, logits, pos_weight, name=name)


def moments(
    x: Any, axes: Any, shift: Any = None, name: Optional[str] = None, keep_dims: Any = None, keepdims: Any = None
) -> tuple:
    """(mean, variance) of ``x`` over ``axes``; ``keep_dims`` is TF1's name of ``keepdims``."""
    keepdims = lookup("keepdims", keepdims, "keep_dims", keep_dims)
    return _nn.moments(x, axes, shift=shift, keepdims=bool(keepdims), name=name)


def sufficient_statistics(
    x: Any, axes: Any, shift: Any = None, keep_dims: Any = None, name: Optional[str] = None, keepdims: Any = None
) -> tuple:
    from ...ops.nn_moments_ops import sufficient_statistics as _stats

    keepdims = lookup("keepdims", keepdims, "keep_dims", keep_dims)
    return _stats(x, axes, shift=shift, keepdims=bool(keepdims), name=name)


def weighted_moments(
    x: Any,
    axes: Any,
    frequency_weights: Any,
    name: Optional[str] = None,
    keep_dims: Any = None,
    keepdims: Any = None,
) -> tuple:
    from ...ops.nn_moments_ops import weighted_moments as _weighted_moments

    keepdims = lookup("keepdims", keepdims, "keep_dims", keep_dims)
    return _weighted_moments(x, axes, frequency_weights, keepdims=bool(keepdims), name=name)


def xw_plus_b(x: Any, weights: Any, biases: Any, name: Optional[str] = None) -> Any:
    """``matmul(x, weights) + biases`` (a dense layer's pre-activation)."""
    from ...ops.math_ops import matmul

    return _nn.bias_add(matmul(x, weights), biases, name=name or "xw_plus_b")


def relu_layer(x: Any, weights: Any, biases: Any, name: Optional[str] = None) -> Any:
    """``relu(matmul(x, weights) + biases)``."""
    from ...ops.math_ops import matmul

    return _nn.relu(_nn.bias_add(matmul(x, weights), biases), name=name or "relu_layer")


def crelu(features: Any, name: Optional[str] = None, axis: int = -1) -> Any:
    from ...ops.nn_loss_extra_ops import crelu as _crelu

    return _crelu(features, axis=axis, name=name)


def depth_to_space(input: Any, block_size: int, name: Optional[str] = None, data_format: str = "NHWC") -> Any:  # noqa: A002
    from ...ops.space_depth_ops import depth_to_space as _depth_to_space

    return _depth_to_space(input, block_size, data_format=data_format, name=name)


def space_to_depth(input: Any, block_size: int, name: Optional[str] = None, data_format: str = "NHWC") -> Any:  # noqa: A002
    from ...ops.space_depth_ops import space_to_depth as _space_to_depth

    return _space_to_depth(input, block_size, data_format=data_format, name=name)


def batch_norm_with_global_normalization(
    t: Any = None,
    m: Any = None,
    v: Any = None,
    beta: Any = None,
    gamma: Any = None,
    variance_epsilon: Any = None,
    scale_after_normalization: Any = None,
    name: Optional[str] = None,
    input: Any = None,  # noqa: A002
    mean: Any = None,
    variance: Any = None,
) -> Any:
    from ...ops.nn_misc_ops import batch_norm_with_global_normalization as _bn

    t = lookup("input", input, "t", t)
    m = lookup("mean", mean, "m", m)
    v = lookup("variance", variance, "v", v)
    return _bn(t, m, v, beta, gamma, variance_epsilon, scale_after_normalization, name=name)


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


def ctc_loss(
    labels: Any,
    inputs: Any = None,
    sequence_length: Any = None,
    preprocess_collapse_repeated: bool = False,
    ctc_merge_repeated: bool = True,
    ignore_longer_outputs_than_inputs: bool = False,
    time_major: bool = True,
    logits: Any = None,
) -> Any:
    """TF1's CTC loss: sparse ``labels``, ``inputs`` logits with the blank as the last class, per-example
    ``sequence_length``. TensorFlow's defaults (no collapsing, repeats merged) are what TF2's loss computes;
    the other settings of those flags are refused."""
    from ...ops.ctc_ops import ctc_loss as _ctc

    inputs = lookup("logits", logits, "inputs", inputs)
    if preprocess_collapse_repeated or not ctc_merge_repeated or ignore_longer_outputs_than_inputs:
        raise NotImplementedError(
            "ctc_loss supports preprocess_collapse_repeated=False, ctc_merge_repeated=True and "
            "ignore_longer_outputs_than_inputs=False (TensorFlow's defaults)"
        )
    return _ctc(labels, inputs, None, sequence_length, logits_time_major=time_major, blank_index=-1)

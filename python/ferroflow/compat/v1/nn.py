"""``tf.compat.v1.nn``: ``tf.nn`` with TF1's signatures where they differ (``dropout(x, keep_prob)``,
``conv2d(input, filter, ...)``, ``max_pool(value, ...)``, ``softmax(logits, dim)``, ``moments(...,
keep_dims)``, ``embedding_lookup(..., partition_strategy="mod")``, ``in_top_k(predictions, targets, k)``)
and TF1's extra functions (``xw_plus_b``, ``relu_layer``, ``softmax_cross_entropy_with_logits_v2``, the
candidate samplers). Every other name is ``tf.nn``'s."""

from __future__ import annotations

import importlib
from typing import Any

# name -> module under ferroflow that defines it (the TF1 signature or name).
_NAMES = {
    **dict.fromkeys(["softmax", "log_softmax", "l2_normalize", "softplus", "in_top_k"], "compat.v1.math_v1"),
    "space_to_batch": "compat.v1.array_v1",
    **dict.fromkeys(
        [
            "conv1d",
            "conv2d",
            "conv3d",
            "conv2d_transpose",
            "conv3d_transpose",
            "convolution",
            "depthwise_conv2d",
            "depthwise_conv2d_native",
            "separable_conv2d",
            "max_pool",
            "avg_pool",
            "avg_pool2d",
            "max_pool_v2",
            "avg_pool_v2",
            "pool",
            "dilation2d",
            "erosion2d",
            "max_pool_with_argmax",
        ],
        "compat.v1.nn_v1_conv",
    ),
    **dict.fromkeys(
        [
            "dropout",
            "softmax_cross_entropy_with_logits",
            "softmax_cross_entropy_with_logits_v2",
            "weighted_cross_entropy_with_logits",
            "moments",
            "sufficient_statistics",
            "weighted_moments",
            "xw_plus_b",
            "relu_layer",
            "crelu",
            "depth_to_space",
            "space_to_depth",
            "batch_norm_with_global_normalization",
            "ctc_loss",
        ],
        "compat.v1.nn_v1",
    ),
    **dict.fromkeys(
        [
            "embedding_lookup",
            "embedding_lookup_sparse",
            "safe_embedding_lookup_sparse",
            "nce_loss",
            "sampled_softmax_loss",
        ],
        "compat.v1.nn_v1_embedding",
    ),
    **dict.fromkeys(
        ["dynamic_rnn", "static_rnn", "bidirectional_dynamic_rnn", "static_bidirectional_rnn"], "compat.v1.rnn"
    ),
    **dict.fromkeys(
        [
            "uniform_candidate_sampler",
            "log_uniform_candidate_sampler",
            "learned_unigram_candidate_sampler",
            "fixed_unigram_candidate_sampler",
            "all_candidate_sampler",
        ],
        "random",
    ),
}


def __getattr__(name: str) -> Any:
    from ... import nn as _nn

    if name == "rnn_cell":
        value = importlib.import_module("ferroflow.compat.v1.rnn_cell")
    elif name in _NAMES:
        value = getattr(importlib.import_module(f"ferroflow.{_NAMES[name]}"), name)
    else:
        try:
            value = getattr(_nn, name)
        except AttributeError:
            raise AttributeError(f"module 'ferroflow.compat.v1.nn' has no attribute '{name}'") from None
    globals()[name] = value
    return value


def __dir__() -> list:
    from ... import nn as _nn
    from ... import random as _random

    own = {name for name, module in _NAMES.items() if module != "random" or hasattr(_random, name)}
    return sorted(set(dir(_nn)) | own | {"rnn_cell"})

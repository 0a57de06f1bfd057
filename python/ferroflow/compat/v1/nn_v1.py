"""``tf.compat.v1.nn``'s non-convolution functions with TF1's signatures: ``dropout(x, keep_prob)``, the
cross entropies (``softmax_cross_entropy_with_logits`` stops the labels' gradient, as TF1's does),
``moments(..., keep_dims)``, ``xw_plus_b`` / ``relu_layer``, ``crelu(features, name, axis)`` ... The lookups and
losses over sharded tables (``embedding_lookup``, ``nce_loss`` ...) are in :mod:`.nn_v1_embedding`.
"""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from ...framework.ops import convert_to_tensor
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
    _check_v1_labels(labels, inputs)
    return _ctc(labels, inputs, None, sequence_length, logits_time_major=time_major, blank_index=-1)


def _check_v1_labels(labels: Any, inputs: Any) -> None:
    """TF1's CTC kernel refuses a label that is the blank class (the last) or beyond, and a negative one: an
    eager call checks the label values as it does (traced values are not known yet)."""
    from ..._core import InvalidArgumentError
    from ...framework import context

    values = getattr(labels, "values", None)
    classes = getattr(getattr(inputs, "shape", None), "__getitem__", lambda _: None)(-1)
    if context.current_graph() is not None or values is None or classes is None:
        return
    values = np.asarray(values)
    bad = values[(values >= classes - 1) | (values < 0)]
    if bad.size:
        raise InvalidArgumentError(
            f"Saw a non-null label (index >= num_classes - 1) following a null label: label {int(bad[0])} with "
            f"num_classes {classes} (the last class, {classes - 1}, is the blank)",
        )

"""Losses over a sample of the classes: ``tf.nn.nce_loss`` and ``tf.nn.sampled_softmax_loss``.

Both score the true classes and ``num_sampled`` sampled ones (``log_uniform_candidate_sampler`` with
``unique=True`` unless ``sampled_values`` are given) from the rows of ``weights`` and ``biases`` (a table or
its "div" shards), subtract ``log(expected count)`` of each class, and optionally mask sampled classes that are
also true classes of the row ("accidental hits") with ``-FLT_MAX``, as TensorFlow's ``_compute_sampled_logits``.
"""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor
from . import array_ops, math_ops, nn_ops
from .candidate_sampling_ops import log_uniform_candidate_sampler
from .embedding_ops import _table
from .math_derived_ops import reduce_any

_FLT_MAX = float(np.finfo(np.float32).max)


def _sampled_logits(
    weights: Any,
    biases: Any,
    labels: Any,
    inputs: Any,
    num_sampled: int,
    num_classes: int,
    num_true: int,
    sampled_values: Any,
    remove_accidental_hits: bool,
    seed: Optional[int] = None,
    name: Optional[str] = None,
) -> tuple:
    """(logits ``[batch, num_true + num_sampled]``, their target weights ``1/num_true`` then zeros). Takes the
    losses' own arguments (``name`` is not used: ops are named by the graph)."""
    inputs = convert_to_tensor(inputs)
    labels = convert_to_tensor(labels)
    if not labels.dtype.is_integer:
        raise TypeError(f"labels must be an integer tensor [batch, num_true], received {labels.dtype.name}")
    labels = array_ops.cast(labels, "int64")
    if labels.shape.rank != 2 or (labels.shape[1] is not None and labels.shape[1] != num_true):
        raise ValueError(f"labels must have shape [batch_size, num_true={num_true}], received {labels.shape}")
    if sampled_values is None:
        sampled_values = log_uniform_candidate_sampler(labels, num_true, num_sampled, True, num_classes, seed=seed)
    sampled, true_expected, sampled_expected = (array_ops.stop_gradient(convert_to_tensor(s)) for s in sampled_values)
    sampled = array_ops.cast(sampled, "int64")
    table = _table(weights)
    bias = _table(biases)
    true_w = array_ops.gather(table, labels)  # [batch, num_true, dim]
    sampled_w = array_ops.gather(table, sampled)  # [num_sampled, dim]
    if true_w.dtype != inputs.dtype:
        true_w, sampled_w = array_ops.cast(true_w, inputs.dtype), array_ops.cast(sampled_w, inputs.dtype)
    true_logits = math_ops.reduce_sum(math_ops.multiply(array_ops.expand_dims(inputs, 1), true_w), axis=2)
    sampled_logits = math_ops.matmul(inputs, sampled_w, transpose_b=True)
    true_b, sampled_b = array_ops.gather(bias, labels), array_ops.gather(bias, sampled)
    if true_b.dtype != inputs.dtype:
        true_b, sampled_b = array_ops.cast(true_b, inputs.dtype), array_ops.cast(sampled_b, inputs.dtype)
    true_logits = math_ops.add(true_logits, true_b)
    sampled_logits = math_ops.add(sampled_logits, sampled_b)
    if remove_accidental_hits:
        # [batch, num_sampled]: the sampled class is one of the row's true classes.
        hits = reduce_any(
            math_ops.equal(array_ops.expand_dims(labels, 2), array_ops.reshape(sampled, [1, 1, -1])), axis=1
        )
        penalty = array_ops.where(hits, _FLT_MAX, 0.0)
        sampled_logits = math_ops.subtract(sampled_logits, array_ops.cast(penalty, sampled_logits.dtype))
    true_logits = math_ops.subtract(true_logits, math_ops.log(array_ops.cast(true_expected, inputs.dtype)))
    sampled_logits = math_ops.subtract(sampled_logits, math_ops.log(array_ops.cast(sampled_expected, inputs.dtype)))
    logits = array_ops.concat([true_logits, sampled_logits], 1)
    targets = array_ops.concat(
        [math_ops.divide(array_ops.ones_like(true_logits), float(num_true)), array_ops.zeros_like(sampled_logits)], 1
    )
    return logits, targets


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
    name: str = "nce_loss",
) -> Tensor:
    """Noise-contrastive estimation: per example, the sigmoid cross-entropy of the true classes (target
    ``1/num_true``) and sampled classes (target 0), summed. ``weights`` ``[num_classes, dim]``, ``biases``
    ``[num_classes]``, ``labels`` ``[batch, num_true]``, ``inputs`` ``[batch, dim]``."""
    logits, targets = _sampled_logits(**locals())  # the loss's arguments, as they are
    losses = nn_ops.sigmoid_cross_entropy_with_logits(labels=targets, logits=logits)
    return math_ops.reduce_sum(losses, axis=1)


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
    seed: Optional[int] = None,
    name: str = "sampled_softmax_loss",
) -> Tensor:
    """The softmax cross-entropy over the true and sampled classes only (a cheaper training loss for many
    classes): per example, ``[batch]``."""
    logits, targets = _sampled_logits(**locals())  # the loss's arguments, as they are
    return nn_ops.softmax_cross_entropy_with_logits(labels=array_ops.stop_gradient(targets), logits=logits)

"""``tf.nn.ctc_loss``: connectionist temporal classification, the forward-backward recursion in log space
composed of ops: unrolled over the frames where their number is known when the graph is built (and eagerly),
else as ``scan`` loops (a speech model's input of ``(None, features)``); the label width may be known only
when the graph runs.

The loss is ``-log p(labels | logits)`` summed over every alignment of the blank-extended label sequence
``[blank, l1, blank, l2, ..., blank]``. Its gradient with respect to the logits, ``softmax - occupancy``, comes
from the forward and backward variables through ``custom_gradient``, as TensorFlow computes it.
"""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from .._core import InvalidArgumentError
from ..framework import context
from ..framework.custom_gradient import custom_gradient
from ..framework.graph_composites import GraphSparseTensor
from ..framework.ops import apply, convert_to_tensor
from ..framework.sparse_tensor import SparseTensor
from ..framework.tensor import Tensor
from . import array_ops, math_ops, nn_ops
from ._ctc_lattice import _Lattice, variables
from .structure_ops import sequence_mask


def _ctc_core(logits: Tensor, labels: Tensor, label_length: Tensor, logit_length: Tensor) -> Tensor:
    """Per-sequence loss for time-major ``logits`` whose blank is class 0 (their number of frames may be known
    only when the graph runs)."""
    frames, classes = logits.shape[0], logits.shape[2]
    if frames is None:
        frames = array_ops.shape(logits, out_type=logit_length.dtype)[0]
    lattice = _Lattice(labels, label_length, logit_length, frames, logits.dtype)

    @custom_gradient
    def loss_of(x: Tensor) -> tuple:
        log_probs = nn_ops.log_softmax(array_ops.transpose(x, [1, 0, 2]))  # [batch, frames, classes]
        one_hot = array_ops.one_hot(lattice.ext, classes, dtype=x.dtype)  # [batch, states, classes]
        # [frames, batch, states]: each sequence's frames times its one-hot states.
        emit = array_ops.transpose(math_ops.matmul(log_probs, one_hot, transpose_b=True), [1, 0, 2])
        alphas = variables(lattice, emit, backward=False)
        log_likelihood = math_ops.reduce_logsumexp(math_ops.add(alphas[-1], lattice.final), axis=1)

        def grad(upstream: Tensor) -> Tensor:
            betas = variables(lattice, emit, backward=True)
            ll = array_ops.reshape(log_likelihood, [1, -1, 1])
            occupancy = math_ops.exp(math_ops.subtract(math_ops.add(alphas, betas), ll))  # [frames, batch, states]
            per_class = math_ops.matmul(array_ops.transpose(occupancy, [1, 0, 2]), one_hot)  # [batch, frames, classes]
            g = math_ops.subtract(math_ops.exp(log_probs), per_class)
            g = math_ops.multiply(g, array_ops.expand_dims(lattice.time_mask, 2))
            g = math_ops.multiply(g, array_ops.reshape(upstream, [-1, 1, 1]))
            return array_ops.transpose(g, [1, 0, 2])

        return math_ops.negative(log_likelihood), grad

    return loss_of(logits)


def _sparse_to_dense(labels: SparseTensor) -> tuple:
    """(dense labels ``[batch, max_len]``, lengths) from a sparse ``[batch, max_len]`` label tensor, each row's
    values in order."""
    if isinstance(labels, GraphSparseTensor):
        from .sparse_ops import reduce_sum, to_dense

        if labels.shape.rank != 2:
            raise ValueError(f"ctc_loss expects sparse labels of rank 2 [batch, max_len], received {labels.shape}")
        ones = labels.with_values(array_ops.ones_like(labels.values))
        return to_dense(labels), reduce_sum(ones, axis=1)
    idx = labels._indices
    rows = idx[:, 0] if len(idx) else np.zeros(0, np.int64)
    batch = int(labels._shape[0])
    lengths = np.bincount(rows, minlength=batch).astype(np.int32)
    width = max(int(lengths.max()) if batch else 0, 1)
    position = np.zeros(len(rows), np.int64)
    order = np.lexsort((idx[:, 1], rows)) if len(rows) else np.zeros(0, np.int64)
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]) if batch else np.zeros(0, np.int64)
    position[order] = np.arange(len(rows)) - starts[rows[order]]
    dense = np.zeros((batch, width), np.int64)
    dense[rows, position] = labels.values.numpy()
    return convert_to_tensor(dense.astype(labels.values.dtype.as_numpy_dtype)), convert_to_tensor(lengths)


def _check_lengths_eagerly(labels: Tensor, label_length: Tensor, logit_length: Tensor) -> None:
    """TensorFlow's sparse-label kernel refuses a label longer than its sequence."""
    if context.current_graph() is not None:
        return
    need, have = np.asarray(label_length), np.asarray(logit_length)
    for b in np.flatnonzero(need > have):
        raise InvalidArgumentError(
            f"Not enough time for target transition sequence (required: {need[b]}, available: {have[b]}) "
            f"for batch entry {b}"
        )


def _required_frames(labels: Tensor, label_length: Tensor) -> Tensor:
    """Frames each labelling needs: its length plus one blank between each pair of repeated labels."""
    max_len = labels.shape[1]
    if max_len is not None and max_len < 2:
        return label_length
    if max_len is None:
        # The width is known only when the graph runs: compare positions with the lengths directly.
        pairs = array_ops.range(array_ops.shape(labels, out_type=label_length.dtype)[1] - 1, dtype=label_length.dtype)
        inside = math_ops.less(array_ops.expand_dims(pairs, 0), array_ops.expand_dims(label_length - 1, 1))
    else:
        inside = sequence_mask(label_length - 1, max_len - 1)
    repeats = math_ops.logical_and(math_ops.equal(labels[:, 1:], labels[:, :-1]), inside)
    return label_length + math_ops.reduce_sum(array_ops.cast(repeats, label_length.dtype), axis=1)


def ctc_loss(
    labels: Any,
    logits: Any,
    label_length: Any,
    logit_length: Any,
    logits_time_major: bool = True,
    unique: Any = None,
    blank_index: Optional[int] = None,
    name: Optional[str] = None,
) -> Tensor:
    """``tf.nn.ctc_loss``: the negative log-probability of each sequence's labels under ``logits``
    (``[frames, batch, classes]``, or batch-major with ``logits_time_major=False``). ``labels`` are dense
    ``[batch, max_len]`` with ``label_length`` (blank class 0 unless ``blank_index``), or a ``SparseTensor``
    (``label_length`` None, ``blank_index`` required). ``unique`` is accepted and not needed."""
    sparse = isinstance(labels, SparseTensor)
    if sparse and blank_index is None:
        raise ValueError("Argument `blank_index` must be provided when `labels` is a `SparseTensor`.")
    logits = convert_to_tensor(logits)
    if not logits.dtype.is_floating:
        raise TypeError(f"ctc_loss expects float32 or float64 logits, received {logits.dtype.name}")
    if logits.shape.rank != 3:
        raise ValueError(f"ctc_loss expects logits of rank 3 [frames, batch, classes], received shape {logits.shape}")
    if not logits_time_major:
        logits = array_ops.transpose(logits, [1, 0, 2])
    classes = logits.shape[2]
    if classes is None:
        raise ValueError(
            "ctc_loss needs the number of classes (the logits' last dimension) known when the graph is built, "
            f"received logits of shape {logits.shape}"
        )
    if logit_length is None:
        raise ValueError("ctc_loss needs logit_length, the number of frames of each sequence")
    logit_length = convert_to_tensor(logit_length)
    if sparse:
        labels, label_length = _sparse_to_dense(labels)
    else:
        if label_length is None:
            raise ValueError("ctc_loss with dense labels needs label_length, the length of each label sequence")
        labels, label_length = convert_to_tensor(labels), convert_to_tensor(label_length)
    if not labels.dtype.is_integer:
        raise TypeError(f"ctc_loss expects integer labels, received {labels.dtype.name}")
    if labels.shape.rank != 2:
        raise ValueError(f"ctc_loss expects labels of rank 2 [batch, max_len], received shape {labels.shape}")
    label_length = array_ops.cast(label_length, "int32")
    logit_length = array_ops.cast(logit_length, "int32")
    blank = 0 if blank_index is None else int(blank_index)
    if blank < 0:
        blank += classes
    if not 0 <= blank < classes:
        raise ValueError(f"blank_index must be in [-{classes}, {classes}), received {blank_index}")
    if blank != 0:
        # The recursion takes the blank as class 0: rotate it there and renumber the labels below it.
        logits = array_ops.concat([logits[:, :, blank : blank + 1], logits[:, :, :blank], logits[:, :, blank + 1 :]], 2)
        labels = array_ops.where(math_ops.less(labels, blank), labels + 1, labels)
    if sparse:
        _check_lengths_eagerly(labels, label_length, logit_length)
    loss = _ctc_core(logits, labels, label_length, logit_length)
    if sparse:
        loss = _infinite_where_too_few_frames(loss, labels, label_length, logit_length)
    return loss


def _infinite_where_too_few_frames(loss: Tensor, labels: Tensor, label_length: Tensor, logit_length: Tensor) -> Tensor:
    """``loss``, infinite where a labelling's repeats need more frames than its sequence has (as TensorFlow's
    sparse-label kernel gives it)."""
    impossible = math_ops.greater(_required_frames(labels, label_length), logit_length)
    return array_ops.where(impossible, apply("fill_like", [loss], {"value": float("inf")}), loss)


def _dense_loss_as_sparse_kernel(labels: Any, logits: Any, label_length: Any, logit_length: Any) -> Tensor:
    """The loss of TensorFlow's sparse-label kernel (time-major logits, blank the last class) for dense labels
    whose rows hold ``label_length`` labels: a label longer than its sequence is refused when run eagerly, a
    labelling whose repeats need more frames than there are costs infinity."""
    labels = convert_to_tensor(labels)
    label_length = array_ops.cast(convert_to_tensor(label_length), "int32")
    logit_length = array_ops.cast(convert_to_tensor(logit_length), "int32")
    _check_lengths_eagerly(labels, label_length, logit_length)
    loss = ctc_loss(labels, logits, label_length, logit_length, blank_index=-1)
    return _infinite_where_too_few_frames(loss, labels, label_length, logit_length)

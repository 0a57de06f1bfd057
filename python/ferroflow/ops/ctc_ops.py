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
from .structure_ops import sequence_mask

# TensorFlow's "log 0" for ending in a state other than the last two (log of 1e-307): an impossible labelling
# costs about 710 rather than infinity. Starts and transitions that cannot happen use a far smaller number.
_LOG0 = float(np.log(1e-307))
_NEG = -1e30


def _lse3(a: Tensor, b: Tensor, c: Tensor) -> Tensor:
    """``log(exp(a) + exp(b) + exp(c))`` elementwise, stable (every input is finite)."""
    m = math_ops.maximum(math_ops.maximum(a, b), c)
    total = math_ops.add(
        math_ops.add(math_ops.exp(math_ops.subtract(a, m)), math_ops.exp(math_ops.subtract(b, m))),
        math_ops.exp(math_ops.subtract(c, m)),
    )
    return math_ops.add(m, math_ops.log(total))


def _shift(x: Tensor, k: int, fill: Any, right: bool) -> Tensor:
    """``x`` moved ``k`` states along axis 1 (towards later states when ``right``), ``fill`` entering."""
    pad = apply("fill_like", [x[:, :k]], {"value": float(fill)})
    return array_ops.concat([pad, x[:, :-k]] if right else [x[:, k:], pad], 1)


def _extended_labels(labels: Tensor) -> Tensor:
    """``[batch, 2 L + 1]``: blank (0) before, between and after the labels (``L`` may be known only when the
    graph runs)."""
    pairs = array_ops.stack([array_ops.zeros_like(labels), labels], axis=2)
    max_len = labels.shape[1]
    if max_len is not None:
        flat = array_ops.reshape(pairs, [-1, 2 * max_len])
    else:
        size = array_ops.shape(labels)
        flat = array_ops.reshape(pairs, array_ops.stack([size[0], 2 * size[1]]))
    return array_ops.concat([flat, array_ops.zeros_like(labels[:, :1])], 1)


def _state_index(ext: Tensor) -> Tensor:
    """``[1, states]`` int64: each state's position along the extended labels."""
    states = ext.shape[1]
    if states is not None:
        return convert_to_tensor(np.arange(states, dtype=np.int64)[None, :])
    return array_ops.expand_dims(array_ops.range(array_ops.shape(ext, out_type="int64")[1]), 0)


class _Lattice:
    """The per-sequence quantities of the recursion, built once from the labels and lengths. ``frames`` is an
    int, or a scalar tensor when the number of frames is known only when the graph runs."""

    def __init__(self, labels: Tensor, label_length: Tensor, logit_length: Tensor, frames: Any, dtype: Any) -> None:
        self.ext = _extended_labels(labels)
        previous2 = array_ops.concat([apply("fill_like", [self.ext[:, :2]], {"value": -1.0}), self.ext[:, :-2]], 1)
        # A label state may be entered from two states back unless that state holds the same label.
        skip = math_ops.logical_and(math_ops.not_equal(self.ext, 0), math_ops.not_equal(self.ext, previous2))
        self.skip = array_ops.where(skip, array_ops.zeros_like(self.ext, dtype=dtype), _NEG)
        index = _state_index(self.ext)
        # Only the leading blank and the first label can start a path.
        self.init = array_ops.where(math_ops.less(index, 2), array_ops.zeros_like(index, dtype=dtype), _NEG)
        last = array_ops.expand_dims(array_ops.cast(label_length, "int64") * 2, 1)
        final = math_ops.logical_or(math_ops.equal(index, last), math_ops.equal(index, last - 1))
        self.final = array_ops.where(final, array_ops.zeros_like(final, dtype=dtype), _LOG0)
        mask = sequence_mask(logit_length, frames)  # [batch, frames]
        if isinstance(frames, int):
            self.active = [array_ops.expand_dims(m, 1) for m in array_ops.unstack(mask, num=frames, axis=1)]
        # [frames, batch, 1]: whether each sequence is still running at each frame, for the loops.
        self.active_frames = array_ops.expand_dims(array_ops.transpose(mask, [1, 0]), 2)
        self.time_mask = array_ops.cast(mask, dtype)


def _alpha_step(lattice: _Lattice, alpha: Tensor, emit: Tensor, active: Tensor) -> Tensor:
    """``alpha_t`` from ``alpha_{t-1}`` and frame ``t``'s emissions; unchanged where the sequence has ended."""
    step = _lse3(alpha, _shift(alpha, 1, _NEG, True), math_ops.add(_shift(alpha, 2, _NEG, True), lattice.skip))
    return array_ops.where(active, math_ops.add(emit, step), alpha)


def _beta_step(lattice: _Lattice, beta: Tensor, emit: Tensor, active: Tensor) -> Tensor:
    """``beta_t`` from ``beta_{t+1}`` and frame ``t + 1``'s emissions and activity."""
    ahead = math_ops.add(emit, beta)
    step = _lse3(ahead, _shift(ahead, 1, _NEG, False), _shift(math_ops.add(ahead, lattice.skip), 2, _NEG, False))
    return array_ops.where(active, step, lattice.final)


def _forward(lattice: _Lattice, emits: list) -> list:
    """The log forward variables ``alpha_t`` (emission at ``t`` included), frozen after each sequence ends."""
    alphas = [math_ops.add(emits[0], lattice.init)]
    for t in range(1, len(emits)):
        alphas.append(_alpha_step(lattice, alphas[-1], emits[t], lattice.active[t]))
    return alphas


def _backward(lattice: _Lattice, emits: list) -> list:
    """The log backward variables ``beta_t`` (emission at ``t`` excluded), the final-state mask from each
    sequence's last frame on."""
    betas = [lattice.final]
    for t in range(len(emits) - 2, -1, -1):
        betas.append(_beta_step(lattice, betas[-1], emits[t + 1], lattice.active[t + 1]))
    return betas[::-1]


def _scanned_variables(lattice: _Lattice, emit: Tensor, backward: bool) -> Tensor:
    """``[frames, batch, states]``: the forward (or backward) variables of time-major emissions through a
    ``scan`` loop, for a number of frames known only when the graph runs."""
    from .functional_ops import scan

    later = (emit[1:], lattice.active_frames[1:])
    if backward:  # beta_t for t = frames - 2 down to 0 (stacked in frame order), then the last frame's
        earlier = scan(lambda b, e: _beta_step(lattice, b, e[0], e[1]), later, initializer=lattice.final, reverse=True)
        return array_ops.concat([earlier, array_ops.expand_dims(lattice.final, 0)], 0)
    first = math_ops.add(emit[0], lattice.init)
    rest = scan(lambda a, e: _alpha_step(lattice, a, e[0], e[1]), later, initializer=first)
    return array_ops.concat([array_ops.expand_dims(first, 0), rest], 0)


def _ctc_core(logits: Tensor, labels: Tensor, label_length: Tensor, logit_length: Tensor) -> Tensor:
    """Per-sequence loss for time-major ``logits`` whose blank is class 0."""
    frames, classes = logits.shape[0], logits.shape[2]
    if frames is None:
        return _scanned_core(logits, labels, label_length, logit_length)
    lattice = _Lattice(labels, label_length, logit_length, frames, logits.dtype)

    @custom_gradient
    def loss_of(x: Tensor) -> tuple:
        log_probs = nn_ops.log_softmax(array_ops.transpose(x, [1, 0, 2]))  # [batch, frames, classes]
        one_hot = array_ops.one_hot(lattice.ext, classes, dtype=x.dtype)  # [batch, states, classes]
        emit = math_ops.matmul(log_probs, one_hot, transpose_b=True)  # [batch, frames, states]
        emits = array_ops.unstack(emit, num=frames, axis=1)
        alphas = _forward(lattice, emits)
        log_likelihood = math_ops.reduce_logsumexp(math_ops.add(alphas[-1], lattice.final), axis=1)

        def grad(upstream: Tensor) -> Tensor:
            betas = _backward(lattice, emits)
            ll = array_ops.expand_dims(log_likelihood, 1)
            occupancy = array_ops.stack(
                [math_ops.exp(math_ops.subtract(math_ops.add(a, b), ll)) for a, b in zip(alphas, betas)], axis=1
            )
            per_class = math_ops.matmul(occupancy, one_hot)  # [batch, frames, classes]
            g = math_ops.subtract(math_ops.exp(log_probs), per_class)
            g = math_ops.multiply(g, array_ops.expand_dims(lattice.time_mask, 2))
            g = math_ops.multiply(g, array_ops.reshape(upstream, [-1, 1, 1]))
            return array_ops.transpose(g, [1, 0, 2])

        return math_ops.negative(log_likelihood), grad

    return loss_of(logits)


def _scanned_core(logits: Tensor, labels: Tensor, label_length: Tensor, logit_length: Tensor) -> Tensor:
    """``_ctc_core`` with the recursions as ``scan`` loops over a number of frames known when the graph runs."""
    classes = logits.shape[2]
    frames = array_ops.shape(logits, out_type=logit_length.dtype)[0]
    lattice = _Lattice(labels, label_length, logit_length, frames, logits.dtype)

    @custom_gradient
    def loss_of(x: Tensor) -> tuple:
        log_probs = nn_ops.log_softmax(x)  # [frames, batch, classes]
        one_hot = array_ops.one_hot(lattice.ext, classes, dtype=x.dtype)  # [batch, states, classes]
        # [frames, batch, states]: each frame's batch of rows times its sequence's one-hot states.
        emit = array_ops.transpose(
            math_ops.matmul(array_ops.transpose(log_probs, [1, 0, 2]), one_hot, transpose_b=True), [1, 0, 2]
        )
        alphas = _scanned_variables(lattice, emit, backward=False)
        log_likelihood = math_ops.reduce_logsumexp(math_ops.add(alphas[-1], lattice.final), axis=1)

        def grad(upstream: Tensor) -> Tensor:
            betas = _scanned_variables(lattice, emit, backward=True)
            ll = array_ops.reshape(log_likelihood, [1, -1, 1])
            occupancy = math_ops.exp(math_ops.subtract(math_ops.add(alphas, betas), ll))  # [frames, batch, states]
            per_class = math_ops.matmul(array_ops.transpose(occupancy, [1, 0, 2]), one_hot)  # [batch, frames, classes]
            g = math_ops.subtract(math_ops.exp(array_ops.transpose(log_probs, [1, 0, 2])), per_class)
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

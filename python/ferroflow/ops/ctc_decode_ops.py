"""CTC decoding and label helpers (``tf.nn.ctc_greedy_decoder``, ``ctc_beam_search_decoder``,
``collapse_repeated``, ``ctc_unique_labels``). Their outputs' sizes depend on the values, so they run eagerly
with NumPy; the beam search follows TensorFlow's kernel step for step (same pruning, same scores)."""

from __future__ import annotations

import math
from typing import Any, Optional

import numpy as np

from .._core import FailedPreconditionError, InvalidArgumentError
from ..framework.ops import convert_to_tensor
from ..framework.sparse_tensor import SparseTensor
from ..framework.tensor import EagerTensor

_LOG_ZERO = -math.inf


def _eager(x: Any, op: str) -> np.ndarray:
    t = convert_to_tensor(x)
    if not isinstance(t, EagerTensor):
        raise NotImplementedError(f"{op} runs eagerly only for now: call it outside tf.function / graphs")
    return t.numpy()


def _inputs(inputs: Any, sequence_length: Any, op: str) -> tuple:
    logits = _eager(inputs, op)
    if logits.ndim != 3:
        raise ValueError(f"{op}: inputs must be [max_time, batch, classes], received shape {logits.shape}")
    lengths = _eager(sequence_length, op).astype(np.int64)
    if lengths.shape != (logits.shape[1],):
        raise FailedPreconditionError(
            f"{op}: len(sequence_length) != batch_size. len(sequence_length): {lengths.size} batch_size: "
            f"{logits.shape[1]}"
        )
    if (lengths > logits.shape[0]).any():
        b = int(np.flatnonzero(lengths > logits.shape[0])[0])
        raise FailedPreconditionError(
            f"{op}: sequence_length({b}) <= {logits.shape[0]}, received sequence_length({b}) = {lengths[b]}"
        )
    return logits, lengths


def _to_sparse(sequences: list) -> SparseTensor:
    """A ``[batch, longest]`` int64 SparseTensor holding each decoded sequence left-aligned."""
    indices = [[b, i] for b, seq in enumerate(sequences) for i in range(len(seq))]
    values = [v for seq in sequences for v in seq]
    width = max((len(s) for s in sequences), default=0)
    return SparseTensor(
        np.array(indices, np.int64).reshape(-1, 2),
        convert_to_tensor(np.array(values, np.int64)),
        [len(sequences), width],
    )


def ctc_greedy_decoder(
    inputs: Any, sequence_length: Any, merge_repeated: bool = True, blank_index: Optional[int] = None
) -> tuple:
    """Best-path decoding: the most likely class of each frame, repeats merged (``merge_repeated``) and blanks
    dropped. Returns ``([decoded SparseTensor], neg_sum_logits [batch, 1])``, the latter minus the sum of each
    frame's largest logit. The blank is ``num_classes - 1`` unless ``blank_index`` says otherwise."""
    logits, lengths = _inputs(inputs, sequence_length, "ctc_greedy_decoder")
    classes = logits.shape[2]
    blank = classes - 1 if blank_index is None else int(blank_index)
    if blank < 0:
        blank += classes
    if not 0 <= blank < classes:
        raise InvalidArgumentError(
            f"blank_index expected to be between {-classes} and {classes - 1} but was {blank_index}"
        )
    best = logits.argmax(axis=2)
    neg_sum = np.zeros((logits.shape[1], 1), logits.dtype)
    sequences = []
    for b, n in enumerate(lengths):
        seq, previous = [], -1
        for t in range(int(n)):
            k = int(best[t, b])
            neg_sum[b, 0] -= logits[t, b, k]
            if k != blank and not (merge_repeated and k == previous):
                seq.append(k)
            previous = k
        sequences.append(seq)
    return [_to_sparse(sequences)], convert_to_tensor(neg_sum)


class _Beam:
    """A prefix in the search tree with TensorFlow's probabilities: ``old`` at the previous frame, ``new`` at
    this one, each ``[total, blank, label]`` in log space."""

    __slots__ = ("parent", "label", "children", "old", "new")

    def __init__(self, parent: Optional[_Beam], label: int) -> None:
        self.parent, self.label = parent, label
        self.children: dict = {}
        self.old = [_LOG_ZERO] * 3
        self.new = [_LOG_ZERO] * 3

    def active(self) -> bool:
        return self.new[0] != _LOG_ZERO

    def child(self, label: int) -> _Beam:
        if label not in self.children:
            self.children[label] = _Beam(self, label)
        return self.children[label]

    def labels(self, merge_repeated: bool) -> list:
        out, node = [], self
        while node.parent is not None:
            out.append(node.label)
            node = node.parent
        out.reverse()
        if merge_repeated:
            out = [v for i, v in enumerate(out) if i == 0 or v != out[i - 1]]
        return out


def _lse(a: float, b: float) -> float:
    if a == _LOG_ZERO:
        return b
    if b == _LOG_ZERO:
        return a
    m = max(a, b)
    return m + math.log(math.exp(a - m) + math.exp(b - m))


class _Leaves:
    """The beam: at most ``width`` prefixes, best ``new`` total first (ties kept in insertion order)."""

    def __init__(self, width: int) -> None:
        self.width, self.items = width, []

    def push(self, beam: _Beam) -> None:
        self.items.append(beam)

    def bottom(self) -> _Beam:
        return min(reversed(self.items), key=lambda b: b.new[0])

    def pop_bottom(self) -> _Beam:
        low = self.bottom()
        self.items.remove(low)
        return low

    def extract(self) -> list:
        out = sorted(self.items, key=lambda b: -b.new[0])
        self.items = []
        return out


def _beam_step(leaves: _Leaves, row: np.ndarray, blank: int) -> None:
    """One frame of TensorFlow's CTC beam search (``CTCBeamSearchDecoder::Step``) on one sequence's logits."""
    top = float(row.max())
    norm = top + math.log(float(np.exp(row - top).sum()))
    logp = [float(v) - norm for v in row]
    branches = leaves.extract()
    for b in branches:
        b.old = list(b.new)
    for b in branches:
        if b.parent is not None:
            if b.parent.active():
                previous = b.parent.old[1] if b.label == b.parent.label else b.parent.old[0]
                b.new[2] = _lse(b.new[2], previous)
            b.new[2] += logp[b.label]
        b.new[1] = b.old[0] + logp[blank]
        b.new[0] = _lse(b.new[1], b.new[2])
        leaves.push(b)

    def candidate(total: float) -> bool:
        return total > _LOG_ZERO and (len(leaves.items) < leaves.width or total > leaves.bottom().new[0])

    for b in branches:
        if not candidate(b.old[0]):
            continue
        for label in range(len(row)):
            if label == blank:
                continue
            c = b.child(label)
            if c.active():
                continue
            previous = b.old[1] if label == b.label else b.old[0]
            c.new = [logp[label] + previous, _LOG_ZERO, logp[label] + previous]
            if candidate(c.new[0]):
                if len(leaves.items) == leaves.width:
                    leaves.pop_bottom().new = [_LOG_ZERO] * 3
                leaves.push(c)
            else:
                c.old = [_LOG_ZERO] * 3
                c.new = [_LOG_ZERO] * 3


def ctc_beam_search_decoder(inputs: Any, sequence_length: Any, beam_width: int = 100, top_paths: int = 1) -> tuple:
    """Prefix beam search over ``inputs`` (``[max_time, batch, classes]`` logits, blank ``classes - 1``).
    Returns ``(decoded, log_probabilities)``: ``top_paths`` SparseTensors (best first) and their log
    probabilities, ``[batch, top_paths]``."""
    logits, lengths = _inputs(inputs, sequence_length, "ctc_beam_search_decoder")
    beam_width, top_paths = int(beam_width), int(top_paths)
    if beam_width <= 0:
        raise InvalidArgumentError(f"beam_width must be > 0, received {beam_width}")
    if top_paths <= 0:
        raise InvalidArgumentError(f"top_paths must be at least 1, received {top_paths}")
    if top_paths > beam_width:
        raise InvalidArgumentError(
            f"requested more paths than the beam width: top_paths={top_paths}, beam_width={beam_width}"
        )
    classes = logits.shape[2]
    blank = classes - 1
    paths: list = [[] for _ in range(top_paths)]
    log_probs = np.zeros((logits.shape[1], top_paths), logits.dtype)
    for b, n in enumerate(lengths):
        root = _Beam(None, -1)
        root.new = [0.0, 0.0, _LOG_ZERO]
        leaves = _Leaves(beam_width)
        leaves.push(root)
        for t in range(int(n)):
            _beam_step(leaves, logits[t, b].astype(np.float64), blank)
        best = leaves.extract()
        if len(best) < top_paths:
            raise InvalidArgumentError(
                f"Less leaves in the beam search than requested: {len(best)} leaves for {top_paths} top paths"
            )
        for p in range(top_paths):
            paths[p].append(best[p].labels(merge_repeated=False))
            log_probs[b, p] = best[p].new[0]
    return [_to_sparse(seqs) for seqs in paths], convert_to_tensor(log_probs)


def collapse_repeated(labels: Any, seq_length: Any, name: Optional[str] = None) -> tuple:
    """``(collapsed, new_lengths)``: each sequence with runs of a label merged into one, left-aligned and
    zero-padded to the longest result."""
    dense = _eager(labels, "collapse_repeated")
    lengths = convert_to_tensor(seq_length)
    n = _eager(lengths, "collapse_repeated").astype(np.int64)
    rows = []
    for b in range(dense.shape[0]):
        seq = dense[b, : n[b]]
        rows.append([v for i, v in enumerate(seq) if i == 0 or v != seq[i - 1]])
    width = max((len(r) for r in rows), default=0)
    out = np.zeros((dense.shape[0], width), dense.dtype)
    for b, r in enumerate(rows):
        out[b, : len(r)] = r
    new_lengths = np.array([len(r) for r in rows], lengths.dtype.as_numpy_dtype)
    return convert_to_tensor(out), convert_to_tensor(new_lengths)


def ctc_unique_labels(labels: Any, name: Optional[str] = None) -> tuple:
    """For each row of ``labels``: its distinct labels in first-seen order (int64, zero-padded to the row
    length) and the index of each label among them (int32)."""
    dense = _eager(labels, "ctc_unique_labels")
    if dense.ndim != 2:
        raise ValueError(f"ctc_unique_labels expects labels of shape [batch, max_len], received {dense.shape}")
    unique = np.zeros(dense.shape, np.int64)
    index = np.zeros(dense.shape, np.int32)
    for b, row in enumerate(dense):
        seen: dict = {}
        for i, v in enumerate(row.tolist()):
            index[b, i] = seen.setdefault(v, len(seen))
        unique[b, : len(seen)] = list(seen)
    return convert_to_tensor(unique), convert_to_tensor(index)

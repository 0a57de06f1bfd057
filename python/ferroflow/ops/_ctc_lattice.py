"""The CTC lattice of ``tf.nn.ctc_loss``: the blank-extended labels of each sequence and the log-space forward
and backward recursions over it, unrolled over a static number of frames or as ``scan`` loops."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..framework.ops import apply, convert_to_tensor
from ..framework.tensor import Tensor
from . import array_ops, math_ops
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
        self.frames = frames
        mask = sequence_mask(logit_length, frames)  # [batch, frames]
        # [frames, batch, 1]: whether each sequence is still running at each frame.
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


def variables(lattice: _Lattice, emit: Tensor, backward: bool) -> Tensor:
    """``[frames, batch, states]``: the log forward variables ``alpha_t`` of time-major emissions (emission at
    ``t`` included, frozen after each sequence ends) or, with ``backward``, the log backward variables
    ``beta_t`` (emission at ``t`` excluded, the final-state mask from each sequence's last frame on). Unrolled
    over a number of frames known when the graph is built, else a ``scan`` loop."""
    if not isinstance(lattice.frames, int):
        return _scanned_variables(lattice, emit, backward)
    emits = array_ops.unstack(emit, num=lattice.frames, axis=0)
    active = array_ops.unstack(lattice.active_frames, num=lattice.frames, axis=0)
    if backward:
        steps = [lattice.final]
        for t in range(lattice.frames - 2, -1, -1):
            steps.append(_beta_step(lattice, steps[-1], emits[t + 1], active[t + 1]))
        steps.reverse()
    else:
        steps = [math_ops.add(emits[0], lattice.init)]
        for t in range(1, lattice.frames):
            steps.append(_alpha_step(lattice, steps[-1], emits[t], active[t]))
    # Joined as `stack` would, without its check that the static shapes are equal: the first step's batch
    # comes from the emissions, the later ones' from broadcasting against the lattice, and may be unknown.
    return array_ops.concat([array_ops.expand_dims(step, 0) for step in steps], 0)


def _scanned_variables(lattice: _Lattice, emit: Tensor, backward: bool) -> Tensor:
    """``variables`` through a ``scan`` loop, for a number of frames known only when the graph runs."""
    from .functional_ops import scan

    later = (emit[1:], lattice.active_frames[1:])
    if backward:  # beta_t for t = frames - 2 down to 0 (stacked in frame order), then the last frame's
        earlier = scan(lambda b, e: _beta_step(lattice, b, e[0], e[1]), later, initializer=lattice.final, reverse=True)
        return array_ops.concat([earlier, array_ops.expand_dims(lattice.final, 0)], 0)
    first = math_ops.add(emit[0], lattice.init)
    rest = scan(lambda a, e: _alpha_step(lattice, a, e[0], e[1]), later, initializer=first)
    return array_ops.concat([array_ops.expand_dims(first, 0), rest], 0)

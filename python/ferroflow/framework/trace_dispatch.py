"""Finding the trace of a ``tf.function`` that accepts a call no trace was made for, as TensorFlow's function
cache does: a trace whose tensor specs are supertypes of the call's (``TensorSpec(None)`` accepts any shape,
``[None]`` any vector) serves it, the most specific such trace first; Python values must be equal."""

from __future__ import annotations

from typing import Any, Optional


def _accepts(traced: tuple, wanted: tuple) -> Optional[int]:
    """How specific ``traced`` is (known ranks and dimensions) when it accepts ``wanted``, else None."""
    if len(traced) != len(wanted):
        return None
    score = 0
    for t, w in zip(traced, wanted):
        try:
            same = bool(t == w)
        except Exception:  # a Python argument whose == cannot answer: not the same value
            return None
        if same:
            score += 1 + (0 if t[0] != "T" or t[1] is None else 1 + len(t[1]))
            continue
        if t[0] != "T" or w[0] != "T" or t[2] != w[2]:
            return None
        if t[1] is None:
            continue
        if w[1] is None or len(t[1]) != len(w[1]):
            return None
        if any(a is not None and a != b for a, b in zip(t[1], w[1])):
            return None
        score += 1 + sum(a is not None for a in t[1])
    return score


def covering_trace(traces: dict, key: tuple) -> Any:
    """The value of ``traces`` (signature key -> trace) whose key accepts ``key`` most specifically, or None."""
    best, best_score = None, -1
    for traced_key, value in traces.items():
        if traced_key[1] != key[1]:  # the structure of the arguments
            continue
        score = _accepts(traced_key[0], key[0])
        if score is not None and score > best_score:
            best, best_score = value, score
    return best

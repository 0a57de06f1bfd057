"""A table's contents as arrays, and the vectorised search of query keys among them.

Numbers are found by binary search over the sorted keys (``np.searchsorted``); strings by one dict probe per
query, the fastest exact string match NumPy offers. Both answer for a whole tensor of keys at once.
"""

from __future__ import annotations

from typing import Any, Tuple

import numpy as np

from ..errors import FailedPreconditionError, InvalidArgumentError


class KeyIndex:
    """Where each query key sits among ``keys`` (1-D, distinct)."""

    def __init__(self, keys: np.ndarray) -> None:
        self.size = len(keys)
        self._strings = keys.dtype == object
        if self._strings:
            self._positions = {k: i for i, k in enumerate(keys.tolist())}
        else:
            self._order = np.argsort(keys, kind="stable")
            self._sorted = keys[self._order]

    def find(self, queries: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
        """``(positions, found)``, both of the queries' shape; positions of missing keys are 0."""
        flat = queries.reshape(-1)
        if self._strings:
            get = self._positions.get
            pos = np.fromiter((get(k, -1) for k in flat.tolist()), dtype=np.int64, count=flat.size)
            found = pos >= 0
            pos[~found] = 0
        elif self.size == 0:
            pos, found = np.zeros(flat.size, np.int64), np.zeros(flat.size, bool)
        else:
            at = np.minimum(np.searchsorted(self._sorted, flat), self.size - 1)
            found = self._sorted[at] == flat
            pos = self._order[at]
        return pos.reshape(queries.shape), found.reshape(queries.shape)


def text(value: Any) -> str:
    """A key or value as TensorFlow's messages print it: strings as their text, numbers as numbers."""
    if isinstance(value, bytes):
        return value.decode("utf-8", "backslashreplace")
    return str(value.item() if hasattr(value, "item") else value)


def shape_text(shape: Any) -> str:
    """A shape as TensorFlow's kernels print it: ``[2,3]``."""
    return "[" + ",".join(str(d) for d in shape) + "]"


def check_pairs(keys: np.ndarray, values: np.ndarray, value_shape: tuple = ()) -> None:
    """TensorFlow's check of keys and values given together: one value (of ``value_shape``) per key."""
    expected = keys.shape + tuple(value_shape)
    if values.shape != expected:
        raise InvalidArgumentError(f"Expected shape {shape_text(expected)} for value, got {shape_text(values.shape)}")


def distinct(keys: np.ndarray, values: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
    """The pairs of a static table: each key once, in order of first appearance. A key given twice must have the
    same value both times, as TensorFlow's ``HashTable`` requires."""
    if keys.size == 0:
        return keys, values
    _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    inverse = inverse.reshape(-1)
    firsts = first[inverse]
    clash = (values != values[firsts]) & (firsts != np.arange(len(keys)))  # NaN still clashes, as in TensorFlow
    if clash.any():
        i = int(np.argmax(clash))
        k = firsts[i]
        raise FailedPreconditionError(
            f"HashTable has different value for same key. Key {text(keys[i])} has {text(values[k])} and trying to "
            f"add value {text(values[i])}"
        )
    order = np.sort(first)
    return keys[order], values[order]

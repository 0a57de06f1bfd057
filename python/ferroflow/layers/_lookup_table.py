"""The token <-> index table of the lookup layers: a dict for eager NumPy lookups, constants for graph lookups.

Strings are kept as UTF-8 bytes (what string tensors hold), integers as Python ints. Graph lookups compare every
input with every token (``equal`` over a trailing vocabulary axis): exact and differentiable-free, but their
cost grows with inputs x vocabulary size, so large vocabularies are best looked up eagerly or in ``Dataset.map``.
"""

from __future__ import annotations

from itertools import repeat
from typing import Any, List

import numpy as np

from ..framework.ops import convert_to_tensor
from ..ops import array_ops, math_ops
from ..ops.math_derived_ops import reduce_any


def as_key(token: Any, is_string: bool) -> Any:
    """A vocabulary entry as the table stores it: bytes for strings, int for integers."""
    if is_string:
        if isinstance(token, bytes):
            return token
        if isinstance(token, (str, np.str_)):
            return str(token).encode("utf-8")
        raise TypeError(f"A string vocabulary holds strings; received {token!r} of type {type(token).__name__}")
    if isinstance(token, (bytes, str, np.str_, np.bytes_)):
        raise TypeError(f"An integer vocabulary holds integers; received {token!r}")
    return int(token)


class LookupTable:
    """``tokens`` at the indices ``start, start + 1, ...``; anything else is missing (-1)."""

    def __init__(self, tokens: List[Any], start: int, is_string: bool) -> None:
        self.tokens = list(tokens)
        self.start = int(start)
        self.is_string = is_string
        self._index = {t: start + i for i, t in enumerate(self.tokens)}

    def __len__(self) -> int:
        return len(self.tokens)

    def _constant(self, values: List[Any]) -> np.ndarray:
        if self.is_string:
            arr = np.empty(len(values), dtype=object)
            arr[:] = values
            return arr
        return np.asarray(values, dtype=np.int64)

    def lookup_numpy(self, keys: np.ndarray) -> np.ndarray:
        """The index of every key of the array (any shape); -1 where the key is not in the table."""
        items = keys.reshape(-1).tolist()
        found = np.fromiter(map(self._index.get, items, repeat(-1)), dtype=np.int64, count=len(items))
        return found.reshape(keys.shape)

    def lookup_graph(self, keys: Any) -> Any:
        """``lookup_numpy`` with ferroflow ops, for graphs."""
        if not self.tokens:
            return math_ops.subtract(array_ops.zeros_like(keys, dtype="int64"), np.int64(1))
        vocab = convert_to_tensor(self._constant(self.tokens))
        hits = math_ops.equal(array_ops.expand_dims(keys, -1), vocab)
        positions = np.arange(self.start, self.start + len(self.tokens), dtype=np.int64)
        index = math_ops.reduce_sum(array_ops.where(hits, positions, np.zeros_like(positions)), -1)
        return array_ops.where(reduce_any(hits, -1), index, np.int64(-1))

    def inverse_array(self, vocabulary: List[Any], default: Any) -> np.ndarray:
        """The full vocabulary (special tokens included) followed by ``default``: gathering from it at
        ``index`` (or at its end when ``index`` is out of range) inverts a lookup."""
        return self._constant(list(vocabulary) + [default])

    @staticmethod
    def invert_numpy(table: np.ndarray, indices: np.ndarray) -> np.ndarray:
        n = len(table) - 1
        idx = indices.astype(np.int64)
        return table[np.where((idx >= 0) & (idx < n), idx, n)]

    @staticmethod
    def invert_graph(table: np.ndarray, indices: Any) -> Any:
        n = len(table) - 1
        idx = array_ops.cast(indices, "int64")
        inside = math_ops.logical_and(math_ops.greater_equal(idx, np.int64(0)), math_ops.less(idx, np.int64(n)))
        return array_ops.gather(convert_to_tensor(table), array_ops.where(inside, idx, np.int64(n)))

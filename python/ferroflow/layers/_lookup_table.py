"""The token <-> index table of the lookup layers: a dict for eager NumPy lookups, constants for graph lookups.

Strings are kept as UTF-8 bytes (what string tensors hold), integers as Python ints. Graph lookups compare every
input with every token (``equal`` over a trailing vocabulary axis, in blocks): exact, but their cost grows
with (inputs x vocabulary size). Inside ``tf.data`` functions, vocabularies larger than a block are therefore
looked up in Python (``tf.numpy_function``) instead.
"""

from __future__ import annotations

from itertools import repeat
from typing import Any, List

import numpy as np

from ..errors import FailedPreconditionError, InvalidArgumentError
from ..framework.ops import convert_to_tensor
from ..ops import array_ops, math_ops
from ..ops.math_derived_ops import reduce_any

GRAPH_BLOCK = 1024  # vocabulary entries compared at once in a graph lookup


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
        """``lookup_numpy`` with ferroflow ops, for graphs (the vocabulary in blocks, to bound the memory)."""
        if not self.tokens:
            return math_ops.subtract(array_ops.zeros_like(keys, dtype="int64"), np.int64(1))
        expanded = array_ops.expand_dims(keys, -1)
        index, found = None, None
        for at in range(0, len(self.tokens), GRAPH_BLOCK):
            block = self.tokens[at : at + GRAPH_BLOCK]
            hits = math_ops.equal(expanded, convert_to_tensor(self._constant(block)))
            positions = np.arange(self.start + at, self.start + at + len(block), dtype=np.int64)
            part = math_ops.reduce_sum(array_ops.where(hits, positions, np.zeros_like(positions)), -1)
            any_hit = reduce_any(hits, -1)
            index = part if index is None else math_ops.add(index, part)
            found = any_hit if found is None else math_ops.logical_or(found, any_hit)
        return array_ops.where(found, index, np.int64(-1))

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


def vocabulary_lines(path: str) -> List[bytes]:
    """The lines of a vocabulary file as TensorFlow's ``TextFileInitializer`` splits them: on ``\\n``, without
    the newline that ends the last line, a trailing ``\\r`` dropped."""
    with open(path, "rb") as f:
        lines = f.read().split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()  # the newline that ends the last line
    return [line[:-1] if line.endswith(b"\r") else line for line in lines]


def unique_tokens(lines: List[bytes], is_string: bool, start: int = 0) -> List[Any]:
    """The lines as tokens (bytes, or ints), refusing a repeated token as TensorFlow's hash table does; ``start``
    is the value of the first line."""
    tokens: List[Any] = lines if is_string else [int(line) for line in lines]
    seen: dict = {}
    for i, token in enumerate(tokens):
        if seen.setdefault(token, i) != i:
            shown = token.decode("utf-8", "replace") if isinstance(token, bytes) else token
            raise FailedPreconditionError(
                f"HashTable has different value for same key. Key {shown} has {seen[token] + start} and trying to "
                f"add value {i + start}"
            )
    return tokens


def read_vocabulary_file(path: str, is_string: bool, start: int) -> List[Any]:
    """The tokens of a vocabulary file, one per line, read as TensorFlow's ``TextFileInitializer`` reads them:
    a trailing ``\\r`` is dropped, and empty lines and repeated tokens are refused."""
    lines = vocabulary_lines(path)
    if b"" in lines:
        raise InvalidArgumentError(f"Invalid content in {path}: empty line found at line {lines.index(b'') + 1}")
    return unique_tokens(lines, is_string, start)

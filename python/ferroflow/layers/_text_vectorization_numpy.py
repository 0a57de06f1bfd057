"""``TextVectorization``'s eager path: standardize, split, n-grams, lookup and output fitting in NumPy."""

from __future__ import annotations

from typing import Any, List

import numpy as np

from ..framework.ops import convert_to_tensor
from ..framework.ragged_tensor import RaggedTensor
from . import _text_preprocess as text


class _TextVectorizationNumpy:
    """A base of ``TextVectorization``: its call on NumPy string arrays (eagerly, or inside a host call)."""

    def _preprocess(self, values: np.ndarray) -> tuple:
        """``("rows", token rows, scalar)`` after splitting, or ``("dense", array, False)`` without."""
        if values.dtype.kind != "O":
            raise TypeError(f"TextVectorization expects string inputs, received values of dtype {values.dtype}")
        values = text.standardize_numpy(values, self._standardize)
        if self._split is not None:
            rows, scalar = text.split_numpy(values, self._split)
            return "rows", text.ngram_rows(rows, self._ngrams), scalar
        if self._ngrams is not None:
            rows = text.ngram_rows([list(r) for r in values.reshape(-1, values.shape[-1]).tolist()], self._ngrams)
            grams = np.array(rows, dtype=object).reshape(values.shape[:-1] + (-1,))
            return "dense", grams, False
        return "dense", values, False

    def _call_numpy(self, values: np.ndarray) -> Any:
        lookup, length = self._lookup_layer, self._output_sequence_length
        kind, tokens, scalar = self._preprocess(values)
        if kind == "dense":
            out = lookup.call_numpy(tokens)
            return text.fit_last_axis(out, length) if self._output_mode == "int" and length is not None else out
        if self._output_mode != "int":
            if scalar:  # one string's tokens: one vector, as Keras encodes a 1-D batch of indices
                return lookup._encode_numpy(lookup._lookup_numpy(_flat_keys(tokens)))
            return lookup.call_rows(tokens).numpy()
        index = lookup._lookup_numpy(_flat_keys(tokens))
        if scalar:
            return text.fit_last_axis(index, length) if length is not None else index
        bounds = np.cumsum([0] + [len(r) for r in tokens])
        rows = [index[a:b] for a, b in zip(bounds[:-1], bounds[1:])]
        if self._ragged:
            rows = [r[:length] for r in rows] if length is not None else rows
            lengths = np.array([len(r) for r in rows], np.int64)
            flat = np.concatenate(rows) if rows else np.zeros(0, np.int64)
            return RaggedTensor.from_row_lengths(convert_to_tensor(flat), lengths, validate=False)
        return text.pad_rows(rows, length)


def _flat_keys(rows: List[List[bytes]]) -> np.ndarray:
    flat = [t for row in rows for t in row]
    out = np.empty(len(flat), dtype=object)
    out[:] = flat
    return out

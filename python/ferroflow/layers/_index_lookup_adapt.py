"""The vocabulary ``adapt`` learns for the lookup layers: token and document counts, ranked by frequency."""

from __future__ import annotations

import collections
from typing import Any, List, Optional

import numpy as np

from . import _preprocessing_util as util


class VocabularyAdapt:
    """Mixed into ``IndexLookup``: ``adapt`` and the state it accumulates."""

    def adapt(self, data: Any, steps: Optional[int] = None) -> None:
        """Learns the vocabulary from ``data``: tokens by decreasing frequency (ties: the larger token first,
        as Keras orders them), at most ``max_tokens`` indices in all."""
        self.reset_state()

        def whole(d: Any) -> Any:
            arr = util.to_numpy(d)
            return arr[:, None] if arr.ndim == 1 else arr  # a flat list: one token per document

        for batch in util.adapt_batches(data, steps, whole):
            self.update_state(batch)
        self.finalize_state()

    def update_state(self, data: Any) -> None:
        if self._has_input_vocabulary:
            raise ValueError(
                f"Cannot adapt layer '{self.name}' after setting a static vocabulary via `vocabulary` argument or "
                "`set_vocabulary()` method."
            )
        self._update_rows(self._documents(data))

    def _update_rows(self, rows: List[List[Any]]) -> None:
        for row in rows:
            self._token_counts.update(row)
            if self.output_mode == "tf_idf":
                self._document_counts.update(set(row))
        self._num_documents += len(rows)

    def finalize_state(self) -> None:
        if self._has_input_vocabulary or not self._token_counts:
            self._record_vocabulary_size()
            return
        for special in (self.mask_token, self.oov_token):
            if special is not None:
                self._token_counts.pop(self._key(special), None)
        ranked = sorted(self._token_counts.items(), key=lambda kv: (kv[1], kv[0]), reverse=True)
        if self.max_tokens:
            ranked = ranked[: self.max_tokens - self._token_start_index()]
        tokens = [t for t, _ in ranked]
        self._set_tokens(tokens)
        if self.output_mode == "tf_idf":
            counts = np.array([self._document_counts[t] for t in tokens], dtype=np.float64)
            idf = np.log(1 + self._num_documents / (1 + counts)).astype("float32")
            idf = np.pad(idf, (self._token_start_index(), 0), constant_values=np.mean(idf) if len(idf) else 0)
            if self.pad_to_max_tokens and self.max_tokens is not None:
                idf = np.pad(idf, (0, self.max_tokens - len(idf)))
            self._idf = idf.astype("float32")
        self.reset_state()
        self._record_vocabulary_size()

    def reset_state(self) -> None:
        self._token_counts: collections.Counter = collections.Counter()
        self._document_counts: collections.Counter = collections.Counter()
        self._num_documents = 0

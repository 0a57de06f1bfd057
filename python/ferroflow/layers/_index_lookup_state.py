"""What the lookup layers keep in a saved model, as Keras 3 keeps it: the vocabulary as an asset file and the
TF-IDF weights as a variable named ``idf_weights``.

``save_assets``/``load_assets`` write and read ``vocabulary.txt`` in a folder: every token, special ones first,
joined by ``"\\n"`` (no final newline). A vocabulary given at construction is in the config instead, so no file
is written for it, as in Keras. ``save_own_variables``/``load_own_variables`` hold ``idf_weights`` in
``tf_idf`` mode only. When a model is loaded, the variables come first and the vocabulary after, so the IDF
weights read are the ones the vocabulary is set with.
"""

from __future__ import annotations

import os
from typing import Any, List, MutableMapping

import numpy as np

VOCABULARY_FILE = "vocabulary.txt"


def read_vocabulary_lines(path: str) -> List[str]:
    """The lines of a ``vocabulary.txt``: split on ``"\\n"`` (a file written on Windows, on ``"\\r\\n"``),
    without the empty lines at its end, as Keras reads it."""
    with open(path, "rb") as f:
        text = f.read().decode("utf-8")
    lines = text.split("\n")
    if len(lines) > 1 and all(line.endswith("\r") for line in lines[:-1]):
        lines = [line[:-1] if line.endswith("\r") else line for line in lines]
    while lines and lines[-1] == "":
        lines.pop()
    return lines


class LookupState:
    """Mixed into ``IndexLookup``: Keras 3's ``save_own_variables``/``load_own_variables`` and
    ``save_assets``/``load_assets``."""

    def save_own_variables(self, store: MutableMapping[str, Any]) -> None:
        """Puts the layer's variables in ``store``: ``idf_weights`` in ``tf_idf`` mode, nothing otherwise."""
        if self.output_mode == "tf_idf":
            idf = self._idf if self._idf is not None else np.zeros(self._token_start_index(), "float32")
            store["idf_weights"] = np.asarray(idf, "float32")

    def load_own_variables(self, store: Any) -> None:
        """Reads ``idf_weights`` from ``store`` (``tf_idf`` mode)."""
        if self.output_mode != "tf_idf":
            return
        if "idf_weights" not in store:
            raise ValueError(
                f"Layer '{self.name}' ({type(self).__name__}, output_mode='tf_idf') expected the variable "
                f"'idf_weights' while loading; the saved variables are {sorted(store)}"
            )
        idf = np.asarray(store["idf_weights"], "float32")
        if idf.ndim != 1:
            raise ValueError(f"Layer '{self.name}': `idf_weights` must be 1-D, the file holds shape {idf.shape}")
        self._idf = idf

    def save_assets(self, dir_path: str) -> None:
        """Writes ``vocabulary.txt`` into ``dir_path``, unless the vocabulary is in the config (given at
        construction)."""
        if self.input_vocabulary is not None:
            return
        vocabulary = self.get_vocabulary(include_special_tokens=True)
        with open(os.path.join(dir_path, VOCABULARY_FILE), "wb") as f:
            f.write("\n".join(str(w) for w in vocabulary).encode("utf-8"))

    def load_assets(self, dir_path: str) -> None:
        """Sets the vocabulary from ``dir_path``'s ``vocabulary.txt`` (unless it is in the config)."""
        if self.input_vocabulary is not None:
            return
        path = os.path.join(dir_path, VOCABULARY_FILE)
        if not os.path.exists(path):
            raise ValueError(f"Layer '{self.name}' ({type(self).__name__}): the saved model holds no {VOCABULARY_FILE}")
        lines = read_vocabulary_lines(path)
        try:
            values: List[Any] = lines if self._is_string else [int(line) for line in lines]
        except ValueError as e:
            raise ValueError(f"Layer '{self.name}': {VOCABULARY_FILE} holds a line that is not an integer ({e})") from e
        if self.output_mode != "tf_idf":
            self.set_vocabulary(values)
            return
        idf = self._idf if self._idf is not None else np.zeros(len(values), "float32")
        # Saved padded to max_tokens (pad_to_max_tokens): the padding is added back by set_vocabulary.
        self.set_vocabulary(values, idf_weights=idf[: len(values)])

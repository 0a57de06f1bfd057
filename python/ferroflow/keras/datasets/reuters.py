"""``keras.datasets.reuters``: 11,228 Reuters newswires as word-index sequences, labelled with 46 topics."""

from __future__ import annotations

from typing import Dict, Optional, Tuple

import numpy as np

from ...datasets import word_sequences as _ws

__all__ = ["get_label_names", "get_word_index", "load_data"]

_LABELS = (
    "cocoa grain veg-oil earn acq wheat copper housing money-supply coffee sugar trade reserves ship cotton carcass "
    "crude nat-gas cpi money-fx interest gnp meal-feed alum oilseed gold tin strategic-metal livestock retail ipi "
    "iron-steel rubber heat jobs lei bop zinc orange pet-chem dlr gas silver wpi hog lead"
).split()


def load_data(
    path: str = "reuters.npz",
    num_words: Optional[int] = None,
    skip_top: int = 0,
    maxlen: Optional[int] = None,
    test_split: float = 0.2,
    seed: int = 113,
    start_char: Optional[int] = 1,
    oov_char: Optional[int] = 2,
    index_from: int = 3,
) -> tuple:
    """``(x_train, y_train), (x_test, y_test)``: object arrays of word-index lists and topic labels 0-45.

    The newswires are shuffled with ``seed``, then the last ``test_split`` of them form the test split. Word
    indices follow ``keras.datasets.imdb.load_data``'s rules (``index_from``, ``start_char``, ``skip_top``,
    ``num_words``, ``oov_char``, ``maxlen``). The data is ``reuters.npz`` from ``$FERROFLOW_DATASETS/reuters/``
    or the Keras cache, else downloaded.
    """
    f = _ws.load_npz(_ws.locate("reuters", path, "reuters.npz"))
    xs, labels = _ws.shuffled(np.random.RandomState(seed), f["x"], f["y"])
    seqs = _ws.offset(xs, start_char, index_from)
    if maxlen:
        seqs, labels = _ws.remove_long(maxlen, seqs, labels)
    seqs = _ws.limit_vocabulary(seqs, num_words, skip_top, oov_char)
    idx = int(len(seqs) * (1 - test_split))
    train = (np.array(seqs[:idx], dtype="object"), np.array(labels[:idx]))
    return train, (np.array(seqs[idx:], dtype="object"), np.array(labels[idx:]))


def get_word_index(path: str = "reuters_word_index.json") -> Dict[str, int]:
    """The dict word -> index (1 = most frequent) of the Reuters data, before ``index_from`` is added."""
    return _ws.read_word_index("reuters", path, "reuters_word_index.json")


def get_label_names() -> Tuple[str, ...]:
    """The 46 topic names, by label index."""
    return tuple(_LABELS)


from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())

"""``keras.datasets.imdb``: 25,000 movie reviews per split as word-index sequences, labelled by sentiment."""

from __future__ import annotations

from typing import Any, Dict, Optional

import numpy as np

from ...datasets import word_sequences as _ws

__all__ = ["get_word_index", "load_data"]


def load_data(
    path: str = "imdb.npz",
    num_words: Optional[int] = None,
    skip_top: int = 0,
    maxlen: Optional[int] = None,
    seed: int = 113,
    start_char: Optional[int] = 1,
    oov_char: Optional[int] = 2,
    index_from: int = 3,
    **kwargs: Any,
) -> tuple:
    """``(x_train, y_train), (x_test, y_test)``: object arrays of word-index lists and 0/1 labels.

    Words are indexed by frequency (1 = most frequent), shifted by ``index_from``; each review starts with
    ``start_char``. Words outside ``[skip_top, num_words)`` become ``oov_char`` (or are dropped when it is None);
    with ``maxlen``, reviews of ``maxlen`` words or more are left out. Both splits are shuffled with ``seed``.
    The data is ``imdb.npz`` from ``$FERROFLOW_DATASETS/imdb/`` or the Keras cache, else downloaded.
    """
    f = _ws.load_npz(_ws.locate("imdb", path, "imdb.npz"))
    rng = np.random.RandomState(seed)
    x_train, labels_train = _ws.shuffled(rng, f["x_train"], f["y_train"])
    x_test, labels_test = _ws.shuffled(rng, f["x_test"], f["y_test"])
    train = _ws.offset(x_train, start_char, index_from)
    test = _ws.offset(x_test, start_char, index_from)
    if maxlen:
        train, labels_train = _ws.remove_long(maxlen, train, labels_train)
        test, labels_test = _ws.remove_long(maxlen, test, labels_test)
        if not train or not test:
            raise ValueError(
                f"After filtering for sequences shorter than maxlen={maxlen}, no sequence was kept. Increase maxlen."
            )
    xs = _ws.limit_vocabulary(train + test, num_words, skip_top, oov_char)
    labels = np.concatenate([labels_train, labels_test])
    idx = len(train)
    return (np.array(xs[:idx], dtype="object"), labels[:idx]), (np.array(xs[idx:], dtype="object"), labels[idx:])


def get_word_index(path: str = "imdb_word_index.json") -> Dict[str, int]:
    """The dict word -> index (1 = most frequent) of the IMDB data, before ``index_from`` is added."""
    return _ws.read_word_index("imdb", path, "imdb_word_index.json")


from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())

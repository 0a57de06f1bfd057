"""``keras.preprocessing.sequence``: padding a list of sequences into one array, and word2vec's sampling table."""

from __future__ import annotations

import numpy as np

from ...utils.sequence_padding import pad_sequences

__all__ = ["make_sampling_table", "pad_sequences"]


def make_sampling_table(size: int, sampling_factor: float = 1e-5) -> np.ndarray:
    """Probability of keeping the word of each rank (0..size-1), as word2vec subsamples frequent words.

    Word frequencies are approximated by Zipf's law: the frequency of rank ``r`` is about
    ``1 / (r (log r + gamma) + 1/2 - 1/(12 r))``; a word is kept with probability
    ``min(1, sqrt(sampling_factor / frequency))``, so rare words are always kept."""
    gamma = 0.577
    rank = np.arange(size)
    rank[0] = 1
    inv_fq = rank * (np.log(rank) + gamma) + 0.5 - 1.0 / (12.0 * rank)
    f = sampling_factor * inv_fq
    return np.minimum(1.0, f / np.sqrt(f))


from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())

"""What the composite leaves of ``tf.data`` elements (``RaggedComponent``, ``SparseComponent``) share: the
pipeline indexes them by rows as it indexes an array, through each leaf's own ``row``, ``rows`` and ``len``."""

from __future__ import annotations

from typing import Any

import numpy as np


class RowIndexed:
    """Array-like row access (iteration, ``x[i]``, ``x[a:b]``, ``x[index_array]``, ``x[i, ...]``) built on the
    subclass's ``row(i)``, ``rows(index)`` and ``__len__``."""

    __slots__ = ()

    def row(self, i: int) -> Any:
        raise NotImplementedError

    def rows(self, index: np.ndarray) -> Any:
        raise NotImplementedError

    def __len__(self) -> int:
        raise NotImplementedError

    def __iter__(self):
        return (self.row(i) for i in range(len(self)))

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, tuple) and len(key) == 2 and key[1] is Ellipsis:
            key = key[0]
        if isinstance(key, (int, np.integer)):
            return self.row(int(key))
        if isinstance(key, slice):
            return self.rows(np.arange(len(self))[key])
        return self.rows(np.asarray(key, dtype=np.int64))

    def copy(self) -> Any:
        return self  # never written to: rows and batches are new components

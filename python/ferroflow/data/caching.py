"""``Dataset.cache``: elements kept after the first complete iteration, in memory or in files.

A file cache writes ``<filename>.data-00000-of-00001`` and then ``<filename>.index`` when an iteration ends;
any later iteration (of this or another pipeline naming the same file) reads the files instead of its input.
An iteration stopped early keeps nothing, as in TensorFlow.
"""

from __future__ import annotations

import os
import pickle
from typing import Any, Iterator, Optional

from .dataset_ops import Dataset


class _CachingIterator:
    """Reads the input and hands the complete list of elements to ``done`` when it ends."""

    def __init__(self, source: Iterator[tuple], done: Any) -> None:
        self._it = source
        self._done = done
        self._elements: Optional[list] = []

    def __iter__(self) -> _CachingIterator:
        return self

    def __next__(self) -> tuple:
        try:
            value = next(self._it)
        except StopIteration:
            if self._elements is not None:
                self._done(self._elements)
                self._elements = None
            raise
        except Exception:
            self._elements = None  # an incomplete pass is not cached
            raise
        if self._elements is not None:
            self._elements.append(value)
        return value


class CacheDataset(Dataset):
    """``Dataset.cache``."""

    def __init__(self, dataset: Dataset, filename: Any) -> None:
        self._input = dataset
        if hasattr(filename, "numpy"):
            filename = filename.numpy()
        if isinstance(filename, bytes):
            filename = filename.decode()
        self._filename = os.fspath(filename) if filename else ""
        self._memory: Optional[list] = None
        super().__init__(dataset.element_spec, (dataset,))

    def _paths(self) -> tuple:
        return self._filename + ".data-00000-of-00001", self._filename + ".index"

    def _load(self) -> Optional[list]:
        if not self._filename:
            return self._memory
        data, index = self._paths()
        if not os.path.exists(index):
            return None
        with open(data, "rb") as f:
            return pickle.load(f)

    def _store(self, elements: list) -> None:
        if not self._filename:
            self._memory = elements
            return
        data, index = self._paths()
        directory = os.path.dirname(data)
        if directory:
            os.makedirs(directory, exist_ok=True)
        with open(data, "wb") as f:
            pickle.dump(elements, f, protocol=pickle.HIGHEST_PROTOCOL)
        with open(index, "w") as f:
            f.write(f"{len(elements)}\n")

    def _iterator(self) -> Iterator[tuple]:
        cached = self._load()
        if cached is not None:
            return iter(cached)
        return _CachingIterator(self._input._iterator(), self._store)

    def _cardinality(self) -> int:
        return self._input._cardinality()

"""Transformations that look at each element: ``enumerate`` numbers it, ``shard`` keeps every n-th, ``unique``
the first of equal ones, ``ignore_errors`` drops those whose computation raised."""

from __future__ import annotations

import itertools
import logging
from typing import Any, Iterator, Optional

import numpy as np

from ..errors import InvalidArgumentError
from ..framework.tensor_spec import TensorSpec
from .dataset_ops import UNKNOWN, Dataset
from .sources import _int
from .transformations import PassThroughDataset


class EnumerateDataset(Dataset):
    """``Dataset.enumerate``: ``(index, element)`` with an int64 index."""

    def __init__(self, dataset: Dataset, start: Any) -> None:
        self._input = dataset
        self._start = _int(start, "start")
        super().__init__((TensorSpec((), "int64"), dataset.element_spec), (dataset,))

    def _iterator(self) -> Iterator[tuple]:
        return (
            (np.asarray(np.int64(i)),) + flat for i, flat in zip(itertools.count(self._start), self._input._iterator())
        )

    def _cardinality(self) -> int:
        return self._input._cardinality()


class ShardDataset(Dataset):
    """``Dataset.shard``: elements ``index``, ``index + num_shards``, ..."""

    def __init__(self, dataset: Dataset, num_shards: Any, index: Any) -> None:
        self._input = dataset
        self._n = _int(num_shards, "num_shards")
        self._index = _int(index, "index")
        if self._n <= 0:
            raise InvalidArgumentError(f"num_shards must be > 0, received {self._n}")
        if not 0 <= self._index < self._n:
            raise InvalidArgumentError(f"index must be in [0, num_shards), received index {self._index} of {self._n}")
        super().__init__(dataset.element_spec, (dataset,))

    def _iterator(self) -> Iterator[tuple]:
        return itertools.islice(self._input._iterator(), self._index, None, self._n)

    def _rows(self) -> Optional[tuple]:
        return self._input._rows()

    def _row_iterator(self) -> Iterator[int]:
        return itertools.islice(self._input._row_iterator(), self._index, None, self._n)

    def _cardinality(self) -> int:
        n = self._input._cardinality()
        return n if n < 0 else n // self._n + (self._index < n % self._n)


class UniqueDataset(Dataset):
    """``Dataset.unique``: single int32, int64 (or string) elements, each kept the first time it appears."""

    def __init__(self, dataset: Dataset) -> None:
        spec = dataset.element_spec
        if not isinstance(spec, TensorSpec) or spec.dtype.name not in ("int32", "int64", "string"):
            raise TypeError(
                f"`tf.data.Dataset.unique` does not support type {spec}: elements must be one tensor of dtype "
                "int32, int64 or string."
            )
        self._input = dataset
        super().__init__(spec, (dataset,))

    def _iterator(self) -> Iterator[tuple]:
        seen = set()
        for flat in self._input._iterator():
            c = flat[0]
            key = (c.shape, c.tobytes()) if c.dtype != object else (c.shape, tuple(c.ravel().tolist()))
            if key not in seen:
                seen.add(key)
                yield flat

    def _cardinality(self) -> int:
        return UNKNOWN


class _IgnoreErrorsIterator:
    def __init__(self, source: Iterator[tuple], log_warning: bool) -> None:
        self._it = source
        self._log = log_warning

    def __iter__(self) -> _IgnoreErrorsIterator:
        return self

    def __next__(self) -> tuple:
        while True:
            try:
                return next(self._it)
            except StopIteration:
                raise
            except Exception as e:
                if self._log:
                    logging.getLogger("ferroflow").warning("tf.data: ignoring an error in the input pipeline: %s", e)


class IgnoreErrorsDataset(PassThroughDataset):
    """``Dataset.ignore_errors``: elements whose computation raised are dropped."""

    def __init__(self, dataset: Dataset, log_warning: bool) -> None:
        super().__init__(dataset)
        self._log = bool(log_warning)

    def _iterator(self) -> Iterator[tuple]:
        return _IgnoreErrorsIterator(self._input._iterator(), self._log)

    def _rows(self) -> Optional[tuple]:
        return None  # its own iterator, not the input's

    def _cardinality(self) -> int:
        return UNKNOWN

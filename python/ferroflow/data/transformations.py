"""Count transformations: ``repeat``, ``take``, ``skip``, ``concatenate``, ``prefetch`` (and the pass-through
``with_options`` makes). The transformations that look at each element are in ``element_selection``."""

from __future__ import annotations

import itertools
from typing import Any, Callable, Iterator, Optional

from ..errors import InvalidArgumentError
from . import rows, structure
from .dataset_ops import INFINITE, UNKNOWN, Dataset
from .sources import _int

AUTOTUNE = -1


class PassThroughDataset(Dataset):
    """The same elements as its input (``with_options`` attaches options to one)."""

    def __init__(self, dataset: Dataset) -> None:
        self._input = dataset
        super().__init__(dataset.element_spec, (dataset,))

    def _iterator(self) -> Iterator[tuple]:
        return self._input._iterator()

    def _cardinality(self) -> int:
        return self._input._cardinality()

    def _rows(self) -> Optional[tuple]:
        return self._input._rows()

    def _row_iterator(self) -> Iterator[int]:
        return self._input._row_iterator()


class PrefetchDataset(PassThroughDataset):
    """``Dataset.prefetch``: the input is read ahead on a thread of the iterator's own, so producing the next
    elements overlaps with the consumer's use of the current one (a training step); order, values and errors
    (each at its place) are the input's. ``buffer_size=0`` reads on demand, as TensorFlow does no prefetching."""

    def __init__(self, dataset: Dataset, buffer_size: Any) -> None:
        n = _int(buffer_size, "buffer_size")
        if n < AUTOTUNE:
            raise InvalidArgumentError("buffer_size must be >= 0, or tf.data.AUTOTUNE (-1).")
        self._buffer_size = n
        super().__init__(dataset)

    def _read_ahead(self, source: Iterator[tuple]) -> Iterator[tuple]:
        from .read_ahead import PREFETCH_DEPTH, ReadAhead, Readers

        if self._buffer_size == 0:
            return source
        return ReadAhead(source, Readers(1, "ferroflow-prefetch"), depth=PREFETCH_DEPTH)

    def _iterator(self) -> Iterator[tuple]:
        return self._read_ahead(self._input._iterator())

    def _host_iterator(self) -> Iterator[tuple]:
        return self._read_ahead(self._input._host_iterator())


class _RepeatIterator:
    """``count`` passes (negative: forever) over the iterators ``make`` returns, each made when the previous
    one ends."""

    def __init__(self, make: Callable[[], Iterator], count: int) -> None:
        self._make = make
        self._left = count  # negative: forever
        self._it = make() if count != 0 else None
        self._produced = False

    def __iter__(self) -> _RepeatIterator:
        return self

    def __next__(self) -> tuple:
        while self._it is not None:
            try:
                value = next(self._it)
            except StopIteration:
                self._left -= 1
                if self._left == 0 or not self._produced:  # an empty input would loop forever
                    self._it = None
                    raise
                self._produced = False
                self._it = self._make()
                continue
            self._produced = True
            return value
        raise StopIteration


class RepeatDataset(Dataset):
    """``Dataset.repeat``."""

    def __init__(self, dataset: Dataset, count: Any) -> None:
        self._input = dataset
        self._count = -1 if count is None else _int(count, "count")
        super().__init__(dataset.element_spec, (dataset,))

    def _iterator(self) -> Iterator[tuple]:
        return _RepeatIterator(self._input._iterator, self._count)

    def _rows(self) -> Optional[tuple]:
        return self._input._rows()

    def _row_iterator(self) -> Iterator[int]:
        return rows.repeated(self._input._row_iterator, self._count)

    def _cardinality(self) -> int:
        n, count = self._input._cardinality(), self._count
        if count == 0 or n == 0:
            return 0
        if n == INFINITE or count < 0:
            return INFINITE
        return UNKNOWN if n == UNKNOWN else n * count


class TakeDataset(Dataset):
    """``Dataset.take``."""

    def __init__(self, dataset: Dataset, count: Any) -> None:
        self._input = dataset
        self._count = _int(count, "count")
        super().__init__(dataset.element_spec, (dataset,))

    def _iterator(self) -> Iterator[tuple]:
        return self._take(self._input._iterator())

    def _take(self, it: Iterator) -> Iterator:
        return it if self._count < 0 else itertools.islice(it, self._count)

    def _rows(self) -> Optional[tuple]:
        return self._input._rows()

    def _row_iterator(self) -> Iterator[int]:
        return self._take(self._input._row_iterator())

    def _cardinality(self) -> int:
        n, count = self._input._cardinality(), self._count
        if count < 0:
            return n
        if n == INFINITE:
            return count
        return UNKNOWN if n == UNKNOWN else min(n, count)


class SkipDataset(Dataset):
    """``Dataset.skip``."""

    def __init__(self, dataset: Dataset, count: Any) -> None:
        self._input = dataset
        self._count = _int(count, "count")
        super().__init__(dataset.element_spec, (dataset,))

    def _iterator(self) -> Iterator[tuple]:
        return self._skip(self._input._iterator())

    def _skip(self, it: Iterator) -> Iterator:
        if self._count < 0:
            for _ in it:
                pass
            return iter(())
        return itertools.islice(it, self._count, None)

    def _rows(self) -> Optional[tuple]:
        return self._input._rows()

    def _row_iterator(self) -> Iterator[int]:
        return self._skip(self._input._row_iterator())

    def _cardinality(self) -> int:
        n, count = self._input._cardinality(), self._count
        if count < 0:
            return INFINITE if n == INFINITE else 0
        return n if n < 0 else max(0, n - count)


class ConcatenateDataset(Dataset):
    """``Dataset.concatenate``: the element types must match; shapes that differ become unknown dimensions."""

    def __init__(self, first: Dataset, second: Dataset) -> None:
        if not isinstance(second, Dataset):
            raise TypeError(f"concatenate expects a Dataset, received {type(second).__name__}")
        spec = structure.common_supertype(
            first.element_spec, second.element_spec, "Incompatible dataset elements in concatenate"
        )
        self._parts = (first, second)
        super().__init__(spec, self._parts)

    def _iterator(self) -> Iterator[tuple]:
        return itertools.chain.from_iterable(d._iterator() for d in self._parts)

    def _cardinality(self) -> int:
        a, b = (d._cardinality() for d in self._parts)
        if INFINITE in (a, b):
            return INFINITE
        return UNKNOWN if UNKNOWN in (a, b) else a + b

"""Element-wise transformations through a traced user function: ``map``, ``filter``, ``scan``, ``take_while``.

Their iterators are objects, not generators, so an element whose function fails raises and the iterator
goes on with the next one (``ignore_errors`` relies on it).
"""

from __future__ import annotations

from typing import Any, Callable, Iterator

from . import traced
from .dataset_ops import UNKNOWN, Dataset
from .parallel_map import parallel_map
from .sources import _int
from .traced_windows import probe_output_spec


class _ElementIterator:
    """The base of the iterators here: ``__next__`` reads the input and applies the function."""

    def __init__(self, source: Iterator[tuple], fn: traced.TracedFunction) -> None:
        self._it = source
        self._fn = fn

    def __iter__(self) -> _ElementIterator:
        return self

    def _apply(self, flat: tuple) -> tuple:
        try:
            return self._fn(flat)
        except Exception as e:
            raise self._fn.error(e, flat) from e


class _MapIterator(_ElementIterator):
    def __next__(self) -> tuple:
        flat = next(self._it)
        try:  # _apply, inlined: this runs once per element
            return self._fn(flat)
        except Exception as e:
            raise self._fn.error(e, flat) from e


class MapDataset(Dataset):
    """``Dataset.map``."""

    def __init__(self, dataset: Dataset, map_func: Callable, num_parallel_calls: Any = None) -> None:
        self._input = dataset
        self._parallel_calls = None if num_parallel_calls is None else _int(num_parallel_calls, "num_parallel_calls")
        if self._parallel_calls is not None and self._parallel_calls < -1:
            raise ValueError(f"num_parallel_calls must be positive or tf.data.AUTOTUNE, received {num_parallel_calls}")
        self._fn = traced.TracedFunction(map_func, dataset.element_spec, "map")
        if self._fn.output_spec is None:  # elements that are datasets: the function runs eagerly
            self._fn.output_spec = probe_output_spec(self._fn, dataset.element_spec)
        super().__init__(self._fn.output_spec, (dataset,))

    def _iterator(self) -> Iterator[tuple]:
        source = self._input._iterator()
        if self._parallel_calls is not None:
            parallel = parallel_map(source, self._fn, self._parallel_calls)
            if parallel is not None:
                return parallel
        return _MapIterator(source, self._fn)

    def _cardinality(self) -> int:
        return self._input._cardinality()


class _FilterIterator(_ElementIterator):
    def __next__(self) -> tuple:
        while True:
            flat = next(self._it)
            if self._apply(flat)[0]:
                return flat


class FilterDataset(Dataset):
    """``Dataset.filter``."""

    def __init__(self, dataset: Dataset, predicate: Callable) -> None:
        self._input = dataset
        self._fn = traced.TracedFunction(predicate, dataset.element_spec, "filter")
        traced.scalar_bool(self._fn, "predicate")
        super().__init__(dataset.element_spec, (dataset,))

    def _iterator(self) -> Iterator[tuple]:
        return _FilterIterator(self._input._iterator(), self._fn)

    def _cardinality(self) -> int:
        return UNKNOWN


class _TakeWhileIterator(_ElementIterator):
    def __next__(self) -> tuple:
        if self._fn is None:
            raise StopIteration
        flat = next(self._it)
        if self._apply(flat)[0]:
            return flat
        self._fn = None
        raise StopIteration


class TakeWhileDataset(Dataset):
    """``Dataset.take_while``."""

    def __init__(self, dataset: Dataset, predicate: Callable) -> None:
        self._input = dataset
        self._fn = traced.TracedFunction(predicate, dataset.element_spec, "take_while")
        traced.scalar_bool(self._fn, "predicate")
        super().__init__(dataset.element_spec, (dataset,))

    def _iterator(self) -> Iterator[tuple]:
        return _TakeWhileIterator(self._input._iterator(), self._fn)

    def _cardinality(self) -> int:
        return UNKNOWN


class _ScanIterator(_ElementIterator):
    def __init__(self, source: Iterator[tuple], fn: traced.TracedFunction, state: tuple) -> None:
        super().__init__(source, fn)
        self._state = state

    def __next__(self) -> tuple:
        out = self._apply(self._state + next(self._it))
        n = len(self._state)
        self._state = out[:n]
        return out[n:]


class ScanDataset(Dataset):
    """``Dataset.scan``: the state's spec is relaxed (dimensions opened) when the function changes it."""

    def __init__(self, dataset: Dataset, initial_state: Any, scan_func: Callable) -> None:
        self._input = dataset
        state_spec, self._initial = traced.as_numpy_state(initial_state)
        self._fn, _ = traced.relaxed_state(scan_func, state_spec, dataset.element_spec, "scan")
        super().__init__(self._fn.output_spec[1], (dataset,))

    def _iterator(self) -> Iterator[tuple]:
        return _ScanIterator(self._input._iterator(), self._fn, self._initial)

    def _cardinality(self) -> int:
        return self._input._cardinality()

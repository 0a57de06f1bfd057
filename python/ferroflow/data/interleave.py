"""``Dataset.interleave`` and ``Dataset.flat_map``: each element becomes a dataset, whose elements are woven
together ``cycle_length`` datasets at a time, ``block_length`` elements from each in turn.

The function returns a dataset, so it runs eagerly per element, unless it is traced once (``traced_dataset_fn``:
it uses tensors of an enclosing ``tf.function``, or its elements are windows); the order is TensorFlow's
deterministic order, also when ``num_parallel_calls`` is given. With ``num_parallel_calls``, each open dataset
reads ahead on a thread of the iterator's own (``read_ahead``): the cycle's files are read, parsed and decoded
at once while the consumer takes blocks in order.
"""

from __future__ import annotations

import os
from typing import Any, Callable, Iterator, Optional

from ..errors import InvalidArgumentError
from . import structure, traced
from .dataset_ops import Dataset
from .read_ahead import ReadAhead, Readers
from .sources import _int
from .traced_dataset_fn import trace_if_capturing
from .traced_windows import probe_output_spec


class _InterleaveIterator:
    def __init__(self, source: Iterator[tuple], open_element: Callable, cycle_length: int, block_length: int) -> None:
        self._it = source
        self._open = open_element
        self._slots: list = [None] * cycle_length
        self._cycle = 0
        self._block = 0
        self._block_length = block_length
        self._end_of_input = False
        self._num_open = 0

    def __iter__(self) -> _InterleaveIterator:
        return self

    def _advance(self) -> None:
        self._block = 0
        self._cycle = (self._cycle + 1) % len(self._slots)

    def __next__(self) -> tuple:
        while not self._end_of_input or self._num_open > 0:
            current = self._slots[self._cycle]
            if current is not None:
                try:
                    value = next(current)
                except StopIteration:
                    self._slots[self._cycle] = None
                    self._num_open -= 1
                    self._advance()
                    continue
                self._block += 1
                if self._block == self._block_length:
                    self._advance()
                return value
            if not self._end_of_input:
                try:
                    element = next(self._it)
                except StopIteration:
                    self._end_of_input = True
                    continue
                self._slots[self._cycle] = self._open(element)
                self._num_open += 1
            else:
                self._advance()
        raise StopIteration


class InterleaveDataset(Dataset):
    """``Dataset.interleave`` (``flat_map`` is the case ``cycle_length=1``)."""

    def __init__(
        self,
        dataset: Dataset,
        map_func: Callable,
        cycle_length: Optional[Any],
        block_length: Optional[Any],
        what: str = "interleave",
        num_parallel_calls: Optional[Any] = None,
    ) -> None:
        from .transformations import AUTOTUNE

        self._input = dataset
        self._what = what
        cycle = AUTOTUNE if cycle_length is None else _int(cycle_length, "cycle_length")
        self._cycle_length = (os.cpu_count() or 1) if cycle == AUTOTUNE else cycle
        self._block_length = 1 if block_length is None else _int(block_length, "block_length")
        if self._cycle_length <= 0 or self._block_length <= 0:
            raise ValueError(f"{what}: cycle_length and block_length must be positive")
        calls = None if num_parallel_calls is None else _int(num_parallel_calls, "num_parallel_calls")
        if calls is not None and calls != AUTOTUNE and calls <= 0:
            raise InvalidArgumentError(
                f"{what}: num_parallel_calls must be positive or tf.data.AUTOTUNE (-1), received {calls}"
            )
        # Threads reading ahead: one per open dataset, at most as many as asked for (AUTOTUNE: the cores).
        parallelism = (os.cpu_count() or 1) if calls == AUTOTUNE else (calls or 0)
        self._readers = min(self._cycle_length, parallelism)
        self._fn = traced.TracedFunction(map_func, dataset.element_spec, what, eager=True)
        # a function using tensors of the graph being built is traced once (``traced_dataset_fn``)
        self._traced = trace_if_capturing(map_func, dataset.element_spec, what)
        if self._traced is not None:
            spec = structure.DatasetSpec(self._traced.dataset.element_spec)
        else:
            spec = probe_output_spec(self._fn, dataset.element_spec)
        if not isinstance(spec, structure.DatasetSpec):
            raise TypeError(f"The `map_func` argument of {what} must return a `Dataset` object, it returned {spec}.")
        super().__init__(spec.element_spec, (dataset,))

    def _open(self, flat: tuple, readers: Optional[Readers] = None) -> Iterator[tuple]:
        if self._traced is not None:
            try:
                it = self._traced.open(flat)
            except Exception as e:
                raise self._traced.traced.error(e, flat) from e
            return it if readers is None else ReadAhead(it, readers)
        try:
            out = self._fn.call_eager(flat)
        except Exception as e:
            raise self._fn.error(e, flat) from e
        if not isinstance(out, Dataset):
            raise TypeError(
                f"The `map_func` argument of {self._what} must return a `Dataset` object, it returned "
                f"{type(out).__name__}."
            )
        return out._iterator() if readers is None else ReadAhead(out._iterator(), readers)

    def _iterator(self) -> Iterator[tuple]:
        open_element = self._open
        if self._readers > 0:
            readers = Readers(self._readers, "ferroflow-interleave")
            open_element = lambda flat: self._open(flat, readers)  # noqa: E731
        return _InterleaveIterator(self._input._iterator(), open_element, self._cycle_length, self._block_length)

"""Windows of elements: ``window`` (a dataset of datasets), ``group_by_window`` and
``bucket_by_sequence_length``."""

from __future__ import annotations

from typing import Any, Callable, Iterator, Optional

import numpy as np

from ..errors import InvalidArgumentError
from ..framework import nest
from ..framework.tensor_shape import TensorShape
from ..framework.tensor_spec import TensorSpec
from . import structure, traced
from .batching import _leaves_matching
from .dataset_ops import INFINITE, UNKNOWN, Dataset
from .sources import ListDataset, _int
from .traced_dataset_fn import trace_if_capturing


class _WindowIterator:
    def __init__(self, source: Iterator[tuple], size: int, shift: int, stride: int, drop: bool, make: Callable) -> None:
        self._it = source
        self._size, self._shift, self._stride, self._drop = size, shift, stride, drop
        self._make = make
        self._buf: list = []  # input elements from index self._base on
        self._base = 0
        self._start = 0
        self._end = False

    def __iter__(self) -> _WindowIterator:
        return self

    def __next__(self) -> tuple:
        last = self._start + (self._size - 1) * self._stride
        while not self._end and self._base + len(self._buf) <= last:
            try:
                value = next(self._it)
            except StopIteration:
                self._end = True
                break
            if self._base + len(self._buf) < self._start:
                self._base += 1  # between windows (shift > size): not part of any window
            else:
                self._buf.append(value)
        have = self._base + len(self._buf)
        rows = [self._buf[i - self._base] for i in range(self._start, last + 1, self._stride) if i < have]
        if not rows or (self._drop and len(rows) < self._size):
            self._end, self._buf = True, []
            raise StopIteration
        self._start += self._shift
        cut = min(self._start - self._base, len(self._buf))
        del self._buf[:cut]
        self._base += cut
        return self._make(rows)


class WindowDataset(Dataset):
    """``Dataset.window``: each element a nest of datasets (one per component) over a window of elements."""

    def __init__(self, dataset: Dataset, size: Any, shift: Any, stride: Any, drop_remainder: bool) -> None:
        self._input = dataset
        self._size = _int(size, "size")
        self._shift = self._size if shift is None else _int(shift, "shift")
        self._stride = _int(stride, "stride")
        self._drop = bool(drop_remainder)
        for what, v in (("size", self._size), ("shift", self._shift), ("stride", self._stride)):
            if v <= 0:
                raise InvalidArgumentError(f"Window {what} must be greater than zero, but got {v}.")
        self._specs = nest.flatten(dataset.element_spec)
        spec = nest.map_structure(structure.DatasetSpec, dataset.element_spec)
        super().__init__(spec, (dataset,))

    def _make(self, rows: list) -> tuple:
        return tuple(ListDataset([(r[j],) for r in rows], s) for j, s in enumerate(self._specs))

    def _iterator(self) -> Iterator[tuple]:
        return _WindowIterator(self._input._iterator(), self._size, self._shift, self._stride, self._drop, self._make)

    def _cardinality(self) -> int:
        n = self._input._cardinality()
        if n < 0:
            return n
        if not self._drop:
            return -(-n // self._shift)
        span = (self._size - 1) * self._stride + 1
        return 0 if n < span else (n - span) // self._shift + 1


class GroupByWindowDataset(Dataset):
    """``group_by_window``: elements grouped by an int64 key; a group reaching its window size is reduced to
    a dataset at once, the rest when the input ends (in key order)."""

    def __init__(
        self,
        dataset: Dataset,
        key_fn: Callable[[tuple], int],
        reduce_fn: Callable[[int, Dataset], Dataset],
        window_size_fn: Callable[[int], int],
        probe_keys: tuple = (0,),
        traced_reduce: Any = None,
    ) -> None:
        self._input = dataset
        self._key, self._reduce, self._window_size = key_fn, reduce_fn, window_size_fn
        self._traced = traced_reduce  # ``reduce_fn`` traced once (``traced_dataset_fn``), or None
        if traced_reduce is not None:
            spec = traced_reduce.dataset.element_spec
        else:
            empty = ListDataset([], dataset.element_spec)
            specs = [self._reduce_checked(k, empty).element_spec for k in probe_keys]
            spec = specs[0]
            for other in specs[1:]:
                spec = structure.common_supertype(spec, other, "group_by_window's reduce_func output")
        super().__init__(spec, (dataset,))

    def _open(self, key: int, window: Dataset) -> Iterator[tuple]:
        if self._traced is not None:
            return self._traced.open((np.asarray(np.int64(key)), window))
        return self._reduce_checked(key, window)._iterator()

    def _reduce_checked(self, key: int, window: Dataset) -> Dataset:
        out = self._reduce(key, window)
        if not isinstance(out, Dataset):
            try:
                kind = structure.structure_of(structure.normalize(out))[0]
            except Exception:
                kind = type(out).__name__
            raise TypeError(
                "Invalid `reduce_func`. `reduce_func` must return a single `tf.data.Dataset` object but its return "
                f"type is {kind}."
            )
        return out

    def _iterator(self) -> Iterator[tuple]:
        groups: dict = {}
        spec = self._input.element_spec
        for flat in self._input._iterator():
            key = self._key(flat)
            group = groups.setdefault(key, [])
            group.append(flat)
            if len(group) >= self._window_size(key):
                del groups[key]
                yield from self._open(key, ListDataset(group, spec))
        for key in sorted(groups):
            yield from self._open(key, ListDataset(groups[key], spec))

    def _cardinality(self) -> int:
        return INFINITE if self._input._cardinality() == INFINITE else UNKNOWN


def _int64_key(fn: traced.TracedFunction, what: str) -> Callable[[tuple], int]:
    spec = fn.output_spec
    if not (isinstance(spec, TensorSpec) and spec.dtype == "int64" and spec.shape.rank in (0, None)):
        raise ValueError(f"`{what}` must return a single tf.int64 scalar tensor, but its return type is {spec}.")
    return lambda flat: int(fn(flat)[0])


def group_by_window(
    dataset: Dataset, key_func: Callable, reduce_func: Callable, window_size: Any, window_size_func: Optional[Callable]
) -> Dataset:
    """``Dataset.group_by_window`` over user functions (``key_func`` and ``window_size_func`` traced)."""
    if (window_size is None) == (window_size_func is None):
        raise ValueError("Either the `window_size` argument or the `window_size_func` argument must be specified.")
    key = _int64_key(traced.TracedFunction(key_func, dataset.element_spec, "key_func"), "key_func")
    if window_size_func is None:
        size = _int(window_size, "window_size")
        sizes: Callable[[int], int] = lambda k: size  # noqa: E731
    else:
        size_fn = traced.TracedFunction(window_size_func, TensorSpec((), "int64"), "window_size_func")
        sizes = _int64_key(size_fn, "window_size_func")
        sizes = (lambda f: lambda k: f((np.asarray(np.int64(k)),)))(sizes)

    def reduce(k: int, window: Dataset) -> Dataset:
        return reduce_func(structure.wrap(np.asarray(np.int64(k))), window)

    # as in TensorFlow, ``reduce_func`` is traced once, over the key and a handle to the window
    spec = (TensorSpec((), "int64"), structure.DatasetSpec(dataset.element_spec))
    once = trace_if_capturing(reduce_func, spec, "group_by_window")
    return GroupByWindowDataset(dataset, key, reduce, sizes, traced_reduce=once)


def bucket_by_sequence_length(
    dataset: Dataset,
    element_length_func: Callable,
    bucket_boundaries: list,
    bucket_batch_sizes: list,
    padded_shapes: Any,
    padding_values: Any,
    pad_to_bucket_boundary: bool,
    no_padding: bool,
    drop_remainder: bool,
) -> Dataset:
    """``Dataset.bucket_by_sequence_length``: one bucket per length range, each batched (and padded) alone."""
    boundaries = [int(b) for b in bucket_boundaries]
    sizes = [int(b) for b in bucket_batch_sizes]
    if len(sizes) != len(boundaries) + 1:
        raise ValueError("len(bucket_batch_sizes) must equal len(bucket_boundaries) + 1")
    if boundaries != sorted(boundaries):
        raise ValueError("bucket_boundaries must be sorted in increasing order")
    length_fn = traced.TracedFunction(element_length_func, dataset.element_spec, "element_length_func")

    def key(flat: tuple) -> int:
        length = int(length_fn(flat)[0])
        return int(np.searchsorted(boundaries, length, side="right"))

    def reduce(bucket: int, window: Dataset) -> Dataset:
        if no_padding:
            return window.batch(sizes[bucket], drop_remainder=drop_remainder)
        shapes = padded_shapes
        if pad_to_bucket_boundary:
            if bucket == len(boundaries):
                raise InvalidArgumentError(
                    "When pad_to_bucket_boundary=True, elements must have length < max(bucket_boundaries)."
                )
            specs = nest.flatten(dataset.element_spec)
            given = (
                [s.shape for s in specs]
                if shapes is None
                else _leaves_matching(shapes, dataset.element_spec, "padded_shapes")
            )
            filler = boundaries[bucket] - 1
            filled = [[filler if d is None or d == -1 else d for d in TensorShape(g)] for g in given]
            shapes = nest.pack_sequence_as(dataset.element_spec, [TensorShape(f) for f in filled])
        return window.padded_batch(sizes[bucket], shapes, padding_values, drop_remainder=drop_remainder)

    probe = tuple(range(len(boundaries))) if pad_to_bucket_boundary else tuple(range(len(sizes)))
    return GroupByWindowDataset(dataset, key, reduce, lambda b: sizes[b], probe_keys=probe or (0,))

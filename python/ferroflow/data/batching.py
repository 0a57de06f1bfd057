"""Batching: ``batch``, ``padded_batch``, ``unbatch`` and ``rebatch`` (components stacked with NumPy; ragged
leaves batched into ragged components, ``ragged_elements.py``)."""

from __future__ import annotations

import functools
import itertools
from typing import Any, Iterator, Optional

import numpy as np

from ..errors import InvalidArgumentError
from ..framework import nest
from ..framework.composite_specs import RaggedTensorSpec
from ..framework.tensor_shape import TensorShape
from ..framework.tensor_spec import TensorSpec
from . import rows, structure
from .dataset_ops import INFINITE, UNKNOWN, Dataset
from .ragged_elements import RaggedComponent
from .ragged_elements import batch as batch_ragged
from .sources import _int
from .sparse_elements import SparseComponent
from .sparse_elements import batch as batch_sparse


def _positive(value: Any, what: str) -> int:
    n = _int(value, what)
    if n <= 0:
        raise InvalidArgumentError(f"{what} must be greater than zero.")
    return n


def stack(rows: list, ragged: Optional[list] = None) -> tuple:
    """Flat elements stacked component by component, with TensorFlow's error for differing shapes; the
    components of ragged leaves (``ragged[i]``) become the rows of a ragged component."""
    out = []
    for i, parts in enumerate(zip(*rows)):
        if (ragged is not None and ragged[i]) or isinstance(parts[0], RaggedComponent):
            out.append(batch_ragged(parts, i))
            continue
        if isinstance(parts[0], SparseComponent):
            out.append(batch_sparse(parts, i))
            continue
        if len({p.shape for p in parts}) > 1:
            first = parts[0].shape
            j = next(j for j, p in enumerate(parts) if p.shape != first)
            raise InvalidArgumentError(
                f"Cannot batch tensors with different shapes in component {i}. First element had shape "
                f"{list(first)} and element {j} had shape {list(parts[j].shape)}."
            )
        # np.array copies equal-shaped arrays into one in a single call, much faster than np.stack on small
        # elements; it would nest object (string) arrays instead, so those are stacked.
        out.append(np.stack(parts) if parts[0].dtype == object else np.array(parts))
    return tuple(out)


def _batched_cardinality(n: int, size: int, drop_remainder: bool) -> int:
    if n < 0:
        return n
    return n // size if drop_remainder else -(-n // size)


class _BatchIterator:
    def __init__(self, source: Iterator[tuple], sizes: Iterator[int], drop_remainder: bool, combine: Any) -> None:
        self._it = source
        self._sizes = sizes
        self._drop = drop_remainder
        self._combine = combine
        self._done = False

    def __iter__(self) -> _BatchIterator:
        return self

    def __next__(self) -> tuple:
        if self._done:
            raise StopIteration
        size = next(self._sizes)
        rows = list(itertools.islice(self._it, size))
        if len(rows) < size:
            self._done = True
            if not rows or self._drop:
                raise StopIteration
        return self._combine(rows)


class BatchDataset(Dataset):
    """``Dataset.batch``."""

    def __init__(self, dataset: Dataset, batch_size: Any, drop_remainder: bool) -> None:
        self._input = dataset
        self._size = _positive(batch_size, "batch_size")
        self._drop = bool(drop_remainder)
        super().__init__(structure.batched(dataset.element_spec, self._size if self._drop else None), (dataset,))

    def _iterator(self) -> Iterator[tuple]:
        direct = self._input._batch_iterator(self._size, self._drop)
        if direct is not None:
            return direct
        flat = rows.rows_of(self._input)
        if flat is not None:  # rows of in-memory arrays: gather each batch instead of stacking its elements
            return rows.RowBatchIterator(flat, self._input._row_iterator(), self._size, self._drop)
        combine = functools.partial(stack, ragged=_ragged_leaves(self._input.element_spec))
        return _BatchIterator(self._input._iterator(), itertools.repeat(self._size), self._drop, combine)

    def _cardinality(self) -> int:
        return _batched_cardinality(self._input._cardinality(), self._size, self._drop)

    def _host_iterator(self) -> Iterator[tuple]:
        views = getattr(self._input, "_batch_views", None)
        return self._iterator() if views is None else views(self._size, self._drop)


def _ragged_leaves(spec: Any) -> list:
    """For each leaf of ``spec``: whether it is ragged (its elements batch into a ragged component)."""
    return [isinstance(s, RaggedTensorSpec) for s in nest.flatten(spec)]


def _default_padding(spec: TensorSpec) -> np.ndarray:
    """0 (False for bool), or the empty string for ``tf.string``, as TensorFlow pads by default."""
    if spec.dtype.name == "string":
        out = np.empty((), dtype=object)
        out[()] = b""
        return out
    return np.zeros((), spec.dtype.as_numpy_dtype)


def _padded_shape(given: Any, spec: TensorSpec) -> TensorShape:
    if given is None:
        if spec.shape.rank is None:
            raise ValueError(f"padded_shapes must be given for a component of unknown rank ({spec})")
        return spec.shape
    dims = structure.to_component(given).tolist() if not isinstance(given, (list, tuple, TensorShape)) else given
    shape = TensorShape(None if d is None or d == -1 else int(d) for d in dims)
    if not shape.is_compatible_with(spec.shape) and not _fits(shape, spec.shape):
        raise ValueError(
            f"The padded shape {tuple(shape)} is not compatible with the shape {tuple(spec.shape)} of the "
            "corresponding input component."
        )
    return shape


def _fits(padded: TensorShape, shape: TensorShape) -> bool:
    return shape.rank is None or (
        len(padded) == len(shape) and all(p is None or s is None or s <= p for p, s in zip(padded, shape))
    )


class PaddedBatchDataset(Dataset):
    """``Dataset.padded_batch``: each component padded to its padded shape (unknown dimensions to the longest
    in the batch) with its padding value."""

    def __init__(
        self, dataset: Dataset, batch_size: Any, padded_shapes: Any, padding_values: Any, drop_remainder: bool
    ) -> None:
        self._input = dataset
        self._size = _positive(batch_size, "batch_size")
        self._drop = bool(drop_remainder)
        specs = nest.flatten(dataset.element_spec)
        for s in specs:
            if not isinstance(s, TensorSpec):
                raise TypeError(
                    "`padded_batch` is only supported for datasets that produce tensor elements but type spec of "
                    f"elements in the input dataset is not a subclass of TensorSpec: `{s}`."
                )
        if padded_shapes is None:
            given = [None] * len(specs)
        elif isinstance(dataset.element_spec, (tuple, dict)):
            given = _leaves_matching(padded_shapes, dataset.element_spec, "padded_shapes")
        else:
            given = [padded_shapes]
        self._shapes = [_padded_shape(g, s) for g, s in zip(given, specs)]
        if padding_values is None:
            values = [None] * len(specs)
        elif isinstance(padding_values, (tuple, dict)):
            values = _leaves_matching(padding_values, dataset.element_spec, "padding_values")
        elif isinstance(dataset.element_spec, (tuple, dict)):
            values = [padding_values] * len(specs)
        else:
            values = [padding_values]
        self._pads = [
            _default_padding(s) if v is None else np.asarray(structure.to_component(v), s.dtype.as_numpy_dtype)
            for v, s in zip(values, specs)
        ]
        out = [
            TensorSpec([self._size if self._drop else None] + list(sh), s.dtype) for sh, s in zip(self._shapes, specs)
        ]
        super().__init__(nest.pack_sequence_as(dataset.element_spec, out), (dataset,))

    def _pad(self, rows: list) -> tuple:
        out = []
        for parts, shape, pad in zip(zip(*rows), self._shapes, self._pads):
            target = [max(p.shape[k] for p in parts) if d is None else d for k, d in enumerate(shape)]
            batch = np.full([len(parts)] + target, pad, dtype=parts[0].dtype)
            for i, p in enumerate(parts):
                if any(a > b for a, b in zip(p.shape, target)):
                    raise InvalidArgumentError("Attempted to pad to a smaller size than the input element.")
                batch[(i,) + tuple(slice(0, a) for a in p.shape)] = p
            out.append(batch)
        return tuple(out)

    def _iterator(self) -> Iterator[tuple]:
        return _BatchIterator(self._input._iterator(), itertools.repeat(self._size), self._drop, self._pad)

    def _cardinality(self) -> int:
        return _batched_cardinality(self._input._cardinality(), self._size, self._drop)


def _leaves_matching(value: Any, spec: Any, what: str) -> list:
    """The leaves of ``value`` (shapes or padding values) lined up with the leaves of ``spec``."""
    if isinstance(spec, dict):
        if not isinstance(value, dict) or sorted(value) != sorted(spec):
            raise ValueError(f"`{what}` must have the structure of the element spec {spec}, received {value!r}")
        return [leaf for k in sorted(spec) for leaf in _leaves_matching(value[k], spec[k], what)]
    if isinstance(spec, tuple):
        if not isinstance(value, (tuple, list)) or len(value) != len(spec):
            raise ValueError(f"`{what}` must have the structure of the element spec {spec}, received {value!r}")
        return [leaf for v, s in zip(value, spec) for leaf in _leaves_matching(v, s, what)]
    return [value]


class _UnbatchIterator:
    def __init__(self, source: Iterator[tuple]) -> None:
        self._it = source
        self._current: Optional[tuple] = None
        self._i = self._n = 0

    def __iter__(self) -> _UnbatchIterator:
        return self

    def __next__(self) -> tuple:
        while self._i >= self._n:
            current = next(self._it)
            sizes = {c.shape[0] for c in current}
            if len(sizes) > 1:
                raise InvalidArgumentError(
                    "Input element must have the same batch size in each component. Component 0 had size "
                    f"{current[0].shape[0]} but component {[c.shape[0] for c in current].index(sizes.pop())} had "
                    "another size."
                )
            self._current, self._i, self._n = current, 0, sizes.pop() if sizes else 0
        i = self._i
        self._i += 1
        return tuple(c[i, ...] for c in self._current)


class UnbatchDataset(Dataset):
    """``Dataset.unbatch``."""

    def __init__(self, dataset: Dataset) -> None:
        self._input = dataset
        self._rows_per_element = structure.leading_dim(dataset.element_spec)
        super().__init__(structure.unbatched(dataset.element_spec), (dataset,))

    def _iterator(self) -> Iterator[tuple]:
        return _UnbatchIterator(self._input._iterator())

    def _cardinality(self) -> int:
        n = self._input._cardinality()
        if n < 0 or self._rows_per_element is None:
            return n if n == INFINITE and self._rows_per_element else UNKNOWN
        return n * self._rows_per_element


class RebatchDataset(Dataset):
    """``Dataset.rebatch``: the batched elements re-cut into batches of ``batch_size`` (a list is cycled)."""

    def __init__(self, dataset: Dataset, batch_size: Any, drop_remainder: bool) -> None:
        self._input = dataset
        sizes = structure.to_component(batch_size).ravel().tolist()
        if not sizes or any(int(s) <= 0 for s in sizes):
            raise InvalidArgumentError("batch_size must be greater than zero.")
        self._sizes = [int(s) for s in sizes]
        self._drop = bool(drop_remainder)
        known = self._sizes[0] if self._drop and len(set(self._sizes)) == 1 else None
        super().__init__(structure.batched(structure.unbatched(dataset.element_spec), known), (dataset,))

    def _iterator(self) -> Iterator[tuple]:
        rows = _UnbatchIterator(self._input._iterator())
        combine = functools.partial(stack, ragged=_ragged_leaves(self._input.element_spec))
        return _BatchIterator(rows, itertools.cycle(self._sizes), self._drop, combine)

    def _cardinality(self) -> int:
        return UNKNOWN

"""Sparse and ragged training data: ``SparseTensor``/``RaggedTensor`` inputs of ``fit``/``evaluate``/``predict``.

The native batch loop gathers rows of dense arrays. A sparse or ragged input has a different number of
values per batch, so it is held as NumPy components (``SparseRows``, ``RaggedRows``), its rows are taken
per batch in Python, and ``CompositeBatchPlan`` runs the compiled step once per batch on the component
feeds, with the native loop's interface (``run``, ``run_batches``, ``predict_batches``).
"""

from __future__ import annotations

from typing import Any, List, Optional

import numpy as np

from ..framework import composite_graph
from ..framework.composite_specs import RaggedTensorSpec, SparseTensorSpec
from ..framework.ragged_tensor import RaggedTensor
from ..framework.sparse_tensor import SparseTensor
from .string_data import StringRows


def _take_ranges(splits: np.ndarray, rows: np.ndarray) -> tuple:
    """For rows ``rows`` of a partition ``splits``: (positions of their values in order, their lengths)."""
    lengths = np.diff(splits)[rows]
    starts = splits[:-1][rows]
    total = int(lengths.sum())
    # Value k of the result is starts[r] + (k - first value of r), for the row r it falls in.
    first = np.cumsum(lengths) - lengths
    positions = np.repeat(starts - first, lengths) + np.arange(total, dtype=np.int64)
    return positions.astype(np.int64), lengths


def _float_cast(values: np.ndarray, float_dtype: str) -> np.ndarray:
    # Floating inputs take the model's float dtype, as dense ones do (Keras's autocasting).
    return values.astype(float_dtype) if values.dtype.kind == "f" else values


class SparseRows:
    """A ``SparseTensor``'s elements sorted by row, for taking batches of rows."""

    def __init__(self, indices: np.ndarray, values: np.ndarray, dense_shape: np.ndarray) -> None:
        order = np.lexsort(indices.T[::-1]) if len(indices) else np.zeros(0, np.int64)
        self.indices = np.ascontiguousarray(indices[order])
        self.values = np.ascontiguousarray(values[order])
        self.dense_shape = np.asarray(dense_shape, np.int64)
        n = int(self.dense_shape[0])
        self.splits = np.searchsorted(self.indices[:, 0], np.arange(n + 1)).astype(np.int64)

    @classmethod
    def from_tensor(cls, sp: SparseTensor, float_dtype: str) -> SparseRows:
        return cls(sp._indices, _float_cast(sp.values.numpy(), float_dtype), sp._shape)

    @property
    def shape(self) -> tuple:
        return tuple(int(d) for d in self.dense_shape)

    @property
    def dtype(self) -> np.dtype:
        return self.values.dtype

    @property
    def spec(self) -> SparseTensorSpec:
        return SparseTensorSpec([None] + list(self.shape[1:]), self.dtype)

    def signature(self) -> tuple:
        return ("sparse", self.dtype.num, self.shape[1:])

    def __len__(self) -> int:
        return self.shape[0]

    def __getitem__(self, rows: Any) -> SparseRows:
        return self.take(np.arange(len(self))[rows])

    def take(self, rows: np.ndarray) -> SparseRows:
        """Rows ``rows`` (in that order) as a new sparse tensor whose row i is old row ``rows[i]``."""
        positions, lengths = _take_ranges(self.splits, rows)
        indices = self.indices[positions].copy()
        indices[:, 0] = np.repeat(np.arange(len(rows), dtype=np.int64), lengths)
        return SparseRows(indices, self.values[positions], np.concatenate([[len(rows)], self.dense_shape[1:]]))

    def feeds(self, rows: Optional[np.ndarray] = None) -> list:
        part = self if rows is None else self.take(rows)
        return composite_graph.sparse_feeds(self.spec, part.indices, part.values, part.dense_shape)


class RaggedRows:
    """A ``RaggedTensor``'s flat values and row splits (outermost first), for taking batches of rows."""

    def __init__(self, flat_values: np.ndarray, nested_splits: List[np.ndarray], inner_dims: tuple) -> None:
        self.flat_values = np.ascontiguousarray(flat_values)
        self.nested_splits = [np.asarray(s, np.int64) for s in nested_splits]
        self.inner_dims = inner_dims

    @classmethod
    def from_tensor(cls, rt: RaggedTensor, float_dtype: str) -> RaggedRows:
        splits, v = [], rt
        while isinstance(v, RaggedTensor):
            splits.append(v._row_splits)
            v = v._values
        flat = _float_cast(v.numpy(), float_dtype)
        return cls(flat, splits, tuple(flat.shape[1:]))

    @property
    def ragged_rank(self) -> int:
        return len(self.nested_splits)

    @property
    def shape(self) -> tuple:
        return (len(self.nested_splits[0]) - 1,) + (None,) * self.ragged_rank + self.inner_dims

    @property
    def dtype(self) -> np.dtype:
        return self.flat_values.dtype

    @property
    def spec(self) -> RaggedTensorSpec:
        return RaggedTensorSpec([None] + list(self.shape[1:]), self.dtype, self.ragged_rank)

    def signature(self) -> tuple:
        return ("ragged", self.dtype.num, self.shape[1:])

    def __len__(self) -> int:
        return self.shape[0]

    def __getitem__(self, rows: Any) -> RaggedRows:
        return self.take(np.arange(len(self))[rows])

    def take(self, rows: np.ndarray) -> RaggedRows:
        """Rows ``rows`` (in that order), each level's splits rebuilt for the rows taken."""
        new_splits = []
        selected = np.asarray(rows, np.int64)
        for splits in self.nested_splits:
            positions, lengths = _take_ranges(splits, selected)
            new_splits.append(np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64))
            selected = positions
        return RaggedRows(self.flat_values[selected], new_splits, self.inner_dims)

    def feeds(self, rows: Optional[np.ndarray] = None) -> list:
        part = self if rows is None else self.take(rows)
        return composite_graph.ragged_feeds(self.spec, part.flat_values, part.nested_splits)


# String inputs are fed per batch the same way (string_data.StringRows).
COMPOSITE_ROWS = (SparseRows, RaggedRows, StringRows)


def from_value(value: Any, float_dtype: str) -> Any:
    """A ``SparseTensor``/``RaggedTensor`` input as rows to batch (eager values only)."""
    if isinstance(value, SparseTensor):
        return SparseRows.from_tensor(value, float_dtype)
    return RaggedRows.from_tensor(value, float_dtype)


def _feeds(arrays: list, rows: Optional[np.ndarray]) -> list:
    out: list = []
    for a in arrays:
        if isinstance(a, COMPOSITE_ROWS):
            out.extend(composite_graph.as_feed(f) for f in a.feeds(rows))
        else:
            out.append(np.ascontiguousarray(a if rows is None else a[rows]))
    return out


def _first(t: Any) -> float:
    flat = t.numpy().reshape(-1)
    return float(flat[0]) if flat.size else float("nan")


class CompositeBatchPlan:
    """A compiled step whose inputs include sparse or ragged data, run batch by batch from Python."""

    def __init__(self, plan: Any) -> None:
        self._plan = plan

    def __getattr__(self, name: str) -> Any:
        return getattr(self._plan, name)  # random_state, set_random_state, num_steps ...

    def run(self, arrays: list) -> list:
        return self._plan.run(_feeds(arrays, None))

    def run_batches(
        self, arrays: list, order: np.ndarray, batch_size: int, callback: Any = None, every: int = 0
    ) -> list:
        """As the native loop: per batch, the first element of each fetch; ``callback(last, recent)`` every
        ``every`` batches, stopping when it returns True."""
        batches = [order[i : i + batch_size] for i in range(0, len(order), batch_size)]
        results: list = []
        reported = 0
        for b, rows in enumerate(batches):
            results.append([_first(t) for t in self._plan.run(_feeds(arrays, rows))])
            done = b + 1
            if callback is not None and every > 0 and (done % every == 0 or done == len(batches)):
                stop = callback(done - 1, results[reported:])
                reported = done
                if stop:
                    break
        return results

    def predict_batches(self, arrays: list, batch_size: int) -> list:
        """Every fetch over the batches in order, concatenated along the batch axis."""
        from ..framework.tensor import EagerTensor
        from ..ops.array_ops import concat

        n = len(arrays[0])
        parts = [
            self._plan.run(_feeds(arrays, np.arange(i, min(i + batch_size, n), dtype=np.int64)))
            for i in range(0, n, batch_size)
        ]
        return [concat([EagerTensor(p[k]) for p in parts], 0)._t for k in range(len(parts[0]))]

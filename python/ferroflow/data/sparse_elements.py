"""Sparse components of ``tf.data`` elements: a ``SparseTensor`` inside a pipeline.

A pipeline holds each element as flat NumPy components. A sparse leaf (``SparseTensorSpec``) is one
``SparseComponent``: int64 indices ``[N, rank]``, values ``[N]`` and the dense shape. It answers what the
pipeline asks of an array (``shape``, ``ndim``, ``len``, rows by index or slice), so slicing, batching and
unbatching treat it as TensorFlow treats a sparse tensor: row ``i`` holds the elements whose first index is
``i`` (one dimension less), and a batch stacks elements along a new first dimension, its dense shape the
largest of theirs.
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from .row_indexed import RowIndexed


class SparseComponent(RowIndexed):
    """``indices`` (int64 ``[N, rank]``), ``values`` (``[N]``) and ``dense_shape`` (int64 ``[rank]``)."""

    __slots__ = ("indices", "values", "dense_shape")

    def __init__(self, indices: np.ndarray, values: np.ndarray, dense_shape: np.ndarray) -> None:
        self.dense_shape = np.asarray(dense_shape, dtype=np.int64).reshape(-1)
        idx = np.asarray(indices, dtype=np.int64)
        # A rank-0 sparse tensor's indices are [N, 0]: their size does not give N.
        fits = idx.ndim == 2 and idx.shape[1] == len(self.dense_shape)
        self.indices = idx if fits else idx.reshape(-1, len(self.dense_shape))
        self.values = values

    @classmethod
    def from_value(cls, sp: Any) -> SparseComponent:
        """The component of an eager ``SparseTensor``."""
        from ..framework.graph_composites import GraphSparseTensor

        if isinstance(sp, GraphSparseTensor):
            raise TypeError(f"tf.data needs values, not the symbolic sparse tensor {sp!r} of a graph being built")
        return cls(sp._indices, sp.values._t.numpy(), sp._shape)

    # -- what the pipeline asks of a component
    @property
    def dtype(self) -> np.dtype:
        return self.values.dtype

    @property
    def shape(self) -> tuple:
        return tuple(int(d) for d in self.dense_shape)

    @property
    def ndim(self) -> int:
        return len(self.dense_shape)

    def __len__(self) -> int:
        return int(self.dense_shape[0])

    # -- rows
    def row(self, i: int) -> SparseComponent:
        """Row ``i``: the elements whose first index is ``i``, without that index."""
        keep = self.indices[:, 0] == i
        return SparseComponent(self.indices[keep, 1:], self.values[keep], self.dense_shape[1:])

    def rows(self, index: np.ndarray) -> SparseComponent:
        """The rows ``index``, in that order, as a component whose first dimension is ``len(index)``."""
        parts = [self.row(int(r)) for r in index]
        return batch(parts, 0) if parts else SparseComponent(self.indices[:0], self.values[:0], [0, *self.shape[1:]])

    # -- conversions
    def to_tensor(self) -> Any:
        """The ``SparseTensor`` iteration yields."""
        from .. import _core
        from ..framework.sparse_tensor import SparseTensor
        from ..framework.tensor import EagerTensor

        values = EagerTensor(_core.Tensor.from_numpy(np.ascontiguousarray(self.values)))
        return SparseTensor(self.indices, values, self.dense_shape)

    def numpy(self) -> np.ndarray:
        """What ``as_numpy_iterator`` yields: the dense array (TensorFlow 2.21 densifies sparse leaves there)."""
        dense = np.zeros(self.shape, dtype=self.values.dtype)
        dense[tuple(self.indices.T)] = self.values
        return dense

    def __repr__(self) -> str:
        return f"SparseComponent(dense_shape={self.shape}, dtype={self.dtype})"


def batch(parts: Sequence[Any], index: int) -> SparseComponent:
    """Sparse elements of one leaf stacked along a new first dimension; the dense shape is the largest of the
    elements' in each dimension (TensorFlow's rule), so elements of one rank but different shapes batch."""
    from ..errors import InvalidArgumentError

    if not all(isinstance(p, SparseComponent) for p in parts):
        raise InvalidArgumentError(f"Cannot batch sparse and dense tensors together in component {index}")
    ranks = {p.ndim for p in parts}
    if len(ranks) > 1:
        raise InvalidArgumentError(
            f"Cannot batch sparse tensors of different ranks in component {index}: received dense shapes "
            f"{[list(p.shape) for p in parts[:4]]}"
        )
    rank = ranks.pop()
    shape = np.max(np.stack([p.dense_shape for p in parts]), axis=0) if rank else np.zeros(0, np.int64)
    rows = np.concatenate([np.full(len(p.indices), j, np.int64) for j, p in enumerate(parts)])
    indices = np.concatenate([rows[:, None], np.concatenate([p.indices for p in parts])], axis=1)
    values = np.concatenate([p.values for p in parts])
    return SparseComponent(indices, values, np.concatenate([[len(parts)], shape]))

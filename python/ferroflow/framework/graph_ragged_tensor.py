"""``RaggedTensor`` inside a graph: the same type, with its row splits a graph tensor.

A traced function's ragged arguments, ``tf.strings.split`` of a batch, ``RaggedTensor.from_row_splits`` of graph
tensors and the ragged ops on them (``to_tensor``, reductions, ``tf.gather``, ``tf.concat``, ``merge_dims``,
indexing ...) make these. The quantities eager code reads from NumPy splits (row lengths, each value's row,
the padded width) are graph ops here (``ops/ragged_partition_ops.py``); ops that need a Python row count fail
with a message that says so.
"""

from __future__ import annotations

from typing import Any, Optional

from .ragged_tensor import RaggedTensor
from .tensor import Tensor
from .tensor_shape import TensorShape


def _graph_only(what: str) -> NotImplementedError:
    from .graph_composites import _graph_only as message

    return message("RaggedTensor", what)


class GraphRaggedTensor(RaggedTensor):
    """A ``RaggedTensor`` whose row splits (int64) are a graph tensor; ``values`` is a graph tensor or another
    ``GraphRaggedTensor``. ``rowids`` (each value's row) is computed from the splits when not given."""

    def __init__(self, values: Any, row_splits: Tensor, rowids: Optional[Tensor] = None, nrows: Any = None) -> None:
        self._values = values
        self._graph_splits = row_splits
        self._rowids = rowids
        if nrows is None:
            n = row_splits.shape[0] if row_splits.shape.rank == 1 else None
            nrows = None if n is None else n - 1
        self._static_nrows = nrows

    @property
    def _row_splits(self) -> Any:
        raise _graph_only("This op")

    @property
    def _graph_rowids(self) -> Tensor:
        if self._rowids is None:
            from ..ops.ragged_partition_ops import rowids_from_splits
            from . import context

            graph = getattr(self._graph_splits, "graph", None)
            if graph is None or context.current_graph() is graph:
                self._rowids = rowids_from_splits(self._graph_splits)
            else:
                with graph.as_default():
                    self._rowids = rowids_from_splits(self._graph_splits)
        return self._rowids

    # -- row partition
    @property
    def row_splits(self) -> Tensor:
        return self._graph_splits

    def nrows_int(self) -> int:
        if self._static_nrows is None:
            raise _graph_only("A Python row count")
        return self._static_nrows

    def nrows(self, out_type: Any = "int64", name: Any = None) -> Tensor:
        from ..ops.array_ops import cast
        from ..ops.ragged_partition_ops import nrows

        return cast(nrows(self._graph_splits), out_type)

    def row_lengths(self, axis: int = 1, name: Any = None) -> Any:
        if axis != 1:
            return super().row_lengths(axis, name)
        from ..ops.ragged_partition_ops import row_lengths

        return row_lengths(self._graph_splits)

    def nested_row_lengths(self, name: Any = None) -> tuple:
        out, rt = [], self
        while isinstance(rt, RaggedTensor):
            out.append(rt.row_lengths())
            rt = rt._values
        return tuple(out)

    def value_rowids(self, name: Any = None) -> Tensor:
        return self._graph_rowids

    def nested_value_rowids(self, name: Any = None) -> tuple:
        out, rt = [], self
        while isinstance(rt, RaggedTensor):
            out.append(rt.value_rowids())
            rt = rt._values
        return tuple(out)

    def row_starts(self, name: Any = None) -> Tensor:
        return self._graph_splits[:-1]

    def row_limits(self, name: Any = None) -> Tensor:
        return self._graph_splits[1:]

    def bounding_shape(self, axis: Any = None, name: Any = None, out_type: Any = "int64") -> Tensor:
        """The shape of the smallest dense tensor that holds every row: ``[nrows, longest row, ...]``."""
        from ..ops.array_ops import cast, concat, shape, stack
        from ..ops.ragged_partition_ops import width

        if isinstance(self._values, RaggedTensor):
            inner = self._values.bounding_shape(out_type="int64")[1:]
        else:
            inner = shape(self._values, out_type="int64")[1:]
        dims = concat([stack([self.nrows(), width(self._graph_splits)]), inner], 0)
        dims = cast(dims, out_type)
        return dims if axis is None else dims[axis]

    # -- structure
    @property
    def shape(self) -> TensorShape:
        inner = self.flat_values.shape
        if inner.rank is None:
            return TensorShape(None)
        return TensorShape([self._static_nrows] + [None] * self.ragged_rank + list(inner)[1:])

    def with_values(self, new_values: Any) -> GraphRaggedTensor:
        from .ragged_tensor import _as_values

        return GraphRaggedTensor(_as_values(new_values), self._graph_splits, self._rowids, self._static_nrows)

    def same_partition(self, other: Any) -> bool:
        """Whether ``other`` has this tensor's row partition (the same graph tensors, level by level)."""
        a, b = self, other
        while isinstance(a, GraphRaggedTensor) and isinstance(b, GraphRaggedTensor):
            if a._graph_splits is not b._graph_splits:
                return False
            a, b = a._values, b._values
        return not isinstance(a, RaggedTensor) and not isinstance(b, RaggedTensor)

    def to_tensor(self, default_value: Any = None, name: Any = None, shape: Any = None) -> Tensor:
        from ..ops.ragged_graph_ops import to_tensor

        return to_tensor(self, default_value, shape)

    def merge_dims(self, outer_axis: int, inner_axis: int) -> Any:
        from ..ops.ragged_graph_ops import merge_dims

        return merge_dims(self, outer_axis, inner_axis)

    def __getitem__(self, key: Any) -> Any:
        from ..ops.ragged_graph_index import getitem

        return getitem(self, key)

    # -- no values yet
    def to_list(self) -> list:
        raise TypeError("A RaggedTensor inside a graph has no value yet: to_list() needs an eager RaggedTensor")

    def numpy(self) -> Any:
        raise TypeError("A RaggedTensor inside a graph has no value yet: numpy() needs an eager RaggedTensor")

    def __iter__(self):
        raise TypeError("A RaggedTensor inside a graph cannot be iterated: its row count is known when it runs")

    def __repr__(self) -> str:
        return f"tf.RaggedTensor(values={self._values}, row_splits={self._graph_splits})"

    __str__ = __repr__

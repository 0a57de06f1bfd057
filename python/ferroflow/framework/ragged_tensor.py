"""``tf.RaggedTensor``: rows of different lengths, stored as flat values plus row splits.

``values`` holds every row's elements back to back (a tensor, or another ragged tensor for more ragged
dimensions) and ``row_splits[i]:row_splits[i + 1]`` is the range of row ``i``. Eagerly the row partitions are
NumPy arrays; the values are ordinary tensors, so ops on them are differentiated by the tape. Inside a graph
(tf.function, Dataset.map) the factories given graph tensors make a ``GraphRaggedTensor``, whose row splits are
graph tensors (graph_ragged_tensor.py).
"""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from .._core import InvalidArgumentError
from .dtypes import DType
from .ragged_conversion import RaggedConversion
from .ragged_operators import RaggedOperators
from .ragged_partition import RaggedPartition
from .tensor import Tensor
from .tensor_shape import TensorShape


def _int_vector(x: Any, what: str) -> np.ndarray:
    if isinstance(x, RaggedTensor):
        raise TypeError(f"{what} must be a 1-D integer tensor, received a RaggedTensor")
    if isinstance(x, Tensor):
        from .tensor import EagerTensor

        if not isinstance(x, EagerTensor):
            raise ValueError(
                f"{what} must be known eagerly: building a RaggedTensor from graph tensors is not supported yet "
                "(pass the RaggedTensor to the tf.function as an argument instead)"
            )
        x = x.numpy()
    arr = np.asarray(x)
    if arr.size == 0:
        arr = arr.astype(np.int64)
    if arr.ndim != 1 or arr.dtype.kind not in "iu":
        raise TypeError(f"{what} must be a 1-D integer tensor, received {x!r}")
    return arr.astype(np.int64)


class RaggedTensor(RaggedConversion, RaggedOperators, RaggedPartition):
    """A tensor with one or more ragged (variable-length) dimensions (``tf.RaggedTensor``)."""

    def __init__(self, values: Any, row_splits: np.ndarray, internal: bool = False) -> None:
        if not internal:
            raise ValueError(
                "RaggedTensor is made by its factories: tf.ragged.constant, RaggedTensor.from_row_splits, "
                "from_row_lengths, from_value_rowids, from_tensor ..."
            )
        self._values = values
        self._row_splits = row_splits

    # Set by from_uniform_row_length: every row has this length, and shape shows it.
    _uniform_row_length: Optional[int] = None

    # -- factories
    @classmethod
    def from_uniform_row_length(
        cls, values: Any, uniform_row_length: Any, nrows: Any = None, validate: bool = True, name: Any = None
    ) -> RaggedTensor:
        """Rows of ``uniform_row_length`` values each (a partitioned dimension of known size)."""
        from .ragged_uniform import from_uniform_row_length

        return from_uniform_row_length(cls, values, uniform_row_length, nrows, validate)

    @property
    def uniform_row_length(self) -> Any:
        """The length every row has (an int64 scalar) for a tensor from ``from_uniform_row_length``, else None."""
        if self._uniform_row_length is None:
            return None
        from .ops import convert_to_tensor

        return convert_to_tensor(np.int64(self._uniform_row_length))

    @classmethod
    def from_row_splits(cls, values: Any, row_splits: Any, name: Any = None, validate: bool = True) -> RaggedTensor:
        """Row ``i`` is ``values[row_splits[i]:row_splits[i + 1]]``."""
        values = _as_values(values)
        if _graph.needs_graph(values, row_splits):
            return _graph.from_row_splits(values, row_splits, validate)
        splits = _int_vector(row_splits, "row_splits")
        nvals = _nrows_of(values)
        if validate:
            if splits.size == 0 or splits[0] != 0:
                raise InvalidArgumentError(f"row_splits must start with 0, received {splits.tolist()}")
            if np.any(np.diff(splits) < 0):
                raise InvalidArgumentError(f"row_splits must be sorted in increasing order, received {splits.tolist()}")
            if splits[-1] != nvals:
                raise InvalidArgumentError(
                    f"the last row split ({int(splits[-1])}) must equal the number of values ({nvals})"
                )
        return cls(values, splits, internal=True)

    @classmethod
    def from_row_lengths(cls, values: Any, row_lengths: Any, name: Any = None, validate: bool = True) -> RaggedTensor:
        if _graph.needs_graph(values, row_lengths):
            return _graph.from_row_lengths(values, row_lengths, validate)
        lengths = _int_vector(row_lengths, "row_lengths")
        if validate and np.any(lengths < 0):
            raise InvalidArgumentError(f"row_lengths must be non-negative, received {lengths.tolist()}")
        return cls.from_row_splits(values, np.concatenate([[0], np.cumsum(lengths)]), validate=validate)

    @classmethod
    def from_row_starts(cls, values: Any, row_starts: Any, name: Any = None, validate: bool = True) -> RaggedTensor:
        if _graph.needs_graph(values, row_starts):
            return _graph.from_row_starts(values, row_starts, validate)
        starts = _int_vector(row_starts, "row_starts")
        return cls.from_row_splits(values, np.concatenate([starts, [_nrows_of(_as_values(values))]]), validate=validate)

    @classmethod
    def from_row_limits(cls, values: Any, row_limits: Any, name: Any = None, validate: bool = True) -> RaggedTensor:
        if _graph.needs_graph(values, row_limits):
            return _graph.from_row_limits(values, row_limits, validate)
        limits = _int_vector(row_limits, "row_limits")
        return cls.from_row_splits(values, np.concatenate([[0], limits]), validate=validate)

    @classmethod
    def from_value_rowids(
        cls, values: Any, value_rowids: Any, nrows: Any = None, name: Any = None, validate: bool = True
    ) -> RaggedTensor:
        """Value ``j`` belongs to row ``value_rowids[j]`` (sorted); ``nrows`` adds empty rows at the end."""
        if _graph.needs_graph(values, value_rowids) or _graph.is_symbolic(nrows):
            return _graph.from_value_rowids(values, value_rowids, nrows, validate)
        rowids = _int_vector(value_rowids, "value_rowids")
        if validate and (np.any(np.diff(rowids) < 0) or (rowids.size and rowids[0] < 0)):
            raise InvalidArgumentError(f"value_rowids must be non-negative and sorted, received {rowids.tolist()}")
        n = int(rowids[-1]) + 1 if rowids.size else 0
        if nrows is not None:
            wanted = int(np.asarray(nrows.numpy() if isinstance(nrows, Tensor) else nrows))
            if validate and wanted < n:
                raise InvalidArgumentError(f"nrows ({wanted}) must be larger than the largest value_rowid ({n - 1})")
            n = wanted
        lengths = np.bincount(rowids, minlength=n) if rowids.size else np.zeros(n, np.int64)
        return cls.from_row_lengths(values, lengths, validate=validate)

    @classmethod
    def from_nested_row_splits(cls, flat_values: Any, nested_row_splits: Any, name: Any = None, validate: bool = True):
        result = flat_values
        for splits in reversed(list(nested_row_splits)):
            result = cls.from_row_splits(result, splits, validate=validate)
        return result

    @classmethod
    def from_nested_row_lengths(
        cls, flat_values: Any, nested_row_lengths: Any, name: Any = None, validate: bool = True
    ):
        result = flat_values
        for lengths in reversed(list(nested_row_lengths)):
            result = cls.from_row_lengths(result, lengths, validate=validate)
        return result

    @classmethod
    def from_nested_value_rowids(
        cls,
        flat_values: Any,
        nested_value_rowids: Any,
        nested_nrows: Any = None,
        name: Any = None,
        validate: bool = True,
    ):
        rowids = list(nested_value_rowids)
        nrows = list(nested_nrows) if nested_nrows is not None else [None] * len(rowids)
        result = flat_values
        for ids, n in reversed(list(zip(rowids, nrows))):
            result = cls.from_value_rowids(result, ids, n, validate=validate)
        return result

    @classmethod
    def from_tensor(
        cls, tensor: Any, lengths: Any = None, padding: Any = None, ragged_rank: int = 1, name: Any = None
    ) -> RaggedTensor:
        """Rows of a dense tensor, cut to ``lengths`` or at the first trailing ``padding`` (ragged_rank 1)."""
        from .ragged_dense import from_tensor

        return from_tensor(tensor, lengths, padding, ragged_rank)

    # -- structure
    @property
    def values(self) -> Any:
        """The concatenated rows (a tensor, or a ragged tensor when more dimensions are ragged)."""
        return self._values

    @property
    def flat_values(self) -> Tensor:
        """The innermost dense values."""
        v = self._values
        while isinstance(v, RaggedTensor):
            v = v._values
        return v

    @property
    def row_splits(self) -> Tensor:
        from .ops import convert_to_tensor

        return convert_to_tensor(self._row_splits)

    @property
    def nested_row_splits(self) -> tuple:
        out, rt = [], self
        while isinstance(rt, RaggedTensor):
            out.append(rt.row_splits)
            rt = rt._values
        return tuple(out)

    @property
    def ragged_rank(self) -> int:
        return 1 + (self._values.ragged_rank if isinstance(self._values, RaggedTensor) else 0)

    @property
    def dtype(self) -> DType:
        return self.flat_values.dtype

    @property
    def shape(self) -> TensorShape:
        """``[nrows, None (each ragged dimension), *uniform inner dimensions]``."""
        dims: list = [self.nrows_int()]
        level: Any = self
        while isinstance(level, RaggedTensor):
            dims.append(level._uniform_row_length)
            level = level._values
        return TensorShape(dims + list(self.flat_values.shape)[1:])

    def get_shape(self) -> TensorShape:
        return self.shape

    @property
    def rank(self) -> int:
        return len(self.shape)

    def with_values(self, new_values: Any) -> RaggedTensor:
        new_values = _as_values(new_values)
        if _nrows_of(new_values) != _nrows_of(self._values):
            raise ValueError(f"with_values needs {_nrows_of(self._values)} values, received {_nrows_of(new_values)}")
        out = RaggedTensor(new_values, self._row_splits, internal=True)
        out._uniform_row_length = self._uniform_row_length
        return out

    def with_flat_values(self, new_values: Any) -> RaggedTensor:
        if isinstance(self._values, RaggedTensor):
            return self.with_values(self._values.with_flat_values(new_values))
        return self.with_values(new_values)

    def merge_dims(self, outer_axis: int, inner_axis: int) -> Any:
        """Merges the dimensions ``outer_axis..inner_axis`` into one (``merge_dims(0, -1)`` flattens)."""
        from ..ops.ragged_graph_ops import merge_dims

        return merge_dims(self, outer_axis, inner_axis)

    # -- Python protocols
    def __getitem__(self, key: Any) -> Any:
        from ..ops.ragged_ops import ragged_getitem

        return ragged_getitem(self, key)

    def __iter__(self):
        for i in range(self.nrows_int()):
            yield self[i]

    def __bool__(self) -> bool:
        raise TypeError("the truth value of a RaggedTensor is ambiguous")

    __hash__ = object.__hash__


def _as_values(values: Any) -> Any:
    if isinstance(values, RaggedTensor):
        return values
    from .ops import convert_to_tensor
    from .variables import Variable

    if isinstance(values, Variable):
        values = values.value()
    t = convert_to_tensor(values)
    if t.shape.rank == 0:
        raise ValueError("the values of a RaggedTensor need at least one dimension")
    return t


def _nrows_of(values: Any) -> int:
    if isinstance(values, RaggedTensor):
        return values.nrows_int()
    return int(values.shape[0])


# Graph factories subclass RaggedTensor, so they come after it.
from . import ragged_graph_factories as _graph  # noqa: E402

"""``RaggedTensor.from_row_splits``, ``from_row_lengths``, ``from_value_rowids`` ... of graph tensors.

Inside a traced function the partition is known only when the graph runs: these build a ``GraphRaggedTensor``
from it, and ``validate=True`` checks it (as TensorFlow's assertions do) after each run of the function.
"""

from __future__ import annotations

from typing import Any

from . import graph_ragged_tensor as _graph_ragged
from .ragged_tensor import RaggedTensor
from .tensor import EagerTensor, Tensor


def is_symbolic(x: Any) -> bool:
    return isinstance(x, Tensor) and not isinstance(x, EagerTensor)


def needs_graph(values: Any, partition: Any) -> bool:
    """Whether a ragged tensor of ``values`` split by ``partition`` has to be built from graph tensors: the
    partition is a graph tensor, the values are a graph ragged tensor, or graph values of unknown length."""
    if is_symbolic(partition) or isinstance(values, _graph_ragged.GraphRaggedTensor):
        return True
    if isinstance(values, RaggedTensor):
        return False
    return is_symbolic(values) and values.shape.rank is not None and values.shape[0] is None


def _vector(x: Any, what: str) -> Tensor:
    from ..ops.array_ops import cast
    from .ops import convert_to_tensor

    if isinstance(x, RaggedTensor):
        raise TypeError(f"{what} must be a 1-D integer tensor, received a RaggedTensor")
    t = convert_to_tensor(x)
    if not t.dtype.is_integer or t.shape.rank not in (None, 1):
        raise TypeError(f"{what} must be a 1-D integer tensor, received {t!r}")
    return t if t.dtype.name == "int64" else cast(t, "int64")


def _nvals(values: Any) -> Tensor:
    from ..ops.array_ops import shape

    if isinstance(values, RaggedTensor):
        return values.nrows()
    return shape(values, out_type="int64")[0]


def _check(condition: Tensor, message: str) -> None:
    """Fails the run (``InvalidArgumentError``) unless ``condition`` holds everywhere, in a traced function."""
    from ..ops.assert_ops import _check as check
    from . import context

    graph = context.current_graph()
    if graph is not None and getattr(graph, "is_function", False):
        check(condition, lambda _: message, None)


def from_row_splits(values: Any, row_splits: Any, validate: bool) -> RaggedTensor:
    from .ragged_tensor import _as_values

    values = _as_values(values)
    splits = _vector(row_splits, "row_splits")
    if validate:
        from ..ops.math_derived_ops import reduce_all
        from ..ops.math_ops import equal, greater_equal

        _check(
            equal(splits[:1], 0),
            "Arguments to from_row_splits do not form a valid RaggedTensor: first element of row_splits must be zero",
        )
        _check(
            reduce_all(greater_equal(splits[1:], splits[:-1])),
            "Arguments to from_row_splits do not form a valid RaggedTensor: row_splits must be sorted in ascending "
            "order",
        )
        _check(
            equal(splits[-1:], _nvals(values)),
            "Arguments to from_row_splits do not form a valid RaggedTensor: the last element of row_splits must "
            "equal the number of values",
        )
    return _graph_ragged.GraphRaggedTensor(values, splits)


def from_row_lengths(values: Any, row_lengths: Any, validate: bool) -> RaggedTensor:
    from ..ops.math_derived_ops import reduce_all
    from ..ops.math_ops import greater_equal
    from ..ops.ragged_partition_ops import splits_from_lengths

    lengths = _vector(row_lengths, "row_lengths")
    if validate:
        _check(
            reduce_all(greater_equal(lengths, 0)),
            "Arguments to from_row_lengths do not form a valid RaggedTensor: row_lengths must be non-negative",
        )
    return from_row_splits(values, splits_from_lengths(lengths), validate)


def from_row_starts(values: Any, row_starts: Any, validate: bool) -> RaggedTensor:
    from ..ops.array_ops import concat, reshape
    from .ragged_tensor import _as_values

    values = _as_values(values)
    splits = concat([_vector(row_starts, "row_starts"), reshape(_nvals(values), [1])], 0)
    return from_row_splits(values, splits, validate)


def from_row_limits(values: Any, row_limits: Any, validate: bool) -> RaggedTensor:
    from ..ops.array_ops import concat
    from .ops import convert_to_tensor

    splits = concat([convert_to_tensor([0], dtype="int64"), _vector(row_limits, "row_limits")], 0)
    return from_row_splits(values, splits, validate)


def from_value_rowids(values: Any, value_rowids: Any, nrows: Any, validate: bool) -> RaggedTensor:
    """Value ``j`` in row ``value_rowids[j]`` (sorted); ``nrows`` rows (default: the largest id + 1)."""
    from ..ops.array_ops import cast, concat
    from ..ops.math_derived_ops import reduce_all
    from ..ops.math_ops import greater_equal, reduce_max
    from ..ops.ragged_partition_ops import splits_from_rowids
    from .ops import convert_to_tensor

    rowids = _vector(value_rowids, "value_rowids")
    if nrows is None:
        nrows = reduce_max(concat([rowids, convert_to_tensor([-1], dtype="int64")], 0)) + 1
    count = cast(convert_to_tensor(nrows), "int64")
    if validate:
        _check(
            reduce_all(greater_equal(rowids[1:], rowids[:-1])),
            "Arguments to from_value_rowids do not form "
            "a valid RaggedTensor: value_rowids must be sorted in ascending order",
        )
    return from_row_splits(values, splits_from_rowids(rowids, count), validate)

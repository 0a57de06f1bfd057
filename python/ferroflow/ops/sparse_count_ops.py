"""``tf.sparse.bincount``: how often each value occurs in a dense, ragged or sparse tensor, as a
``SparseTensor`` holding the bins that occur (TensorFlow's ``*CountSparseOutput`` ops). Composed from graph
ops (``unique``, ``argsort``, scatter-adds), so the same code runs eagerly and inside ``tf.function`` with
shapes and values known only when the graph runs."""

from __future__ import annotations

from typing import Any, Optional

from .._core import InvalidArgumentError
from ..framework.ops import apply, convert_to_tensor
from ..framework.sparse_tensor import SparseTensor
from ..framework.tensor import Tensor
from ._graph_checks import op_def_error, require
from .array_ops import cast, concat, gather, reshape, shape, size, stack


def _int_values(t: Tensor) -> Tensor:
    if t.dtype.name not in ("int32", "int64"):
        name = {"float32": "float", "float64": "double"}.get(t.dtype.name, t.dtype.name)
        raise op_def_error(f"Value for attr 'T' of {name} is not in the list of allowed values: int32, int64")
    return t


def _parts(x: Any, axis: int) -> tuple:
    """(the values, flat; each one's row as int64; the number of rows, an int64 scalar; whether the output
    has a row dimension)."""
    from ..framework.ragged_tensor import RaggedTensor

    if isinstance(x, SparseTensor):
        values = _int_values(x.values)
        rank = len(x.shape)
        per_row = axis == -1 and rank >= 2
        rows = x.indices[:, 0] if per_row else None
        return values, rows, (x.dense_shape[0] if per_row else None), per_row
    if isinstance(x, RaggedTensor):
        values = reshape(_int_values(x.flat_values), [-1])
        if axis == -1:
            return values, cast(x.value_rowids(), "int64"), cast(x.nrows(), "int64"), True
        return values, None, None, False
    t = _int_values(convert_to_tensor(x))
    rank = t.shape.rank
    if axis == -1 and rank is not None and rank > 2:
        raise InvalidArgumentError(f"Input must be a 1 or 2-dimensional tensor. Got: [{','.join(map(str, t.shape))}]")
    if axis == -1 and rank == 2:
        dims = shape(t, out_type="int64")
        flat = reshape(t, [-1])
        return flat, _row_of_each(size(flat, out_type="int64"), dims[1]), dims[0], True
    return reshape(t, [-1]), None, None, False


def _row_of_each(n: Tensor, ncols: Tensor) -> Tensor:
    """The row of each element of a flattened ``[?, ncols]`` tensor of ``n`` elements."""
    from .fill_range_ops import range as range_
    from .math_ops import maximum

    return range_(n, dtype="int64") // maximum(ncols, 1)


def _weights(weights: Any, values: Any, axis: int, n: Tensor) -> Tensor:
    """The weights as a flat vector matching the flattened values (checking that they match)."""
    from ..framework.ragged_tensor import RaggedTensor
    from .math_derived_ops import reduce_all
    from .math_ops import equal

    if isinstance(values, SparseTensor):
        if not isinstance(weights, SparseTensor):
            raise ValueError("tf.sparse.bincount of a SparseTensor needs SparseTensor weights")
        same = equal(size(weights.indices, out_type="int64"), size(values.indices, out_type="int64"))
        require(same, [], lambda _: "'weights' and 'values' must have the same indices.")
        return weights.values
    if isinstance(values, RaggedTensor):
        if not isinstance(weights, RaggedTensor):
            raise ValueError("tf.sparse.bincount of a RaggedTensor needs RaggedTensor weights")
        a, b = cast(values.row_splits, "int64"), cast(weights.row_splits, "int64")
        same_splits = equal(size(a), size(b))
        require(same_splits, [], lambda _: "'weights' and 'values' must have the same row splits.")
        w = reshape(weights.flat_values, [-1])
        message = "'weights' and 'values' must have the same row splits."
        require(equal(size(w, out_type="int64"), n), [], lambda _: message)
        return w
    w = convert_to_tensor(weights)
    v = convert_to_tensor(values)
    if w.shape.is_fully_defined() and v.shape.is_fully_defined() and w.shape != v.shape:
        raise InvalidArgumentError(
            "Weights and data must have the same shape. Weight shape: "
            f"[{','.join(map(str, w.shape))}]; data shape: [{','.join(map(str, v.shape))}]"
        )
    if w.shape.rank != v.shape.rank:
        raise InvalidArgumentError(
            f"Weights and data must have the same shape. Weight shape: {w.shape}; data shape: {v.shape}"
        )
    same = reduce_all(equal(shape(w, out_type="int64"), shape(v, out_type="int64")))
    require(
        same,
        [shape(w, out_type="int64"), shape(v, out_type="int64")],
        lambda _, ws, vs: (
            "Weights and data must have the same shape. Weight shape: "
            f"[{','.join(map(str, ws))}]; data shape: [{','.join(map(str, vs))}]"
        ),
    )
    return reshape(w, [-1])


def bincount(
    values: Any,
    weights: Any = None,
    axis: Optional[int] = 0,
    minlength: Optional[int] = None,
    maxlength: Optional[int] = None,
    binary_output: bool = False,
    name: Optional[str] = None,
) -> SparseTensor:
    """``tf.sparse.bincount``: the count (or summed weight, or 1 with ``binary_output``) of each value, over
    the whole input with ``axis=0`` or per row of a 2-D input with ``axis=-1``. The output's last dimension
    is ``maxlength`` when given (larger values are left out), else the largest value plus one, at least
    ``minlength``."""
    return counts(values, weights, axis, minlength, maxlength, binary_output, "sparse")


def counts(
    values: Any, weights: Any, axis: Any, minlength: Any, maxlength: Any, binary_output: bool, rule: str
) -> SparseTensor:
    """The counts as a sparse tensor; ``rule`` sizes the last dimension as ``tf.sparse.bincount`` does
    (``"sparse"``) or as ``tf.math.bincount`` does (``"dense"``: the largest value plus one, 0 without values,
    at least ``minlength``, at most ``maxlength``)."""
    from .math_ops import greater_equal, less, logical_and, maximum, minimum, reduce_max
    from .scatter_ops import boolean_mask
    from .sorting_ops import argsort, unique

    if axis is None:
        axis = 0
    if axis not in (0, -1):
        raise ValueError(f"Unsupported value for argument axis={axis}. Only 0 and -1 are currently supported.")
    if weights is not None and binary_output:
        raise ValueError("Arguments `binary_output` and `weights` are mutually exclusive. Please specify only one.")
    vals, rows, nrows, per_row = _parts(values, axis)
    vals = cast(vals, "int64")
    n = size(vals, out_type="int64")
    require(greater_equal(vals, 0), [], lambda _: "Input values must all be non-negative")
    out_dtype = convert_to_tensor(_flat_of(values)).dtype
    w = None if weights is None else _weights(weights, values, axis, n)
    if w is not None:
        out_dtype = w.dtype
    keep = greater_equal(vals, 0)
    bins = reduce_max(concat([vals, convert_to_tensor([-1 if rule == "dense" else 0], dtype="int64")], 0)) + 1
    if minlength is not None:
        bins = maximum(bins, _length(minlength))
    if maxlength is not None and (rule == "dense" or _length(maxlength, eager_only=True) >= 0):
        bins = _length(maxlength) if rule == "sparse" else minimum(bins, _length(maxlength))
    keep = logical_and(keep, less(vals, bins))
    vals = boolean_mask(vals, keep)
    keys = vals if rows is None else boolean_mask(rows, keep) * bins + vals
    if binary_output or w is None:
        w = apply("fill_like", [cast(vals, out_dtype)], {"value": 1.0})
    else:
        w = boolean_mask(w, keep)
    # keys sorted first, so ``unique`` gives the bins in order and numbers them in that order
    order = argsort(keys, stable=True)
    distinct, slot = unique(gather(keys, order), out_idx="int64")
    target = apply("fill_like", [cast(distinct, out_dtype)], {"value": 0.0})
    counts = apply("unsorted_segment_sum", [gather(w, order), slot, target], {"axis": 0})
    if binary_output:
        counts = apply("fill_like", [target], {"value": 1.0})
    if per_row:
        indices = stack([distinct // bins, distinct % bins], axis=1)
        dense_shape = stack([cast(nrows, "int64"), bins])
    else:
        indices = reshape(distinct, [-1, 1])
        dense_shape = reshape(bins, [1])
    return SparseTensor(indices, counts, dense_shape)


def _flat_of(x: Any) -> Any:
    from ..framework.ragged_tensor import RaggedTensor

    if isinstance(x, SparseTensor):
        return x.values
    if isinstance(x, RaggedTensor):
        return x.flat_values
    return x


def _length(x: Any, eager_only: bool = False) -> Any:
    """A length argument as an int64 scalar tensor, or (``eager_only``) as a Python int: TensorFlow's
    ``tf.sparse.bincount`` takes its lengths as attributes, known when the graph is built."""
    if eager_only:
        return int(x.numpy() if isinstance(x, Tensor) else x)
    return cast(convert_to_tensor(x), "int64")

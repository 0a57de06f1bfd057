"""TF1 array functions whose result shape or checks depend on values: ``where`` (v1 and v2),
``placeholder_with_default``, ``sparse_to_dense`` and ``setdiff1d``.

The value-dependent parts are host ops (host_op.py): they run at once eagerly and when the plan runs in a
graph, so ``where(condition)`` on a placeholder works in a TF1 session as it does in TensorFlow.
"""

from __future__ import annotations

import collections
from typing import Any, Optional

import numpy as np

from ...errors import InvalidArgumentError
from ...framework import context
from ...framework.graph import SymbolicTensor
from ...framework.ops import convert_to_tensor
from ...framework.tensor_shape import TensorShape
from ...ops import array_ops as _array
from ...ops.host_op import host_op

ListDiff = collections.namedtuple("ListDiff", ["out", "idx"])


def _symbolic(*values: Any) -> bool:
    return context.current_graph() is not None or any(isinstance(v, SymbolicTensor) for v in values)


def _indices_of_true(condition: Any, name: Optional[str]) -> Any:
    cond = convert_to_tensor(condition)
    if not _symbolic(cond):
        return _array.where(cond)
    rank = cond.shape.rank

    def true_indices(arrays: list) -> list:
        return [np.argwhere(arrays[0].astype(bool)).astype(np.int64)]

    return host_op(name or "Where", true_indices, [cond], [("int64", [None, rank])])[0]


def where_v2(condition: Any, x: Any = None, y: Any = None, name: Optional[str] = None) -> Any:
    """``tf.where``: with ``x`` and ``y`` an elementwise choice that broadcasts; without, the int64
    coordinates of the true elements of ``condition`` (one row each, in row-major order)."""
    if x is None and y is None:
        return _indices_of_true(condition, name)
    return _array.where(condition, x, y, name=name)


def _mismatch(symbolic: bool, message: str) -> Exception:
    return ValueError(message) if symbolic else InvalidArgumentError(message)


def where(condition: Any, x: Any = None, y: Any = None, name: Optional[str] = None) -> Any:
    """TF1's ``where``: ``x`` and ``y`` of one shape, and ``condition`` of that shape, a scalar, or a vector
    that picks whole rows (its length the first dimension of ``x``). Without ``x`` and ``y``: the
    coordinates of the true elements, as ``where_v2``."""
    if x is None and y is None:
        return _indices_of_true(condition, name)
    if x is None or y is None:
        raise ValueError("x and y must both be non-None or both be None.")
    x = convert_to_tensor(x)
    y = convert_to_tensor(y, dtype=x.dtype)
    cond = convert_to_tensor(condition)
    symbolic = _symbolic(cond, x, y)
    if not x.shape.is_compatible_with(y.shape):
        raise _mismatch(
            symbolic, f"'then' and 'else' must have the same shape, received shapes {x.shape} and {y.shape}"
        )
    rank = x.shape.rank
    if cond.shape.rank == 1 and rank is not None and rank > 1:
        n, rows = cond.shape[0], x.shape[0]
        if n is not None and rows is not None and n != rows:
            raise _mismatch(symbolic, f"Number of batches of 'then' must match size of 'cond', but saw: {rows} vs. {n}")
        cond = _array.reshape(cond, [-1] + [1] * (rank - 1))
    elif cond.shape.rank not in (0, None) and not cond.shape.is_compatible_with(x.shape):
        raise _mismatch(
            symbolic,
            f"Inputs to operation Select must have the same size and shape. condition: {cond.shape} != then: {x.shape}",
        )
    return _array.where(cond, x, y, name=name)


def placeholder_with_default(input: Any, shape: Any, name: Optional[str] = None) -> Any:  # noqa: A002
    """A tensor that is ``input`` unless ``Session.run`` feeds it, with the static ``shape`` given (which may
    leave dimensions, or the rank, unknown so that values of other sizes can be fed)."""
    value = convert_to_tensor(input)
    want = TensorShape(shape)
    if not _symbolic(value):
        return value
    if not value.shape.is_compatible_with(want):
        raise ValueError(f"Shapes must be compatible: the default has shape {value.shape}, the placeholder {want}")
    op_name = name or "PlaceholderWithDefault"
    if want.rank is not None and want.as_list() == value.shape.as_list():
        return _array.identity(value, name=op_name)

    def gradient(arrays: list) -> list:
        return [arrays[1]] if value.dtype.is_floating else []

    dims = None if want.rank is None else want.as_list()
    relaxed = host_op(f"{op_name}/default", lambda arrays: [arrays[0]], [value], [(value.dtype, dims)], gradient)[0]
    return _array.identity(relaxed, name=op_name)  # the node a feed replaces, named as TensorFlow names it


def _check_sparse_indices(indices: np.ndarray, shape: np.ndarray, validate: bool) -> np.ndarray:
    idx = indices.reshape(-1, 1) if indices.ndim < 2 else indices
    idx = idx.reshape(-1, idx.shape[-1]) if idx.size else idx.reshape(0, len(shape))
    for i, row in enumerate(idx):
        if np.any(row < 0) or np.any(row >= shape):
            raise InvalidArgumentError(
                f"indices[{i}] = [{','.join(map(str, row))}] is out of bounds: need 0 <= index < "
                f"[{','.join(map(str, shape))}]"
            )
        if validate and i:
            prev = tuple(idx[i - 1])
            if tuple(row) == prev:
                raise InvalidArgumentError(f"indices[{i}] = [{','.join(map(str, row))}] is repeated")
            if tuple(row) < prev:
                raise InvalidArgumentError(
                    f"indices[{i}] = [{','.join(map(str, row))}] is out of order. Many sparse ops require sorted "
                    "indices.\n    Use `tf.sparse.reorder` to create a correctly ordered copy.\n\n"
                )
    return idx


def sparse_to_dense(
    sparse_indices: Any,
    output_shape: Any,
    sparse_values: Any,
    default_value: Any = 0,
    validate_indices: bool = True,
    name: Optional[str] = None,
) -> Any:
    """A dense tensor of ``output_shape`` holding ``sparse_values`` at ``sparse_indices`` (a scalar, a
    vector of positions in a vector, or one row of coordinates per value) and ``default_value`` elsewhere.
    With ``validate_indices`` the indices must be sorted and distinct; out-of-range ones are always errors."""
    values = convert_to_tensor(sparse_values)
    default = convert_to_tensor(default_value, dtype=values.dtype)
    indices = convert_to_tensor(sparse_indices)
    out_shape = convert_to_tensor(output_shape)
    if not isinstance(out_shape, SymbolicTensor):
        static = [int(d) for d in np.atleast_1d(out_shape.numpy())]
    else:
        static = None if out_shape.shape.rank != 1 or out_shape.shape[0] is None else [None] * out_shape.shape[0]

    def dense(arrays: list) -> list:
        idx_in, shape, vals, fill = arrays
        shape = np.atleast_1d(shape).astype(np.int64)
        idx = _check_sparse_indices(np.asarray(idx_in, np.int64), shape, validate_indices)
        out = np.full(tuple(shape), fill, dtype=vals.dtype)
        out[tuple(idx.T)] = np.broadcast_to(vals, (len(idx),)) if len(idx) else vals.reshape(-1)[:0]
        return [out]

    def gradient(arrays: list) -> list:
        idx_in, shape, vals, _, grad = arrays
        idx = np.asarray(idx_in, np.int64)
        idx = idx.reshape(-1, 1) if idx.ndim < 2 else idx
        picked = grad[tuple(idx.T)] if len(idx) else np.zeros(0, grad.dtype)
        grad_values = picked.reshape(vals.shape) if vals.ndim else np.asarray(picked.sum(), grad.dtype)
        return [grad_values, np.asarray(grad.sum() - picked.sum(), grad.dtype)]

    floating = values.dtype.is_floating
    return host_op(
        name or "SparseToDense",
        dense,
        [indices, out_shape, values, default],
        [(values.dtype, static)],
        gradient if floating else None,
    )[0]


def setdiff1d(x: Any, y: Any, index_dtype: Any = "int32", name: Optional[str] = None) -> ListDiff:
    """The values of vector ``x`` not in ``y``, in ``x``'s order, and their positions in ``x``."""
    x = convert_to_tensor(x)
    y = convert_to_tensor(y, dtype=x.dtype)
    for what, t in (("x", x), ("y", y)):
        if t.shape.rank not in (None, 1):
            raise ValueError(f"setdiff1d: {what} must be a vector, received shape {t.shape}")

    def diff(arrays: list) -> list:
        keep = ~np.isin(arrays[0], arrays[1])
        return [arrays[0][keep], np.flatnonzero(keep)]

    out, idx = host_op(name or "ListDiff", diff, [x, y], [(x.dtype, [None]), (index_dtype, [None])])
    return ListDiff(out, idx)

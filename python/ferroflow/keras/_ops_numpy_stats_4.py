"""``keras.ops``'s searches and sets (``searchsorted``, ``digitize``, ``bincount``, ``isin``, ``nonzero``,
``argpartition``, ``unique``), with Keras 3's signatures and int32 indices."""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor
from ..ops import array_ops as _array
from ..ops import math_ops as _math
from ._dtype_promotion import result_type as _result_type
from ._ops_numpy_arrays_common import tf_module as _tf
from ._ops_numpy_more import moveaxis as _moveaxis


def searchsorted(sorted_sequence: Any, values: Any, side: str = "left") -> Tensor:
    """Where (int32) each of ``values`` would go in the 1-D ascending ``sorted_sequence`` to keep it sorted:
    before equal entries for ``side="left"``, after them for "right"; shaped as ``values``."""
    if side not in ("left", "right"):
        raise ValueError(f"Invalid value for `side`: {side!r}. Expected 'left' or 'right'.")
    seq, vals = convert_to_tensor(sorted_sequence), convert_to_tensor(values)
    if len(seq.shape) != 1:
        raise ValueError(
            "`searchsorted` only supports 1-D sorted sequences. You can use `keras.ops.vectorized_map` to extend "
            f"it to N-D sequences. Received: sorted_sequence.shape={seq.shape}"
        )
    dtype = _result_type(seq, vals)
    seq, vals = _array.cast(seq, dtype), _array.cast(vals, dtype)
    flat = _array.reshape(vals, [-1])
    if _tf().executing_eagerly():
        flat = _tf().searchsorted(seq, flat, side=side, out_type="int32")
    else:
        flat = _count_before(seq, flat, side)
    return _array.reshape(flat, _array.shape(vals)) if None in vals.shape else _array.reshape(flat, vals.shape)


def _count_before(seq: Tensor, values: Tensor, side: str) -> Tensor:
    """``searchsorted`` by counting, for each value, the entries that go before it (NaN sorting last, as
    NumPy's order puts it): the form a graph takes."""
    tf = _tf()
    s, v = _array.reshape(seq, [1, -1]), _array.reshape(values, [-1, 1])
    before = _math.less(s, v) if side == "left" else _math.less_equal(s, v)
    if seq.dtype.is_floating:
        v_nan, s_nan = tf.math.is_nan(v), tf.math.is_nan(s)
        nan_after = _math.logical_and(v_nan, _math.logical_not(s_nan))
        before = _math.logical_or(before, nan_after if side == "left" else v_nan)
    return tf.reduce_sum(_array.cast(before, "int32"), axis=1)


def digitize(x: Any, bins: Any) -> Tensor:
    """The index (int32) of the bin of ``bins`` (1-D, ascending) each value of ``x`` falls in: ``i`` with
    ``bins[i - 1] <= x < bins[i]``."""
    b = convert_to_tensor(bins)
    if len(b.shape) != 1:
        raise ValueError(f"`bins` must be 1-D. Received: bins.shape={b.shape}")
    t = convert_to_tensor(x)
    return searchsorted(_array.cast(b, "float64"), _array.cast(t, "float64"), side="right")


def bincount(x: Any, weights: Any = None, minlength: int = 0, sparse: bool = False) -> Any:
    """How often each value ``0 .. max(x)`` (at least ``minlength`` bins) occurs in the non-negative integers
    ``x`` (per row for a 2-D ``x``), or the sums of their ``weights``; int32 counts, or the promoted dtype of
    ``x`` and ``weights``. ``sparse=True`` gives a ``SparseTensor``."""
    tf = _tf()
    t = convert_to_tensor(x)
    if t.dtype.name not in ("int32", "int64"):
        t = _array.cast(t, "int32")
    dtype = "int32"
    w = None
    if weights is not None:
        w = convert_to_tensor(weights)
        dtype = _result_type(convert_to_tensor(x), w)
        if w.dtype.name not in ("int32", "int64", "float32", "float64"):
            w = _array.cast(w, "int32" if w.dtype.is_integer or w.dtype.name == "bool" else "float32")
    if sparse:
        out = tf.sparse.bincount(t, weights=w, minlength=minlength, axis=-1)
        return tf.SparseTensor(out.indices, _array.cast(out.values, dtype), out.dense_shape)
    return _array.cast(tf.math.bincount(t, weights=w, minlength=minlength, axis=-1), dtype)


def isin(x1: Any, x2: Any, assume_unique: bool = False, invert: bool = False) -> Tensor:
    """Whether each element of ``x1`` is among the elements of ``x2`` (not, with ``invert``), shaped as ``x1``."""
    tf = _tf()
    a, b = convert_to_tensor(x1), convert_to_tensor(x2)
    dtype = _result_type(a, b)
    a, b = _array.cast(a, dtype), _array.cast(b, dtype)
    flat = _array.reshape(a, [-1, 1])
    found = tf.reduce_any(_math.equal(flat, _array.reshape(b, [1, -1])), axis=1)
    if invert:
        found = _math.logical_not(found)
    return _array.reshape(found, _array.shape(a))


def nonzero(x: Any) -> tuple:
    """The indices (int32) of the non-zero elements of ``x``, one tensor per axis."""
    tf = _tf()
    t = convert_to_tensor(x)
    rank = len(t.shape)
    if rank == 0:
        raise ValueError("Calling nonzero on 0d tensors is not allowed. Use `keras.ops.atleast_1d(x)` first.")
    where = _array.cast(tf.where(_array.cast(t, "bool")), "int32")
    return tuple(_array.unstack(where, num=rank, axis=1))


def argpartition(x: Any, kth: int, axis: Optional[int] = -1) -> Tensor:
    """Indices (int32) that partition ``x`` along ``axis`` (of the flattened ``x`` when None) around its
    ``kth`` smallest value: that value's index at position ``kth``, the indices of values no larger before it
    and of values no smaller after it (here: the stable sorting order, one such arrangement)."""
    t = convert_to_tensor(x)
    if t.dtype.name == "bool":
        t = _array.cast(t, "int32")
    if axis is None:
        t, axis = _array.reshape(t, [-1]), 0
    rank = len(t.shape)
    if rank == 0:
        raise ValueError("argpartition requires an input of at least one dimension.")
    axis %= rank
    n = t.shape[axis]
    for k in np.ravel(kth):
        if n is not None and not -n <= int(k) < n:
            raise ValueError(f"kth(={int(k)}) out of bounds ({n})")
    moved = _moveaxis(t, axis, -1)
    order = _array.cast(_tf().argsort(moved, axis=-1, stable=True), "int32")
    return _moveaxis(order, -1, axis)


def _inverse_permutation(order: Tensor) -> Tensor:
    """The permutation undoing ``order`` (its sorting order, which a graph computes for any length)."""
    return _array.cast(_tf().argsort(order, stable=True), "int32")


def _sorted_rows(rows: Tensor) -> Tensor:
    """The stable order sorting ``rows`` (``[n, width]``, static width) lexicographically, first column first."""
    tf = _tf()
    order = tf.range(_array.shape(rows)[0])
    for col in range(rows.shape[1] - 1, -1, -1):
        keys = _array.gather(rows[:, col], order)
        order = _array.gather(order, _array.cast(tf.argsort(keys, stable=True), "int32"))
    return order


def unique(
    x: Any,
    sorted: bool = True,
    return_index: bool = False,
    return_inverse: bool = False,
    return_counts: bool = False,
    axis: Optional[int] = None,
    size: Optional[int] = None,
    fill_value: Any = None,
) -> Any:
    """The distinct elements of ``x`` (flattened when ``axis`` is None), or its distinct slices along ``axis``,
    ascending (``sorted``) or in order of first occurrence; optionally with the index of each one's first
    occurrence, the inverse indices that rebuild ``x`` and the counts (all int32). ``size`` pads (with
    ``fill_value``, 0 by default) or truncates the result to that many."""
    tf = _tf()
    t = convert_to_tensor(x)
    flatten = axis is None
    if flatten:
        moved = _array.reshape(t, [-1, 1])
        axis = 0
    else:
        rank = len(t.shape)
        if not -rank <= axis < rank:
            raise ValueError(f"axis {axis} is out of bounds for a tensor of rank {rank}")
        axis %= rank
        moved = _moveaxis(t, axis, 0)
    rows = _array.reshape(moved, [-1, int(np.prod(moved.shape[1:]))])
    order = _sorted_rows(rows)
    in_order = _array.gather(rows, order)
    differs = tf.reduce_any(_math.not_equal(in_order[1:], in_order[:-1]), axis=1)
    starts = _array.concat([tf.ones([1], dtype="bool"), differs], axis=0)
    starts = _array.gather(starts, tf.range(_array.shape(rows)[0]))  # (one row too many when x is empty)
    if None in starts.shape and not tf.executing_eagerly():
        # (the graph's cumsum needs a static length): a row's segment is how many starts precede it, less one
        positions = _array.cast(_array.reshape(tf.where(starts), [-1]), "int32")
        segment = _count_before(positions, tf.range(_array.shape(rows)[0]), "right") - 1
    else:
        segment = tf.math.cumsum(_array.cast(starts, "int32")) - 1
    values = tf.boolean_mask(in_order, starts)
    first = tf.boolean_mask(order, starts)
    count = _array.shape(values)[0]
    inverse = _array.gather(segment, _inverse_permutation(order))
    # Each slice's count: the distance from its first row to the next one's.
    first_rows = _array.cast(_array.reshape(tf.where(starts), [-1]), "int32")
    counts = _array.concat([first_rows[1:], _array.reshape(_array.shape(rows)[0], [1])], axis=0) - first_rows
    if not sorted:
        by_first = _array.cast(tf.argsort(first, stable=True), "int32")
        values, first, counts = (_array.gather(v, by_first) for v in (values, first, counts))
        inverse = _array.gather(_inverse_permutation(by_first), inverse)
    if size is not None:
        keep = _math.minimum(count, size)
        pad = _math.maximum(size - count, 0)
        fill = _array.cast(convert_to_tensor(0 if fill_value is None else fill_value), values.dtype)
        head = tf.range(keep)
        values = _array.concat(
            [_array.gather(values, head), tf.fill(tf.stack([pad, _array.shape(values)[1]]), fill)], axis=0
        )
        first = _array.concat([_array.gather(first, head), tf.ones(tf.reshape(pad, [1]), dtype="int32")], axis=0)
        counts = _array.concat([_array.gather(counts, head), tf.zeros(tf.reshape(pad, [1]), dtype="int32")], axis=0)
    # With an int `size` the length is known when the graph is built.
    length = size if isinstance(size, int) else -1
    if isinstance(size, int):
        first, counts = _array.reshape(first, [size]), _array.reshape(counts, [size])
    if flatten:
        values = _array.reshape(values, [length])
    else:
        values = _moveaxis(_array.reshape(values, [length] + list(moved.shape[1:])), 0, axis)
    if return_inverse and flatten:
        inverse = _array.reshape(inverse, _array.shape(t))
    results = [values]
    if return_index:
        results.append(first)
    if return_inverse:
        results.append(inverse)
    if return_counts:
        results.append(counts)
    return tuple(results) if len(results) > 1 else results[0]

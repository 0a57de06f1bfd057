"""``tf.sets``: set size, intersection, union and difference along the last axis of dense or sparse tensors.

Each operand is read as ``(row, value)`` pairs, ``row`` the flat position in the batch dimensions (every
entry of a dense tensor is an element, zeros and empty strings included). Both operands' pairs are sorted by
row and value with two stable argsorts (strings through order-preserving integer codes), so equal pairs sit
together, the first operand's first; a group is then kept by which operands it holds. The kept elements
come out in row-major order with sorted values, TensorFlow's order, as a ``SparseTensor`` whose last
dimension is the largest row. Everything is built from ops that also run inside ``tf.function``.
"""

from __future__ import annotations

import builtins
from typing import Any, Callable, NamedTuple

import numpy as np

from .._core import InvalidArgumentError
from ..framework.graph_composites import GraphSparseTensor
from ..framework.ops import apply, convert_to_tensor
from ..framework.sparse_tensor import SparseTensor
from ..framework.tensor import EagerTensor, Tensor
from ..framework.tensor_shape import TensorShape
from ._string_order import string_codes
from .array_ops import cast, concat, expand_dims, gather, range, reshape, shape, size, stack, zeros, zeros_like
from .math_ops import equal, floordiv, floormod, logical_and, logical_not, reduce_max, reduce_sum
from .string_ops import length

_DTYPES = ("int32", "uint8", "int16", "int8", "string", "int64", "uint16")
_SUPPORTED = "`frozenset({tf.int32, tf.uint8, tf.int16, tf.int8, tf.string, tf.int64, tf.uint16})`"


class _Pairs(NamedTuple):
    rows: Tensor  # int64 [N]: each element's flat batch position
    values: Tensor  # [N]
    batch: Tensor  # int64 [rank - 1]: the batch dimensions
    static: list  # the batch dimensions known when the graph is built (None where not)
    base: Tensor  # float32 zeros shaped [*batch, 1, 0]: gives a graph result its dense shape


def _argsort(x: Tensor) -> Tensor:
    return apply("argsort", [x], {"descending": False})


def _segment_sum(data: Tensor, ids: Tensor, like: Tensor) -> Tensor:
    return apply("unsorted_segment_sum", [data, ids, zeros_like(like, dtype=data.dtype)], {"axis": 0})


def _check_dtype(x: Any, which: str) -> None:
    if x.dtype.name not in _DTYPES:
        dtype = f"<dtype: '{x.dtype.name}'>"
        raise TypeError(f"'{which}' has invalid dtype `{dtype}` not in supported dtypes: {_SUPPORTED}.")


def _dense(t: Tensor) -> _Pairs:
    rank = t.shape.rank
    if rank is not None and rank < 2:
        raise InvalidArgumentError(f"Shape {t.shape.as_list()} has rank {rank} < 2")
    dims = shape(t, out_type="int64")
    flat = reshape(t, [-1])
    rows = floordiv(range(size(t, out_type="int64"), dtype="int64"), dims[-1])
    empty = t[..., :0]
    empty = cast(length(empty) if t.dtype.name == "string" else empty, "float32")
    return _Pairs(rows, flat, dims[:-1], t.shape.as_list()[:-1], expand_dims(empty, -2))


def _sparse(sp: SparseTensor, validate: bool, op: str) -> _Pairs:
    rank = len(sp.shape)
    if rank < 2:
        raise InvalidArgumentError(f"Invalid rank {rank}. [Op:{op}]")
    if validate and not isinstance(sp, GraphSparseTensor):
        _check_order(np.asarray(sp.indices.numpy()), op)
    idx, dims = sp.indices, cast(sp.dense_shape, "int64")
    rows = idx[:, 0]
    for k in builtins.range(1, rank - 1):
        rows = rows * dims[k] + idx[:, k]
    static = sp.shape.as_list()[:-1]
    witness = getattr(sp, "_witness", None)
    if witness is not None:
        base = reduce_sum(witness, axis=-2, keepdims=True)
    else:
        base = zeros(static + [1, 0], dtype="float32")
    return _Pairs(rows, sp.values, dims[:-1], static, base)


def _check_order(indices: np.ndarray, op: str) -> None:
    """TensorFlow's check that sparse indices come in row-major order (``validate_indices``)."""
    for i in builtins.range(1, len(indices)):
        if tuple(indices[i]) <= tuple(indices[i - 1]):
            where = ",".join(str(int(v)) for v in indices[i])
            raise InvalidArgumentError(
                f"indices[{i}] = [{where}] is out of order. Many sparse ops require sorted indices.\n"
                f"    Use `tf.sparse.reorder` to create a correctly ordered copy.\n\n [Op:{op}]"
            )


def _operand(x: Any, validate: bool, op: str) -> _Pairs:
    return _sparse(x, validate, op) if isinstance(x, SparseTensor) else _dense(x)


def _unravel(rows: Tensor, batch: Tensor, rank: int) -> list:
    """Each flat batch position as ``rank`` coordinates (row-major)."""
    coords = []
    for k in reversed(builtins.range(1, rank)):
        coords.append(floormod(rows, batch[k]))
        rows = floordiv(rows, batch[k])
    return [rows] + coords[::-1]


def _codes(values: Tensor) -> Tensor:
    """Integers ordered as the values are (strings through their lexicographic ranks)."""
    return string_codes(values) if values.dtype.name == "string" else cast(values, "int64")


def _shifted(x: Tensor, by: int) -> Tensor:
    """``x`` moved one place later (``by=1``) or earlier (``by=-1``), -1 filling the gap: the neighbour
    of each element, with no element's pair matching at either end."""
    fill = convert_to_tensor(np.array([-1], np.int64))
    return concat([fill, x], 0)[:-1] if by == 1 else concat([x, fill], 0)[1:]


def _same_pair(r: Tensor, c: Tensor, by: int) -> Tensor:
    return logical_and(equal(r, _shifted(r, by)), equal(c, _shifted(c, by)))


def _sorted(rows: Tensor, codes: Tensor) -> Tensor:
    """The stable order by (row, code)."""
    by_code = _argsort(codes)
    return gather(by_code, _argsort(gather(rows, by_code)))


def _select(mask: Tensor) -> Tensor:
    """The positions where ``mask`` holds, in order (the size is known only when the op runs)."""
    count = reduce_sum(cast(mask, "int32"))
    return gather(_argsort(cast(logical_not(mask), "int32")), range(count))


def _distinct(rows: Tensor, codes: Tensor) -> Tensor:
    """Positions of one element per distinct (row, code) pair, in (row, code) order."""
    order = _sorted(rows, codes)
    r, c = gather(rows, order), gather(codes, order)
    return gather(order, _select(logical_not(_same_pair(r, c, 1))))


def _batch_size(dims: Tensor) -> Tensor:
    out = convert_to_tensor(np.int64(1))
    for k in builtins.range(dims.shape[0]):
        out = out * dims[k]
    return out


def _check_batches(a: _Pairs, b: _Pairs, op: str) -> None:
    known = all(d is not None for d in a.static + b.static)
    if known and a.static != b.static:
        raise InvalidArgumentError(f"Mismatched shapes {a.static} vs {b.static} [Op:{op}]")


def _set_operation(a: Any, b: Any, keep: Callable, validate: bool) -> SparseTensor:
    if isinstance(a, SparseTensor) and not isinstance(b, SparseTensor):
        raise ValueError("Sparse,Dense is not supported, but Dense,Sparse is. Please flip the order of your inputs.")
    op = (
        "SparseToSparseSetOperation"
        if isinstance(a, SparseTensor)
        else ("DenseToSparseSetOperation" if isinstance(b, SparseTensor) else "DenseToDenseSetOperation")
    )
    a = a if isinstance(a, SparseTensor) else convert_to_tensor(a)
    b = b if isinstance(b, SparseTensor) else convert_to_tensor(b, dtype_hint=a.dtype)
    if a.dtype != b.dtype:
        raise TypeError(f"Types don't match, <dtype: '{a.dtype.name}'> vs <dtype: '{b.dtype.name}'>.")
    _check_dtype(a, "a")
    pa, pb = _operand(a, validate, op), _operand(b, validate, op)
    _check_batches(pa, pb, op)
    # Codes of both operands together, so that equal values get equal codes.
    codes = _codes(concat([pa.values, pb.values], 0))
    na, nb = size(pa.rows), size(pb.rows)
    code_a, code_b = gather(codes, range(na)), gather(codes, na + range(nb))
    da, db = _distinct(pa.rows, code_a), _distinct(pb.rows, code_b)
    rows = concat([gather(pa.rows, da), gather(pb.rows, db)], 0)
    codes = concat([gather(code_a, da), gather(code_b, db)], 0)
    values = concat([gather(pa.values, da), gather(pb.values, db)], 0)
    from_b = concat([zeros_like(da, dtype="bool"), equal(zeros_like(db), 0)], 0)
    # Each pair now appears once or twice (once per operand); a stable sort puts a's copy first.
    order = _sorted(rows, codes)
    r, c, tag_b = gather(rows, order), gather(codes, order), gather(from_b, order)
    first = logical_not(_same_pair(r, c, 1))
    twice = _same_pair(r, c, -1)  # a first copy followed by the second operand's
    kept = _select(logical_and(first, keep(tag_b, twice)))
    return _result(pa, gather(values, gather(order, kept)), gather(r, kept))


def _keep_intersection(tag_b: Tensor, twice: Tensor) -> Tensor:
    return twice


def _keep_union(tag_b: Tensor, twice: Tensor) -> Tensor:
    return equal(tag_b, tag_b)  # every first copy


def _keep_a_minus_b(tag_b: Tensor, twice: Tensor) -> Tensor:
    return logical_and(logical_not(tag_b), logical_not(twice))


def _keep_b_minus_a(tag_b: Tensor, twice: Tensor) -> Tensor:
    return tag_b  # the first copy comes from b only when a has none


def _result(pairs: _Pairs, values: Tensor, rows: Tensor) -> SparseTensor:
    """Elements sorted by (row, value) as a SparseTensor in row-major order."""
    like_rows = range(_batch_size(pairs.batch), dtype="int64")
    n = size(rows, out_type="int64")
    position = range(n, dtype="int64")
    counts = _segment_sum(zeros_like(rows) + 1, rows, like_rows)
    # Where each row's run begins: the only position whose row differs from the one before it.
    begins = logical_not(equal(rows, _shifted(rows, 1)))
    row_start = _segment_sum(position * cast(begins, "int64"), rows, like_rows)
    column = position - gather(row_start, rows)
    width = reduce_max(concat([counts, convert_to_tensor(np.array([0], np.int64))], 0))
    rank = len(pairs.static)
    indices = stack(_unravel(rows, pairs.batch, rank) + [column], 1)
    dense_shape = concat([pairs.batch, reshape(width, [1])], 0)
    if isinstance(indices, EagerTensor):
        return SparseTensor(indices.numpy(), values, dense_shape.numpy())
    columns = reshape(zeros_like(range(width), dtype="float32"), [-1, 1])
    witness = pairs.base + columns  # [*batch, 1, 0] + [width, 1]: [*batch, width, 0]
    return GraphSparseTensor(indices, values, dense_shape, TensorShape(pairs.static + [None]), witness)


def set_size(a: Any, validate_indices: bool = True) -> Tensor:
    """The number of distinct values in each set (the last dimension) of the SparseTensor ``a`` (int32)."""
    if not isinstance(a, SparseTensor):
        raise TypeError(f"Expected `SparseTensor`, got {a}.")
    _check_dtype(a, "a")
    pairs = _sparse(a, validate_indices, "SetSize")
    rows = gather(pairs.rows, _distinct(pairs.rows, _codes(pairs.values)))
    counts = _segment_sum(zeros_like(rows, dtype="int32") + 1, rows, range(_batch_size(pairs.batch), dtype="int64"))
    if all(d is not None for d in pairs.static):
        return reshape(counts, pairs.static)
    return apply("reshape_like", [counts, reduce_sum(pairs.base, axis=[-2, -1])])


def set_intersection(a: Any, b: Any, validate_indices: bool = True) -> SparseTensor:
    """The values in both ``a`` and ``b``, set by set along the last dimension (sorted)."""
    a, b = _flip(a, b)
    return _set_operation(a, b, _keep_intersection, validate_indices)


def set_union(a: Any, b: Any, validate_indices: bool = True) -> SparseTensor:
    """The values in ``a`` or ``b``, set by set along the last dimension (sorted)."""
    a, b = _flip(a, b)
    return _set_operation(a, b, _keep_union, validate_indices)


def set_difference(a: Any, b: Any, aminusb: bool = True, validate_indices: bool = True) -> SparseTensor:
    """``a - b`` (or ``b - a`` when ``aminusb`` is False), set by set along the last dimension (sorted)."""
    if isinstance(a, SparseTensor) and not isinstance(b, SparseTensor):
        a, b, aminusb = b, a, not aminusb
    if aminusb:
        return _set_operation(a, b, _keep_a_minus_b, validate_indices)
    return _set_operation(a, b, _keep_b_minus_a, validate_indices)


def _flip(a: Any, b: Any) -> tuple:
    # Intersection and union commute, so a SparseTensor first and a dense tensor second swap places.
    return (b, a) if isinstance(a, SparseTensor) and not isinstance(b, SparseTensor) else (a, b)

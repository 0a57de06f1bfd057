"""``keras.ops``'s control flow (``scan``, ``associative_scan``, ``switch``, ``custom_gradient``) on ferroflow
tensors, with the signal, ``vectorize``, ``jvp`` and ``rearrange`` functions of the sibling modules."""

from __future__ import annotations

from typing import Any, Callable, Optional

from ..framework import context, nest
from ..framework.tensor import Tensor
from ..ops import _elems
from ..ops import array_ops as _array
from ..ops import math_ops as _math
from ..ops import slicing_ops as _slicing
from ._ops_control_2 import (
    extract_sequences,
    fft,
    fft2,
    ifft2,
    irfft,
    istft,
    rfft,
    segment_min,
    segment_prod,
    stft,
    view_as_complex,
    view_as_real,
)
from ._ops_control_3 import jvp, rearrange, vectorize
from ._ops_numpy_arrays_common import tf_module as _tf

__all__: list = [
    "associative_scan",
    "custom_gradient",
    "extract_sequences",
    "fft",
    "fft2",
    "ifft2",
    "irfft",
    "istft",
    "jvp",
    "rearrange",
    "rfft",
    "scan",
    "segment_min",
    "segment_prod",
    "stft",
    "switch",
    "vectorize",
    "view_as_complex",
    "view_as_real",
]


def _flat_ys(y: Any) -> list:
    return [] if y is None else _elems.step_result(y, None, None, "")


def scan(
    f: Callable, init: Any, xs: Any = None, length: Optional[int] = None, reverse: bool = False, unroll: Any = 1
) -> tuple:
    """``jax.lax.scan``: ``carry, y = f(carry, x)`` over the slices of ``xs`` along its first axis (``length``
    steps of ``x = None`` without ``xs``); the final carry and the ``y``s stacked along a new first axis (in
    the order of ``xs``, also when ``reverse`` walks them from the last). ``y`` may have any structure."""
    if not callable(f):
        raise TypeError(f"`f` should be a callable. Received: f={f}")
    if not isinstance(unroll, bool) and (not isinstance(unroll, int) or unroll < 1):
        raise ValueError(f"`unroll` must be an positive integer or boolean. Received: unroll={unroll}")
    if xs is None and length is None:
        raise ValueError("Got no `xs` to scan over and `length` not provided.")
    el = None if xs is None else _elems.Elements(xs)
    if length is not None:
        length = int(length)
        if el is not None and el.n is not None and el.n != length:
            raise ValueError(f"scan got `length` argument of {length} which disagrees with leading axis sizes {el.n}.")
    count = length if length is not None else el.count
    carry = nest.map_structure(_elems.tensor_of, init)
    dtypes = [t.dtype for t in nest.flatten(carry)]

    def index(k: Any) -> Any:
        if not reverse:
            return k
        if isinstance(k, int) and isinstance(count, int):
            return count - 1 - k
        return _math.subtract(_math.subtract(_array.cast(count, "int32"), 1), k)

    def step(c: Any, i: Any) -> tuple:
        new_carry, y = f(c, None if el is None else el.at(i))
        flat = _elems.step_result(new_carry, carry, dtypes, "the carry `f` returns and `init`")
        return nest.pack_sequence_as(carry, flat), y

    if isinstance(count, int) and count == 0:
        return carry, _empty_ys(f, carry, el)
    if context.current_graph() is None:
        rows, y = [], None
        for k in range(count):
            carry, y = step(carry, index(k))
            rows.append(_flat_ys(y))
        _elems.check_same_shapes(rows)
        if reverse:
            rows = rows[::-1]
        return carry, None if y is None else nest.pack_sequence_as(y, _elems.stack_rows(rows, len(rows[0])))
    return _graph_scan(step, carry, count, index, length if length is not None else el.n)


def _empty_ys(f: Callable, carry: Any, el: Any) -> Any:
    """No step: ``f`` is traced once on zeros for the structure, shapes and dtypes of its ``y`` (as
    ``jax.lax.scan`` traces it), and every ``y`` is given with 0 rows."""
    x = None
    if el is not None:
        x = nest.pack_sequence_as(el.structure, [_array.zeros(t.shape[1:], t.dtype) for t in el.flat])
    _, y = f(carry, x)
    if y is None:
        return None
    flat = [_elems.empty_output(t.shape, t.dtype) for t in _flat_ys(y)]
    return nest.pack_sequence_as(y, flat)


def _graph_scan(step: Callable, carry: Any, count: Any, index: Callable, n: Optional[int]) -> tuple:
    """The first step runs outside the loop, so that its ``y`` gives the buffers collecting the ``y``s their
    shapes; the others in a ``while_loop``, which differentiation goes through."""
    i0 = index(0)
    carry, y = step(carry, i0)
    first = _flat_ys(y)
    buffers = _elems.write_rows(_elems.buffers_for(first, count), i0, first)
    structure = y

    def body(k: Any, c: Any, bufs: list) -> tuple:
        i = index(k)
        c, yk = step(c, i)
        flat = _elems.step_result(yk, structure, [t.dtype for t in first], "the `y`s `f` returns")
        return _math.add(k, 1), c, _elems.write_rows(bufs, i, flat)

    start = _array.cast(1, "int32")
    _, carry, buffers = _tf().while_loop(lambda k, c, bufs: _math.less(k, count), body, (start, carry, buffers))
    if y is None:
        return carry, None
    return carry, nest.pack_sequence_as(structure, _elems.with_rows(list(buffers), n))


def _along(t: Tensor, axis: int, start: Any = None, stop: Any = None, step: Any = None) -> Tensor:
    return t[(slice(None),) * axis + (slice(start, stop, step),)]


def _interleave(a: Tensor, b: Tensor, axis: int) -> Tensor:
    """``[a0 b0 a1 b1 ...]`` along ``axis`` (``a`` may have one more element than ``b``)."""
    n_a, n_b = a.shape[axis], b.shape[axis]
    head = _along(a, axis, 0, n_b) if n_a == n_b + 1 else a
    pairs = _array.stack([head, b], axis=axis + 1)
    dims = _array.shape(pairs)
    merged = _array.reshape(pairs, _array.concat([dims[:axis], [-1], dims[axis + 2 :]], 0))
    static = list(pairs.shape)
    merged.set_shape(static[:axis] + [2 * n_b] + static[axis + 2 :])  # the dynamic reshape loses it
    return _array.concat([merged, _along(a, axis, n_b)], axis) if n_a == n_b + 1 else merged


def associative_scan(f: Callable, elems: Any, reverse: bool = False, axis: int = 0) -> Any:
    """The prefix combinations ``[a, f(a, b), f(f(a, b), c), ...]`` of (a structure of) tensors along
    ``axis``, for an associative ``f`` (applied to whole slices), computed by Blelloch's odd/even
    recursion, ``log2(n)`` levels deep."""
    if not callable(f):
        raise TypeError(f"`f` should be a callable. Received: f={f}")
    flat = [_elems.tensor_of(e) for e in nest.flatten(elems)]
    if not flat:
        raise ValueError("associative_scan needs at least one tensor in `elems`")
    rank = flat[0].shape.rank
    if not -rank <= axis < rank:
        raise ValueError(f"axis {axis} is out of bounds for elems of rank {rank}")
    axis = axis % rank
    sizes = [e.shape[axis] for e in flat]
    if len(set(sizes)) != 1:
        raise ValueError(
            f"Array inputs to associative_scan must have the same first dimension. (saw: {[e.shape for e in flat]})"
        )

    def combine(a: list, b: list) -> list:
        return [
            _elems.tensor_of(t)
            for t in nest.flatten(f(nest.pack_sequence_as(elems, a), nest.pack_sequence_as(elems, b)))
        ]

    if reverse:
        flat = [_slicing.reverse(e, [axis]) for e in flat]
    out = _sequential(combine, flat, axis) if sizes[0] is None else _blelloch(combine, flat, axis)
    if reverse:
        out = [_slicing.reverse(e, [axis]) for e in out]
    return nest.pack_sequence_as(elems, out)


def _blelloch(combine: Callable, elems: list, axis: int) -> list:
    n = elems[0].shape[axis]
    if n < 2:
        return elems
    reduced = combine([_along(e, axis, 0, n - 1, 2) for e in elems], [_along(e, axis, 1, n, 2) for e in elems])
    firsts = [_along(e, axis, 0, 1) for e in elems]
    if n == 2:
        return [_array.concat([h, r], axis) for h, r in zip(firsts, reduced)]
    if n == 3:
        again = combine(reduced, [_along(e, axis, 2, 3) for e in elems])
        return [_array.concat([h, r, r2], axis) for h, r, r2 in zip(firsts, reduced, again)]
    odd = _blelloch(combine, reduced, axis)  # the prefixes at the odd positions 1, 3, 5, ...
    rest = [_along(e, axis, 2, None, 2) for e in elems]
    if n % 2 == 0:
        even = combine([_along(o, axis, 0, o.shape[axis] - 1) for o in odd], rest)
    else:
        even = combine(odd, rest)
    even = [_array.concat([h, r], axis) for h, r in zip(firsts, even)]
    return [_interleave(e, o, axis) for e, o in zip(even, odd)]


def _sequential(combine: Callable, elems: list, axis: int) -> list:
    """A length known only when the graph runs: one step per element, in a loop (same values)."""
    perm = [axis] + [d for d in range(elems[0].shape.rank) if d != axis]
    back = [perm.index(d) for d in range(len(perm))]
    moved = [_array.transpose(e, perm) for e in elems]

    def fn(acc: list, x: list) -> list:
        out = combine([_array.expand_dims(t, axis) for t in acc], [_array.expand_dims(t, axis) for t in x])
        return [_array.squeeze(t, [axis]) for t in out]

    out = _tf().scan(fn, moved)
    return [_array.transpose(t, back) for t in out]


def switch(index: Any, branches: list, *operands: Any) -> Any:
    """``branches[index](*operands)``, ``index`` clipped into ``[0, len(branches) - 1]`` (a ``switch_case``
    in a graph: only the chosen branch runs)."""
    if not branches:
        raise ValueError("`branches` must be a non-empty list of callables")
    i = _math.minimum(_math.maximum(_array.cast(_elems.tensor_of(index), "int32"), 0), len(branches) - 1)
    return _tf().switch_case(i, [(lambda b=b: b(*operands)) for b in branches])


def custom_gradient(f: Callable) -> Callable:
    """``f(*args)`` returns ``(output, grad_fn)``; the function it makes computes ``output`` and
    differentiates through ``grad_fn(upstream)``."""
    return _tf().custom_gradient(f)

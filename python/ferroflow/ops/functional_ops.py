"""``tf.scan``, ``tf.foldl`` and ``tf.foldr``: carry an accumulator over the elements along the first axis.

Eagerly they loop in Python (a tape records each step). In a graph they are ``tf.while_loop``s: ``scan``
runs its first step outside the loop, so that the buffers collecting its results can be preallocated with
the step's shapes (dimensions known only at run time, such as a batch, included); the buffers keep their
shape from iteration to iteration, which differentiating through the loop needs. The first step needs at
least one element (two without an initializer) when the number of elements is only known at run time.
"""

from __future__ import annotations

from typing import Any, Callable, Optional

from ..framework import context, nest
from ..framework.ops import apply
from . import _elems
from ._elems import Elements


def _out_of_range() -> Exception:
    from ..errors import OutOfRangeError

    return OutOfRangeError("Tried to read from index 0 but array size is: 0 ")


def _start(fn: Callable, elems: Any, initializer: Any, reverse: bool) -> tuple:
    """``(elements, accumulator, first step, dtypes)``: without an initializer the accumulator is the first
    element (the last when ``reverse``) and the steps start at 1."""
    if not callable(fn):
        raise TypeError(f"fn must be callable, received {type(fn).__name__}")
    el = Elements(elems)
    if initializer is None:
        if el.n == 0:
            raise _out_of_range()
        acc = el.at(el.index(0, reverse))
        start = 1
    else:
        acc = nest.map_structure(_elems.tensor_of, initializer)
        start = 0
    return el, acc, start, [_elems.tensor_of(t).dtype for t in nest.flatten(acc)]


def scan(
    fn: Callable,
    elems: Any,
    initializer: Any = None,
    parallel_iterations: int = 10,
    back_prop: bool = True,
    swap_memory: bool = False,
    infer_shape: bool = True,
    reverse: bool = False,
    name: Optional[str] = None,
) -> Any:
    """``tf.scan``: the accumulator after each step ``a = fn(a, x)``, stacked along a new first axis (in the
    elements' order, also when ``reverse`` walks them from the last)."""
    el, acc, start, dtypes = _start(fn, elems, initializer, reverse)
    if context.current_graph() is None:
        return _eager_scan(fn, el, acc, start, dtypes, reverse)
    return _graph_scan(fn, el, acc, start, dtypes, reverse)


def _eager_scan(fn: Callable, el: Elements, acc: Any, start: int, dtypes: list, reverse: bool) -> Any:
    rows = [_elems.step_result(acc, None, None, "")] if start else []
    for k in range(start, el.n):
        acc_flat = _elems.step_result(
            fn(acc, el.at(el.index(k, reverse))), acc, dtypes, "fn's result and the accumulator"
        )
        acc = nest.pack_sequence_as(acc, acc_flat)
        rows.append(acc_flat)
    if not rows:
        flat = [_elems.empty_output(t.shape._dim_list, t.dtype) for t in nest.flatten(acc)]
        return nest.pack_sequence_as(acc, flat)
    _elems.check_same_shapes(rows)
    if reverse:
        rows = rows[::-1]
    return nest.pack_sequence_as(acc, _elems.stack_rows(rows, len(dtypes)))


def _graph_scan(fn: Callable, el: Elements, acc: Any, start: int, dtypes: list, reverse: bool) -> Any:
    from .control_flow_ops import while_loop

    first_flat = _elems.step_result(acc, None, None, "")
    if el.n is not None and el.n <= start:  # no step of fn: the output is the initial element, or empty
        if start:
            flat = [apply("expand_dims", [t], {"axis": 0}) for t in first_flat]
        else:
            flat = [_elems.buffers_for([t], 0)[0] for t in first_flat]
        return nest.pack_sequence_as(acc, flat)
    structure = acc
    if el.n is None and not start:
        # A number of elements known only when the graph runs, which may be none: every step runs in the
        # loop, into buffers shaped like the initializer (which fn's results keep, being the accumulator).
        first_step, acc_flat, buffers = 0, first_flat, _elems.buffers_for(first_flat, el.count)
    else:
        # The first step, outside the loop: its results give the buffers their shapes.
        first_step, index = start + 1, el.index(start, reverse)
        acc_flat = _elems.step_result(fn(acc, el.at(index)), acc, dtypes, "fn's result and the accumulator")
        buffers = _elems.write_rows(_elems.buffers_for(acc_flat, el.count), index, acc_flat)
        if start:
            buffers = _elems.write_rows(buffers, el.index(0, reverse), first_flat)

    def body(k: Any, a: Any, bufs: list) -> tuple:
        i = el.index(k, reverse)
        flat = _elems.step_result(fn(a, el.at(i)), structure, dtypes, "fn's result and the accumulator")
        return k + 1, nest.pack_sequence_as(structure, flat), _elems.write_rows(bufs, i, flat)

    _, _, buffers = while_loop(
        lambda k, a, bufs: k < el.count,
        body,
        (
            apply("cast", [_elems.tensor_of(first_step)], {"dtype": "int32"}),
            nest.pack_sequence_as(acc, acc_flat),
            buffers,
        ),
    )
    return nest.pack_sequence_as(acc, _elems.with_rows(buffers, el.n))


def _fold(fn: Callable, elems: Any, initializer: Any, reverse: bool) -> Any:
    el, acc, start, dtypes = _start(fn, elems, initializer, reverse)
    if context.current_graph() is None:
        for k in range(start, el.n):
            flat = _elems.step_result(
                fn(acc, el.at(el.index(k, reverse))), acc, dtypes, "fn's result and the accumulator"
            )
            acc = nest.pack_sequence_as(acc, flat)
        return acc
    from .control_flow_ops import while_loop

    structure = acc

    def body(k: Any, a: Any) -> tuple:
        flat = _elems.step_result(
            fn(a, el.at(el.index(k, reverse))), structure, dtypes, "fn's result and the accumulator"
        )
        return k + 1, nest.pack_sequence_as(structure, flat)

    start_t = apply("cast", [_elems.tensor_of(start)], {"dtype": "int32"})
    return while_loop(lambda k, a: k < el.count, body, (start_t, acc))[1]


def foldl(
    fn: Callable,
    elems: Any,
    initializer: Any = None,
    parallel_iterations: int = 10,
    back_prop: bool = True,
    swap_memory: bool = False,
    name: Optional[str] = None,
) -> Any:
    """``tf.foldl``: ``a = fn(a, x)`` over the elements from the first; the final accumulator."""
    return _fold(fn, elems, initializer, False)


def foldr(
    fn: Callable,
    elems: Any,
    initializer: Any = None,
    parallel_iterations: int = 10,
    back_prop: bool = True,
    swap_memory: bool = False,
    name: Optional[str] = None,
) -> Any:
    """``tf.foldr``: ``a = fn(a, x)`` over the elements from the last; the final accumulator."""
    return _fold(fn, elems, initializer, True)


__all__ = ["foldl", "foldr", "scan"]

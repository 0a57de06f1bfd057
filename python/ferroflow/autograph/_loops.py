"""``while_stmt`` and ``for_stmt``: the loops of converted code.

A loop whose condition is a graph tensor (``while``), or that iterates over one (``for x in tensor``,
``for i in tf.range(n)``), becomes a ``tf.while_loop`` whose loop variables are the variables the body
assigns and that a later iteration or the code after the loop may read. Otherwise the loop runs in Python
(unrolled into the graph being traced). ``break`` arrives here as the ``extra_test`` of a ``for`` loop (the
rewritten ``while`` condition tests its flag itself).
"""

from __future__ import annotations

import sys
from typing import Any, Callable, Optional

from ..framework.ops import apply, convert_to_tensor
from ._dataset_loops import for_dataset, runs_in_graph
from ._loop_vars import LoopVars
from ._operators import has_no_value, is_symbolic, truth, unsupported


def while_stmt(
    test: Callable[[], Any],
    body: Callable[[], None],
    get_state: Callable[[], tuple],
    set_state: Callable[[tuple], None],
    names: tuple,
    opts: Optional[dict],
    line: int,
) -> None:
    filename = sys._getframe(1).f_code.co_filename
    first = test()
    if not is_symbolic(first):
        value = first
        while True:
            if has_no_value(value):
                raise unsupported("python_while", line, filename)
            if not truth(value):
                return
            body()
            value = test()

    def step(hidden: list) -> list:
        body()
        return hidden

    loop = LoopVars(names, get_state, set_state, opts or {}, line, filename)
    loop.run([], lambda hidden: test(), step, first, body)


def for_stmt(
    iterable: Any,
    extra_test: Optional[Callable[[], Any]],
    body: Callable[[Any], None],
    get_state: Callable[[], tuple],
    set_state: Callable[[tuple], None],
    names: tuple,
    opts: Optional[dict],
    line: int,
) -> None:
    filename = sys._getframe(1).f_code.co_filename
    if runs_in_graph(iterable):  # a tf.data.Dataset or iterator in tf.function: pulled from at run time
        loop = LoopVars(names, get_state, set_state, opts or {}, line, filename)
        for_dataset(iterable, extra_test, body, loop)
        return
    if not is_symbolic(iterable):
        _py_for(iterable, extra_test, body, line, filename)
        return
    from ..framework.variables import Variable

    t = iterable.value() if isinstance(iterable, Variable) else iterable
    loop = LoopVars(names, get_state, set_state, opts or {}, line, filename)
    if getattr(t, "op_type", None) == "Range":  # a graph tf.range: count, rather than read its values
        start, limit, delta = (apply("cast", [x], {"dtype": t.dtype.name}) for x in t.op.inputs)

        def in_range(i: Any) -> Any:
            up = apply("logical_and", [delta > 0, i < limit])
            return apply("logical_or", [up, apply("logical_and", [delta < 0, i > limit])])

        def step(hidden: list) -> list:
            body(hidden[0])
            return [hidden[0] + delta]

        cond = _with_extra(lambda hidden: in_range(hidden[0]), extra_test)
        loop.run([start], cond, step, in_range(start), lambda: body(start))
        return
    if t.shape.rank == 0:
        raise TypeError(f"Cannot iterate over a scalar tensor: {t!r}")
    from ..ops.array_ops import gather, shape

    n = t.shape[0] if t.shape[0] is not None else shape(t)[0]
    n = convert_to_tensor(n, dtype="int32") if isinstance(n, int) else apply("cast", [n], {"dtype": "int32"})
    zero = convert_to_tensor(0, dtype="int32")

    def step_items(hidden: list) -> list:
        body(gather(t, hidden[0]))
        return [hidden[0] + 1]

    cond = _with_extra(lambda hidden: hidden[0] < n, extra_test)
    loop.run([zero], cond, step_items, zero < n, lambda: body(gather(t, zero)))


def _with_extra(cond: Callable[[list], Any], extra_test: Optional[Callable[[], Any]]) -> Callable[[list], Any]:
    if extra_test is None:
        return cond

    def both(hidden: list) -> Any:
        extra = extra_test()
        in_range = cond(hidden)
        if not is_symbolic(extra):
            return in_range if truth(extra) else convert_to_tensor(False)
        return apply("logical_and", [in_range, extra])

    return both


def _py_for(iterable: Any, extra_test: Optional[Callable], body: Callable, line: int, filename: str) -> None:
    """A Python ``for`` loop: the extra test (``not break_N``) is checked before taking each item."""
    it = iter(iterable)
    while True:
        if extra_test is not None:
            go_on = extra_test()
            if has_no_value(go_on):
                raise unsupported("python_for_break", line, filename)
            if not go_on:
                return
        try:
            item = next(it)
        except StopIteration:
            return
        body(item)

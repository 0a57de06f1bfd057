"""``if_stmt``: an ``if`` statement of converted code. A Python condition runs one branch, as Python does;
a graph tensor gives a ``tf.cond`` whose outputs are the variables the branches assign (and that may be
read afterwards), in both branches' values.
"""

from __future__ import annotations

import sys
from typing import Any, Callable

from ..framework import nest
from ._operators import Undefined, is_symbolic, located, truth


def if_stmt(
    cond: Any,
    body: Callable[[], None],
    orelse: Callable[[], None],
    get_state: Callable[[], tuple],
    set_state: Callable[[tuple], None],
    names: tuple,
    line: int,
) -> None:
    """Runs ``body`` or ``orelse`` (functions that assign the variables ``names`` of the enclosing code,
    read and written through ``get_state``/``set_state``)."""
    if not is_symbolic(cond):
        (body if truth(cond) else orelse)()
        return
    filename = sys._getframe(1).f_code.co_filename

    def where(message: str) -> str:
        return located(message, line, filename=filename)

    init = tuple(get_state())
    decided: dict = {}

    def branch(fn: Callable[[], None]) -> Callable[[], tuple]:
        def run() -> tuple:
            set_state(init)
            fn()
            return tuple(get_state())

        return run

    def combine(true_out: tuple, false_out: tuple) -> tuple:
        kinds, outs_t, outs_f = [], [], []
        for name, a, b in zip(names, true_out, false_out):
            if _passes_through(name, a, b, where):
                kinds.append(a)
                continue
            ta, tb = _outputs(name, a, b, where)
            outs_t.append(ta)
            outs_f.append(tb)
            kinds.append(_OUTPUT)
        decided["kinds"] = kinds
        return tuple(outs_t), tuple(outs_f)

    from ..ops import _subgraph
    from ..ops._cond_graph import graph_cond
    from ..ops.cond_ops import _value
    from ..ops.control_flow_ops import _scalar_bool

    _subgraph.require_native("a converted if statement")
    pred = _scalar_bool(_value(cond), "the condition of an if statement")
    out = iter(graph_cond(pred, branch(body), branch(orelse), "cond", combine))
    set_state(tuple(next(out) if k is _OUTPUT else k for k in decided["kinds"]))


_OUTPUT = object()  # marks a variable the conditional node outputs


def _passes_through(name: str, a: Any, b: Any, where: Callable[[str], str]) -> bool:
    """Whether a variable keeps one value whichever branch runs (so it is not an output); raises when it
    is defined in one branch only."""
    undefined_a, undefined_b = isinstance(a, Undefined), isinstance(b, Undefined)
    if undefined_a and undefined_b:
        return True
    if undefined_a or undefined_b:
        missing = "main" if undefined_a else "else"
        raise ValueError(where(f"'{name}' must also be initialized in the {missing} branch"))
    return a is b


def _outputs(name: str, a: Any, b: Any, where: Callable[[str], str]) -> tuple:
    """The two branches' values of a variable as structures of tensors (Python numbers converted)."""
    from ..ops._structure import assert_same_structure

    try:
        assert_same_structure(a, b, check_types=True)
    except ValueError:
        raise TypeError(
            where(f"'{name}' must have the same nested structure in the main and else branches: {a!r} and {b!r}")
        ) from None
    flat_a, flat_b = [], []
    for x, y in zip(nest.flatten(a), nest.flatten(b)):
        x, y = _leaves(name, x, y, where)
        flat_a.append(x)
        flat_b.append(y)
    return nest.pack_sequence_as(a, flat_a), nest.pack_sequence_as(b, flat_b)


def _leaves(name: str, x: Any, y: Any, where: Callable[[str], str]) -> tuple:
    from ..framework.ops import convert_to_tensor
    from ..framework.tensor import Tensor
    from ..framework.variables import Variable
    from ..ops.tensor_array_ops import TensorArray

    if x is None and y is None:
        return x, y
    if isinstance(x, TensorArray) or isinstance(y, TensorArray):
        return x, y  # tf.cond checks that both are arrays of one dtype
    x = x.value() if isinstance(x, Variable) else x
    y = y.value() if isinstance(y, Variable) else y
    for v, branch in ((x, "main"), (y, "else")):
        if not isinstance(v, Tensor) and not _is_number(v):
            raise TypeError(
                where(
                    f"'{name}' is assigned in a branch of an if statement whose condition is a tensor, so it must "
                    f"be a tensor, a Python number or a nested structure of them; in the {branch} branch it is "
                    f"{type(v).__name__}: {v!r}"
                )
            )
    # As TensorFlow: a Python number becomes a tensor of its default dtype (`y = 0` against a float tensor
    # is a dtype mismatch).
    x = x if isinstance(x, Tensor) else convert_to_tensor(x)
    y = y if isinstance(y, Tensor) else convert_to_tensor(y)
    if x.dtype != y.dtype:
        raise TypeError(
            where(f"'{name}' has dtype {x.dtype.name} in the main branch, but dtype {y.dtype.name} in the else branch")
        )
    return x, y


def _is_number(v: Any) -> bool:
    import numpy as np

    return isinstance(v, (bool, int, float, complex, np.number, np.bool_, np.ndarray))

"""Python builtins that AutoGraph gives a graph meaning when their arguments are graph tensors:
``range(n)`` becomes ``tf.range(n)`` (so ``for i in range(n)`` is a loop in the graph) and ``len(t)`` of a
tensor whose first dimension is unknown becomes its run-time length."""

from __future__ import annotations

from typing import Any

from ._operators import is_symbolic


def graph_builtin(f: Any, args: tuple, kwargs: dict) -> tuple:
    """``(True, result)`` when ``f(*args)`` takes the graph meaning, else ``(False, None)``."""
    if kwargs or not any(is_symbolic(a) for a in args):
        return False, None
    if f is range:
        from ..ops.array_ops import range as tf_range

        return True, tf_range(*args)
    if f is len and len(args) == 1:
        from ..framework.variables import Variable

        t = args[0].value() if isinstance(args[0], Variable) else args[0]
        if t.shape.rank is not None and t.shape.rank > 0 and t.shape[0] is not None:
            return True, t.shape[0]
        if t.shape.rank == 0:
            raise TypeError("len() of a 0-d tensor")
        from ..ops.array_ops import shape

        return True, shape(t)[0]
    return False, None

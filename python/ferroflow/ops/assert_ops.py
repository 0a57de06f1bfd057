"""``tf.debugging.assert_*``: checks on tensors' values that raise ``InvalidArgumentError`` when they fail.

Eagerly a check runs at once. Inside a ``tf.function`` its condition becomes an extra output of the
graph, checked after every run (the run's other effects have happened by then, as when TensorFlow's
assert op fails late in a graph); inside a loop body or a ``tf.cond`` branch, a host call checks it at
every iteration. Shape, rank and dtype checks are static and run while tracing.
"""

from __future__ import annotations

from typing import Any, Callable, Optional

import numpy as np

from ..framework import context
from ..framework.ops import binary_operands, convert_to_tensor
from ..framework.tensor import Tensor


def _fail(message: Optional[str], detail: str) -> Exception:
    from .._core import InvalidArgumentError

    return InvalidArgumentError(f"{message + ': ' if message else ''}{detail}")


def _check(condition: Tensor, describe: Callable[[np.ndarray], str], message: Optional[str]) -> None:
    """Raises unless every element of the bool tensor ``condition`` is True (now, or after each run)."""
    graph = context.current_graph()
    if graph is None:
        values = condition.numpy()
        if not np.all(values):
            raise _fail(message, describe(values))
        return
    if not getattr(graph, "is_function", False):
        raise NotImplementedError("tf.debugging.assert_* in a TF1 graph: check the values after Session.run")
    from ..framework.ops import graph_input
    from ._subgraph import SubGraph

    def after_run(values: list) -> None:
        if not np.all(values[0]):
            raise _fail(message, describe(values[0]))

    if isinstance(graph, SubGraph):
        # Inside a loop body or a branch: a host call checks the value of every iteration as it runs.
        from ._host_call_graph import function_graph_call

        function_graph_call(graph, lambda value: after_run([value]), [condition], None, False, True, "Assert")
        return
    graph.run_callbacks.append(([graph_input(graph, condition)], after_run))


def _tf1_graph_assert(fn: str, *args: Any, **kwargs: Any) -> tuple:
    """(op, True) when a TF1 graph (not a ``tf.function``) is being built: there TensorFlow's assertions are ops
    that check when a session runs them, which the TF1 functions of ``compat.v1`` build; else (None, False)."""
    graph = context.current_graph()
    if graph is None or getattr(graph, "is_function", False):
        return None, False
    from ..compat.v1 import asserts_v1

    return getattr(asserts_v1, fn)(*args, **kwargs), True


_NAMES = {"equal": "assert_equal", "not_equal": "assert_none_equal", "less": "assert_less",
          "less_equal": "assert_less_equal", "greater": "assert_greater", "greater_equal": "assert_greater_equal"}


def _compare(op: str, symbol: str) -> Callable:
    def assert_fn(x: Any, y: Any, message: Optional[str] = None, summarize: Any = None, name: Any = None) -> Any:
        from . import math_ops

        graph_op, built = _tf1_graph_assert(_NAMES[op], x, y, message=message, summarize=summarize, name=name)
        if built:
            return graph_op

        a, b = binary_operands(x, y)
        cond = getattr(math_ops, op)(a, b)

        def describe(values: np.ndarray) -> str:
            bad = int(np.size(values) - np.count_nonzero(values))
            return f"Condition x {symbol} y did not hold for {bad} of {np.size(values)} elements"

        _check(cond, describe, message)

    assert_fn.__doc__ = f"Raises ``InvalidArgumentError`` unless ``x {symbol} y`` for every element."
    return assert_fn


assert_equal = _compare("equal", "==")
assert_none_equal = _compare("not_equal", "!=")
assert_less = _compare("less", "<")
assert_less_equal = _compare("less_equal", "<=")
assert_greater = _compare("greater", ">")
assert_greater_equal = _compare("greater_equal", ">=")


_SIGNS = {"greater": "assert_positive", "less": "assert_negative", "greater_equal": "assert_non_negative",
          "less_equal": "assert_non_positive"}


def _sign_check(op: str, symbol: str) -> Callable:
    def assert_fn(x: Any, message: Optional[str] = None, summarize: Any = None, name: Any = None) -> Any:
        from . import math_ops

        graph_op, built = _tf1_graph_assert(_SIGNS[op], x, message=message, summarize=summarize, name=name)
        if built:
            return graph_op

        t = convert_to_tensor(x)
        cond = getattr(math_ops, op)(t, convert_to_tensor(0, dtype=t.dtype))
        _check(cond, lambda v: f"Condition x {symbol} 0 did not hold for every element", message)

    assert_fn.__doc__ = f"Raises ``InvalidArgumentError`` unless ``x {symbol} 0`` for every element."
    return assert_fn


assert_positive = _sign_check("greater", ">")
assert_negative = _sign_check("less", "<")
assert_non_negative = _sign_check("greater_equal", ">=")
assert_non_positive = _sign_check("less_equal", "<=")


def assert_near(
    x: Any,
    y: Any,
    rtol: Any = None,
    atol: Any = None,
    message: Optional[str] = None,
    summarize: Any = None,
    name: Any = None,
) -> None:
    """Raises unless ``|x - y| <= atol + rtol * |y|`` everywhere (defaults: 10 * the dtype's epsilon)."""
    graph_op, built = _tf1_graph_assert("assert_near", x, y, rtol, atol, message=message, summarize=summarize)
    if built:
        return graph_op
    from .math_ops import abs as tf_abs
    from .math_ops import less_equal

    a, b = binary_operands(x, y)
    a, b = convert_to_tensor(a), convert_to_tensor(b)
    eps = np.finfo(a.dtype.as_numpy_dtype).eps if a.dtype.is_floating else 0
    rtol = 10 * eps if rtol is None else rtol
    atol = 10 * eps if atol is None else atol
    cond = less_equal(tf_abs(a - b), atol + rtol * tf_abs(b))
    _check(cond, lambda v: f"x and y not equal to tolerance rtol={rtol}, atol={atol}", message)


def assert_rank(x: Any, rank: int, message: Optional[str] = None, name: Any = None) -> None:
    """Raises ``ValueError`` unless ``x`` has rank ``rank`` (checked on the static shape)."""
    got = convert_to_tensor(x).shape.rank
    if got is not None and got != int(rank):
        raise ValueError(f"{message + ': ' if message else ''}tensor must have rank {int(rank)}, received rank {got}")


def assert_type(tensor: Any, tf_type: Any, message: Optional[str] = None, name: Any = None) -> None:
    """Raises ``TypeError`` unless ``tensor`` has dtype ``tf_type``."""
    from ..framework.dtypes import as_dtype

    t = convert_to_tensor(tensor)
    if t.dtype != as_dtype(tf_type):
        raise TypeError(f"{message + ': ' if message else ''}{t.dtype.name} is not {as_dtype(tf_type).name}")


def assert_shapes(
    shapes: Any, data: Any = None, summarize: Any = None, message: Optional[str] = None, name: Any = None
):
    """Checks each ``(tensor, dims)`` pair; a dimension named by a string must be the same size everywhere."""
    sizes: dict = {}
    for tensor, dims in shapes:
        shape = list(convert_to_tensor(tensor).shape)
        dims = list(dims)
        if len(shape) != len(dims):
            raise ValueError(f"{message + ': ' if message else ''}expected rank {len(dims)}, received shape {shape}")
        for want, got in zip(dims, shape):
            if isinstance(want, str):
                if sizes.setdefault(want, got) != got:
                    raise ValueError(
                        f"{message + ': ' if message else ''}dimension {want!r} is {sizes[want]} in one tensor "
                        f"and {got} in another"
                    )
            elif want is not None and got is not None and int(want) != got:
                raise ValueError(f"{message + ': ' if message else ''}expected shape {dims}, received {shape}")

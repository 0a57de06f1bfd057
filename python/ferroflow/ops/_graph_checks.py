"""Value checks of ops built from other ops: raised at once eagerly, after the run inside a ``tf.function``."""

from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np

from .._core import InvalidArgumentError
from ..framework import context
from ..framework.ops import convert_to_tensor


def require(condition: Any, data: Sequence[Any], describe: Callable[..., str]) -> None:
    """Raises ``InvalidArgumentError(describe(condition, *data))`` (NumPy values) unless every element of the
    bool ``condition`` is True. In a ``tf.function`` the check runs after each run of the graph, so the ops
    that follow a check must not fail on the values it rejects (they drop or clamp them)."""
    cond = convert_to_tensor(condition)
    tensors = [convert_to_tensor(d) for d in data]

    def check(values: list) -> None:
        arrays = [np.asarray(v) for v in values]
        if not np.all(arrays[0]):
            raise InvalidArgumentError(describe(*arrays))

    graph = context.current_graph()
    if graph is None:
        check([cond.numpy()] + [t.numpy() for t in tensors])
        return
    if not getattr(graph, "is_function", False):
        return  # a TF1 graph: no run callbacks there, the op's result is computed without the check
    from ..framework.ops import graph_input
    from ._subgraph import SubGraph

    if isinstance(graph, SubGraph):
        # Inside a loop body or a branch: a host call checks the values of every iteration.
        from ._host_call_graph import function_graph_call

        function_graph_call(graph, lambda *v: check(list(v)), [cond] + tensors, None, False, True, "Assert")
        return
    graph.run_callbacks.append(([graph_input(graph, t) for t in [cond] + tensors], check))


def first_false(condition: np.ndarray) -> int:
    """The position of the first False element of a bool vector."""
    return int(np.flatnonzero(~np.asarray(condition, bool).reshape(-1))[0])


def op_def_error(message: str, kind: type = TypeError) -> Exception:
    """An error TensorFlow's op definitions raise: ``InvalidArgumentError`` when an eager op runs, ``kind``
    (``TypeError`` for a dtype, ``ValueError`` for a shape) when a graph is being built."""
    if context.current_graph() is None:
        return InvalidArgumentError(message)
    return kind(message)

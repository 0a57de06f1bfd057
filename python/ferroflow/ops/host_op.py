"""Ops whose results NumPy computes: TF1 functions with data-dependent shapes (``where(condition)``,
``setdiff1d``) or run-time checks (``sparse_to_dense``'s index validation).

Eagerly the function runs at once on the inputs' values. In a graph (a TF1 graph run by ``Session.run``, or
a ``tf.function``) it becomes a native host-call node: the plan calls it with its inputs' values when it
runs, and its outputs carry the static shapes declared here (None dimensions for sizes known only then).
"""

from __future__ import annotations

from typing import Any, Callable, List, Optional, Sequence, Tuple

import numpy as np

from .. import _core
from ..framework import context
from ..framework.dtypes import as_dtype
from ..framework.graph import SymbolicTensor
from ..framework.ops import convert_to_tensor, graph_input


def _graph_of(inputs: Sequence[Any]) -> Any:
    graph = context.current_graph()
    if graph is not None:
        return graph
    for x in inputs:
        if isinstance(x, SymbolicTensor):
            return x.graph
    return None


def host_op(
    name: str,
    fn: Callable[[List[np.ndarray]], List[Any]],
    inputs: Sequence[Any],
    outputs: Sequence[Tuple[Any, Optional[Sequence[Optional[int]]]]],
    gradient: Optional[Callable[[List[np.ndarray]], List[Any]]] = None,
) -> List[Any]:
    """The outputs of ``fn`` (NumPy arrays in, one array per ``(dtype, static shape)`` of ``outputs`` out).

    ``gradient`` (optional) maps the inputs' values followed by one gradient per floating output to one
    gradient per floating input, as the host-call node's gradient rule."""
    dtypes = [as_dtype(d) for d, _ in outputs]
    graph = _graph_of(inputs)
    if graph is None:
        arrays = [np.asarray(convert_to_tensor(x).numpy()) for x in inputs]
        results = fn(arrays)
        return [convert_to_tensor(np.asarray(r, dtype=d.as_numpy_dtype)) for r, d in zip(results, dtypes)]
    from ._subgraph import add_multi

    def call(arrays: list) -> list:
        with context.eager_scope():
            results = fn([np.asarray(a) for a in arrays])
        return [np.asarray(r, dtype=d.as_numpy_dtype) for r, d in zip(results, dtypes)]

    specs = [(d.name, None if s is None else list(s)) for d, (_, s) in zip(dtypes, outputs)]
    op = _core.Op.host_call(call, specs, gradient, False, False)
    with graph.as_default():
        ids = [graph_input(graph, x) for x in inputs]
        return add_multi(graph, op, ids, name, False)

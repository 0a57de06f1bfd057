"""Where a table's NumPy work runs: at once on eager tensors, and as a node that calls back into Python in graphs.

Tables keep their contents in Python (NumPy arrays and dicts), so each table op is a NumPy function of its inputs'
values. Eagerly it runs at once. Inside ``tf.function`` and ``tf.data`` functions it is a native host-call node: the
plan calls it, with the GIL, when it runs, so a ``Dataset.map`` that looks tokens up stays a compiled plan (unlike
``tf.py_function`` there, which makes the function run eagerly per element). In TF1 graphs run by ``Session.run``
it is a staged Python call, as ``tf.numpy_function`` is there.

Calls are stateful (never pruned as dead or merged): a table's contents change between runs. Inside a traced
function, plans run nodes in creation order, so an ``insert`` runs before the ``lookup`` written after it.
"""

from __future__ import annotations

from typing import Any, Callable, Optional, Sequence

import numpy as np

from ..framework import context
from ..framework.dtypes import DType, as_dtype
from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor


def as_array(value: Any, dtype: DType) -> np.ndarray:
    """``value`` (an array from a plan, an eager tensor, a Python value) as an array of ``dtype``; strings as an
    object array of ``bytes``, which is how string tensors hold them."""
    if isinstance(value, Tensor):
        value = value.numpy()
    if dtype.name == "string":
        arr = np.array(value, dtype=object)
        if any(not isinstance(v, bytes) for v in arr.reshape(-1)):
            out = np.empty(arr.size, dtype=object)
            out[:] = [v.encode("utf-8") if isinstance(v, str) else bytes(v) for v in arr.reshape(-1)]
            arr = out.reshape(arr.shape)
        return arr
    return np.asarray(value, dtype=dtype.as_numpy_dtype)


def run(
    fn: Callable[..., Any],
    inputs: Sequence[Any],
    tout: Any,
    name: str,
    shapes: Optional[Sequence[Any]] = None,
) -> Any:
    """``fn`` on the values of ``inputs`` (NumPy arrays): its results as tensors of ``tout`` (a dtype, a list of
    dtypes, or None for an op without results). Eagerly the results are eager tensors (None for an op); in a graph
    they are the outputs of the call's node with the static ``shapes`` given (an Operation, or None inside a
    traced function, for an op)."""
    many = isinstance(tout, (list, tuple))
    touts = [as_dtype(t) for t in tout] if many else ([] if tout is None else [as_dtype(tout)])
    graph = context.current_graph()
    if graph is None:
        result = fn(*[v.numpy() if isinstance(v, Tensor) else v for v in inputs])
        if tout is None:
            return None
        results = list(result) if many else [result]
        tensors = [convert_to_tensor(as_array(r, t), dtype=t) for r, t in zip(results, touts)]
        return tensors if many else tensors[0]
    from ..compat.v1.py_func_graph import graph_call, is_session_graph

    if is_session_graph(graph):
        out = graph_call(graph, fn, list(inputs), tout, False, name)
    else:
        from ..ops._host_call_graph import function_graph_call

        out = function_graph_call(graph, fn, list(inputs), tout, False, True, name)
    if tout is None:
        return out
    outs = list(out) if many else [out]
    for t, shape in zip(outs, shapes or []):
        if shape is not None:
            t.set_shape(shape)
    return outs if many else outs[0]


def initialize(fn: Callable[..., Any], inputs: Sequence[Any], name: str) -> Any:
    """Fills a table by ``fn`` on the values of ``inputs``, when TensorFlow would.

    Eagerly, and while a function is traced from values known now (TensorFlow lifts a table's initialization
    out of the function), it runs at once and gives None. In a TF1 graph it is an op that
    ``tf.compat.v1.tables_initializer()`` collects and ``Session.run`` runs. Inside a traced function whose
    inputs are computed by the function, it is a node that refills the table each time the function runs."""
    from ..compat.v1.py_func_graph import is_session_graph
    from ..framework.tensor import EagerTensor

    graph = context.current_graph()
    symbolic = any(isinstance(x, Tensor) and not isinstance(x, EagerTensor) for x in inputs)
    if graph is None or not (symbolic or is_session_graph(graph)):
        with context.eager_scope():
            fn(*[v.numpy() if isinstance(v, Tensor) else v for v in inputs])
        return None
    op = run(fn, inputs, None, name)
    if is_session_graph(graph):
        graph.add_to_collection("table_initializer", op)
    return op


def in_session_graph() -> bool:
    """Whether ops now go into a TF1 graph run by ``Session.run``."""
    from ..compat.v1.py_func_graph import is_session_graph

    graph = context.current_graph()
    return graph is not None and is_session_graph(graph)

"""``tf.py_function`` and ``tf.numpy_function``: Python code called with tensors' values.

Eagerly they call the function at once (``py_function`` with eager tensors, so a tape sees its ops;
``numpy_function`` with NumPy arrays). In TF1 graphs run by ``Session.run`` the session calls the function
between two stages of the run (compat/v1/py_func_graph.py). Inside ``tf.function`` a native host-call node
calls the function in the middle of the run (_host_call_graph.py).
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..framework import context, nest
from ..framework.dtypes import as_dtype
from ..framework.ops import convert_to_tensor


def _in_graph(func: Callable, inp: Any, Tout: Any, eager_tensors: bool, stateful: bool, name: Any) -> tuple:  # noqa: N803
    """``(False, None)`` when running eagerly. Inside a graph that offers a stand-in for Python calls (a
    ``tf.data`` function, which then runs eagerly per element), ``(True, stand-in outputs)``; inside a traced
    function, ``(True, outputs of a host-call node)`` that calls ``func`` when the function runs."""
    graph = context.current_graph()
    if graph is None:
        return False, None
    stand_in = getattr(graph, "python_call_stand_in", None)
    if stand_in is not None:
        return True, stand_in(Tout)
    from ._host_call_graph import function_graph_call

    return True, function_graph_call(graph, func, inp, Tout, eager_tensors, stateful, name)


def _outputs(result: Any, Tout: Any, op: str) -> Any:
    if Tout is None:
        return None
    if isinstance(Tout, (list, tuple)):
        values = list(result) if isinstance(result, (list, tuple)) else [result]
        if len(values) != len(Tout):
            raise ValueError(f"tf.{op}: the function returned {len(values)} values, Tout names {len(Tout)}")
        return [convert_to_tensor(np.asarray(v, dtype=as_dtype(t).as_numpy_dtype)) for v, t in zip(values, Tout)]
    return convert_to_tensor(np.asarray(result, dtype=as_dtype(Tout).as_numpy_dtype))


def _session_graph() -> Any:
    """The TF1 graph being built, when Python calls go through a session's staged run; else None."""
    graph = context.current_graph()
    if graph is None:
        return None
    from ..compat.v1.py_func_graph import is_session_graph

    return graph if is_session_graph(graph) else None


def py_function(func: Callable, inp: Any, Tout: Any, name: Any = None) -> Any:  # noqa: N803
    """Calls ``func`` on the tensors ``inp`` (eagerly) and returns its results as tensors of ``Tout``."""
    graph = _session_graph()
    if graph is not None:
        from ..compat.v1.py_func_graph import graph_call

        return graph_call(graph, func, inp, Tout, True, name)
    in_graph, outputs = _in_graph(func, inp, Tout, True, True, name)
    if in_graph:
        return outputs
    from . import _eager_py_errors

    args = [convert_to_tensor(x) for x in nest.flatten(inp)]
    n_out = 0 if Tout is None else len(Tout) if isinstance(Tout, (list, tuple)) else 1
    result = _eager_py_errors.call(func, args, n_out)
    if Tout is None:
        return None
    if isinstance(Tout, (list, tuple)):
        values = list(result) if isinstance(result, (list, tuple)) else [result]
        from .array_ops import cast

        return [cast(convert_to_tensor(v), t) for v, t in zip(values, Tout)]
    from .array_ops import cast

    return cast(convert_to_tensor(result), Tout)


def numpy_function(func: Callable, inp: Any, Tout: Any, stateful: bool = True, name: Any = None) -> Any:  # noqa: N803
    """Calls ``func`` on the NumPy values of ``inp`` (eagerly) and returns its results as tensors of ``Tout``."""
    graph = _session_graph()
    if graph is not None:
        from ..compat.v1.py_func_graph import graph_call

        return graph_call(graph, func, inp, Tout, False, name)
    in_graph, outputs = _in_graph(func, inp, Tout, False, stateful, name)
    if in_graph:
        return outputs
    args = [np.asarray(convert_to_tensor(x)) for x in nest.flatten(inp)]
    return _outputs(func(*args), Tout, "numpy_function")

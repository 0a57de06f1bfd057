"""``tf.compat.v1.py_func``, and ``tf.numpy_function`` / ``tf.py_function`` in TF1 graphs run by ``Session.run``.

In such a graph each call adds placeholder-like nodes for its results (op type ``Placeholder``, unknown
shape, one per ``Tout``). A run that needs them first runs the call's inputs, calls the Python function
eagerly, checks its results against ``Tout`` as TensorFlow does, and feeds them (python_nodes.py). Errors
from the function surface from ``Session.run``: ``ValueError``/``TypeError`` as ``InvalidArgumentError``,
``StopIteration`` as ``OutOfRangeError`` (which ends a ``MonitoredSession`` loop), others unchanged.

Not differentiable in graphs: ``tf.gradients`` through a result gives None, as for TF1's ``py_func``.
"""

from __future__ import annotations

from typing import Any, Callable, List, Optional

import numpy as np

from ... import _core
from ...errors import InvalidArgumentError, OutOfRangeError
from ...framework import context, nest
from ...framework.dtypes import as_dtype
from ...framework.graph import Operation
from ...framework.ops import graph_input, make_op
from .host_tensor import unique_name
from .python_nodes import PythonCall, PythonNodes


def py_func(
    func: Callable,
    inp: Any,
    Tout: Any,  # noqa: N803 (TensorFlow's name)
    stateful: bool = True,
    name: Optional[str] = None,
) -> Any:
    """Calls ``func`` on the NumPy values of ``inp``; its results are tensors of the dtypes ``Tout``."""
    from ...ops.py_function_ops import numpy_function

    return numpy_function(func, inp, Tout, stateful=stateful, name=name)


def is_session_graph(graph: Any) -> bool:
    """A TF1 graph (run by ``Session.run``), not a function being traced nor a ``tf.data`` function."""
    return not getattr(graph, "is_function", False) and getattr(graph, "python_call_stand_in", None) is None


def graph_call(graph: Any, func: Callable, inp: Any, Tout: Any, eager_tensors: bool, name: Optional[str]) -> Any:  # noqa: N803
    """The outputs of a Python call in ``graph``: one tensor (``Tout`` a dtype), a list (``Tout`` a list), or
    the op that runs the call (``Tout`` None or empty)."""
    op_type = "EagerPyFunc" if eager_tensors else "PyFunc"
    flat = nest.flatten(inp)
    inputs = [graph_input(graph, x) for x in flat] + list(graph._controls)
    n_data = len(flat)
    many = isinstance(Tout, (list, tuple))
    touts = [as_dtype(t) for t in (Tout if many else ([] if Tout is None else [Tout]))]
    base = unique_name(graph, name or op_type)
    outputs: List[int] = []
    for i, dtype in enumerate(touts or [as_dtype("float32")]):
        node_name = base if i == 0 else f"{base}/output_{i}"
        outputs.append(graph._g.add(make_op("placeholder", {"dtype": dtype.name}), [], node_name))

    python_call = PythonCall(inputs, outputs, make_call(func, n_data, touts, many, eager_tensors, base))
    # How the call was made, so that export_meta_graph can record the calls it knows how to make again.
    python_call.source = {"func": func, "n_data": n_data, "touts": touts, "many": many, "eager": eager_tensors}
    PythonNodes.of(graph).add_call(python_call)
    tensors = [graph.tensor(n) for n in outputs]
    if not touts:  # an op, fetched as None: a NoOp after the call's stand-in result
        from ...framework.ops import apply

        return Operation(apply("group", [tensors[0]], op_name=base + "/run"))
    return tensors if many else tensors[0]


def make_call(func: Callable, n_data: int, touts: list, many: bool, eager_tensors: bool, base: str) -> Callable:
    """What a session calls with the input values of a Python call node: ``func``'s results, checked."""

    def call(values: List[Any]) -> list:
        args = [_numpy(v) for v in values[:n_data]]
        with context.eager_scope():
            if eager_tensors:
                from ...framework.ops import convert_to_tensor

                args = [convert_to_tensor(a) for a in args]
            result = call_python(base, func, args)
        if not touts:
            return [np.zeros((0,), np.float32)]
        return checked_results(base, result, touts, many, eager_tensors)

    return call


def call_python(base: str, func: Callable, args: list) -> Any:
    """``func(*args)``, its exceptions mapped as TensorFlow maps a py_func's: ValueError/TypeError to
    InvalidArgumentError, StopIteration to OutOfRangeError, others unchanged."""
    try:
        return func(*args)
    except StopIteration as e:
        raise OutOfRangeError(f"{base}: the Python function raised StopIteration {e}") from e
    except (ValueError, TypeError) as e:
        if isinstance(e, _core.InvalidArgumentError):
            raise
        raise InvalidArgumentError(f"{base}: the Python function raised {type(e).__name__}: {e}") from e


def checked_results(base: str, result: Any, touts: list, many: bool, eager_tensors: bool) -> list:
    """The function's results, one per dtype of ``Tout`` (a list when ``many``), each checked by ``check_result``."""
    results = list(result) if many and isinstance(result, (list, tuple)) else [result]
    if len(results) != len(touts):
        raise InvalidArgumentError(
            f"{base}: the Python function returned {len(results)} values, but Tout has {len(touts)} dtypes"
        )
    return [check_result(base, i, r, t, eager_tensors) for i, (r, t) in enumerate(zip(results, touts))]


def _numpy(value: Any) -> np.ndarray:
    return value if isinstance(value, np.ndarray) else value.numpy()


def check_result(base: str, i: int, value: Any, dtype: Any, eager_tensors: bool) -> np.ndarray:
    """The i-th result as an array of ``dtype``: converted for ``py_function`` (as TensorFlow converts its
    results), and required to have exactly that dtype for ``py_func`` / ``numpy_function``."""
    if eager_tensors:
        from ...framework.ops import convert_to_tensor

        try:
            return _numpy(convert_to_tensor(value, dtype=dtype))
        except (TypeError, ValueError) as e:
            message = f"{i}-th value returned by {base} cannot be converted to {dtype.name}: {e}"
            raise InvalidArgumentError(message) from e
    arr = np.asarray(value._t.numpy() if hasattr(value, "_t") else value)
    if dtype.name == "string":
        if arr.dtype.kind not in "OSU":
            raise InvalidArgumentError(f"{i}-th value returned by {base} is {arr.dtype.name}, but expects string")
        out = np.empty(arr.shape, dtype=object)
        out.ravel()[:] = [v.encode() if isinstance(v, str) else bytes(v) for v in arr.ravel()]
        return out
    if arr.dtype != dtype.as_numpy_dtype:
        raise InvalidArgumentError(f"{i}-th value returned by {base} is {arr.dtype.name}, but expects {dtype.name}")
    return arr if arr.flags.c_contiguous else arr.copy(order="C")


from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(
    globals(),
    hidden=(
        "call_python",
        "check_result",
        "checked_results",
        "Operation",
        "PythonCall",
        "PythonNodes",
        "graph_call",
        "is_session_graph",
        "make_call",
    ),
)

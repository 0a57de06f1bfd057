"""Where a queue's elements live, and how its operations run: eagerly, from ``Session.run``, or in ``tf.function``.

As in TensorFlow, a queue built in a TF1 graph has one state per session: a fresh session sees an empty, open
queue, and closing the session cancels the operations waiting on it. Queues with the same ``shared_name`` in one
session share their state. An eager queue has one state of its own.

In a TF1 graph an operation is a Python call of the session's staged run (compat/v1/python_nodes.py): its
outputs are placeholder-like nodes with the queue's static shapes, which the session feeds with the call's
results; an operation without outputs is a ``NoOp`` after the call. Inside ``tf.function`` it is a host call
(``numpy_function``).
"""

from __future__ import annotations

import threading
import weakref
from typing import Any, Callable, List, Optional, Sequence

import numpy as np

from ..compat.v1.python_nodes import PythonCall, PythonNodes, calling_session
from ..errors import InvalidArgumentError
from ..framework import context
from ..framework.graph import Operation
from ..framework.ops import convert_to_tensor, graph_input, make_op
from ..framework.tensor_shape import TensorShape
from ._state import QueueState

_lock = threading.Lock()
# session -> (states by shared name, states by QueueResource)
_by_session: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


class QueueResource:
    """One queue as its constructor made it; ``state()`` is the state the running code sees."""

    def __init__(
        self,
        kind: str,
        name: str,
        capacity: int,
        make_order: Callable[[], Any],
        dtypes: list,
        shapes: list,
        padded: bool = False,
        shared_name: Optional[str] = None,
    ) -> None:
        self.kind = kind
        self.name = name
        self.capacity = capacity
        self.make_order = make_order
        self.dtypes = dtypes
        self.shapes = shapes
        self.padded = padded  # dequeue_many pads components to the batch's largest (PaddingFIFOQueue)
        # What queues sharing a name must agree on.
        self.signature = (kind, capacity, [d.name for d in dtypes], [str(s) for s in shapes])
        self.shared_name = shared_name or None
        self._eager: Optional[QueueState] = None

    def _new_state(self) -> QueueState:
        state = QueueState(self.kind, self.name, self.capacity, self.make_order())
        state.signature = self.signature  # type: ignore[attr-defined]
        return state

    def state(self) -> QueueState:
        session = calling_session()
        with _lock:
            if session is None:
                if self._eager is None:
                    self._eager = self._new_state()
                return self._eager
            shared, own = _session_entry(session)
            if self.shared_name is None:
                found = own.get(self)
                if found is None:
                    found = own[self] = self._new_state()
                return found
            found = shared.get(self.shared_name)
            if found is None:
                found = shared[self.shared_name] = self._new_state()
            elif found.signature != self.signature:  # type: ignore[attr-defined]
                raise InvalidArgumentError(
                    f"Shared queue '{self.shared_name}' has component types and shapes {found.signature} "  # type: ignore[attr-defined]
                    f"but requested {self.signature}"
                )
            return found


def _session_entry(session: Any) -> tuple:
    entry = _by_session.get(session)
    if entry is None:
        entry = _by_session[session] = ({}, weakref.WeakKeyDictionary())
        hook = getattr(session, "_add_close_callback", None)
        if hook is not None:
            hook(lambda: _cancel(entry))
    return entry


def _cancel(entry: tuple) -> None:
    shared, own = entry
    for state in [*shared.values(), *own.values()]:
        state.cancel_all()


def as_array(value: Any) -> np.ndarray:
    """A run-time value (an eager tensor, a fetched value) as a NumPy array; strings as bytes objects."""
    if not isinstance(value, np.ndarray):
        value = value.numpy() if hasattr(value, "numpy") else value
    arr = np.asarray(value)
    if arr.dtype.kind in "SU":
        out = np.empty(arr.shape, dtype=object)
        out.ravel()[:] = [v.encode() if isinstance(v, str) else bytes(v) for v in arr.ravel()]
        return out
    return arr


def run_op(
    func: Callable[[List[np.ndarray]], Optional[list]],
    inputs: Sequence[Any],
    outputs: Sequence[tuple],
    name: str,
) -> Any:
    """Runs ``func`` (input arrays -> one array per ``(dtype, static shape)`` of ``outputs``) now when eager;
    in a graph, adds the operation. Returns the output tensors, or the operation when there are none (None
    when eager)."""
    graph = context.current_graph()
    if graph is None:
        results = func([as_array(x) for x in inputs])
        if not outputs:
            return None
        return [convert_to_tensor(r, dtype=dtype) for r, (dtype, _) in zip(results, outputs)]
    from ..compat.v1.py_func_graph import is_session_graph

    if is_session_graph(graph):
        return _session_graph_op(graph, func, inputs, outputs, name)
    from ..ops.py_function_ops import numpy_function

    def call(*arrays: np.ndarray) -> Any:
        results = func(list(arrays))
        return None if not outputs else results

    found = numpy_function(call, list(inputs), [d for d, _ in outputs] if outputs else None, name=name)
    if not outputs:
        return found
    for t, (_, shape) in zip(found, outputs):
        t.set_shape(shape)
    return found


def _session_graph_op(graph: Any, func: Callable, inputs: Sequence[Any], outputs: Sequence[tuple], name: str) -> Any:
    from ..compat.v1.host_tensor import unique_name

    ids = [graph_input(graph, x) for x in inputs]
    n_data = len(ids)
    ids += list(graph._controls)  # the call runs after the control dependencies
    base = name[:-1] if name.endswith("/") else unique_name(graph, name)  # "scope/": that very name, as TF
    nodes: List[int] = []
    specs = list(outputs) or [(None, TensorShape([0]))]  # an operation: a stand-in result runs the call
    for i, (dtype, shape) in enumerate(specs):
        node_name = base if (i == 0 and outputs) else f"{base}/output_{i}"
        attrs = {
            "dtype": "float32" if dtype is None else dtype.name,
            "shape": None if shape.rank is None else list(shape),
        }
        nodes.append(graph._g.add(make_op("placeholder", attrs), [], node_name))

    def call(values: list) -> list:
        results = func([as_array(v) for v in values[:n_data]])
        return list(results) if outputs else [np.zeros((0,), np.float32)]

    PythonNodes.of(graph).add_call(PythonCall(ids, nodes, call))
    if not outputs:
        return Operation(graph.tensor(graph._g.add(make_op("group"), [nodes[0]], base)))
    return [graph.tensor(n) for n in nodes]

"""Graph values that Python computes from other graph values once a session has run them.

TF1's summary ops (``ScalarSummary``, ``MergeSummary`` ...) and ``report_uninitialized_variables`` give
serialized protocol buffers and variable names: host work with no numeric kernel. Here such an op is a
``HostTensor``: ``Session.run`` fetches its inputs (graph tensors, or other host tensors) with the rest of
the fetches in one plan run, then calls its ``compute`` on their NumPy values.
"""

from __future__ import annotations

from typing import Any, Callable, Optional, Sequence

import numpy as np

from ...framework import nest
from ...framework.dtypes import as_dtype
from ...framework.tensor_shape import TensorShape


class HostOperation:
    """The op of a ``HostTensor`` (``tensor.op``): name, type, inputs and ``run()``."""

    def __init__(self, tensor: HostTensor, op_type: str) -> None:
        self._tensor = tensor
        self.type = op_type

    @property
    def name(self) -> str:
        return self._tensor.name[:-2]

    @property
    def graph(self) -> Any:
        return self._tensor.graph

    @property
    def inputs(self) -> list:
        return list(self._tensor.inputs)

    @property
    def outputs(self) -> list:
        return [self._tensor]

    @property
    def device(self) -> str:
        return ""

    def run(self, feed_dict: Optional[dict] = None, session: Any = None) -> None:
        self._tensor.eval(feed_dict=feed_dict, session=session)

    def __repr__(self) -> str:
        return f"<tf.Operation '{self.name}' type={self.type}>"


class HostTensor:
    """A graph tensor whose value ``compute(*input_values)`` gives after the session ran ``inputs``."""

    def __init__(
        self,
        graph: Any,
        name: str,
        op_type: str,
        inputs: Sequence[Any],
        compute: Callable[..., Any],
        dtype: Any = "string",
        shape: Any = (),
    ) -> None:
        self.graph = graph
        self._name = name
        self.inputs = list(inputs)
        self._compute = compute
        self.dtype = as_dtype(dtype)
        self.shape = TensorShape(shape)
        self.op = HostOperation(self, op_type)

    @property
    def name(self) -> str:
        return self._name + ":0"

    @property
    def device(self) -> str:
        return ""

    def get_shape(self) -> TensorShape:
        return self.shape

    def eval(self, feed_dict: Optional[dict] = None, session: Any = None) -> Any:
        from ...framework.graph import _session_for

        return _session_for(session, "eval").run(self, feed_dict=feed_dict)

    def __repr__(self) -> str:
        return f"<tf.Tensor '{self.name}' shape={self.shape} dtype={self.dtype.name}>"

    def __bool__(self) -> bool:
        raise TypeError(f"using the symbolic tensor '{self.name}' as a Python bool is not allowed")


def has_host_fetches(flat: list) -> bool:
    return any(isinstance(f, (HostTensor, HostOperation)) for f in flat)


def run_with_host(session: Any, fetches: Any, feed_dict: Any, options: Any, run_metadata: Any) -> Any:
    """``session.run`` for fetches that hold host tensors: one plan run for every graph value they need."""
    flat = [f._tensor if isinstance(f, HostOperation) else f for f in nest.flatten(fetches)]
    ops = [isinstance(f, HostOperation) for f in nest.flatten(fetches)]
    leaves: list = []
    index: dict = {}

    def collect(f: Any) -> None:
        if isinstance(f, HostTensor):
            for i in f.inputs:
                collect(i)
        elif id(f) not in index:
            index[id(f)] = len(leaves)
            leaves.append(f)

    for f in flat:
        collect(f)
    values = session.run(leaves, feed_dict=feed_dict, options=options, run_metadata=run_metadata) if leaves else []
    memo: dict = {}

    def value(f: Any) -> Any:
        if not isinstance(f, HostTensor):
            return values[index[id(f)]]
        if id(f) not in memo:
            memo[id(f)] = f._compute(*[value(i) for i in f.inputs])
        return memo[id(f)]

    computed = [value(f) for f in flat]  # an op is run too (a Keras metric's update), its value not returned
    results = [None if op else v for v, op in zip(computed, ops)]
    return nest.pack_sequence_as(fetches, results) if nest.is_nested(fetches) else results[0]


def unique_name(graph: Any, name: str) -> str:
    """``name`` under the graph's current name scope, made unique as a name scope is (``loss``, ``loss_1``)."""
    scope = graph.push_scope(name)
    graph.pop_scope()
    return scope


def string_array(items: Sequence[bytes]) -> np.ndarray:
    """A 1-D NumPy array of ``bytes`` (dtype object), as TensorFlow fetches a string vector."""
    out = np.empty(len(items), dtype=object)
    out[:] = list(items)
    return out

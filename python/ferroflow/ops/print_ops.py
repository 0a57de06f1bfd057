"""``tf.print``: prints tensors' values when the op runs, eagerly or on every call of a ``tf.function``.

Inside a function the tensors to print become extra outputs of its graph, and the function prints them
after each run of the graph, in the order the ``tf.print`` calls were traced. In a TF1 graph it returns an
op that prints each time a ``Session.run`` fetches it or runs it as a control dependency.
"""

from __future__ import annotations

import sys
from typing import Any, List

import numpy as np

from ..framework import context, nest
from ..framework.sparse_tensor import SparseTensor
from ..framework.tensor import Tensor


def _format_value(value: np.ndarray, summarize: int) -> str:
    """A tensor's value as TensorFlow prints it: ``[1 2 3]``, nested rows on new lines, ``...`` past
    ``summarize`` entries at each end of a dimension (-1: everything)."""
    if value.ndim == 0:
        return _scalar(value[()])
    edge = summarize if summarize >= 0 else None

    def rows(a: np.ndarray, depth: int) -> str:
        n = a.shape[0]
        idx = list(range(n)) if edge is None or n <= 2 * edge else list(range(edge)) + [-1] + list(range(n - edge, n))
        if a.ndim == 1:
            return "[" + " ".join("..." if i == -1 else _scalar(a[i]) for i in idx) + "]"
        inner = [("..." if i == -1 else rows(a[i], depth + 1)) for i in idx]
        return "[" + ("\n" + " " * (depth + 1)).join(inner) + "]"

    return rows(value, 0)


def _scalar(x: Any) -> str:
    if isinstance(x, (bytes, np.bytes_)):
        return x.decode("utf-8", "replace")
    if isinstance(x, (np.bool_, bool)):
        return "1" if x else "0"
    text = str(x)
    # Whole floats print without their ".0" (2, not 2.0), as TensorFlow's summaries do.
    return text[:-2] if isinstance(x, np.floating) and text.endswith(".0") else text


def format_inputs(inputs: List[Any], values: List[Any], summarize: int, sep: str) -> str:
    """The text of one ``tf.print`` call: ``values`` are the tensors' values in the order they appear."""
    it = iter(values)
    parts = []
    for x in inputs:
        if isinstance(x, SparseTensor):  # its three components, quoted as TensorFlow prints it
            indices, vals, shape = (_format_value(np.asarray(next(it)), summarize) for _ in range(3))
            parts.append(f"'SparseTensor(indices={indices}, values={vals}, shape={shape})'")
        elif isinstance(x, Tensor):
            parts.append(_format_value(np.asarray(next(it)), summarize))
        elif isinstance(x, (list, tuple, dict)):
            flat = [
                _format_value(np.asarray(next(it)), summarize) if isinstance(v, Tensor) else str(v)
                for v in nest.flatten(x)
            ]
            parts.append(str(nest.pack_sequence_as(x, flat)).replace("'", ""))
        else:
            parts.append(str(x))
    return sep.join(parts)


def _write(text: str, output_stream: Any, end: str) -> None:
    if isinstance(output_stream, str):
        if not output_stream.startswith("file://"):
            raise ValueError(f"output_stream must be a stream or a 'file://path' string, received {output_stream!r}")
        with open(output_stream[len("file://") :], "a") as f:
            f.write(text + end)
        return
    output_stream.write(text + end)
    output_stream.flush()


def print(*inputs: Any, **kwargs: Any) -> Any:  # noqa: A001
    """``tf.print(*inputs, output_stream=sys.stderr, summarize=3, sep=" ", end="\\n")``; in a TF1 graph, the op
    that prints when a session runs it."""
    output_stream = kwargs.pop("output_stream", sys.stderr)
    summarize = int(kwargs.pop("summarize", 3))
    sep = kwargs.pop("sep", " ")
    end = kwargs.pop("end", "\n")
    kwargs.pop("name", None)
    if kwargs:
        raise TypeError(f"tf.print got unexpected keyword arguments {sorted(kwargs)}")
    tensors = [v for x in inputs for v in (nest.flatten(x) if isinstance(x, (list, tuple, dict)) else [x])]
    tensors = [
        c for v in tensors for c in ([v.indices, v.values, v.dense_shape] if isinstance(v, SparseTensor) else [v])
    ]
    tensors = [v for v in tensors if isinstance(v, Tensor)]
    graph = context.current_graph()
    if graph is None:
        _write(format_inputs(list(inputs), [t.numpy() for t in tensors], summarize, sep), output_stream, end)
        return None
    items = list(inputs)
    if not getattr(graph, "is_function", False):
        # A TF1 graph: an op that prints each time a Session.run reaches it (compat/v1/print_v1.py).
        from ..compat.v1.print_v1 import graph_print

        return graph_print(
            graph, tensors, lambda values: _write(format_inputs(items, values, summarize, sep), output_stream, end)
        )
    from ..framework.ops import graph_input
    from ._subgraph import SubGraph

    if isinstance(graph, SubGraph):
        # Inside a loop body or a branch: a host call prints the values of every iteration as it runs.
        from ._host_call_graph import function_graph_call

        def emit(*values: Any) -> None:
            _write(format_inputs(items, list(values), summarize, sep), output_stream, end)

        function_graph_call(graph, emit, tensors, None, False, True, "PrintV2")
        return None
    nodes = [graph_input(graph, t) for t in tensors]
    graph.run_callbacks.append(
        (nodes, lambda values: _write(format_inputs(items, values, summarize, sep), output_stream, end))
    )
    return None

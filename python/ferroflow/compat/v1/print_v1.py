"""``tf.compat.v1.Print`` and ``tf.print`` in TF1 graphs: printing when a ``Session.run`` runs the op.

``t = tf.compat.v1.Print(t, [t], message="t: ")`` returns an identity of ``t``; each run that computes it
writes ``message`` and each tensor of ``data`` in TF1's format (``[[1 2 3]...]``: the first ``summarize``
elements in row-major order, then ``...``) to stderr, at most ``first_n`` times per session. ``tf.print``
in a TF1 graph returns an op that prints (in ``tf.print``'s own format) each time a run fetches it or runs
it as a control dependency.
"""

from __future__ import annotations

import sys
from typing import Any, Callable, List, Optional

import numpy as np

from ...framework import context
from ...framework.graph import Operation
from ...framework.ops import apply, convert_to_tensor, graph_input
from ...framework.tensor import Tensor
from .python_nodes import PrintNode, PythonNodes


def Print(  # noqa: N802 (TensorFlow's name)
    input_: Any,
    data: Any,
    message: Optional[str] = None,
    first_n: Optional[int] = None,
    summarize: Optional[int] = None,
    name: Optional[str] = None,
) -> Tensor:
    """An identity of ``input_`` that prints ``message`` and the values of ``data`` each time it runs."""
    if not isinstance(data, (list, tuple)):
        raise TypeError(f"tf.compat.v1.Print expects `data` to be a list of tensors, received {type(data).__name__}")
    limit = 3 if summarize is None else int(summarize)
    count = -1 if first_n is None else int(first_n)
    text = "" if message is None else str(message)
    graph = context.current_graph()
    x = convert_to_tensor(input_) if graph is None else input_
    items = [convert_to_tensor(d) if graph is None else d for d in data]

    def emit(values: List[Any]) -> None:
        parts = [text] + ["[" + summarize_v1(np.asarray(v), limit) + "]" for v in values]
        sys.stderr.write("".join(parts) + "\n")
        sys.stderr.flush()

    if graph is None:
        emit([t.numpy() for t in items])
        return apply("identity", [x])
    out = apply("identity", [x], op_name=name or "Print")
    nodes = [graph_input(graph, d) for d in items]
    _register(graph, out.node, nodes, emit, count)
    return out


def graph_print(graph: Any, tensors: List[Any], write: Callable[[list], None]) -> Operation:
    """``tf.print`` in a TF1 graph: an op (a ``NoOp`` after ``tensors``) that calls ``write(values)`` each
    time a run reaches it."""
    nodes = [graph_input(graph, t) for t in tensors]
    op = apply("group", [graph.tensor(n) for n in nodes], op_name="PrintV2")
    _register(graph, op.node, nodes, write, -1)
    return Operation(op)


def _register(graph: Any, node: int, data: List[int], emit: Callable[[list], None], first_n: int) -> None:
    if getattr(graph, "is_function", False):
        # Inside tf.function: print after each call of the function, as tf.print does there.
        graph.run_callbacks.append((data, emit))
        return
    PythonNodes.of(graph).add_print(node, PrintNode(data, emit, first_n))


def summarize_v1(value: np.ndarray, limit: int) -> str:
    """A tensor's text as TF1's ``SummarizeValue``: nested brackets, no commas, at most ``limit`` elements
    (negative: all) in row-major order, ``...`` where elements were left out."""
    flat = value.ravel()
    limit = flat.size if limit < 0 else min(limit, flat.size)
    if value.ndim == 0:
        return _element(flat[0]) if limit else ""
    out: List[str] = []
    index = [0]

    def dim(d: int) -> None:
        if index[0] >= limit:
            return
        count = value.shape[d]
        if d == value.ndim - 1:
            for i in range(count):
                if index[0] >= limit:
                    if d != 0:
                        out.append("...")
                    return
                if i > 0:
                    out.append(" ")
                out.append(_element(flat[index[0]]))
                index[0] += 1
            return
        for _ in range(count):
            opened = index[0] < limit
            if opened:
                out.append("[")
            dim(d + 1)
            if index[0] < limit or opened:
                out.append("]")

    dim(0)
    if flat.size > limit:
        out.append("...")
    return "".join(out)


def _element(x: Any) -> str:
    if isinstance(x, (bytes, np.bytes_)):
        return _c_escape(bytes(x))
    if isinstance(x, str):
        return _c_escape(x.encode())
    if isinstance(x, (bool, np.bool_)):
        return "1" if x else "0"
    if isinstance(x, np.floating):
        double = x.dtype == np.float64
        # The shortest of 6 (15) and 9 (17) significant digits that reads back as the same float32 (float64).
        short = f"{x:.15g}" if double else f"{x:.6g}"
        exact = float(short) == float(x) if double else np.float32(short) == np.float32(x)
        return short if exact or not np.isfinite(x) else (f"{x:.17g}" if double else f"{x:.9g}")
    return str(x)


def _c_escape(b: bytes) -> str:
    """C-style escaping of a byte string, as TensorFlow prints strings."""
    named = {10: "\\n", 13: "\\r", 9: "\\t", 34: '\\"', 39: "\\'", 92: "\\\\"}
    return "".join(named.get(c) or (chr(c) if 32 <= c < 127 else f"\\{c:03o}") for c in b)


from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals(), hidden=("Operation", "PrintNode", "PythonNodes", "Tensor", "graph_print"))

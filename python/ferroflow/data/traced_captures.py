"""Tensors of an enclosing ``tf.function`` used by a ``tf.data`` function (``ds.map(lambda x: x * scale)``).

As in TensorFlow, where the map function captures the outer tensor, the traced function's graph gets a
placeholder for each tensor of another graph it uses (``capture_outer``); the plan is fed those placeholders
after the element's components. The values come from the graph that iterates the dataset: the iterator node of
a dataset loop (``autograph/_dataset_loops``) or an initializable iterator's initializer takes the captured
tensors as inputs and ``bind``s their values at each run, as it does for sources over graph tensors
(``graph_sources``). A captured function run before any binding raises an error naming the tensors.
"""

from __future__ import annotations

from typing import Any

from .. import _core
from ..framework.graph import SymbolicTensor
from ..framework.ops import make_op


def install(graph: Any) -> None:
    """Lets ``graph`` (a ``tf.data`` function's trace) use tensors of other graphs as fed placeholders."""
    graph.outer_captured = []  # the other graphs' tensors, in the order of their placeholders
    graph.outer_capture_nodes = []  # the placeholders, fed after the element's components
    index: dict = {}

    def capture_outer(t: SymbolicTensor) -> SymbolicTensor:
        if t.graph is graph:
            return t
        key = (id(t.graph), t.node)
        node = index.get(key)
        if node is None:
            info = t._info()
            op = make_op("placeholder", {"dtype": info[3], "shape": info[2]})
            node = graph._g.add(op, [], graph.scoped("capture"))
            index[key] = node
            graph.outer_captured.append(t)
            graph.outer_capture_nodes.append(node)
        return SymbolicTensor(graph, node)

    graph.capture_outer = capture_outer


class Captures:
    """The captured tensors of one traced function and the values bound to them for the runs that follow."""

    def __init__(self, captured: list) -> None:
        self.captured = list(captured)
        self._values: Any = None  # core tensors, one per captured tensor, once bound

    def bind(self, values: list) -> None:
        """Gives the captured tensors ``values`` (NumPy arrays in ``captured`` order)."""
        import numpy as np

        if len(values) != len(self.captured):
            raise ValueError(f"expected {len(self.captured)} captured values, received {len(values)}")
        arrays = [np.asarray(v) for v in values]
        self._values = [_core.Tensor.from_numpy(a if a.flags.c_contiguous else np.array(a, order="C")) for a in arrays]

    def feeds(self, what: str, name: str) -> list:
        """The bound values, as extra feeds of the plan."""
        if self._values is None:
            names = ", ".join(repr(t.name) for t in self.captured)
            raise ValueError(
                f"the {what} function {name!r} uses the tensors {names} of a tf.function or graph; the dataset must "
                "be iterated in that function (a for loop, Dataset.reduce or an iterator made there) or through an "
                "initializable iterator of that graph"
            )
        return self._values

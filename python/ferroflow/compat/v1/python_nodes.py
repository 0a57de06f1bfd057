"""Graph nodes whose work is Python's, run by ``Session.run``: printing ops and Python function calls.

The executor cannot call back into Python in the middle of a plan, so a session splits a run around them:

- a print node (``tf.compat.v1.Print``'s identity, ``tf.print``'s op) runs in the plan as usual; when a run
  reaches it, the values it prints are fetched alongside the user's fetches and printed after the run;
- a Python call (``py_func``, ``numpy_function``, ``py_function``) gives placeholder nodes as its outputs.
  When a run reaches them, the session first runs what the call's inputs need (stage one), calls the Python
  function, then runs the rest with the call's results and every stage-one value the rest needs fed in
  (stage two). Each node still runs once per ``Session.run``.

Reachability follows data inputs, control inputs, and the inputs of these Python nodes, and stops at fed
nodes, as the plan's own pruning does.
"""

from __future__ import annotations

import threading
import weakref
from typing import Any, Callable, Dict, List, Sequence

from ...framework.graph import Graph

# Attribute of a Graph holding its PythonNodes, made on first use.
_ATTR = "_python_nodes"


class _Calling(threading.local):
    def __init__(self) -> None:
        self.session: Any = None


_calling = _Calling()


def calling_session() -> Any:
    """The session whose run is calling a Python function on this thread now, else None: state that TensorFlow
    keeps per session (a queue's elements) is looked up by it."""
    return _calling.session


class PrintNode:
    """A node that prints ``data`` (node ids) each time a run reaches it, at most ``first_n`` times per session."""

    def __init__(self, data: Sequence[int], emit: Callable[[list], None], first_n: int = -1) -> None:
        self.data = list(data)
        self.emit = emit
        self.first_n = first_n
        self._counts: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def fire(self, session: Any, values: list) -> None:
        if self.first_n >= 0:
            n = self._counts.get(session, 0)
            if n >= self.first_n:
                return
            self._counts[session] = n + 1
        self.emit(values)


class PythonCall:
    """A Python function of the values of ``inputs`` (node ids) whose results are fed to ``outputs``."""

    def __init__(self, inputs: Sequence[int], outputs: Sequence[int], call: Callable[[list], list]) -> None:
        self.inputs = list(inputs)
        self.outputs = tuple(outputs)
        self.call = call  # NumPy-convertible input values -> one value per output node
        self.source: Any = None  # how graph_call made it (its function and result dtypes), when it did


class PythonNodes:
    """The print nodes and Python calls of one graph."""

    def __init__(self, graph: Graph) -> None:
        self._graph = weakref.ref(graph)
        self.prints: Dict[int, PrintNode] = {}
        self.calls: Dict[int, PythonCall] = {}  # each output node -> its call
        self._reach_cache: dict = {}

    @staticmethod
    def of(graph: Graph) -> PythonNodes:
        found = graph.__dict__.get(_ATTR)
        if found is None:
            found = PythonNodes(graph)
            setattr(graph, _ATTR, found)
        return found

    def add_print(self, node: int, printer: PrintNode) -> None:
        self.prints[node] = printer
        self._reach_cache.clear()

    def add_call(self, call: PythonCall) -> None:
        for node in call.outputs:
            self.calls[node] = call
        self._reach_cache.clear()

    # -- reachability
    def _inputs(self, g: Any, node: int) -> list:
        found = [i for i in g.node(node)[4] if i is not None]
        printer = self.prints.get(node)
        if printer is not None:
            found += printer.data
        return found

    def reach(self, g: Any, roots: Sequence[int], fed: frozenset, stop_at_calls: bool = True) -> set:
        """The nodes a run of ``roots`` executes; a Python call's outputs are leaves when ``stop_at_calls``,
        else the walk goes on into the call's inputs."""
        key = (tuple(roots), fed, stop_at_calls, len(g))
        found = self._reach_cache.get(key)
        if found is not None:
            return found
        seen: set = set()
        stack = list(roots)
        while stack:
            node = stack.pop()
            if node in seen:
                continue
            seen.add(node)
            if node in fed:
                continue
            stack.extend(self._inputs(g, node))
            call = self.calls.get(node)
            if call is not None and not stop_at_calls:
                stack.extend(call.inputs)
        if len(self._reach_cache) > 256:
            self._reach_cache.clear()
        self._reach_cache[key] = seen
        return seen

    # -- stage one: the Python calls a run needs
    def stage(self, session: Any, fetches: List[int], fed: Dict[int, Any], feed_dict: dict, groups: list) -> dict:
        """Feeds for the run of ``fetches``: every Python call's results, and the stage-one values that the
        rest of the run needs. ``fed`` maps already-fed nodes to values; ``groups`` are node sets that must be
        fed together or not at all (the components of a ``tf.data`` iterator's ``get_next``)."""
        g = session.graph._g
        fed_set = frozenset(fed)
        after = self.reach(g, fetches, fed_set)
        calls: list = []
        for node in sorted(after):
            call = self.calls.get(node)
            if call is not None and node not in fed_set and call not in calls:
                calls.append(call)
        if not calls:
            return {}
        roots = sorted({i for call in calls for i in call.inputs})
        before = self.reach(g, roots, fed_set)
        frontier = set(roots)
        for node in after - before:
            if node in fed_set or node in self.calls:
                continue
            frontier.update(i for i in self._inputs(g, node) if i in before)
        frontier.update(n for n in fetches if n in before)
        for group in groups:
            if any(n in before for n in group):
                frontier.update(group)
        frontier -= fed_set
        order = sorted(frontier)
        values = session._run_nodes(order, feed_dict, fed=fed) if order else []
        feeds = dict(zip(order, values))
        known = {**fed, **feeds}
        for call in calls:
            if all(out in known for out in call.outputs):
                continue  # computed in stage one already, as the input of another call
            outer, _calling.session = _calling.session, session
            try:
                results = call.call([known[i] for i in call.inputs])
            finally:
                _calling.session = outer
            feeds.update(zip(call.outputs, results))
            known.update(zip(call.outputs, results))
        return feeds

    # -- printing after the run
    def print_fetches(self, g: Any, fetches: List[int], fed: frozenset) -> list:
        """The print nodes a run of ``fetches`` reaches, in creation order."""
        if not self.prints:
            return []
        reached = self.reach(g, fetches, fed, stop_at_calls=True)
        return [(node, self.prints[node]) for node in sorted(self.prints) if node in reached and node not in fed]


def python_nodes(graph: Graph) -> Any:
    """The graph's ``PythonNodes``, or None when it has none (the common case: no extra work per run)."""
    return graph.__dict__.get(_ATTR)


from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals(), hidden=("Graph",))

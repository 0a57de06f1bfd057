"""How each node of a graph was built, so that a TF1 graph can be written to a ``.meta`` file and rebuilt.

The native graph keeps its ops opaque (their attributes live in Rust). ``ops.make_op`` notes the op name and
attributes of every op it makes while a graph is being built; when the op becomes a node, the graph keeps
that note as the node's build record. The native ``gradients`` call, which adds many nodes at once, is
recorded as one call, and ``set_shape`` refinements with the node count at which they happened, so that a
replay in the same order rebuilds the same nodes (``compat/v1/meta_graph_import.py``).
"""

from __future__ import annotations

from itertools import islice
from typing import Any, Optional

from . import device

# id(native op) -> (op, make_op name, attrs), for ops made while a graph is being built. The op itself is kept
# so that its id is not reused while the note lives; notes are consumed right after they are made, so the
# table stays small (the oldest half is dropped if it ever grows past _MAX_NOTES).
_notes: dict = {}
_MAX_NOTES = 1024
# id(op) -> make_op name of the attribute-less ops ``make_op`` caches (they live for the whole process).
_cached: dict = {}


def note(op: Any, name: str, attrs: Optional[dict]) -> None:
    """Remembers that ``op`` is ``make_op(name, attrs)``."""
    if len(_notes) >= _MAX_NOTES:
        for key in list(islice(_notes, _MAX_NOTES // 2)):
            del _notes[key]
    _notes[id(op)] = (op, name, attrs)


def note_cached(op: Any, name: str) -> None:
    _cached[id(op)] = name


def lookup(op: Any) -> Optional[tuple]:
    """``(make_op name, attrs or None)`` of ``op``, or None when it was not made through ``make_op``."""
    found = _notes.get(id(op))
    if found is not None and found[0] is op:
        return found[1], found[2]
    name = _cached.get(id(op))
    return None if name is None else (name, None)


def record(graph: Any, node: int, op: Any) -> None:
    """Keeps the build record of ``node``, just added to ``graph`` from ``op``."""
    found = lookup(op)
    if found is not None:
        graph._records[node] = found


def add_recorded(graph: Any, op: Any, inputs: list, name: str) -> int:
    """``graph._g.add`` (no name scope, no control dependencies) with the node's build record kept."""
    node = graph._g.add(op, inputs, name)
    record(graph, node, op)
    device.record_device(graph, node)
    return node


def note_control_flow(op: Any, kind: str, sub: Any, **args: Any) -> None:
    """Remembers that ``op`` is the ``cond`` or ``while`` op made over ``sub`` (a SubGraph) with ``args``."""
    note(op, f"__{kind}__", {"sub": sub, **args})


def add_multi_recorded(graph: Any, op: Any, inputs: list, name: str) -> list:
    """``graph._g.add_multi`` (a control-flow node and its outputs), recorded on the first node it added with
    the number of nodes; the others point at it."""
    first = len(graph._g)
    outputs = graph._g.add_multi(op, inputs, name)
    for node in range(first, len(graph._g)):
        device.record_device(graph, node)
    found = lookup(op)
    if found is not None and found[1] is not None:
        graph._records[first] = (found[0], {**found[1], "__count__": len(graph._g) - first})
        for node in range(first + 1, len(graph._g)):
            graph._records[node] = ("__part__", {"first": first})
    return outputs


def gradients(graph: Any, ys: list, xs: list, grad_ys: Optional[list]) -> list:
    """``graph._g.gradients``, recorded as one call with the range of nodes it added."""
    first = len(graph._g)
    ids = graph._g.gradients(ys, xs, grad_ys)
    graph._grad_calls.append((first, len(graph._g), list(ys), list(xs), None if grad_ys is None else list(grad_ys)))
    return ids


def refine_shape(graph: Any, node: int, dims: Any) -> None:
    """``graph._g.refine_shape``, recorded with the node count at which it happened."""
    graph._g.refine_shape(node, dims)
    graph._refines.append((len(graph._g), node, None if dims is None else list(dims)))

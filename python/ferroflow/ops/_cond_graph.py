"""The graph form of ``tf.cond``: both branches traced into one sub-graph, run by a native conditional node.

The sub-graph's placeholders are the captured values; the branches' outputs are their flat results (a
``TensorArray`` contributes its buffer), plus a token when a branch assigns variables (so that running the
branch runs the assignments, and traced functions always run the node). The node's inputs in the enclosing
graph are the predicate, then the captured values.
"""

from __future__ import annotations

from typing import Any, Callable

from .. import _core
from ..framework import context, graph_record, nest
from ..framework.ops import convert_to_tensor, graph_input
from ..framework.tensor import Tensor
from . import _subgraph
from ._structure import assert_same_structure
from .tensor_array_ops import TensorArray


def _mismatch(true_out: Any, false_out: Any, detail: str = "") -> TypeError:
    return TypeError(
        "true_fn and false_fn arguments to tf.cond must have the same number, type, and overall structure of "
        f"return values.\n\ntrue_fn output: {true_out}\nfalse_fn output: {false_out}"
        + (f"\n\n{detail}" if detail else "")
    )


def _flat_outputs(true_out: Any, false_out: Any) -> tuple:
    """The two branches' flat results as pairs of tensors (None where both returned None), and per leaf the
    TensorArray it stands for (None for tensors)."""
    try:
        assert_same_structure(true_out, false_out, check_types=True)
    except ValueError as e:
        raise _mismatch(true_out, false_out, str(e)) from None
    pairs, arrays = [], []
    for a, b in zip(nest.flatten(true_out), nest.flatten(false_out)):
        if a is None and b is None:
            pairs.append(None)
            arrays.append(None)
            continue
        if a is None or b is None or isinstance(a, TensorArray) != isinstance(b, TensorArray):
            raise _mismatch(true_out, false_out)
        if isinstance(a, TensorArray):
            if a.dtype != b.dtype or a._buffer is None or b._buffer is None:
                raise _mismatch(true_out, false_out, "TensorArrays must have the same dtype and be written to")
            pairs.append((a._buffer, b._buffer))
            arrays.append(a)
            continue
        ta, tb = _tensor(a), _tensor(b)
        if ta.dtype != tb.dtype:
            raise _mismatch(true_out, false_out, f"dtypes differ: {ta.dtype.name} and {tb.dtype.name}")
        pairs.append((ta, tb))
        arrays.append(None)
    return pairs, arrays


def _tensor(x: Any) -> Tensor:
    from ..framework.variables import Variable

    return x.value() if isinstance(x, Variable) else convert_to_tensor(x)


def graph_cond(pred: Tensor, true_fn: Callable, false_fn: Callable, name: str, combine: Any = None) -> Any:
    """The conditional node's outputs, in the structure of ``true_fn``'s result. ``combine(true_out,
    false_out)``, when given, maps the two branches' results to the pair of structures the node outputs
    (AutoGraph's if statements decide there which variables become outputs)."""
    outer = context.current_graph()

    def build(sub: _subgraph.SubGraph) -> tuple:
        results, tokens = [], []
        for fn in (true_fn, false_fn):
            start = len(sub.stateful_nodes)
            results.append(fn())
            tokens.append(_subgraph.keep_stateful(sub, None, start))
        if combine is not None:
            results = list(combine(*results))
        pairs, arrays = _flat_outputs(*results)
        then_nodes = [graph_input(sub, p[0]) for p in pairs if p is not None]
        else_nodes = [graph_input(sub, p[1]) for p in pairs if p is not None]
        stateful = any(t is not None for t in tokens)
        if stateful:
            for nodes, token in zip((then_nodes, else_nodes), tokens):
                nodes.append(token if token is not None else graph_input(sub, convert_to_tensor(0)))
        return results[0], pairs, arrays, then_nodes, else_nodes, stateful

    sub, (template, pairs, arrays, then_nodes, else_nodes, stateful) = _subgraph.trace(outer, build, "tf.cond branches")
    if not then_nodes:
        return template  # no tensors out and nothing assigned: nothing to run
    op = _core.Op.cond(sub._g, sub.capture_nodes, then_nodes, else_nodes)
    graph_record.note_control_flow(
        op, "cond", sub, captures=list(sub.capture_nodes), then=then_nodes, orelse=else_nodes
    )  # for export_meta_graph
    inputs = [graph_input(outer, pred)] + [t.node for t in sub.captured]
    nodes = iter(_subgraph.add_multi(outer, op, inputs, name, stateful))
    flat = []
    for pair, array in zip(pairs, arrays):
        if pair is None:
            flat.append(None)
        else:
            node = next(nodes)
            flat.append(node if array is None else array._copy(_buffer=node))
    return nest.pack_sequence_as(template, flat)

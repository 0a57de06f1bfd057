"""One trace of a ``tf.function``: the graph, its placeholders, the compiled plan, and the key that finds it."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from . import nest
from .graph import Graph, SymbolicTensor
from .ops import apply, convert_to_tensor
from .tensor import EagerTensor, Tensor
from .tensor_spec import TensorSpec
from .variables import Variable


class FuncGraph(Graph):
    """The graph of one traced function; variables created while tracing are lifted out as eager ones."""

    is_function = True


class _Concrete:
    """One trace: the graph, its placeholders, the output structure and the compiled plan.

    Tensor arguments (tensors, arrays or ``TensorSpec``s) become placeholders of their shape, with None
    dimensions where a signature leaves them open; every other argument is a constant of the trace.
    """

    def __init__(self, fn: Callable, args: tuple, kwargs: dict, name: str) -> None:
        self.graph = FuncGraph()
        # (nodes, callback) pairs traced into the function (tf.print, tf.debugging.assert_*): after each run
        # the callback gets the nodes' values, in trace order.
        self.graph.run_callbacks = []
        self.graph.trace_root_scopes = 1  # the function's own name scope, which get_current_name_scope leaves out
        flat_in = nest.flatten((args, kwargs))
        self.tensor_positions = [i for i, v in enumerate(flat_in) if _is_tensor_arg(v)]
        self.input_specs = []
        symbolic = list(flat_in)
        placeholders = []
        with self.graph.as_default(), self.graph.name_scope(name):
            for i in self.tensor_positions:
                spec = _spec_of(flat_in[i])
                shape = spec.shape.dims
                attrs = {"dtype": spec.dtype.name, "shape": shape}
                p = apply("placeholder", [], attrs, op_name=spec.name or "input")
                symbolic[i] = p
                placeholders.append(p.node)
                self.input_specs.append(spec)
            sargs, skwargs = nest.pack_sequence_as((args, kwargs), symbolic)
            self.inputs = [symbolic[i] for i in self.tensor_positions]
            out = fn(*sargs, **skwargs)
        self.structure = out
        self.structured_input_signature = nest.pack_sequence_as(
            (args, kwargs), [_spec_of(v) if _is_tensor_arg(v) else v for v in flat_in]
        )
        flat_out = nest.flatten(out)
        self.out_kinds = []
        fetches = []
        self.outputs = []
        for v in flat_out:
            if isinstance(v, SymbolicTensor):
                self.out_kinds.append(("tensor", len(fetches)))
                fetches.append(v.node)
                self.outputs.append(v)
            else:
                self.out_kinds.append(("value", v))
        n_out = len(fetches)
        self.single_output = isinstance(out, SymbolicTensor) and not self.graph.run_callbacks
        self.run_callbacks = self.graph.run_callbacks
        fetches.extend(node for nodes, _ in self.run_callbacks for node in nodes)
        fetches.extend(self.graph.stateful_nodes)
        self.n_out = n_out
        self.plan = self.graph._g.compile(fetches, placeholders)

    def __call__(self, args: tuple, kwargs: dict) -> Any:
        if self.single_output and not kwargs and len(self.tensor_positions) == len(args):
            # One tensor out, every argument a tensor (the usual call): no nest walks.
            try:
                feeds = [a._t for a in args]
            except AttributeError:
                feeds = None
            if feeds is not None:
                return EagerTensor(self.plan.run(feeds)[0])
        flat_in = nest.flatten((args, kwargs))
        feeds = []
        for i in self.tensor_positions:
            v = flat_in[i]
            feeds.append(v._t if isinstance(v, EagerTensor) else convert_to_tensor(v)._t)
        results = self.plan.run(feeds)
        at = self.n_out
        for nodes, callback in self.run_callbacks:
            callback([r.numpy() for r in results[at : at + len(nodes)]])
            at += len(nodes)
        flat = []
        for kind, v in self.out_kinds:
            if kind == "tensor":
                flat.append(EagerTensor(results[v]))
            else:
                flat.append(v)
        return nest.pack_sequence_as(self.structure, flat)


def _spec_of(value: Any) -> TensorSpec:
    if isinstance(value, TensorSpec):
        return value
    if isinstance(value, np.ndarray):
        return TensorSpec(value.shape, value.dtype)
    t = value if isinstance(value, Tensor) else convert_to_tensor(value)
    return TensorSpec(t.shape, t.dtype)


def _is_tensor_arg(v: Any) -> bool:
    return isinstance(v, (Tensor, np.ndarray, TensorSpec))


def _signature_key(args: tuple, kwargs: dict) -> tuple:
    key = []
    for v in nest.flatten((args, kwargs)):
        if isinstance(v, EagerTensor):
            key.append(("T", tuple(v.shape), v.dtype.name))
        elif isinstance(v, TensorSpec):
            key.append(("T", None if v.shape.dims is None else tuple(v.shape.dims), v.dtype.name))
        elif isinstance(v, np.ndarray):
            key.append(("A", v.shape, str(v.dtype)))
        elif isinstance(v, Variable):
            key.append(("V", id(v)))
        else:
            try:
                hash(v)
                key.append(("P", v))
            except TypeError:
                key.append(("O", id(v)))
    return (tuple(key), repr(nest.pack_sequence_as((args, kwargs), [0] * len(nest.flatten((args, kwargs))))))

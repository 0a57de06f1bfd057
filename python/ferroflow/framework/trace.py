"""One trace of a ``tf.function``: the graph, its placeholders, the compiled plan, and the key that finds it."""

from __future__ import annotations

from typing import Any, Callable, Optional

import numpy as np

from .. import _core
from . import composite_graph, nest
from .graph import Graph, SymbolicTensor
from .ops import apply, convert_to_tensor
from .tensor import EagerTensor, Tensor
from .tensor_spec import TensorSpec
from .variables import Variable

# While tfdbg dumps tf.function runs (``enable_dump_debug_info``), traces run through
# ``plan_runner(concrete, feeds)``, which returns what ``concrete.plan.run(feeds)`` would; None when off.
plan_runner: Optional[Callable] = None


class FuncGraph(Graph):
    """The graph of one traced function; variables created while tracing are lifted out as eager ones."""

    is_function = True

    def __init__(self) -> None:
        super().__init__()
        self._captures: dict = {}  # key of a captured eager tensor -> (the tensor, its node)

    def capture(self, value: EagerTensor) -> SymbolicTensor:
        """The node of an eager tensor the function closes over: one node per tensor, as TensorFlow captures
        each once, so a tape that watches the tensor finds the node its uses read. Eager tensors are
        immutable, so the node holds the value; it is made outside any control_dependencies block, as a
        capture is an input of the function rather than an op of the block."""
        hit = self._captures.get(value._t.key)
        if hit is None:
            node = self._g.add(_core.Op("const", {"value": value._t}), [], self.scoped("Const"))
            hit = self._captures[value._t.key] = (value, node)
        return SymbolicTensor(self, hit[1])

    def as_graph_def(self) -> Any:
        """The graph's nodes (``.node``, each with ``name``, ``op`` and ``input``), as ``tf.Graph.as_graph_def``."""
        from ..summary._graph_def import GraphDef

        return GraphDef(self)


class _Concrete:
    """One trace: the graph, its placeholders, the output structure and the compiled plan.

    Tensor arguments (tensors, arrays or ``TensorSpec``s) become placeholders of their shape, with None
    dimensions where a signature leaves them open; sparse and ragged ones (or their specs) become
    placeholders for their components, rebuilt into a sparse or ragged value for the body; every other
    argument is a constant of the trace.
    """

    def __init__(self, fn: Callable, args: tuple, kwargs: dict, name: str) -> None:
        self.graph = FuncGraph()
        # (nodes, callback) pairs traced into the function (tf.print, tf.debugging.assert_*): after each run
        # the callback gets the nodes' values, in trace order.
        self.graph.run_callbacks = []
        flat_in = nest.flatten((args, kwargs))
        self.tensor_positions = [i for i, v in enumerate(flat_in) if _is_tensor_arg(v)]
        self.input_specs = []
        symbolic = list(flat_in)
        placeholders = []
        names = _argument_names(fn, args, kwargs, flat_in)
        # As in TensorFlow, names in a function's graph are not scoped by the function's name ("x:0", "add:0").
        with self.graph.as_default():
            self.inputs = []
            for i in self.tensor_positions:
                spec = _spec_of(flat_in[i])
                if composite_graph.is_composite(spec):
                    symbolic[i], public, every = composite_graph.placeholders(spec, "input")
                    placeholders.extend(p.node for p in every)
                    self.inputs.extend(public)
                    self.input_specs.append(spec)
                    continue
                shape = spec.shape._dim_list
                attrs = {"dtype": spec.dtype.name, "shape": shape}
                p = apply("placeholder", [], attrs, op_name=spec.name or names.get(i, "input"))
                symbolic[i] = p
                placeholders.append(p.node)
                self.inputs.append(p)
                self.input_specs.append(spec)
            from ..distribute.values import expand_distributed, has_distributed_parts, restore_distributed

            sargs, skwargs = restore_distributed(nest.pack_sequence_as((args, kwargs), symbolic))
            out = expand_distributed(fn(*sargs, **skwargs))
        # Tensors of other graphs a tf.data function uses (``data/traced_captures``) are fed after the arguments.
        placeholders.extend(getattr(self.graph, "outer_capture_nodes", ()))
        self.structure = out
        self.restore = restore_distributed if has_distributed_parts(out) else None
        self.structured_input_signature = nest.pack_sequence_as(
            (args, kwargs), [_spec_of(v) if _is_tensor_arg(v) else v for v in flat_in]
        )
        flat_out = nest.flatten(out)
        self.out_kinds = []
        fetches = []
        self.outputs = []
        for v in flat_out:
            if isinstance(v, Variable):
                # As in TensorFlow, a variable returned by the function comes back as its value at each run.
                with self.graph.as_default():
                    v = v.read_value()
            if isinstance(v, SymbolicTensor):
                self.out_kinds.append(("tensor", len(fetches)))
                fetches.append(v.node)
                self.outputs.append(v)
            elif composite_graph.is_composite(v) and _is_symbolic_composite(v):
                parts = composite_graph.output_components(v)
                with self.graph.as_default():
                    # Components known when tracing (NumPy indices or splits) are fetched as graph constants.
                    parts = [p if isinstance(p, SymbolicTensor) else apply("identity", [p]) for p in parts]
                self.out_kinds.append(("composite", (v, len(fetches), len(parts))))
                fetches.extend(p.node for p in parts)
                self.outputs.extend(parts)
            elif isinstance(v, (bool, int, float, np.number, np.bool_)):
                # As in TensorFlow, a Python number returned by the function comes back as a tensor.
                self.out_kinds.append(("value", convert_to_tensor(v)))
            else:
                self.out_kinds.append(("value", v))
        n_out = len(fetches)
        self.single_output = isinstance(out, SymbolicTensor) and not self.graph.run_callbacks
        self.run_callbacks = self.graph.run_callbacks
        fetches.extend(node for nodes, _ in self.run_callbacks for node in nodes)
        fetches.extend(self.graph.stateful_nodes)
        self.n_out = n_out
        self.name = name
        self.fetch_nodes, self.feed_nodes = fetches, placeholders
        self.plan = self.graph._g.compile(fetches, placeholders)

    def _run(self, feeds: list) -> list:
        if plan_runner is not None:
            return plan_runner(self, feeds)
        return self.plan.run(feeds)

    def __call__(self, args: tuple, kwargs: dict) -> Any:
        if self.single_output and not kwargs and len(self.tensor_positions) == len(args):
            # One tensor out, every argument a tensor (the usual call): no nest walks.
            try:
                feeds = [a._t for a in args]
            except AttributeError:
                feeds = None
            if feeds is not None:
                return EagerTensor(self._run(feeds)[0])
        flat_in = nest.flatten((args, kwargs))
        feeds = []
        for i, spec in zip(self.tensor_positions, self.input_specs):
            v = flat_in[i]
            if composite_graph.is_composite(spec):
                feeds.extend(composite_graph.as_feed(f) for f in composite_graph.feeds(spec, v))
                continue
            feeds.append(v._t if isinstance(v, EagerTensor) else convert_to_tensor(v)._t)
        results = self._run(feeds)
        at = self.n_out
        for nodes, callback in self.run_callbacks:
            callback([r.numpy() for r in results[at : at + len(nodes)]])
            at += len(nodes)
        flat = []
        for kind, v in self.out_kinds:
            if kind == "tensor":
                flat.append(EagerTensor(results[v]))
            elif kind == "composite":
                template, at, n = v
                flat.append(composite_graph.rebuild(template, [EagerTensor(r) for r in results[at : at + n]]))
            else:
                flat.append(v)
        out = nest.pack_sequence_as(self.structure, flat)
        return out if self.restore is None else self.restore(out)


def _argument_names(fn: Callable, args: tuple, kwargs: dict, flat_in: list) -> dict:
    """Flat position -> parameter name, for the arguments that are a parameter's whole value (TensorFlow
    names a trace's placeholders after them: ``Tensor("x:0", ...)``)."""
    import inspect

    try:
        bound = inspect.signature(fn).bind_partial(*args, **kwargs).arguments
    except (TypeError, ValueError):
        return {}
    by_id = {id(v): k for k, v in bound.items() if _is_tensor_arg(v)}
    return {i: by_id[id(v)] for i, v in enumerate(flat_in) if id(v) in by_id}


def _spec_of(value: Any) -> Any:
    """The spec of a tensor argument: a ``TensorSpec``, or a sparse or ragged tensor's spec."""
    if composite_graph.is_composite(value):
        return composite_graph.spec_of(value)
    if isinstance(value, TensorSpec):
        return value
    if isinstance(value, np.ndarray):
        return TensorSpec(value.shape, value.dtype)
    t = value if isinstance(value, Tensor) else convert_to_tensor(value)
    return TensorSpec(t.shape, t.dtype)


def _is_tensor_arg(v: Any) -> bool:
    return isinstance(v, (Tensor, np.ndarray, TensorSpec)) or composite_graph.is_composite(v)


def _is_symbolic_composite(v: Any) -> bool:
    """Whether a sparse or ragged output was computed in the graph (an eager one is a constant of the trace)."""
    from .graph_composites import GraphRaggedTensor, GraphSparseTensor

    if isinstance(v, (GraphSparseTensor, GraphRaggedTensor)):
        return True
    parts = [v.values] if hasattr(v, "_indices") else [v.flat_values]
    return any(isinstance(p, SymbolicTensor) for p in parts)


def _signature_key(args: tuple, kwargs: dict) -> tuple:
    key = []
    for v in nest.flatten((args, kwargs)):
        if isinstance(v, EagerTensor):
            key.append(("T", tuple(v.shape), v.dtype.name))
        elif isinstance(v, TensorSpec):
            key.append(("T", None if v.shape._dim_list is None else tuple(v.shape._dim_list), v.dtype.name))
        elif isinstance(v, np.ndarray):
            key.append(("A", v.shape, str(v.dtype)))
        elif composite_graph.is_composite(v):
            key.append(composite_graph.spec_of(v)._key())
        elif isinstance(v, Variable):
            key.append(("V", id(v)))
        else:
            try:
                hash(v)
                key.append(("P", v))
            except TypeError:
                key.append(("O", id(v)))
    return (tuple(key), repr(nest.pack_sequence_as((args, kwargs), [0] * len(nest.flatten((args, kwargs))))))

"""User functions of a pipeline (``map``, ``filter``, ``scan`` ...), traced once into a graph over the element spec.

As in TensorFlow, the function runs as Python once, while tracing (a ``print`` in it prints once); each element
then runs the compiled plan. A tuple element is passed as separate arguments. Functions of elements that are
datasets (``window``) are traced over handles to them (``traced_windows``; ``interleave``/``flat_map``'s in
``traced_dataset_fn``).
"""

from __future__ import annotations

import copy
from typing import Any, Callable

import numpy as np

from .. import _core
from ..framework import context, nest
from ..framework.composite_specs import RaggedTensorSpec, SparseTensorSpec
from ..framework.graph import SymbolicTensor
from ..framework.ragged_tensor import RaggedTensor
from ..framework.trace import _Concrete
from . import structure, traced_captures
from .ragged_elements import RaggedComponent
from .sparse_elements import SparseComponent
from .traced_outputs import _output, _own, _RaggedOutput, _SparseOutput, _spec_of_output, _stand_in


def unpack_args(element: Any) -> tuple:
    """The positional arguments for one element: a plain tuple is spread, anything else is one argument."""
    return element if type(element) is tuple else (element,)


def _name_of(fn: Callable) -> str:
    name = getattr(fn, "__name__", None) or type(fn).__name__
    return "lambda" if name == "<lambda>" else name


def _normalize_output(value: Any) -> Any:
    """Lists returned by a function become tuples, as ``tf.data`` does."""
    if isinstance(value, list):
        return tuple(_normalize_output(v) for v in value)
    if isinstance(value, tuple) and not hasattr(value, "_fields"):
        return tuple(_normalize_output(v) for v in value)
    if isinstance(value, dict):
        return type(value)((k, _normalize_output(v)) for k, v in value.items())
    return value


class TracedFunction:
    """``fn`` traced over ``input_spec`` (a nest of ``TensorSpec``s); called with flat components, it returns
    the flat output components. ``output_spec`` is the structure of what the function returns. Over elements
    holding datasets (``window``'s), it is a ``traced_windows.ElementsFunction``."""

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        # ``copy.copy`` calls this without arguments
        eager = kwargs.get("eager", len(args) > 4 and args[4])
        if cls is TracedFunction and len(args) > 1 and not eager:
            if any(isinstance(s, structure.DatasetSpec) for s in nest.flatten(args[1])):
                from .traced_windows import ElementsFunction

                return object.__new__(ElementsFunction)
        return object.__new__(cls)

    def __init__(self, fn: Callable, input_spec: Any, what: str, unpack: bool = True, eager: bool = False) -> None:
        self.fn = fn
        self.what = what
        self.name = _name_of(fn)
        self._input_spec = input_spec
        self._unpack = unpack
        self._flat_specs = nest.flatten(input_spec)
        # Ragged leaves feed their components (values, row splits, row ids) to the plan, sparse ones their
        # indices, values and dense shape.
        self._expand = any(
            (isinstance(s, RaggedTensorSpec) and s.ragged_rank > 0) or isinstance(s, SparseTensorSpec)
            for s in self._flat_specs
        )
        args = unpack_args(input_spec) if unpack else (input_spec,)
        self.eager = eager or any(isinstance(s, structure.DatasetSpec) for s in nest.flatten(input_spec))
        if self.eager:
            self._concrete = None
            self.output_spec = None
            return

        python_calls: list = []
        traced_out: list = []
        from ..autograph._conversion import maybe_convert

        graph_fn = maybe_convert(fn)  # as TensorFlow: control flow on tensors becomes graph control flow

        def body(*a: Any) -> Any:
            graph = context.current_graph()
            graph.python_call_stand_in = lambda tout: _stand_in(tout, python_calls)
            traced_captures.install(graph)
            out = _normalize_output(graph_fn(*a))
            if out is None:
                raise TypeError(f"the {what} function {self.name!r} returned None; it must return tensors")
            out = nest.map_structure(lambda v: _own(graph, v), out)
            traced_out.append(out)
            return out

        try:
            c = _Concrete(body, args, {}, what)
        except Exception:
            if not (python_calls and traced_out):
                raise
            c = None
        if python_calls:
            # tf.py_function / tf.numpy_function: the Python code cannot run inside the plan, so the
            # function runs eagerly per element; the trace gave the output structure.
            self.eager = True
            self.output_spec = nest.map_structure(_spec_of_output, traced_out[0])
            return
        self._init_plan(c)

    def _init_plan(self, c: _Concrete) -> None:
        what = self.what
        specs, self._plan_outputs = [], []
        for kind, v in c.out_kinds:
            if kind == "tensor":
                t = c.outputs[v]
                specs.append(structure.TensorSpec(t.shape, t.dtype))
                self._plan_outputs.append(v)
            elif kind == "composite":
                template, at, n = v
                if isinstance(template, RaggedTensor):
                    specs.append(RaggedTensorSpec.from_value(template))
                    self._plan_outputs.append(_RaggedOutput(at, n))
                else:
                    specs.append(SparseTensorSpec.from_value(template))
                    self._plan_outputs.append(_SparseOutput(at))
            else:
                comp = structure.to_component(v)
                specs.append(structure.spec_of_component(comp))
                self._plan_outputs.append(comp)
        outputs = nest.flatten(c.structure)
        if any(isinstance(o, SymbolicTensor) and o.graph is not c.graph for o in outputs):
            raise TypeError(f"the {what} function {self.name!r} returned a tensor of another graph")
        self.output_spec = nest.pack_sequence_as(c.structure, specs)
        self._callbacks = c.run_callbacks
        self._n_out = c.n_out
        self._plan = c.plan
        captured = getattr(c.graph, "outer_captured", None)
        self._captures = traced_captures.Captures(captured) if captured else None
        # the common case, every output computed by the plan: the outputs are read without per-output checks
        self._plan_only = all(isinstance(v, int) for v in self._plan_outputs)

    def __call__(self, flat: tuple) -> tuple:
        if self.eager:
            return flat_components(self.call_eager(flat))
        from_numpy = _core.Tensor.from_numpy
        feeds = self._feeds(flat) if self._expand else flat
        feeds = [from_numpy(a if a.flags.c_contiguous else np.array(a, order="C")) for a in feeds]
        if self._captures is not None:
            feeds.extend(self._captures.feeds(self.what, self.name))
        results = self._plan.run(feeds)
        if self._callbacks:
            at = self._n_out
            for nodes, callback in self._callbacks:
                callback([r.numpy() for r in results[at : at + len(nodes)]])
                at += len(nodes)
        if self._plan_only:
            return tuple([results[v].numpy() for v in self._plan_outputs])
        return tuple([_output(results, v) for v in self._plan_outputs])

    def _feeds(self, flat: tuple) -> list:
        """The plan's feeds for one element: a ragged component's values, row splits and row ids; a sparse
        one's indices, values and dense shape (and a witness of the dense shape where the spec leaves it open)."""
        from ..framework.composite_graph import ragged_feeds, sparse_feeds

        out: list = []
        for spec, c in zip(self._flat_specs, flat):
            if isinstance(c, RaggedComponent):
                out.extend(ragged_feeds(spec, c.flat_values, list(c.nested_splits)))
            elif isinstance(c, SparseComponent):
                out.extend(sparse_feeds(spec, c.indices, c.values, c.dense_shape))
            else:
                out.append(c)
        return out

    def _each_separately(self, flats: list) -> list:
        """``self(flat)`` for each flat element in turn: its output components, or the exception it raised."""
        out: list = []
        for flat in flats:
            try:
                out.append(self(flat))
            except Exception as e:
                out.append(e)
        return out

    def run_each(self, flats: list) -> list:
        """``self(flat)`` for each flat element: its output components, or the exception it raised. A plan
        whose outputs are all computed and which calls no Python runs every element in one release of the GIL."""
        if self.eager or self.has_callbacks or not self._plan_only:
            return self._each_separately(flats)
        feeds = [self._feeds(flat) if self._expand else list(flat) for flat in flats]
        if self._captures is not None:
            extra = [v.numpy() for v in self._captures.feeds(self.what, self.name)]
            feeds = [f + extra for f in feeds]
        results = self._plan.run_each(feeds, self._plan_outputs)
        return [r if isinstance(r, BaseException) else tuple(r) for r in results]

    @property
    def captured(self) -> list:
        """The tensors of other graphs (an enclosing ``tf.function``'s) the function uses; see ``bind``."""
        return [] if getattr(self, "_captures", None) is None else self._captures.captured

    def bind(self, values: list) -> None:
        """Gives the captured tensors their values (NumPy arrays) for the runs that follow."""
        self._captures.bind(values)

    def bound(self, values: list) -> TracedFunction:
        """A copy whose captured tensors have ``values``; this function stays as it is (``graph_binding``)."""
        new = copy.copy(self)
        new._captures = traced_captures.Captures(self._captures.captured)
        new._captures.bind(values)
        return new

    @property
    def has_callbacks(self) -> bool:
        """Whether the plan calls back into Python (``tf.print``) while it runs."""
        return bool(getattr(self, "_callbacks", None))

    def call_eager(self, flat: tuple) -> Any:
        """Runs the Python function on one element's tensors (for functions that return datasets)."""
        element = structure.to_user(self._input_spec, flat)
        args = unpack_args(element) if self._unpack else (element,)
        return _normalize_output(self.fn(*args))

    def error(self, exc: BaseException, flat: tuple) -> BaseException:
        """``exc`` raised while running on ``flat``, as the same kind of error naming the function and element."""
        text = (
            f"{self.what} function {self.name!r} failed on element {structure.describe(self._input_spec, flat)}: {exc}"
        )
        try:
            new = type(exc)(text)
        except Exception:  # an exception type that takes other arguments
            return exc
        return new


def scalar_bool(traced: TracedFunction, what: str) -> None:
    """Checks that a predicate returns one scalar bool, with TensorFlow's message."""
    spec = traced.output_spec
    ok = isinstance(spec, structure.TensorSpec) and spec.dtype == "bool" and spec.shape.rank in (0, None)
    if not ok:
        raise ValueError(
            f"Invalid `{what}`. `{what}` must return a `tf.bool` scalar tensor, but its return type is {spec}."
        )


def relaxed_state(fn: Callable, state_spec: Any, element_spec: Any, what: str) -> tuple:
    """For ``scan``/``reduce``: the trace whose state spec is stable, with dimensions that change opened up.

    Returns ``(traced, state_spec)``; the function maps ``(state, element)`` to ``(new_state, ...)``.
    """
    for _ in range(4):
        traced = TracedFunction(fn, (state_spec, element_spec), what)
        out = traced.output_spec
        new_state = out[0] if what == "scan" else out
        if what == "scan" and not (isinstance(out, tuple) and len(out) == 2):
            raise TypeError(f"The scan function must return a pair (new_state, output_element), received {out}")
        merged = structure.common_supertype(state_spec, new_state, f"the {what} function's new state")
        if merged == state_spec:
            return traced, state_spec
        state_spec = merged
    raise TypeError(f"the {what} function's state does not settle to one shape")


def as_numpy_state(value: Any) -> tuple:
    """An initial state as ``(spec, flat components)``."""
    return structure.structure_of(structure.normalize(value))


def flat_components(value: Any) -> tuple:
    """What an eagerly run function returned, as flat components."""
    return tuple(nest.flatten(structure.normalize(value)))

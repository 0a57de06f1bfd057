"""``ferroflow.function``: traces a Python function into a graph once per input signature, then runs the plan."""

from __future__ import annotations

import functools
from typing import Any, Callable, Optional

import numpy as np

from . import context, nest
from .graph import Graph, SymbolicTensor
from .ops import apply, convert_to_tensor
from .tensor import EagerTensor, Tensor
from .variables import Variable


class FuncGraph(Graph):
    """The graph of one traced function; variables created while tracing are lifted out as eager ones."""

    is_function = True


class _Concrete:
    """One trace: the graph, its placeholders, the output structure and the compiled plan."""

    def __init__(self, fn: Callable, args: tuple, kwargs: dict, name: str) -> None:
        self.graph = FuncGraph()
        flat_in = nest.flatten((args, kwargs))
        self.tensor_positions = [i for i, v in enumerate(flat_in) if _is_tensor_arg(v)]
        symbolic = list(flat_in)
        placeholders = []
        with self.graph.as_default(), self.graph.name_scope(name):
            for i in self.tensor_positions:
                t = flat_in[i] if isinstance(flat_in[i], EagerTensor) else convert_to_tensor(flat_in[i])
                shape = list(t.shape)
                p = apply("placeholder", [], {"dtype": t.dtype.name, "shape": shape}, op_name="input")
                symbolic[i] = p
                placeholders.append(p.node)
            sargs, skwargs = nest.pack_sequence_as((args, kwargs), symbolic)
            out = fn(*sargs, **skwargs)
        self.structure = out
        flat_out = nest.flatten(out)
        self.out_kinds = []
        fetches = []
        for v in flat_out:
            if isinstance(v, SymbolicTensor):
                self.out_kinds.append(("tensor", len(fetches)))
                fetches.append(v.node)
            else:
                self.out_kinds.append(("value", v))
        n_out = len(fetches)
        fetches.extend(self.graph.stateful_nodes)
        self.n_out = n_out
        self.plan = self.graph._g.compile(fetches, placeholders)

    def __call__(self, args: tuple, kwargs: dict) -> Any:
        flat_in = nest.flatten((args, kwargs))
        feeds = []
        for i in self.tensor_positions:
            v = flat_in[i]
            feeds.append(v._t if isinstance(v, EagerTensor) else convert_to_tensor(v)._t)
        results = self.plan.run(feeds)
        flat = []
        for kind, v in self.out_kinds:
            if kind == "tensor":
                flat.append(EagerTensor(results[v]))
            else:
                flat.append(v)
        return nest.pack_sequence_as(self.structure, flat)


def _is_tensor_arg(v: Any) -> bool:
    return isinstance(v, (Tensor, np.ndarray))


def _signature_key(args: tuple, kwargs: dict) -> tuple:
    key = []
    for v in nest.flatten((args, kwargs)):
        if isinstance(v, EagerTensor):
            key.append(("T", tuple(v.shape), v.dtype.name))
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


class Function:
    """A callable that traces ``python_function`` per input signature and runs the compiled graph."""

    def __init__(self, python_function: Callable, name: Optional[str] = None) -> None:
        self.python_function = python_function
        self._name = name or getattr(python_function, "__name__", "function")
        self._traces: dict = {}
        functools.update_wrapper(self, python_function)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if context.current_graph() is not None:
            return self.python_function(*args, **kwargs)  # inlined into the graph being built
        if any(t._recording for t in context.active_tapes()):
            # A tape differentiates what it sees run: run the body eagerly so its ops are recorded.
            return self.python_function(*args, **kwargs)
        key = _signature_key(args, kwargs)
        concrete = self._traces.get(key)
        if concrete is None:
            concrete = self._traces[key] = _Concrete(self.python_function, args, kwargs, self._name)
        return concrete(args, kwargs)

    def __get__(self, instance: Any, owner: Any) -> Any:
        if instance is None:
            return self
        bound = functools.partial(self.__call__, instance)
        return bound

    def experimental_get_tracing_count(self) -> int:
        return len(self._traces)


def function(func: Optional[Callable] = None, input_signature: Any = None, autograph: bool = True,
             jit_compile: Any = None, reduce_retracing: bool = False, **unused: Any) -> Any:
    """``tf.function``: usable as ``@function`` or ``@function(...)``."""
    if func is None:
        return lambda f: Function(f)
    return Function(func)

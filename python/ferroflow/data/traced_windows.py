"""Functions over elements that are datasets (``window``'s), traced once over int64 handles to them.

As TensorFlow hands such an element to a ``map``, ``filter``, ``scan`` or ``reduce`` function as a variant
tensor, the function is traced once here with each dataset component an int64 handle (``graph_elements``), seen
by the function as an ``ElementDataset``: ``w.map(f)``, ``w.filter(p)`` trace their functions once, and the
function's Python side effects happen once. Reductions of the element (``w.reduce``, ``get_single_element``,
``for`` loops) are loops of the plan, run for each element. A dataset the function returns (``map(lambda w:
w.map(f))``) is, for each element, a copy of the traced dataset bound to that element (``graph_binding``): the
plan computes the tensors it reads (the handles, values computed from the element). A function that cannot be
traced this way (it reads the element's values as Python) runs as Python per element; its output spec is then
found by running it on empty datasets (``probe_output_spec``).
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..framework import context, nest
from ..framework.composite_specs import RaggedTensorSpec, SparseTensorSpec
from ..framework.tensor_spec import TensorSpec
from . import structure, traced, traced_captures
from .dataset_ops import Dataset


class _Untraceable(Exception):
    """The function cannot be traced over handles (it calls Python at run time or reads values as Python)."""


class ElementsFunction(traced.TracedFunction):
    """``TracedFunction`` of a function whose input holds datasets: made by ``TracedFunction(...)`` itself."""

    def __init__(self, fn: Callable, input_spec: Any, what: str, unpack: bool = True, eager: bool = False) -> None:
        try:
            self._trace(fn, input_spec, what, unpack)
        except _Untraceable:
            traced.TracedFunction.__init__(self, fn, input_spec, what, unpack, eager=True)
            self._handles = ()

    def _trace(self, fn: Callable, input_spec: Any, what: str, unpack: bool) -> None:
        from ..autograph._conversion import maybe_convert
        from ..framework.trace import _Concrete
        from .graph_elements import ElementDataset
        from .graph_sources import graph_sources
        from .traced_outputs import _own, _stand_in

        self.fn, self.what, self.name = fn, what, traced._name_of(fn)
        self._input_spec, self._unpack, self.eager = input_spec, unpack, False
        specs = nest.flatten(input_spec)
        self._handles = tuple(i for i, s in enumerate(specs) if isinstance(s, structure.DatasetSpec))
        self._flat_specs = [TensorSpec((), "int64") if i in self._handles else s for i, s in enumerate(specs)]
        self._expand = any(
            (isinstance(s, RaggedTensorSpec) and s.ragged_rank > 0) or isinstance(s, SparseTensorSpec)
            for s in self._flat_specs
        )
        handle_spec = nest.pack_sequence_as(input_spec, self._flat_specs)
        args = traced.unpack_args(handle_spec) if unpack else (handle_spec,)
        graph_fn = maybe_convert(fn)
        python_calls: list = []
        leaves: list = []  # per output leaf: None (a tensor) or (dataset, its readers of graph tensors)

        def body(*a: Any) -> Any:
            graph = context.current_graph()
            graph.python_call_stand_in = lambda tout: _stand_in(tout, python_calls)
            traced_captures.install(graph)
            flat = [
                ElementDataset(t, s.element_spec) if i in self._handles else t
                for i, (t, s) in enumerate(zip(nest.flatten(a), specs))
            ]
            a = nest.pack_sequence_as(a, flat)
            out = traced._normalize_output(graph_fn(*a))
            if out is None:
                raise TypeError(f"the {what} function {self.name!r} returned None; it must return tensors")
            self._structure = out
            leaves.clear()
            expanded: list = []
            for v in nest.flatten(out):
                if isinstance(v, Dataset):
                    sources = graph_sources(v)
                    leaves.append((v, sources))
                    expanded.extend(_own(graph, t) for s in sources for t in s.captured)
                else:
                    leaves.append(None)
                    expanded.append(_own(graph, v))
            return tuple(expanded)

        try:
            c = _Concrete(body, args, {}, what)
        except Exception as e:
            raise _Untraceable() from e
        if python_calls:  # tf.py_function: the Python code runs per element
            raise _Untraceable()
        self._init_plan(c)
        self._leaves = leaves
        flat_specs = iter(nest.flatten(self.output_spec))
        out_specs = []
        for leaf in leaves:
            if leaf is None:
                out_specs.append(next(flat_specs))
                continue
            for s in leaf[1]:
                for _ in s.captured:
                    next(flat_specs)
            out_specs.append(structure.DatasetSpec(leaf[0].element_spec))
        self.output_spec = nest.pack_sequence_as(self._structure, out_specs)
        self._returns_datasets = any(leaf is not None for leaf in leaves)

    def __call__(self, flat: tuple) -> tuple:
        if not self._handles:  # run as Python per element
            return traced.TracedFunction.__call__(self, flat)
        from .graph_binding import bound_copy
        from .graph_elements import register, release

        handles = {i: register(flat[i]) for i in self._handles}
        try:
            out = traced.TracedFunction.__call__(self, tuple(handles.get(i, c) for i, c in enumerate(flat)))
            if not self._returns_datasets:
                return out
            at, result = 0, []
            for leaf in self._leaves:
                if leaf is None:
                    result.append(out[at])
                    at += 1
                    continue
                dataset, sources = leaf
                n = sum(len(s.captured) for s in sources)
                result.append(bound_copy(dataset, sources, list(out[at : at + n])))
                at += n
            return tuple(result)
        finally:  # the bound copies hold the datasets they read
            for h in handles.values():
                release(h)

    def run_each(self, flats: list) -> list:
        return self._each_separately(flats)


def _probe_value(spec: Any, size: int) -> Any:
    from .sources import ListDataset

    if isinstance(spec, structure.DatasetSpec):
        return ListDataset([], spec.element_spec)
    dims = spec.shape._dim_list
    shape = [size if d is None else d for d in (dims if dims is not None else [size])]
    if spec.dtype.name == "string":  # empty strings, as NumPy's zeros of object dtype would be ints
        return np.full(shape, b"", dtype=object)
    return np.zeros(shape, dtype=spec.dtype.as_numpy_dtype)


def probe_output_spec(fn: traced.TracedFunction, input_spec: Any) -> Any:
    """The output spec of a function run eagerly: it runs on placeholder values (empty datasets, zeros);
    dimensions that differ between two placeholder sizes are left unknown."""
    specs = []
    sizes = (
        (1, 2)
        if any(
            isinstance(s, structure.TensorSpec) and (s.shape._dim_list is None or None in s.shape._dim_list)
            for s in nest.flatten(input_spec)
        )
        else (1,)
    )
    for size in sizes:
        flat = tuple(_probe_value(s, size) for s in nest.flatten(input_spec))
        with context.eager_scope():  # as it runs per element: outside the tf.function being traced, if any
            out = structure.normalize(fn.call_eager(flat))
        specs.append(structure.structure_of(out)[0])
    spec = specs[0]
    for other in specs[1:]:
        spec = structure.common_supertype(spec, other, f"the {fn.what} function's output")
    return spec
